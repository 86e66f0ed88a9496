/**
 * One daemon event applied to a snapshot in place: the cost of an event follows the size of the
 * change, not of the host. An event names what changed (a container, or a network and the
 * container it connected); the monitor reads that one container (ContainerAnswer) and these pure
 * functions put it into the snapshot exactly as a full load would (the same builders as
 * buildHostSnapshot), or say that the event needs a full load: what one container's answer cannot
 * place (legacy links live in the *other* container's names; docker_gwbridge's members only in
 * its inspect; unnamed actors).
 */
import type { ContainerModel, EndpointModel, HostSnapshot, NetworkModel } from '../model/snapshot';
import { byEndpoint, byName, toContainer, toEndpoints, toNetwork, type ContainerTimes, type EndpointExtras } from './buildSnapshot';
import type { RawContainer, RawNetwork } from './dockerClient';
import type { DockerEvent } from './dockerEvents';

/** What an event asks the monitor to read before the snapshot can show it. */
export type EventPlan =
  | { kind: 'container'; id: string }
  | { kind: 'network'; id: string }
  | { kind: 'networkGone'; id: string }
  /** The event does not say enough: read everything. */
  | { kind: 'reload' };

export function planEvent(event: DockerEvent): EventPlan {
  if (event.type === 'container' && event.id !== '') return { kind: 'container', id: event.id };
  if (event.type !== 'network' || event.id === '') return { kind: 'reload' };
  switch (event.action) {
    case 'connect':
    case 'disconnect': {
      // The network's Actor carries the container's full ID in its attributes.
      const container = event.attributes.container;
      return container ? { kind: 'container', id: container } : { kind: 'reload' };
    }
    case 'create':
      return { kind: 'network', id: event.id };
    case 'destroy':
      return { kind: 'networkGone', id: event.id };
    default:
      // update (swarm scaling), remove (swarm): rare, and they say nothing of the fields.
      return { kind: 'reload' };
  }
}

/** One container as a full load would read it: its list entry and its inspect's extras. */
export interface ContainerAnswer {
  raw: RawContainer;
  extras: Record<string, EndpointExtras>;
  times: ContainerTimes;
  /** Its inspect's HostConfig.Links is not empty: it declared legacy links. */
  declaresLinks: boolean;
}

/** Rows whose content changed; `reordered` when rows came, went or were renamed (the host's lists change). */
export interface SnapshotChange {
  containers: string[];
  networks: string[];
  reordered: boolean;
}

export interface Applied {
  snapshot: HostSnapshot;
  change: SnapshotChange;
}

const GATEWAY_BRIDGE = 'docker_gwbridge';

/**
 * Puts one container's fresh answer (undefined: it is gone) into the snapshot. Undefined when only
 * a full load can say what changed. Unchanged models keep their identity.
 */
export function applyContainer(snapshot: HostSnapshot, id: string, answer: ContainerAnswer | undefined): Applied | undefined {
  const old = snapshot.containers.find((container) => container.id === id);
  const oldEndpoints = snapshot.endpoints.filter((endpoint) => endpoint.containerId === id);
  if (!old && !answer) return { snapshot, change: { containers: [], networks: [], reordered: false } };
  if (answer && (answer.declaresLinks || (answer.raw.Names ?? []).some((name) => name.replace(/^\//, '').includes('/')))) return undefined;
  if (old && (old.legacyLinks || linkedTo(snapshot, old.name))) return undefined;
  const networkById = new Map(snapshot.networks.map((network) => [network.id, network]));
  const container = answer ? toContainer(answer.raw, answer.times, undefined) : undefined;
  const networkIdByName = new Map(snapshot.networks.map((network) => [network.name, network.id]));
  const endpoints = answer ? toEndpoints(answer.raw, answer.extras, networkIdByName) : [];
  if (container && linkedTo(snapshot, container.name)) return undefined;
  if ([...oldEndpoints, ...endpoints].some((endpoint) => needsGatewayInspect(networkById.get(endpoint.networkId), endpoint)))
    return undefined;
  const containers = placed(
    snapshot.containers.filter((entry) => entry.id !== id),
    container ? [container] : [],
    byName,
  );
  const otherEndpoints = snapshot.endpoints.filter((endpoint) => endpoint.containerId !== id);
  const networks = new Set([...oldEndpoints, ...endpoints].map((endpoint) => endpoint.networkId));
  return {
    snapshot: { ...snapshot, containers, endpoints: placed(otherEndpoints, endpoints, byEndpoint) },
    change: { containers: [id], networks: [...networks], reordered: !old || !container || old.name !== container.name },
  };
}

/** A network's fresh list entry (undefined: it is gone) put into the snapshot; undefined when it takes a full load. */
export function applyNetwork(snapshot: HostSnapshot, id: string, raw: RawNetwork | undefined): Applied | undefined {
  // A created-but-never-started container's endpoint whose network was not found by name (no
  // NetworkID yet): a new network of that name would place it. Stopped ones keep their NetworkID.
  if (raw && snapshot.endpoints.some((endpoint) => endpoint.networkId === '')) return undefined;
  // Still someone's network: the disconnects (or a full load) come first.
  if (snapshot.endpoints.some((endpoint) => endpoint.networkId === id)) return undefined;
  const network = raw ? toNetwork(raw) : undefined;
  // Two networks of one name: which comes first is the list's order, which one entry cannot tell.
  if (network && snapshot.networks.some((entry) => entry.id !== id && entry.name === network.name)) return undefined;
  if (network?.driver === 'overlay' || network?.name === GATEWAY_BRIDGE) return undefined;
  const networks = placed(
    snapshot.networks.filter((entry) => entry.id !== id),
    network ? [network] : [],
    byName,
  );
  return { snapshot: { ...snapshot, networks }, change: { containers: [], networks: [id], reordered: true } };
}

/**
 * `sorted` (in `order`, as buildHostSnapshot sorted it) with `entries` put where a sort would put
 * them: a binary search each instead of sorting thousands of rows again (names compare by locale).
 */
function placed<T>(sorted: T[], entries: readonly T[], order: (a: T, b: T) => number): T[] {
  for (const entry of entries) {
    let [low, high] = [0, sorted.length];
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (order(sorted[middle], entry) <= 0) low = middle + 1;
      else high = middle;
    }
    sorted.splice(low, 0, entry);
  }
  return sorted;
}

/** Some container declared a legacy link to `name` (its list names carry `/<declarer>/<alias>`). */
function linkedTo(snapshot: HostSnapshot, name: string): boolean {
  return snapshot.containers.some((container: ContainerModel) => container.legacyLinks?.some((link) => link.container === name));
}

/** docker_gwbridge's members and overlay endpoints: only docker_gwbridge's inspect shows them all. */
function needsGatewayInspect(network: NetworkModel | undefined, endpoint: EndpointModel): boolean {
  return endpoint.gatewayName !== undefined || network?.driver === 'overlay' || network?.name === GATEWAY_BRIDGE;
}
