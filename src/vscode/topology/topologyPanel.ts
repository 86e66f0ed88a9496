import * as vscode from 'vscode';
import type { ExplorerNode } from '../../core/explorer/explorerTree';
import type { HostRegistry } from '../../core/docker/hostRegistry';
import type { ReachAnswer } from '../../core/reachability/types';
import { pathHighlight } from '../../core/topology/pathHighlight';
import { PositionBook, positionHost } from '../../core/topology/positionBook';
import { parseWebviewMessage, type HostToWebview, type Request } from '../../core/topology/protocol';
import { buildTopology, diffElements, isEmptyDiff, networkNodeId, type TopologyElement } from '../../core/topology/topologyModel';
import { runCommand } from '../commands/registerCommand';
import { errorMessage } from '../../core/util/errors';
import { notify } from '../untrusted';
import { actionCommand } from './actionTarget';
import { topologyHtml } from './topologyHtml';

const VIEW_TYPE = 'dockerNetworkExplorer.topology';
const TITLE = 'Docker Network Topology';
/** Where node positions are kept (the workspace state): they outlive the panel and the window. */
const POSITIONS_KEY = 'dockerNetworkExplorer.topology.positions';

/** What reachability asks of the topology: light an answer's path (issue #12). */
export interface TopologyPaths {
  isOpen(): boolean;
  /** The editor column the open panel is in. */
  column(): vscode.ViewColumn | undefined;
  /** Lights the path in the open panel; `open`: opens (or brings forward) the panel first. */
  showPath(answer: ReachAnswer, open: boolean): Promise<void>;
}

/** The command, the serializer (panels survive a window reload) and the one open panel. */
export function registerTopology(context: vscode.ExtensionContext, registry: HostRegistry): TopologyPaths {
  let current: TopologyPanel | undefined;
  const positions = new StoredPositions(context.workspaceState);
  const adopt = (panel: vscode.WebviewPanel, focus?: string) => {
    registry.follow();
    current = new TopologyPanel(panel, context.extensionUri, registry, positions, focus);
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
  return {
    isOpen: () => current !== undefined,
    column: () => current?.column,
    async showPath(answer, open) {
      if (open) await vscode.commands.executeCommand('dockerNetworkExplorer.showTopology');
      current?.showPath(answer);
    },
  };
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

/** The position book, saved in the workspace state after each change. */
class StoredPositions {
  readonly book: PositionBook;

  constructor(private readonly memento: vscode.Memento) {
    this.book = new PositionBook(memento.get<unknown>(POSITIONS_KEY));
  }

  save(): void {
    void this.memento.update(POSITIONS_KEY, this.book.toJSON());
  }
}

/**
 * One panel: sends the whole graph (and the stored positions) when the webview says `ready`
 * (again after the webview was hidden and rebuilt), then only diffs as the registry changes.
 * Answers every request of the webview with a completion.
 */
class TopologyPanel {
  private readonly disposables: vscode.Disposable[] = [];
  /** What the webview holds now, by id; undefined until it said ready. */
  private shown: Map<string, TopologyElement> | undefined;
  /** The reachability answer whose path is lit, until the user clears it (sent again after a rebuild). */
  private path: ReachAnswer | undefined;

  constructor(
    private readonly panel: vscode.WebviewPanel,
    extensionUri: vscode.Uri,
    private readonly registry: HostRegistry,
    private readonly positions: StoredPositions,
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
    if (this.shown) this.postSnapshot();
  }

  get column(): vscode.ViewColumn | undefined {
    return this.panel.viewColumn;
  }

  showPath(answer: ReachAnswer): void {
    this.path = answer;
    // A hidden panel has no page: it gets the path when it says ready again.
    this.postPath();
  }

  dispose(): void {
    for (const disposable of this.disposables.splice(0)) disposable.dispose();
    this.panel.dispose();
  }

  private receive(raw: unknown): void {
    const message = parseWebviewMessage(raw);
    if (message.type === 'rejected') {
      // A request with a number still gets its answer, so the webview does not wait for ever.
      if (message.requestId !== undefined)
        this.post({ type: 'completion', requestId: message.requestId, ok: false, error: `Refused: ${message.problem}.` });
      return;
    }
    if (message.type === 'ready') {
      this.shown = byId(buildTopology(this.registry.hostViews()));
      this.postSnapshot();
      this.postPath();
    } else if (message.type === 'highlightCleared') {
      this.path = undefined;
    } else if (message.type === 'positions') {
      const shown = this.shown;
      if (!shown) return;
      this.positions.book.record(message.positions, (id) => {
        const element = shown.get(id);
        return element && positionHost(element);
      });
      this.positions.save();
    } else {
      const { requestId } = message;
      this.run(message.request).then(
        () => this.post({ type: 'completion', requestId, ok: true }),
        (error: unknown) => this.post({ type: 'completion', requestId, ok: false, error: errorMessage(error) }),
      );
    }
  }

  private async run(request: Request): Promise<void> {
    if (request.type === 'export') {
      const bytes = request.format === 'png' ? Buffer.from(request.base64, 'base64') : Buffer.from(request.svg, 'utf8');
      return exportPicture(request.format, bytes);
    }
    const element = this.shown?.get(request.element);
    if (!element) throw new Error('That element is no longer in the graph.');
    const { command, target } = actionCommand(request.action, element.data, element.classes);
    await runCommand(command, target);
  }

  private postSnapshot(): void {
    const elements = [...(this.shown?.values() ?? [])];
    this.post({ type: 'snapshot', elements, focus: this.focus, positions: this.positions.book.all() });
  }

  private update(): void {
    if (!this.shown) return;
    const next = buildTopology(this.registry.hostViews());
    const diff = diffElements([...this.shown.values()], next);
    this.shown = byId(next);
    if (isEmptyDiff(diff)) return;
    this.post({ type: 'diff', diff });
    // An element of the path may have come or gone (a container started, a network removed).
    this.postPath();
  }

  /** The lit path as this graph's ids; nothing until the webview holds a graph. */
  private postPath(): void {
    const shown = this.shown;
    if (!shown || !this.path) return;
    const highlight = pathHighlight(this.path, (id) => shown.has(id), shown.keys()) ?? null;
    this.post({ type: 'highlight', highlight });
  }

  private post(message: HostToWebview): void {
    void this.panel.webview.postMessage(message);
  }
}

const byId = (elements: readonly TopologyElement[]) => new Map(elements.map((element) => [element.data.id, element]));

/** Saves what the webview drew where the user says; the webview itself cannot write files. */
async function exportPicture(format: 'png' | 'svg', bytes: Uint8Array): Promise<void> {
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
  const target = await vscode.window.showSaveDialog({
    title: 'Export Docker Network Topology',
    defaultUri: folder ? vscode.Uri.joinPath(folder, `docker-topology.${format}`) : undefined,
    filters: format === 'png' ? { 'PNG image': ['png'] } : { 'SVG image': ['svg'] },
  });
  if (!target) return;
  try {
    await vscode.workspace.fs.writeFile(target, bytes);
  } catch (error) {
    throw new Error(`The topology was not saved as ${target.fsPath}: ${errorMessage(error)}`, { cause: error });
  }
  void notify('information', `Saved the topology as ${target.fsPath}.`);
}
