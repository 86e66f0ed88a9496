import type { DockerEvent } from './dockerEvents';
import { isReflected } from './eventExpectations';
import type { HostState } from './hostMonitor';
import type { HostSnapshot, NetworkModel } from '../model/snapshot';
import type { Disposable } from '../util/emitter';
import { silentLogger, type Logger } from '../util/log';
import { errorMessage } from '../util/errors';

/** What PeerSync needs of a host monitor: HostMonitor, or a fake in unit tests. */
export interface PeerMonitor {
  readonly host: { readonly id: string; readonly name: string };
  readonly state: HostState;
  /** `docker info`'s ClusterStore (etcd://…), when the daemon has one. */
  readonly clusterStore: string | undefined;
  onDidChange(listener: (state: HostState) => void): Disposable;
  /** Every relevant event of this host's own stream, as it arrives. */
  onDidSeeEvent(listener: (event: DockerEvent) => void): Disposable;
  /**
   * Reloads because another host's event changed what this one lists. `expectations` are
   * events (of the peer) whose outcome this host's next snapshot must show, as for its own.
   */
  reloadForPeer(expectations: readonly DockerEvent[]): Promise<void>;
}

export interface PeerSyncOptions {
  /** Events for one peer closer together than this cause one reload of it. */
  debounceMs?: number;
  logger?: Logger;
}

/**
 * Network events that change what the other hosts of the store list. Not connect and
 * disconnect: a peer's `GET /networks` (all a snapshot reads of a network) has no members, so
 * its snapshot cannot change; only its `docker network inspect` does (remote members as
 * `ep-<endpoint ID>`), and Inspect asks the daemon afresh each time. A snapshot that starts
 * reading network inspects must add them here.
 */
const PEER_ACTIONS: ReadonlySet<string> = new Set(['create', 'destroy', 'remove', 'update']);
/** Snapshots of the source to wait for a network it created to show up, to learn its scope. */
const CREATE_PATIENCE = 5;

interface PendingCreate {
  source: PeerMonitor;
  event: DockerEvent;
  snapshotsLeft: number;
}

interface QueuedReload {
  expectations: DockerEvent[];
  reasons: Set<string>;
  timer: NodeJS.Timeout;
}

/**
 * A daemon emits events for what happens on it alone: an overlay created on docker2 of a
 * cluster store is listed at once by docker1 and docker3 too (their list reads the store), but
 * they say nothing. PeerSync listens to every host's events and, when one concerns a global
 * (cluster-store) network, asks the other hosts that share it to reload — one reload per peer
 * per burst, each peer on its own so that a slow or dead one delays nobody else.
 *
 * Who shares it: hosts that already list the network, and (for a new one) hosts of the same
 * store — the same ClusterStore, or any global network in common (one store written two ways).
 * A network's scope is read from the source's snapshot: for a create, the first snapshot of
 * the source that lists the network.
 *
 * Swarm needs none of this: dockerd announces a swarm network's create/update/remove on every
 * manager itself (events of scope "swarm"), and a worker lists a swarm network only while one
 * of its own containers uses it.
 */
export class PeerSync implements Disposable {
  private readonly debounceMs: number;
  private readonly logger: Logger;
  private readonly subscriptions = new Map<PeerMonitor, Disposable[]>();
  private readonly pendingCreates = new Map<string, PendingCreate>();
  private readonly queued = new Map<PeerMonitor, QueuedReload>();

  constructor(options: PeerSyncOptions = {}) {
    this.debounceMs = options.debounceMs ?? 25;
    this.logger = options.logger ?? silentLogger;
  }

  /** The hosts to keep in step; monitors no longer listed are let go (queued reloads dropped). */
  setMonitors(monitors: readonly PeerMonitor[]): void {
    const wanted = new Set(monitors);
    for (const [monitor, subscriptions] of this.subscriptions) {
      if (wanted.has(monitor)) continue;
      subscriptions.forEach((subscription) => subscription.dispose());
      this.subscriptions.delete(monitor);
      this.forget(monitor);
    }
    for (const monitor of monitors) {
      if (this.subscriptions.has(monitor)) continue;
      this.subscriptions.set(monitor, [
        monitor.onDidSeeEvent((event) => this.onEvent(monitor, event)),
        monitor.onDidChange((state) => this.onStateChange(monitor, state)),
      ]);
    }
  }

  dispose(): void {
    for (const monitor of [...this.subscriptions.keys()]) this.forget(monitor);
    for (const subscriptions of this.subscriptions.values()) subscriptions.forEach((subscription) => subscription.dispose());
    this.subscriptions.clear();
  }

  private get monitors(): PeerMonitor[] {
    return [...this.subscriptions.keys()];
  }

  private onEvent(source: PeerMonitor, event: DockerEvent): void {
    if (event.type !== 'network' || !PEER_ACTIONS.has(event.action)) return;
    if (event.action === 'destroy' || event.action === 'remove') this.pendingCreates.delete(event.id);
    // Whoever lists it already tells its scope: the source (destroy, update) or a peer.
    const known = this.monitors.map((monitor) => networkOf(monitor, event.id)).find((network) => network !== undefined);
    if (known) {
      if (isGlobal(known)) this.tellPeers(source, event, known);
      return;
    }
    if (event.action === 'create') this.pendingCreates.set(event.id, { source, event, snapshotsLeft: CREATE_PATIENCE });
  }

  private onStateChange(source: PeerMonitor, state: HostState): void {
    if (state.kind !== 'connected') return;
    for (const [id, pending] of this.pendingCreates) {
      if (pending.source !== source) continue;
      const network = state.snapshot.networks.find((entry) => entry.id === id);
      if (network) {
        this.pendingCreates.delete(id);
        if (isGlobal(network)) this.tellPeers(source, pending.event, network);
      } else if (--pending.snapshotsLeft <= 0) {
        this.pendingCreates.delete(id);
      }
    }
  }

  private tellPeers(source: PeerMonitor, event: DockerEvent, network: NetworkModel): void {
    // A peer's next snapshot must show a create or a removal: its list reads the store.
    const checkable = event.action !== 'update';
    for (const peer of this.monitors) {
      if (peer === source || peer.state.kind !== 'connected') continue; // others load everything when they connect
      const snapshot = peer.state.snapshot;
      if (!lists(snapshot, event.id) && !this.shareScope(source, peer)) continue;
      if (checkable && isReflected(event, snapshot)) continue; // it knows already
      this.queue(peer, checkable ? event : undefined, `${source.host.name} reported network ${event.action} ${network.name}`);
    }
  }

  /** Same store: the same ClusterStore, or a global network listed by both. */
  private shareScope(a: PeerMonitor, b: PeerMonitor): boolean {
    if (a.clusterStore !== undefined && a.clusterStore === b.clusterStore) return true;
    const shared = new Set(globalIds(a));
    return globalIds(b).some((id) => shared.has(id));
  }

  private queue(peer: PeerMonitor, expectation: DockerEvent | undefined, reason: string): void {
    const previous = this.queued.get(peer);
    clearTimeout(previous?.timer);
    const entry = {
      expectations: [...(previous?.expectations ?? []), ...(expectation ? [expectation] : [])],
      reasons: new Set([...(previous?.reasons ?? []), reason]),
      timer: setTimeout(() => this.flush(peer), this.debounceMs),
    };
    this.queued.set(peer, entry);
  }

  private flush(peer: PeerMonitor): void {
    const entry = this.queued.get(peer);
    if (!entry) return;
    this.queued.delete(peer);
    this.logger.debug(`${peer.host.name}: reloading: ${[...entry.reasons].join('; ')}`);
    // Not awaited: each peer reloads on its own, so a hung daemon holds up only itself.
    peer.reloadForPeer(entry.expectations).catch((error: unknown) => {
      this.logger.debug(`${peer.host.name}: reload for a peer's event failed: ${errorMessage(error)}`);
    });
  }

  private forget(monitor: PeerMonitor): void {
    const entry = this.queued.get(monitor);
    if (entry) clearTimeout(entry.timer);
    this.queued.delete(monitor);
    for (const [id, pending] of this.pendingCreates) if (pending.source === monitor) this.pendingCreates.delete(id);
  }
}

function snapshotOf(monitor: PeerMonitor): HostSnapshot | undefined {
  return monitor.state.kind === 'connected' ? monitor.state.snapshot : undefined;
}

function networkOf(monitor: PeerMonitor, id: string): NetworkModel | undefined {
  return snapshotOf(monitor)?.networks.find((network) => network.id === id);
}

function lists(snapshot: HostSnapshot, id: string): boolean {
  return snapshot.networks.some((network) => network.id === id);
}

/** A legacy cluster-store network (swarm networks are `swarm`). */
function isGlobal(network: NetworkModel): boolean {
  return network.scope === 'global';
}

function globalIds(monitor: PeerMonitor): string[] {
  return (snapshotOf(monitor)?.networks ?? []).filter(isGlobal).map((network) => network.id);
}
