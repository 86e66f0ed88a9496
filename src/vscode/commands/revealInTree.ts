import * as vscode from 'vscode';
import { targetRowId, type ExplorerView, type NodeTarget } from '../../core/explorer/explorerTree';
import type { ExplorerTreeProvider } from '../tree/explorerTreeProvider';
import { registerCommand } from './registerCommand';

export interface ExplorerTreeViews {
  networks: { provider: ExplorerTreeProvider; view: vscode.TreeView<unknown> };
  containers: { provider: ExplorerTreeProvider; view: vscode.TreeView<unknown> };
}

/**
 * Selects a network's row (Networks view) or a container's row (Containers view): the topology
 * asks for it when a node is clicked. Internal: hidden from the palette.
 */
export function registerRevealInTree(log: vscode.LogOutputChannel, trees: ExplorerTreeViews): vscode.Disposable {
  return registerCommand(log, 'dockerNetworkExplorer.revealInTree', async (target: NodeTarget | undefined) => {
    if (!target) return;
    const view: ExplorerView = target.type === 'network' ? 'networks' : 'containers';
    const node = trees[view].provider.nodeById(targetRowId(target));
    // Gone between the click and now (removed meanwhile): nothing to show.
    if (!node) return;
    await trees[view].view.reveal(node, { select: true, focus: false, expand: false });
  });
}
