export type ExplorerView = 'networks' | 'containers';

export type NodeKind = 'host' | 'group' | 'network' | 'endpoint' | 'service' | 'task' | 'container' | 'attachment' | 'message';

/** What an inspect / later operations act on. */
export interface NodeTarget {
  hostId: string;
  type: 'network' | 'container';
  id: string;
  name: string;
}

/**
 * One row of the explorer, independent of VS Code: the tree provider maps it 1:1 to a
 * TreeItem. Pure data, so the whole tree is unit-tested and benchmarked without an editor.
 */
export interface ExplorerNode {
  /** Unique and stable across refreshes, so VS Code keeps expansion and selection. */
  id: string;
  kind: NodeKind;
  label: string;
  description?: string;
  /** Plain text (never markdown: names and labels come from the daemon and are untrusted). */
  tooltip?: string;
  /** A codicon id plus an optional theme colour id. */
  icon: { id: string; color?: string };
  /** Matched by `when` clauses in package.json. */
  contextValue: string;
  target?: NodeTarget;
  /** Host rows: the host they stand for (Remove Host acts on it). */
  hostId?: string;
  /** Set on messages that act when clicked (e.g. retry a host). */
  command?: { id: 'retryHost'; hostId: string };
  children: ExplorerNode[];
  expanded?: boolean;
}

export function hostRowId(view: ExplorerView, hostId: string): string {
  return `${view}/${hostId}`;
}

/**
 * The row that stands for a network (Networks view) or a container (Containers view): what
 * "reveal in the tree" looks for, e.g. when a node is clicked in the topology.
 */
export function targetRowId(target: Pick<NodeTarget, 'hostId' | 'type' | 'id'>): string {
  return target.type === 'network'
    ? `${hostRowId('networks', target.hostId)}/network/${target.id}`
    : `${hostRowId('containers', target.hostId)}/container/${target.id}`;
}

/** The one row of a network that spans hosts (Networks view, "Multi-host networks" group). */
export function multiHostNetworkRowId(networkId: string): string {
  return `networks/*/network/${networkId}`;
}
