import type { DockerHost } from '../hosts/dockerHost';
import type { HostKeyTrust } from '../ssh/hostKeyTrust';
import type { HostSnapshot, DaemonVersion } from '../model/snapshot';
import { Emitter, type Disposable } from '../util/emitter';
import { silentLogger, type Logger } from '../util/log';
import { DockerClient } from './dockerClient';
import type { DockerEvent, DockerEventStream } from './dockerEvents';
import { isNoChange, reconcileSnapshot } from './reconcileSnapshot';
import { applyContainer, applyNetwork, planEvent, type Applied, type EventPlan, type SnapshotChange } from './applyEvent';
import { isReflected, subjectOf } from './eventExpectations';
import { mapLimit } from '../util/mapLimit';
import { SnapshotLoader } from './snapshotLoader';
import { errorMessage } from '../util/errors';

export type HostState =
  | { kind: 'connecting' }
  /** `change`: the rows an event applied in place touched; absent after a full load (anything may differ). */
  | { kind: 'connected'; snapshot: HostSnapshot; daemon?: DaemonVersion; change?: SnapshotChange }
  /** The daemon did not answer; `nextRetryAt` is when the monitor tries again by itself. */
  | { kind: 'unreachable'; reason: string; nextRetryAt: number }
  /**
   * An implicit host (DockerHost.implicit: the default socket nobody chose) that has never
   * answered: not a host the user asked for, so no error. Retried quietly like 'unreachable', and
   * it becomes a host like any other the first time it answers.
   */
  | { kind: 'absent'; reason: string; nextRetryAt: number }
  /** The host's configuration cannot work (malformed URL, missing TLS file): no retry helps. */
  | { kind: 'misconfigured'; reason: string };

/** One host and its monitor's state at a moment: what the explorer tree and the topology draw. */
export interface HostView {
  host: DockerHost;
  state: HostState;
}

export interface HostMonitorOptions {
  timeoutMs: number;
  /** Events closer together than this cause one reload. */
  debounceMs?: number;
  retryInitialMs?: number;
  retryMaxMs?: number;
  logger?: Logger;
  /** How ssh host keys are judged (see DockerClientOptions.hostKeys). */
  hostKeys?: HostKeyTrust;
}

/** Events that change what the explorer shows; exec, health, attach and the like do not. */
const RELEVANT_ACTIONS: Record<string, ReadonlySet<string>> = {
  network: new Set(['create', 'destroy', 'remove', 'connect', 'disconnect', 'update']),
  container: new Set(['create', 'start', 'stop', 'die', 'destroy', 'rename', 'pause', 'unpause', 'update']),
};

/** More things named by the events of one turn than this: one full load instead of reading each. */
const MAX_IN_PLACE = 64;
/**
 * Docker announces nothing when a stopped (created or exited) container is connected to a network
 * (20.10 and 26: no event at all; its disconnect has one). Applied in place, such a change would
 * wait for the next full load, where reloading on every event showed it at the next event of any
 * kind. So once events settle, one warm load (two lists) follows and catches what no event said.
 */
const SETTLE_MS = 400;

export function isRelevantEvent(event: DockerEvent): boolean {
  return RELEVANT_ACTIONS[event.type]?.has(event.action) ?? false;
}

/**
 * Keeps one host's snapshot current. Follows the daemon's event stream (no polling: zero
 * calls while nothing happens), reloads once per burst of events, and when the daemon goes
 * away reports why and reconnects by itself with exponential backoff.
 */
export class HostMonitor implements Disposable {
  private readonly changed = new Emitter<HostState>();
  readonly onDidChange = this.changed.event;
  private readonly sawEvent = new Emitter<DockerEvent>();
  /** Every relevant event of this host's stream, as it arrives (PeerSync tells the other hosts). */
  readonly onDidSeeEvent = this.sawEvent.event;
  private store: string | undefined;
  readonly client: DockerClient | undefined;
  private readonly loader: SnapshotLoader | undefined;
  private readonly logger: Logger;
  private current: HostState;
  private events: DockerEventStream | undefined;
  private debounceTimer: NodeJS.Timeout | undefined;
  private settleTimer: NodeJS.Timeout | undefined;
  private retryTimer: NodeJS.Timeout | undefined;
  private retryDelayMs: number;
  private loading: Promise<void> | undefined;
  /** A full load is due (the next turn of the work loop does it instead of the in-place work). */
  private fullLoadDue = false;
  /** What events named since the last turn of the work loop, to read and apply in place. */
  private readonly inPlace = new Map<string, EventPlan>();
  private disposed = false;
  /** The latest relevant event per subject, until a snapshot shows its outcome. */
  private readonly unconfirmed = new Map<string, DockerEvent>();
  private confirmRetries = 0;
  /** Bumped on every (re)connect so late callbacks of an older connection are ignored. */
  private generation = 0;
  /** The daemon answered at least once: from then on an outage is an error, implicit host or not. */
  private answered = false;

  constructor(
    readonly host: DockerHost,
    private readonly options: HostMonitorOptions,
  ) {
    this.logger = options.logger ?? silentLogger;
    this.retryDelayMs = options.retryInitialMs ?? 1000;
    if (host.endpoint && !host.problem) {
      this.client = new DockerClient(host.endpoint, host.name, { timeoutMs: options.timeoutMs, hostKeys: options.hostKeys });
      this.loader = new SnapshotLoader(this.client, host.id);
      this.current = { kind: 'connecting' };
    } else {
      this.current = { kind: 'misconfigured', reason: host.problem ?? 'no daemon address' };
    }
  }

  get state(): HostState {
    return this.current;
  }

  /** `docker info`'s ClusterStore at the last connect (the hosts of one store list the same overlays). */
  get clusterStore(): string | undefined {
    return this.store;
  }

  /** Connects and starts following events. Resolves once the first attempt has settled. */
  start(): Promise<void> {
    return this.connect();
  }

  /** Reconnects now instead of waiting for the next backoff step; a declined ssh host key is asked about again. */
  retryNow(): Promise<void> {
    this.retryDelayMs = this.options.retryInitialMs ?? 1000;
    this.client?.forgetDeclinedHostKey();
    return this.connect();
  }

  /**
   * Reloads because another host's event changed what this daemon lists (a peer of its cluster
   * store created an overlay: this daemon lists it too but emits no event). `expectations` are
   * checked like this host's own events: a few more reloads while the lists do not show them.
   * A host that is not connected ignores it: it loads everything when it connects.
   */
  reloadForPeer(expectations: readonly DockerEvent[]): Promise<void> {
    if (this.current.kind !== 'connected') return Promise.resolve();
    for (const event of expectations) this.unconfirmed.set(subjectOf(event), event);
    this.confirmRetries = 0;
    return this.reloadOrFail(this.generation);
  }

  /** Reloads the snapshot (the user asked; events normally make this unnecessary). */
  refresh(): Promise<void> {
    return this.current.kind === 'connected' ? this.reload() : this.retryNow();
  }

  dispose(): void {
    this.disposed = true;
    this.generation++;
    this.events?.close();
    clearTimeout(this.debounceTimer);
    clearTimeout(this.settleTimer);
    clearTimeout(this.retryTimer);
    this.changed.dispose();
    this.sawEvent.dispose();
  }

  private async connect(): Promise<void> {
    if (!this.client || this.disposed) return;
    const generation = ++this.generation;
    // The load after (re)connecting reads everything afresh: nothing left to confirm.
    this.unconfirmed.clear();
    clearTimeout(this.retryTimer);
    this.events?.close();
    this.events = undefined;
    try {
      // The API version first: every later call (the event stream too) is pinned to it.
      await this.client.negotiate();
      if (generation !== this.generation) return;
      // Follow first, then load: an event that lands between the two still triggers a reload.
      const events = await this.client.followEvents(
        (event) => this.onEvent(generation, event),
        (reason) => this.onStreamEnd(generation, reason),
      );
      if (generation !== this.generation) return events.close();
      this.events = events;
      // docker info names this daemon's cluster store; without it, its peers are still known by
      // the global networks they list, so a failed info does not fail the connect.
      const [info] = await Promise.all([this.client.info().catch(() => undefined), this.reload()]);
      if (generation !== this.generation) return;
      this.store = typeof info?.ClusterStore === 'string' && info.ClusterStore !== '' ? info.ClusterStore : undefined;
      this.retryDelayMs = this.options.retryInitialMs ?? 1000;
      this.logger.info(`${this.host.name}: connected (${this.host.url})`);
    } catch (error) {
      if (generation === this.generation) this.becomeUnreachable(errorMessage(error));
    }
  }

  private onEvent(generation: number, event: DockerEvent): void {
    if (generation !== this.generation || !isRelevantEvent(event)) return;
    this.logger.debug(`${this.host.name}: event ${event.type} ${event.action} ${event.id.slice(0, 12)}`);
    this.unconfirmed.set(subjectOf(event), event);
    this.confirmRetries = 0;
    const plan = planEvent(event);
    // Before the first snapshot (or with a full load already due) there is nothing to apply to.
    if (plan.kind === 'reload' || this.current.kind !== 'connected' || this.fullLoadDue) {
      this.scheduleReload(generation, this.options.debounceMs ?? 25);
    } else {
      this.inPlace.set(`${plan.kind}|${plan.id}`, plan);
      // No debounce: a burst arriving while a turn runs is taken together by the next turn.
      void this.work().catch((error) => this.failed(generation, error));
    }
    this.sawEvent.fire(event);
  }

  /** A full load SETTLE_MS after the last in-place change (each one moves it on). */
  private settleLater(generation: number): void {
    clearTimeout(this.settleTimer);
    this.settleTimer = setTimeout(() => {
      this.settleTimer = undefined;
      if (generation === this.generation && !this.disposed) void this.reloadOrFail(generation);
    }, SETTLE_MS);
  }

  private scheduleReload(generation: number, delayMs: number): void {
    clearTimeout(this.debounceTimer);
    this.debounceTimer = setTimeout(() => {
      this.debounceTimer = undefined;
      void this.reloadOrFail(generation);
    }, delayMs);
  }

  /** Work is running or due: a load, an in-place turn, a debounced or settle load. */
  get busy(): boolean {
    return !this.disposed && (this.loading !== undefined || this.debounceTimer !== undefined || this.settleTimer !== undefined);
  }

  /**
   * Resolves once nothing is running or due (what was shown is all the monitor knows of the
   * events it has seen): a benchmark or a test compares the snapshot only then.
   */
  async settled(): Promise<void> {
    while (this.busy) await (this.loading?.catch(() => undefined) ?? new Promise((resolve) => setTimeout(resolve, 20)));
  }

  /** Reloads; a failure of the current connection makes the host unreachable (and retried). */
  private reloadOrFail(generation: number): Promise<void> {
    return this.reload().catch((error) => this.failed(generation, error));
  }

  private failed(generation: number, error: unknown): void {
    if (generation === this.generation) this.becomeUnreachable(errorMessage(error));
  }

  /**
   * After a load, events whose outcome the lists do not show yet (dockerd announces some before
   * its lists reflect them) get a few more reloads, 75 ms apart, instead of a stale tree.
   */
  private confirmEvents(snapshot: HostSnapshot, generation: number): void {
    for (const [subject, event] of this.unconfirmed) {
      if (isReflected(event, snapshot)) this.unconfirmed.delete(subject);
    }
    if (this.unconfirmed.size === 0) return;
    if (this.confirmRetries++ < 3) {
      this.scheduleReload(generation, 75);
    } else {
      this.logger.debug(`${this.host.name}: ${this.unconfirmed.size} event(s) still not in the lists; waiting for the next event`);
      this.unconfirmed.clear();
    }
  }

  private onStreamEnd(generation: number, reason: string): void {
    if (generation !== this.generation || this.disposed) return;
    this.logger.warn(`${this.host.name}: ${reason}; reconnecting`);
    // An immediate attempt either finds a restarted daemon or yields the precise reason.
    void this.connect();
  }

  /** Loads a snapshot; a request during a load runs one more load right after it. */
  private reload(): Promise<void> {
    this.fullLoadDue = true;
    return this.work();
  }

  /**
   * One loop does all reading, so answers are applied in the order they were read: a full load
   * when one is due (it covers every event before it), else the containers and networks events
   * named since the last turn, read and applied in place.
   */
  private work(): Promise<void> {
    this.loading ??= this.workUntilCurrent().finally(() => (this.loading = undefined));
    return this.loading;
  }

  private async workUntilCurrent(): Promise<void> {
    while (!this.disposed && (this.fullLoadDue || this.inPlace.size > 0)) {
      const generation = this.generation;
      if (this.fullLoadDue) {
        this.fullLoadDue = false;
        this.inPlace.clear();
        const snapshot = await this.loader!.load();
        // A load that straddled a reconnect or an outage is stale: drop it.
        if (this.disposed || generation !== this.generation) continue;
        this.answered = true;
        this.showLoad(snapshot);
        this.confirmEvents(snapshot, generation);
      } else if (this.inPlace.size > MAX_IN_PLACE) {
        // A big burst (compose down, a prune): two lists cost less than two reads per thing named.
        this.fullLoadDue = true;
      } else {
        const plans = [...this.inPlace.values()];
        this.inPlace.clear();
        const applied = await this.applyInPlace(plans);
        if (this.disposed || generation !== this.generation || this.current.kind !== 'connected') continue;
        if (!applied) {
          this.fullLoadDue = true;
          continue;
        }
        this.setState({ ...this.current, snapshot: applied.snapshot, change: applied.change });
        this.confirmEvents(applied.snapshot, generation);
        this.settleLater(generation);
      }
    }
  }

  /**
   * A full load while connected is held against what is shown: nothing new (a settle load after
   * in-place events, mostly) fires nothing; else only the rows that differ are rebuilt.
   */
  private showLoad(snapshot: HostSnapshot): void {
    const daemon = this.client?.daemon;
    if (this.current.kind !== 'connected' || this.current.daemon !== daemon) {
      this.setState({ kind: 'connected', snapshot, daemon });
      return;
    }
    const reconciled = reconcileSnapshot(this.current.snapshot, snapshot);
    if (isNoChange(reconciled.change)) return;
    this.setState({ kind: 'connected', snapshot: reconciled.snapshot, daemon, change: reconciled.change });
  }

  /**
   * Reads what the plans name (one container: its list entry and inspect; a new network: its list
   * entry) and applies it to the current snapshot: networks that came first, containers, then
   * networks that went. Undefined when one of them needs a full load.
   */
  private async applyInPlace(plans: readonly EventPlan[]): Promise<Applied | undefined> {
    const order = { network: 0, container: 1, networkGone: 2, reload: 3 };
    const sorted = [...plans].sort((a, b) => order[a.kind] - order[b.kind]);
    const steps = await mapLimit(sorted, 16, (plan) => this.readFor(plan));
    if (this.current.kind !== 'connected') return undefined;
    let result: Applied = { snapshot: this.current.snapshot, change: { containers: [], networks: [], reordered: false } };
    for (const [index, step] of steps.entries()) {
      const next = step(result.snapshot);
      if (!next) {
        const plan = sorted[index];
        this.logger.debug(`${this.host.name}: ${plan.kind}${'id' in plan ? ` ${plan.id.slice(0, 12)}` : ''} needs a full load`);
        return undefined;
      }
      result = { snapshot: next.snapshot, change: mergeChanges(result.change, next.change) };
    }
    return result;
  }

  /** Reads what one plan needs; the result applies it to a snapshot (undefined: a full load is needed). */
  private async readFor(plan: EventPlan): Promise<(snapshot: HostSnapshot) => Applied | undefined> {
    switch (plan.kind) {
      case 'container': {
        const answer = await this.loader!.loadContainer(plan.id);
        return (snapshot) => (answer === 'stale' ? undefined : applyContainer(snapshot, plan.id, answer));
      }
      case 'network': {
        const raw = await this.loader!.loadNetwork(plan.id);
        return (snapshot) => applyNetwork(snapshot, plan.id, raw);
      }
      case 'networkGone':
        return (snapshot) => applyNetwork(snapshot, plan.id, undefined);
      case 'reload':
        return () => undefined;
    }
  }

  private becomeUnreachable(reason: string): void {
    if (this.disposed) return;
    this.generation++;
    this.events?.close();
    this.events = undefined;
    const delay = this.retryDelayMs;
    this.retryDelayMs = Math.min(delay * 2, this.options.retryMaxMs ?? 30_000);
    if (this.host.implicit && !this.answered) {
      // Said once; every retry after that only at debug level.
      const log = this.current.kind === 'absent' ? this.logger.debug : this.logger.info;
      log.call(
        this.logger,
        `${this.host.name}: no Docker daemon at ${this.host.url} (${reason}); nothing configured names it, so it is not shown as a host until it answers`,
      );
      this.setState({ kind: 'absent', reason, nextRetryAt: Date.now() + delay });
    } else {
      this.logger.error(`${this.host.name}: ${reason} (retrying in ${Math.round(delay / 1000)} s)`);
      this.setState({ kind: 'unreachable', reason, nextRetryAt: Date.now() + delay });
    }
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => void this.connect(), delay);
  }

  private setState(state: HostState): void {
    this.current = state;
    this.changed.fire(state);
  }
}

function mergeChanges(a: SnapshotChange, b: SnapshotChange): SnapshotChange {
  return {
    containers: [...new Set([...a.containers, ...b.containers])],
    networks: [...new Set([...a.networks, ...b.networks])],
    reordered: a.reordered || b.reordered,
  };
}
