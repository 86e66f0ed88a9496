/**
 * Every ordered pair of a set of containers (a network's, a host's): ✓/✗ and the leading reason,
 * explained from one index. In slices, yielding between them, so a large matrix shows progress
 * and can be cancelled.
 */
import { explain } from './explain';
import type { ContainerNode, ReachIndex } from './reachIndex';
import type { Reason, Verdict } from './types';

export interface MatrixCell {
  from: string;
  target: string;
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

/** A container as a question refers to it: its name, or its ID when its name is not unique. */
export function reference(index: ReachIndex, node: ContainerNode): string {
  return index.findContainers(node.container.name).length === 1 ? node.container.name : node.container.id;
}

export function explainPair(index: ReachIndex, from: ContainerNode, target: ContainerNode, port?: number): MatrixCell {
  const fromRef = reference(index, from);
  const targetRef = reference(index, target);
  const answer = explain(index, { from: fromRef, target: targetRef, ...(port === undefined ? {} : { port }) });
  const reason = answer.reasons.find((entry) => entry.code !== 'listener-assumed') ?? answer.reasons[0];
  return { from: from.container.name, target: target.container.name, verdict: answer.verdict, reason };
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
