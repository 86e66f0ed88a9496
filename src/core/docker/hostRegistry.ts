import { HostMonitor, type HostMonitorOptions, type HostView } from './hostMonitor';
import type { SnapshotChange } from './applyEvent';
import { Emitter, type Disposable } from '../util/emitter';
import type { DockerHost } from '../hosts/dockerHost';
import { PeerSync } from './peerSync';

/**
 * The set of hosts the explorer follows, one HostMonitor each. Replacing the configuration
 * keeps monitors whose host did not change (no reconnect, no flicker) and disposes the rest.
 * Monitors start on demand (`follow`): the extension also wakes up for a daemon.json opened in
 * the editor, and then no daemon should be dialled until someone looks at a view or runs a command.
 * Hosts of one cluster store or swarm are kept in step with each other by a PeerSync.
 */
export class HostRegistry implements Disposable {
  private readonly changed = new Emitter<HostChange | undefined>();
  /**
   * Fires whenever any host's state changes or the set of hosts changes; with the host and the rows
   * when an event was applied to its snapshot in place (undefined: anything may have changed).
   */
  readonly onDidChange = this.changed.event;
  private monitors: Array<{ monitor: HostMonitor; subscription: Disposable; key: string }> = [];
  private configured: readonly DockerHost[] = [];
  private following = false;
  private readonly peers: PeerSync;

  constructor(private options: HostMonitorOptions) {
    this.peers = new PeerSync({ debounceMs: options.debounceMs, logger: options.logger });
  }

  /** New options apply to monitors created from now on: call `setHosts` to recreate them. */
  updateOptions(options: HostMonitorOptions): void {
    this.options = options;
  }

  /** The hosts to follow, in that order: followed from now on once `follow()` has been called. */
  setHosts(hosts: readonly DockerHost[]): void {
    this.configured = hosts;
    if (this.following) this.apply(hosts);
  }

  /** The configured hosts, followed or not (e.g. for the doctor's live checks). */
  get hosts(): readonly DockerHost[] {
    return this.configured;
  }

  /** Starts following the configured hosts (idempotent). */
  follow(): void {
    if (this.following) return;
    this.following = true;
    this.apply(this.configured);
  }

  /**
   * Follows, then waits until no host is still connecting (at most `timeoutMs`), so a command run
   * right after activation sees each host connected or unreachable rather than "connecting".
   */
  ready(timeoutMs: number): Promise<void> {
    this.follow();
    const settled = () => this.monitors.every(({ monitor }) => monitor.state.kind !== 'connecting');
    if (settled()) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        subscription.dispose();
        resolve();
      };
      const timer = setTimeout(done, timeoutMs);
      const subscription = this.onDidChange(() => settled() && done());
    });
  }

  private apply(hosts: readonly DockerHost[]): void {
    const previous = new Map(this.monitors.map((entry) => [entry.key, entry]));
    this.monitors = hosts.map((host) => {
      // A monitor is reused only when neither its host nor the options it was made with changed.
      const key = JSON.stringify([host, this.options.timeoutMs]);
      const kept = previous.get(key);
      if (kept) {
        previous.delete(key);
        return kept;
      }
      const monitor = new HostMonitor(host, this.options);
      const subscription = monitor.onDidChange((state) =>
        this.changed.fire(state.kind === 'connected' && state.change ? { hostId: host.id, change: state.change } : undefined),
      );
      void monitor.start();
      return { monitor, subscription, key };
    });
    for (const stale of previous.values()) this.disposeEntry(stale);
    this.peers.setMonitors(this.all);
    this.changed.fire(undefined);
  }

  /**
   * The hosts to show. An implicit host (the default socket nobody chose) that has not answered
   * yet is left out while other hosts exist: it is not a host the user asked for.
   */
  hostViews(): HostView[] {
    const views = this.monitors.map(({ monitor }) => ({ host: monitor.host, state: monitor.state }));
    const silent = (view: HostView) => view.host.implicit === true && (view.state.kind === 'absent' || view.state.kind === 'connecting');
    return views.some((view) => !silent(view)) ? views.filter((view) => !silent(view)) : views;
  }

  monitor(hostId: string): HostMonitor | undefined {
    return this.monitors.find((entry) => entry.monitor.host.id === hostId)?.monitor;
  }

  get all(): HostMonitor[] {
    return this.monitors.map((entry) => entry.monitor);
  }

  async refreshAll(): Promise<void> {
    await Promise.allSettled(this.monitors.map((entry) => entry.monitor.refresh()));
  }

  dispose(): void {
    this.peers.dispose();
    for (const entry of this.monitors) this.disposeEntry(entry);
    this.monitors = [];
    this.changed.dispose();
  }

  private disposeEntry(entry: { monitor: HostMonitor; subscription: Disposable }): void {
    entry.subscription.dispose();
    entry.monitor.dispose();
  }
}

/** One host's snapshot changed in place: these rows. */
export interface HostChange {
  hostId: string;
  change: SnapshotChange;
}
