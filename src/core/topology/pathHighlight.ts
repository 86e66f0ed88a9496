/**
 * A reachability answer's path (src/core/reachability: container → (host) → network → (host) →
 * container, and where it is blocked) as the graph's element ids (topologyModel.ts), so the
 * topology can light it. Pure: unit-tested on the ids buildTopology makes.
 */
import type { PathStep, ReachAnswer } from '../reachability/types';
import type { PathHighlight } from './protocol';
import { containerNodeId, hostNodeId } from './topologyModel';

/**
 * `has`: whether the graph holds an element id (a step the graph does not draw, an address
 * outside Docker, lights nothing). Returns undefined when the answer has no path at all.
 */
export function pathHighlight(answer: ReachAnswer, has: (id: string) => boolean, ids: Iterable<string>): PathHighlight | undefined {
  const path = answer.path;
  if (!path) return undefined;
  const steps = path.steps;
  const lit = new Set<string>();
  for (const step of steps) for (const id of stepIds(step, has, ids)) lit.add(id);
  // The endpoint edges: each container of the path on each network of the path.
  for (const container of steps.filter((step) => step.kind === 'container' && step.hostId))
    for (const network of steps.filter((step) => step.kind === 'network')) {
      const edge = `ep:${container.hostId}:${container.id}:${network.id}`;
      if (has(edge)) lit.add(edge);
    }
  const blocked = path.blockedAt ? stepIds(path.blockedAt, has, ids) : [];
  for (const id of blocked) lit.delete(id);
  const port = answer.port === null ? '' : ` port ${answer.port}`;
  const why = answer.reasons[0] ? ` (${answer.reasons[0].code})` : '';
  return { lit: [...lit], blocked, caption: `${answer.from} → ${answer.target}${port}: ${answer.verdict}${why}`, verdict: answer.verdict };
}

function stepIds(step: PathStep, has: (id: string) => boolean, ids: Iterable<string>): string[] {
  const hostId = step.hostId;
  if (!hostId) return [];
  const found = (id: string) => (has(id) ? [id] : []);
  switch (step.kind) {
    case 'host':
      return found(hostNodeId(hostId));
    case 'container':
      return found(containerNodeId(hostId, step.id));
    case 'network':
      // A local network is drawn inside its host, an overlay once for all hosts (networkNodeId).
      return has(`net:${hostId}:${step.id}`) ? [`net:${hostId}:${step.id}`] : found(`net:*:${step.id}`);
    case 'port': {
      // A port step's id is `hostIp:hostPort`; the graph keys a port node by container and ports.
      const hostPort = step.id.slice(step.id.lastIndexOf(':') + 1);
      const prefix = `port:${hostId}:`;
      const nodes = [...ids].filter((id) => id.startsWith(prefix) && id.slice(id.lastIndexOf(':') + 1).startsWith(`${hostPort}-`));
      return nodes.flatMap((id) => [id, ...found(`published:${id}`)]);
    }
    case 'address':
      return [];
  }
}
