// Waiting on a HostMonitor's state, shared by the tests that follow real daemons.
import type { HostMonitor, HostState } from '../../src/core/docker/hostMonitor';

export type Connected = Extract<HostState, { kind: 'connected' }>;
export type Unreachable = Extract<HostState, { kind: 'unreachable' }>;

export const connectedWith =
  (test: (state: Connected) => boolean) =>
  (state: HostState): state is Connected =>
    state.kind === 'connected' && test(state);
export const isConnected = connectedWith(() => true);
export const isUnreachable = (state: HostState): state is Unreachable => state.kind === 'unreachable';
/** Anything but "connecting": the monitor has made up its mind. */
export const isSettled = (state: HostState): state is Exclude<HostState, { kind: 'connecting' }> => state.kind !== 'connecting';

export function describeState(state: HostState): string {
  return 'reason' in state ? `${state.kind}: ${state.reason}` : state.kind;
}

/** Resolves with the first state (current or coming) that satisfies `accept`; rejects at the deadline. */
export function waitForState<S extends HostState>(
  monitor: HostMonitor,
  accept: (state: HostState) => state is S,
  what: string,
  timeoutMs = 20_000,
): Promise<S> {
  return new Promise((resolve, reject) => {
    if (accept(monitor.state)) return resolve(monitor.state);
    const timer = setTimeout(() => {
      subscription.dispose();
      reject(new Error(`${monitor.host.name}: no ${what} within ${timeoutMs} ms; state is ${describeState(monitor.state)}`));
    }, timeoutMs);
    const subscription = monitor.onDidChange((state) => {
      if (!accept(state)) return;
      clearTimeout(timer);
      subscription.dispose();
      resolve(state);
    });
  });
}
