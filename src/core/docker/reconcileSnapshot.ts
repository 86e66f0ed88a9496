/**
 * A full load held against the snapshot it replaces: what differs, in the shape an in-place event
 * gives (SnapshotChange), and the new snapshot with every unchanged model kept as the same object.
 * The monitor's settle load (after a burst applied in place) mostly finds nothing new; then no
 * tree is rebuilt, and when it does find something only those rows are.
 */
import { isDeepStrictEqual } from 'node:util';
import type { HostSnapshot } from '../model/snapshot';
import type { Applied } from './applyEvent';

export function reconcileSnapshot(before: HostSnapshot, after: HostSnapshot): Applied {
  const containers = new Set<string>();
  const networks = new Set<string>();
  const reuse = <T>(list: readonly T[], key: (item: T) => string, mark: (item: T) => void) => {
    const old = new Map(list.map((item) => [key(item), item]));
    return (item: T): T => {
      const previous = old.get(key(item));
      if (previous !== undefined && isDeepStrictEqual(previous, item)) return previous;
      mark(item);
      if (previous !== undefined) mark(previous);
      return item;
    };
  };
  const network = reuse(
    before.networks,
    (n) => n.id,
    (n) => networks.add(n.id),
  );
  const container = reuse(
    before.containers,
    (c) => c.id,
    (c) => containers.add(c.id),
  );
  const endpointKey = (e: HostSnapshot['endpoints'][number]) => `${e.containerId}|${e.networkId}|${e.endpointId}`;
  const endpoint = reuse(before.endpoints, endpointKey, (e) => {
    containers.add(e.containerId);
    networks.add(e.networkId);
  });
  const snapshot: HostSnapshot = {
    ...after,
    networks: after.networks.map(network),
    containers: after.containers.map(container),
    endpoints: after.endpoints.map(endpoint),
  };
  // What went: in no list of the new load.
  const ids = (list: ReadonlyArray<{ id: string }>) => new Set(list.map((item) => item.id));
  const [networksNow, containersNow, endpointsNow] = [
    ids(after.networks),
    ids(after.containers),
    new Set(after.endpoints.map(endpointKey)),
  ];
  for (const n of before.networks) if (!networksNow.has(n.id)) networks.add(n.id);
  for (const c of before.containers) if (!containersNow.has(c.id)) containers.add(c.id);
  for (const e of before.endpoints) {
    if (endpointsNow.has(endpointKey(e))) continue;
    containers.add(e.containerId);
    networks.add(e.networkId);
  }
  // A container's rows under its networks show its name and state: those networks change with it.
  for (const e of [...before.endpoints, ...after.endpoints]) if (containers.has(e.containerId)) networks.add(e.networkId);
  // Rows came, went, were renamed or moved: the host's lists change, not only rows' contents.
  const order = (list: ReadonlyArray<{ id: string; name: string }>) => list.map((item) => `${item.id}\u0000${item.name}`);
  const reordered =
    before.hostId !== after.hostId ||
    !isDeepStrictEqual(order(before.networks), order(after.networks)) ||
    !isDeepStrictEqual(order(before.containers), order(after.containers));
  return { snapshot, change: { containers: [...containers], networks: [...networks], reordered } };
}

/** The change says nothing differs. */
export function isNoChange(change: Applied['change']): boolean {
  return !change.reordered && change.containers.length === 0 && change.networks.length === 0;
}
