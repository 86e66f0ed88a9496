import { HostMonitor, type HostMonitorOptions } from '../docker/hostMonitor';
import type { HostView } from '../explorer/explorerTree';
import { Emitter, type Disposable } from '../util/emitter';
import type { HostConfig } from './hostConfig';

/**
 * The set of hosts the explorer follows, one HostMonitor each. Replacing the configuration
 * keeps monitors whose host did not change (no reconnect, no flicker) and disposes the rest.
 */
export class HostRegistry implements Disposable {
  private readonly changed = new Emitter<void>();
  /** Fires whenever any host's state changes or the set of hosts changes. */
  readonly onDidChange = this.changed.event;
  private monitors: Array<{ monitor: HostMonitor; subscription: Disposable; key: string }> = [];

  constructor(private options: HostMonitorOptions) {}

  /** New options apply to monitors created from now on: call `setHosts` to recreate them. */
  updateOptions(options: HostMonitorOptions): void {
    this.options = options;
  }

  /** Follows exactly `hosts`, in that order. */
  setHosts(hosts: readonly HostConfig[]): void {
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
      const subscription = monitor.onDidChange(() => this.changed.fire());
      void monitor.start();
      return { monitor, subscription, key };
    });
    for (const stale of previous.values()) this.disposeEntry(stale);
    this.changed.fire();
  }

  hostViews(): HostView[] {
    return this.monitors.map(({ monitor }) => ({ host: monitor.host, state: monitor.state }));
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
    for (const entry of this.monitors) this.disposeEntry(entry);
    this.monitors = [];
    this.changed.dispose();
  }

  private disposeEntry(entry: { monitor: HostMonitor; subscription: Disposable }): void {
    entry.subscription.dispose();
    entry.monitor.dispose();
  }
}
