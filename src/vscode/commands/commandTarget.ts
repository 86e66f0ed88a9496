/**
 * What a command acts on, however it was asked: from a tree row's context menu (VS Code passes
 * the row) or from the topology's (the panel passes a CommandTarget built from the graph
 * element). Commands read only this, never a row's id.
 */
import type { ExplorerNode, NodeTarget } from '../../core/explorer/explorerTree';

/** A container and a network, by ID (or any reference the core's findContainer/findNetwork take). */
export interface Pair {
  container: string;
  network: string;
}

export type CommandTarget =
  | { on: 'host'; hostId: string }
  | { on: 'network' | 'container'; hostId: string; subject: NodeTarget }
  /**
   * A container on a network. `subject` is what the row stands for (Inspect shows it): the
   * container for an endpoint row or edge, the network for an attachment row.
   */
  | { on: 'endpoint'; hostId: string; subject: NodeTarget; pair: Pair };

const ON: ReadonlySet<unknown> = new Set(['host', 'network', 'container', 'endpoint']);

/** A tree row (what VS Code passes from a menu) or a target (what the topology passes) as a target. */
export function commandTarget(arg: unknown): CommandTarget | undefined {
  if (typeof arg !== 'object' || arg === null) return undefined;
  if ('contextValue' in arg) return targetOfRow(arg as ExplorerNode);
  return ON.has((arg as { on?: unknown }).on) ? (arg as CommandTarget) : undefined;
}

export function targetOfRow(node: ExplorerNode): CommandTarget | undefined {
  if (node.kind === 'host' && node.hostId !== undefined) return { on: 'host', hostId: node.hostId };
  const subject = node.target;
  if (!subject) return undefined;
  if (node.kind === 'network' || node.kind === 'container') return { on: subject.type, hostId: subject.hostId, subject };
  const pair = endpointOfRow(node);
  return pair ? { on: 'endpoint', hostId: subject.hostId, subject, pair } : undefined;
}

/** Container and network of an endpoint row (under a network) or an attachment row (under a container). */
function endpointOfRow(node: ExplorerNode): Pair | undefined {
  if (!node.target) return undefined;
  // The row's id is its path in the tree (explorerTree.ts): the parent's ID is the other half.
  if (node.kind === 'endpoint') {
    const network = /\/network\/([^/]+)\/endpoint\/[^/]+$/.exec(node.id)?.[1];
    return network ? { container: node.target.id, network } : undefined;
  }
  if (node.kind === 'attachment') {
    const container = /\/container\/([^/]+)\/attachment\/[^/]+$/.exec(node.id)?.[1];
    return container ? { container, network: node.target.id } : undefined;
  }
  return undefined;
}
