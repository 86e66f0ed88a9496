import * as vscode from 'vscode';
import { multiHostNetworkRowId, targetRowId, type ExplorerView } from '../../core/explorer/explorerTree';
import type { ExplorerTreeProvider } from '../tree/explorerTreeProvider';
import { commandTarget } from './commandTarget';
import { registerCommand } from './registerCommand';

export interface ExplorerTreeViews {
  networks: { provider: ExplorerTreeProvider; view: vscode.TreeView<unknown> };
  containers: { provider: ExplorerTreeProvider; view: vscode.TreeView<unknown> };
}

/**
 * Selects a network's row (Networks view) or a container's row (Containers view): the topology
 * asks for it from a node's "Reveal in Tree" menu entry (not on click: revealing opens the
 * sidebar, which narrows the graph). Internal: hidden from the palette.
 */
export function registerRevealInTree(log: vscode.LogOutputChannel, trees: ExplorerTreeViews): vscode.Disposable {
  return registerCommand(log, 'dockerNetworkExplorer.revealInTree', async (arg: unknown) => {
    const on = commandTarget(arg);
    if (on?.on !== 'network' && on?.on !== 'container') return;
    const target = on.subject;
    const view: ExplorerView = target.type === 'network' ? 'networks' : 'containers';
    const { provider } = trees[view];
    // An overlay is listed once, in the multi-host group, when several hosts are shown.
    const node =
      provider.nodeById(targetRowId(target)) ??
      (target.type === 'network' ? provider.nodeById(multiHostNetworkRowId(target.id)) : undefined);
    // Gone between the click and now (removed meanwhile): nothing to show.
    if (!node) return;
    await trees[view].view.reveal(node, { select: true, focus: false, expand: false });
  });
}
