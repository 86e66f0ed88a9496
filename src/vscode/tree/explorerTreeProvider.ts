import * as vscode from 'vscode';
import { buildExplorerTree, type ExplorerNode, type ExplorerView } from '../../core/explorer/explorerTree';
import type { HostChange, HostRegistry } from '../../core/docker/hostRegistry';
import { patchExplorerTree } from '../../core/explorer/treePatch';
import { COMPOSE_GROUPING_SETTING, groupByComposeProject } from '../settings';

/**
 * Adapts the pure explorer tree to VS Code. An event applied in place patches only the rows it
 * touched, which keep their identity, and the change is fired with those rows (treePatch.ts);
 * any other change rebuilds the tree from the registry's state and VS Code keeps expansion by id.
 */
export class ExplorerTreeProvider implements vscode.TreeDataProvider<ExplorerNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<ExplorerNode | ExplorerNode[] | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private roots: ExplorerNode[] = [];
  /** Child id → parent, for TreeView.reveal (which walks up with getParent). */
  private parents = new Map<string, ExplorerNode>();
  private byId = new Map<string, ExplorerNode>();
  private readonly subscriptions: Array<{ dispose(): void }>;
  private readonly rendered = new vscode.EventEmitter<void>();
  /** Fires after the provider's data changed (tests and benchmarks wait on it). */
  readonly onDidRebuild = this.rendered.event;

  constructor(
    readonly view: ExplorerView,
    private readonly registry: HostRegistry,
  ) {
    this.subscriptions = [
      registry.onDidChange((change) => this.update(change)),
      vscode.workspace.onDidChangeConfiguration((event) => {
        if (view === 'containers' && event.affectsConfiguration(`dockerNetworkExplorer.${COMPOSE_GROUPING_SETTING}`)) this.rebuild();
      }),
    ];
    this.rebuild();
  }

  nodeById(id: string): ExplorerNode | undefined {
    return this.byId.get(id);
  }

  getParent(node: ExplorerNode): ExplorerNode | undefined {
    return this.parents.get(node.id);
  }

  getChildren(node?: ExplorerNode): ExplorerNode[] {
    return node ? node.children : this.roots;
  }

  getTreeItem(node: ExplorerNode): vscode.TreeItem {
    const state =
      node.children.length === 0
        ? vscode.TreeItemCollapsibleState.None
        : node.expanded
          ? vscode.TreeItemCollapsibleState.Expanded
          : vscode.TreeItemCollapsibleState.Collapsed;
    const item = new vscode.TreeItem(node.label, state);
    item.id = node.id;
    item.description = node.description;
    item.tooltip = node.tooltip;
    item.contextValue = node.contextValue;
    item.iconPath = new vscode.ThemeIcon(node.icon.id, node.icon.color ? new vscode.ThemeColor(node.icon.color) : undefined);
    if (node.command?.id === 'retryHost') {
      item.command = { command: 'dockerNetworkExplorer.retryHost', title: 'Retry', arguments: [node.command.hostId] };
    }
    return item;
  }

  dispose(): void {
    for (const subscription of this.subscriptions) subscription.dispose();
    this.changed.dispose();
    this.rendered.dispose();
  }

  private update(change: HostChange | undefined): void {
    const options = { groupByComposeProject: this.view === 'containers' && groupByComposeProject() };
    const patch = change && patchExplorerTree(this.view, this.roots, this.registry.hostViews(), change.hostId, change.change, options);
    if (!patch) return this.rebuild();
    const forget = (node: ExplorerNode) => {
      if (this.byId.get(node.id) === node) {
        this.byId.delete(node.id);
        this.parents.delete(node.id);
      }
      node.children.forEach(forget);
    };
    patch.detached.forEach(forget);
    for (const node of patch.changed) this.index(node.children, node);
    if (patch.changed.length > 0) this.changed.fire(patch.changed);
    this.rendered.fire();
  }

  private index(nodes: readonly ExplorerNode[], parent: ExplorerNode | undefined): void {
    for (const node of nodes) {
      this.byId.set(node.id, node);
      if (parent) this.parents.set(node.id, parent);
      this.index(node.children, node);
    }
  }

  private rebuild(): void {
    this.roots = buildExplorerTree(this.view, this.registry.hostViews(), {
      groupByComposeProject: this.view === 'containers' && groupByComposeProject(),
    });
    this.parents = new Map();
    this.byId = new Map();
    this.index(this.roots, undefined);
    this.changed.fire(undefined);
    this.rendered.fire();
  }
}
