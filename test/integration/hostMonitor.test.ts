/**
 * HostMonitor against real daemons: changes made behind its back arrive through the event
 * stream, it makes no calls while idle, and it reports and recovers from a daemon that stops
 * (a private dockerd the test owns, so the shared one is never touched). No timing asserts.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as os from 'node:os';
import * as path from 'node:path';
import { HostMonitor } from '../../src/core/docker/hostMonitor';
import type { DockerHost } from '../../src/core/hosts/dockerHost';
import { DockerFixture, ensureTestImage, PrivateDockerd, unixHost } from '../support/dockerFixture';
import { connectedWith, describeState, isConnected, isUnreachable, waitForState, type Connected } from '../support/hostStates';

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Waits until the monitor has not changed state for `quietMs` (earlier events are processed). */
async function waitForQuiet(monitor: HostMonitor, quietMs: number): Promise<void> {
  let last = Date.now();
  const subscription = monitor.onDidChange(() => (last = Date.now()));
  while (Date.now() - last < quietMs) await sleep(100);
  subscription.dispose();
}

describe('HostMonitor on the shared daemon', () => {
  const fixture = new DockerFixture();
  const monitor = new HostMonitor(unixHost(), { timeoutMs: 10_000 });

  before(async () => {
    await ensureTestImage(fixture.docker);
    await monitor.start();
    assert.equal(describeState(monitor.state), 'connected');
  });

  after(async () => {
    monitor.dispose();
    await fixture.cleanup();
  });

  it('shows a network created outside it, without a refresh', async () => {
    const name = fixture.name('outside');
    const seen = waitForState(
      monitor,
      connectedWith((s) => s.snapshot.networks.some((n) => n.name === name)),
      `network ${name}`,
    );
    await fixture.createNetwork({ name: 'outside' });
    await seen;
  });

  it('shows a container rename', async () => {
    const container = await fixture.runContainer({ name: 'before', cmd: ['sleep', '3600'] });
    const nameOf = (s: Connected) => s.snapshot.containers.find((c) => c.id === container.id)?.name;
    await waitForState(
      monitor,
      connectedWith((s) => nameOf(s) === container.name),
      'the new container',
    );
    const renamed = fixture.name('after');
    const seen = waitForState(
      monitor,
      connectedWith((s) => nameOf(s) === renamed),
      `the rename to ${renamed}`,
    );
    await fixture.docker.getContainer(container.id).rename({ name: renamed });
    await seen;
  });

  it('shows a stopped container connected without an event once the next event has come and gone', async () => {
    const network = await fixture.createNetwork({ name: 'silent' });
    const container = await fixture.runContainer({ name: 'silent-c', cmd: ['sleep', '3600'], start: false });
    const joined = (s: Connected) => s.snapshot.endpoints.some((e) => e.containerId === container.id && e.networkId === network.id);
    await waitForState(
      monitor,
      connectedWith((s) => s.snapshot.containers.some((c) => c.id === container.id)),
      'the new container',
    );
    await monitor.settled();
    // Docker's silence (20.10 and 26): no event for this connect, so nothing to show it by…
    const events: string[] = [];
    const seeing = monitor.onDidSeeEvent((event) => events.push(`${event.type} ${event.action}`));
    await fixture.connect(container.id, network.id);
    await sleep(1500);
    await monitor.settled();
    assert.equal(events.join(', '), '', 'Docker announced the connect of a stopped container');
    assert.ok(monitor.state.kind === 'connected' && !joined(monitor.state), 'shown with no event to show it by');
    // …until the next event of any kind: its warm load 400 ms later reads the lists.
    const shown = waitForState(monitor, connectedWith(joined), 'the silent connect');
    await fixture.createNetwork({ name: 'silent-next' });
    await shown;
    seeing.dispose();
    assert.ok(events.includes('network create'), events.join(', '));
  });
});

describe('HostMonitor when its daemon stops and comes back', () => {
  let daemon: PrivateDockerd | undefined;
  let monitor: HostMonitor | undefined;

  before(async () => {
    daemon = new PrivateDockerd();
    await daemon.start();
    const host = unixHost(daemon.socketPath, 'private');
    monitor = new HostMonitor(host, { timeoutMs: 5000, retryInitialMs: 200, retryMaxMs: 1000 });
    await monitor.start();
  });

  after(async () => {
    monitor?.dispose();
    await daemon?.dispose();
  });

  it('is connected to the private daemon', () => {
    assert.equal(describeState(monitor!.state), 'connected');
  });

  // On the private daemon: nobody else's activity there can cause a reload.
  it('makes no daemon calls while idle', async () => {
    await waitForQuiet(monitor!, 1000);
    const calls = monitor!.client!.callCount;
    await sleep(3000);
    assert.equal(monitor!.client!.callCount - calls, 0);
    assert.equal(monitor!.state.kind, 'connected');
  });

  it('becomes unreachable, with the reason, when the daemon stops', async (t) => {
    const down = waitForState(monitor!, isUnreachable, 'unreachable state');
    await daemon!.stop();
    const state = await down;
    t.diagnostic(`reason: ${state.reason}`);
    assert.match(state.reason, /socket|refused|not found|ENOENT|ECONNREFUSED/i);
    assert.ok(state.nextRetryAt > Date.now() - 5000);
  });

  it('returns to connected by itself when the daemon is back', async () => {
    const up = waitForState(monitor!, isConnected, 'reconnect', 60_000);
    await daemon!.start();
    await up;
  });
});

describe('HostMonitor with a host that cannot work', () => {
  it('reports a wrong socket path as unreachable with a clear reason', async (t) => {
    const socketPath = path.join(os.tmpdir(), `dne-no-such-${process.pid}.sock`);
    const monitor = new HostMonitor(unixHost(socketPath, 'nowhere'), { timeoutMs: 2000, retryInitialMs: 60_000 });
    try {
      await monitor.start();
      const state = monitor.state;
      assert.ok(isUnreachable(state), `expected unreachable, got ${describeState(state)}`);
      t.diagnostic(`reason: ${state.reason}`);
      assert.ok(state.reason.includes(socketPath), state.reason);
      assert.match(state.reason, /no Docker socket there/);
    } finally {
      monitor.dispose();
    }
  });

  it('reports a host whose configuration has a problem as misconfigured, without calls', async () => {
    const host: DockerHost = {
      id: 'broken',
      name: 'broken',
      source: 'setting',
      url: 'tcp://nowhere:notaport',
      problem: 'invalid port "notaport" in tcp://nowhere:notaport',
      warnings: [],
    };
    const monitor = new HostMonitor(host, { timeoutMs: 2000 });
    try {
      await monitor.start();
      assert.deepEqual(monitor.state, { kind: 'misconfigured', reason: host.problem });
      assert.equal(monitor.client, undefined);
    } finally {
      monitor.dispose();
    }
  });
});
