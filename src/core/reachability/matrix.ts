/**
 * Every ordered pair of a set of containers (a network's, a host's): ✓/✗ and the leading reason,
 * explained from one index. In slices, yielding between them, so a large matrix shows progress
 * and can be cancelled.
 */
import { explain } from './explain';
import type { ContainerNode, ReachIndex } from './reachIndex';
import type { Reason, Verdict } from './types';

export interface MatrixCell {
  /** Container names, for words; two hosts may each have a `web1`. */
  from: string;
  target: string;
  /** What a cell is keyed by: host + container id (ContainerNode.key), unique across hosts. */
  fromKey: string;
  targetKey: string;
  verdict: Verdict;
  /** The leading reason: what blocks it, or what carries it. */
  reason: Reason;
}

export interface MatrixOptions {
  port?: number;
  /** Called after each slice with the cells done so far. */
  onProgress?: (done: number, total: number) => void;
  isCancelled?: () => boolean;
  /** Pairs explained between two yields. */
  slice?: number;
}

/** The containers of one network (by name or id), or all of one host, or all. */
export function matrixMembers(index: ReachIndex, scope: { hostId?: string; networkId?: string }): ContainerNode[] {
  return index.containers.filter((node) => {
    if (scope.hostId && node.host.id !== scope.hostId) return false;
    if (scope.networkId) return node.ns.endpoints.some((view) => view.net.network.id === scope.networkId);
    return true;
  });
}

/** A matrix row/column: its key, and its name, with the host's when another member has the same name. */
export interface MatrixMember {
  key: string;
  label: string;
}

export function matrixLabels(nodes: readonly ContainerNode[]): MatrixMember[] {
  const count = new Map<string, number>();
  for (const node of nodes) count.set(node.container.name, (count.get(node.container.name) ?? 0) + 1);
  return nodes.map((node) => ({
    key: node.key,
    label: (count.get(node.container.name) ?? 0) > 1 ? `${node.container.name} (${node.host.name})` : node.container.name,
  }));
}

/**
 * A container as a question refers to it: its name; when another host has one of that name (two
 * `web1` on one overlay), its short ID, which Docker's DNS also answers on user-defined networks
 * (a full ID it does not: asked by full ID, every such pair read as "does not resolve").
 */
export function reference(index: ReachIndex, node: ContainerNode): string {
  if (index.findContainers(node.container.name).length === 1) return node.container.name;
  return index.findContainers(node.shortId).length === 1 ? node.shortId : node.container.id;
}

export function explainPair(index: ReachIndex, from: ContainerNode, target: ContainerNode, port?: number): MatrixCell {
  const fromRef = reference(index, from);
  const targetRef = reference(index, target);
  const answer = explain(index, { from: fromRef, target: targetRef, ...(port === undefined ? {} : { port }) });
  const reason = answer.reasons.find((entry) => entry.code !== 'listener-assumed') ?? answer.reasons[0];
  return {
    from: from.container.name,
    target: target.container.name,
    fromKey: from.key,
    targetKey: target.key,
    verdict: answer.verdict,
    reason,
  };
}

/** Synchronous, for the CLI and the bench. */
export function explainAllPairs(index: ReachIndex, nodes: readonly ContainerNode[], port?: number): MatrixCell[] {
  const cells: MatrixCell[] = [];
  for (const from of nodes) for (const target of nodes) if (from !== target) cells.push(explainPair(index, from, target, port));
  return cells;
}

/** Resolves with the cells, or undefined when cancelled. */
export async function explainMatrix(
  index: ReachIndex,
  nodes: readonly ContainerNode[],
  options: MatrixOptions = {},
): Promise<MatrixCell[] | undefined> {
  const slice = options.slice ?? 2000;
  const total = nodes.length * (nodes.length - 1);
  const cells: MatrixCell[] = [];
  for (const from of nodes) {
    for (const target of nodes) {
      if (from === target) continue;
      cells.push(explainPair(index, from, target, options.port));
      if (cells.length % slice === 0) {
        options.onProgress?.(cells.length, total);
        await new Promise((resolve) => setImmediate(resolve));
        if (options.isCancelled?.()) return undefined;
      }
    }
  }
  options.onProgress?.(cells.length, total);
  return cells;
}
