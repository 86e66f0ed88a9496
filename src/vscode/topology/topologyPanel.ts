import * as vscode from 'vscode';
import type { ExplorerNode } from '../../core/explorer/explorerTree';
import type { HostRegistry } from '../../core/docker/hostRegistry';
import { parseWebviewMessage, type ContextAction, type HostToWebview } from '../../core/topology/protocol';
import {
  buildTopology,
  diffElements,
  isEmptyDiff,
  networkNodeId,
  type TopologyData,
  type TopologyElement,
} from '../../core/topology/topologyModel';
import { topologyHtml } from './topologyHtml';
import { notify } from '../untrusted';

const VIEW_TYPE = 'dockerNetworkExplorer.topology';
const TITLE = 'Docker Network Topology';

/** The command, the serializer (panels survive a window reload) and the one open panel. */
export function registerTopology(context: vscode.ExtensionContext, registry: HostRegistry): void {
  let current: TopologyPanel | undefined;
  const adopt = (panel: vscode.WebviewPanel, focus?: string) => {
    registry.follow();
    current = new TopologyPanel(panel, context.extensionUri, registry, focus);
    panel.onDidDispose(() => (current = undefined));
  };
  context.subscriptions.push(
    vscode.commands.registerCommand('dockerNetworkExplorer.showTopology', (node?: ExplorerNode) => {
      const focus = focusOf(registry, node);
      if (current) return current.reveal(focus);
      adopt(vscode.window.createWebviewPanel(VIEW_TYPE, TITLE, vscode.ViewColumn.Active, panelOptions(context.extensionUri)), focus);
    }),
    vscode.window.registerWebviewPanelSerializer(VIEW_TYPE, {
      async deserializeWebviewPanel(panel) {
        panel.webview.options = panelOptions(context.extensionUri);
        adopt(panel);
      },
    }),
    { dispose: () => current?.dispose() },
  );
}

function panelOptions(extensionUri: vscode.Uri): vscode.WebviewPanelOptions & vscode.WebviewOptions {
  return {
    enableScripts: true,
    localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist'), vscode.Uri.joinPath(extensionUri, 'media')],
  };
}

/** A network row's "Show in Topology" focuses that network's node. */
function focusOf(registry: HostRegistry, node: ExplorerNode | undefined): string | undefined {
  const target = node?.target;
  if (target?.type !== 'network') return undefined;
  const state = registry.monitor(target.hostId)?.state;
  const network = state?.kind === 'connected' ? state.snapshot.networks.find((entry) => entry.id === target.id) : undefined;
  return network ? networkNodeId(target.hostId, network) : undefined;
}

/**
 * One panel: sends the whole graph when the webview says `ready` (again after the webview was
 * hidden and rebuilt), then only diffs as the registry changes.
 */
class TopologyPanel {
  private readonly disposables: vscode.Disposable[] = [];
  /** What the webview holds now; undefined until it said ready. */
  private shown: TopologyElement[] | undefined;

  constructor(
    private readonly panel: vscode.WebviewPanel,
    extensionUri: vscode.Uri,
    private readonly registry: HostRegistry,
    private focus: string | undefined,
  ) {
    panel.webview.html = topologyHtml(panel.webview, extensionUri);
    const registrySubscription = registry.onDidChange(() => this.update());
    this.disposables.push(
      { dispose: () => registrySubscription.dispose() },
      panel.webview.onDidReceiveMessage((message: unknown) => this.receive(message)),
      // A hidden webview's page is destroyed (no retainContextWhenHidden: memory); it says ready again.
      panel.onDidChangeViewState(() => {
        if (!panel.visible) this.shown = undefined;
      }),
      panel.onDidDispose(() => this.dispose()),
    );
  }

  reveal(focus: string | undefined): void {
    this.focus = focus;
    this.panel.reveal();
    if (this.shown) this.post({ type: 'snapshot', elements: this.shown, focus });
  }

  dispose(): void {
    for (const disposable of this.disposables.splice(0)) disposable.dispose();
    this.panel.dispose();
  }

  private receive(raw: unknown): void {
    const message = parseWebviewMessage(raw);
    if (!message) return;
    if (message.type === 'ready') {
      this.shown = buildTopology(this.registry.hostViews());
      this.post({ type: 'snapshot', elements: this.shown, focus: this.focus });
    } else if (message.type === 'export') {
      const bytes = message.format === 'png' ? Buffer.from(message.base64, 'base64') : Buffer.from(message.svg, 'utf8');
      void exportPicture(message.format, bytes);
    } else if (message.type === 'contextAction') {
      const data = this.shown?.find((element) => element.data.id === message.id)?.data;
      if (data) void runAction(message.action, data);
    }
  }

  private update(): void {
    if (!this.shown) return;
    const next = buildTopology(this.registry.hostViews());
    const diff = diffElements(this.shown, next);
    this.shown = next;
    if (!isEmptyDiff(diff)) this.post({ type: 'diff', diff });
  }

  private post(message: HostToWebview): void {
    void this.panel.webview.postMessage(message);
  }
}

/** Saves what the webview drew where the user says; the webview itself cannot write files. */
async function exportPicture(format: 'png' | 'svg', bytes: Uint8Array): Promise<void> {
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
  const target = await vscode.window.showSaveDialog({
    title: 'Export Docker Network Topology',
    defaultUri: folder ? vscode.Uri.joinPath(folder, `docker-topology.${format}`) : undefined,
    filters: format === 'png' ? { 'PNG image': ['png'] } : { 'SVG image': ['svg'] },
  });
  if (!target) return;
  await vscode.workspace.fs.writeFile(target, bytes);
  void notify('information', `Saved the topology as ${target.fsPath}.`);
}

const COMMANDS: Record<Exclude<ContextAction, 'remove' | 'reveal'>, string> = {
  inspect: 'dockerNetworkExplorer.inspect',
  connect: 'dockerNetworkExplorer.connectContainer',
  disconnect: 'dockerNetworkExplorer.disconnectContainer',
};

/** The tree's commands act on tree rows: the graph element is described as the row it matches. */
async function runAction(action: ContextAction, data: TopologyData): Promise<void> {
  const target = data.dockerTarget;
  if (!target) return;
  if (action === 'reveal') {
    // An endpoint edge's target is its container: reveal only what the menu offers it for.
    if (data.kind === 'network' || data.kind === 'container') await vscode.commands.executeCommand('dockerNetworkExplorer.revealInTree', target);
    return;
  }
  // Disconnect only from an endpoint edge: on a node it would ask which pair, not what was clicked.
  if (action === 'disconnect' && data.kind !== 'endpoint') return;
  if (action === 'remove' && data.kind !== 'network' && data.kind !== 'container') return;
  const command =
    action === 'remove' ? (target.type === 'network' ? 'dockerNetworkExplorer.removeNetwork' : 'dockerNetworkExplorer.removeContainer') : COMMANDS[action];
  const row: ExplorerNode =
    data.kind === 'endpoint' && data.networkId
      ? // The disconnect command reads the pair from an endpoint row's id (pickers.ts).
        { id: `topology/network/${data.networkId}/endpoint/${target.id}`, kind: 'endpoint', label: target.name, icon: { id: '' }, contextValue: 'endpoint', target, children: [] }
      : { id: `topology/${data.id}`, kind: target.type, label: target.name, icon: { id: '' }, contextValue: target.type, target, children: [] };
  await vscode.commands.executeCommand(command, row);
}
