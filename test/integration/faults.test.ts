/**
 * Fault injection: things broken on purpose, ONLY on private daemons this file starts (never the
 * shared /var/run/docker.sock). Between the code under test (HostMonitor, NetworkOperations, from
 * src/core, as the extension host runs them) and the daemon sits test/support/faultProxy.ts. For
 * each fault: what the user is told, that nothing throws unhandled, and that the monitor's view
 * converges to the daemon's truth (a fresh load straight from the daemon's own socket) within a
 * stated time once the fault is gone.
 *
 *   fault                                      the user sees                                converges within
 *   daemon killed after doing a create         "stopped answering while creating …"         30 s after it is back
 *   daemon killed after doing a connect        the call's error; then the daemon's truth    30 s after it is back
 *   event stream cut mid-burst                 nothing (the monitor reconnects itself)      20 s, every change shown
 *   answers slower than the timeout            unreachable, with the timeout as reason      30 s after it is fast again
 *   garbage instead of JSON                    unreachable, with the reason                 30 s after it is sane again
 *   restarted with another data root           the new daemon's networks only               30 s after it is up
 * The ssh connection dropped: faultsSsh.test.ts; the cluster store cut off: faultsStore.test.ts.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { after, before, describe, it, type TestContext } from 'node:test';
import Dockerode from 'dockerode';
import { DockerClient } from '../../src/core/docker/dockerClient';
import { DockerRequestError } from '../../src/core/docker/dockerOperationsClient';
import { HostMonitor } from '../../src/core/docker/hostMonitor';
import { SnapshotLoader } from '../../src/core/docker/snapshotLoader';
import type { HostSnapshot } from '../../src/core/model/snapshot';
import { NetworkOperations, OperationRolledBackError } from '../../src/core/operations/networkOperations';
import { defaultNetworkSpec } from '../../src/core/operations/networkSpec';
import { ensureTestImage, PrivateDockerd, TEST_IMAGE, unixEndpoint, unixHost } from '../support/dockerFixture';
import { FaultProxy } from '../support/faultProxy';
import { describeState, isConnected, isUnreachable, waitForState } from '../support/hostStates';

const RUN = `dne-dr-fault-${process.pid}`;
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** What the user's views show of a host: its networks, and each container's networks. */
function view(snapshot: HostSnapshot): string {
  const networkName = new Map(snapshot.networks.map((network) => [network.id, network.name]));
  const containers = snapshot.containers.map((container) => {
    const on = snapshot.endpoints
      .filter((endpoint) => endpoint.containerId === container.id)
      .map((endpoint) => networkName.get(endpoint.networkId) ?? endpoint.networkId);
    return `${container.name}:[${on.sort().join(',')}]`;
  });
  return JSON.stringify({ networks: snapshot.networks.map((network) => network.name).sort(), containers: containers.sort() });
}

/** Resolves with the ms it took the monitor to show what the daemon itself lists; rejects at the deadline. */
async function converges(monitor: HostMonitor, truth: SnapshotLoader, deadlineMs: number): Promise<number> {
  const started = Date.now();
  let last = '';
  while (Date.now() - started < deadlineMs) {
    const state = monitor.state;
    if (state.kind === 'connected') {
      const actual = await truth.load().then(view, () => undefined);
      if (actual !== undefined && view(state.snapshot) === actual) return Date.now() - started;
      last = `monitor ${view(state.snapshot)}\ndaemon  ${actual}`;
    } else {
      last = describeState(state);
    }
    await sleep(200);
  }
  throw new Error(`no convergence within ${deadlineMs} ms:\n${last}`);
}

describe('fault injection on a private daemon', { concurrency: false, timeout: 600_000 }, () => {
  const unhandled: unknown[] = [];
  const record = (reason: unknown) => unhandled.push(reason);
  let daemon: PrivateDockerd;
  let proxy: FaultProxy;
  let monitor: HostMonitor;
  let ops: NetworkOperations;
  let truth: SnapshotLoader;
  let direct: Dockerode;

  before(async () => {
    process.on('unhandledRejection', record);
    process.on('uncaughtException', record);
    daemon = new PrivateDockerd();
    await daemon.start();
    proxy = new FaultProxy(daemon.socketPath);
    const socket = await proxy.start();
    monitor = new HostMonitor(unixHost(socket, 'faulty'), { timeoutMs: 3000, retryInitialMs: 200, retryMaxMs: 1000 });
    await monitor.start();
    ops = new NetworkOperations(new DockerClient(unixEndpoint(socket), 'faulty', { timeoutMs: 5000 }));
    truth = new SnapshotLoader(new DockerClient(unixEndpoint(daemon.socketPath), 'truth', { timeoutMs: 10_000 }), 'truth');
    direct = new Dockerode({ socketPath: daemon.socketPath });
  });

  after(async () => {
    monitor?.dispose();
    await proxy?.close();
    await daemon?.dispose();
    process.off('unhandledRejection', record);
    process.off('uncaughtException', record);
  });

  /** After a crash (the fault's SIGKILL), brings the daemon back on the same roots. */
  async function restartAfterCrash(): Promise<void> {
    proxy.clear();
    await daemon.stop(); // reaps the containerd the crash left behind
    await daemon.start();
  }

  it('daemon killed after it created a network, before its answer: the user is told it may be left; the view converges', async (t) => {
    const name = `${RUN}-crashcreate`;
    const snapshot = await truth.load();
    proxy.on('POST', /^\/networks\/create/, { kind: 'afterDaemon', run: () => daemon.kill() });
    try {
      const error = await ops.createNetwork(defaultNetworkSpec('bridge', name), snapshot).catch((caught: unknown) => caught);
      assert.ok(error instanceof OperationRolledBackError, String(error));
      assert.equal(error.leftBehind, true);
      assert.match(
        error.message,
        new RegExp(
          `stopped answering while creating ${name}; whether it was created cannot be checked: look for it with "docker network ls"`,
        ),
      );
      const down = await waitForState(monitor, isUnreachable, 'unreachable after the crash', 20_000);
      t.diagnostic(`while down the view says: ${down.reason}`);
    } finally {
      await restartAfterCrash();
    }
    const ms = await converges(monitor, truth, 30_000);
    const left = (await truth.load()).networks.some((network) => network.name === name);
    t.diagnostic(`converged ${ms} ms after the daemon was back; the daemon ${left ? 'kept' : 'did not keep'} ${name}`);
  });

  it('daemon killed after it connected a container: the call fails with a reason; the view converges to what the daemon kept', async (t) => {
    await ensureTestImage(direct);
    const network = await direct.createNetwork({ Name: `${RUN}-crashconnect` });
    const container = await direct.createContainer({
      name: `${RUN}-c1`,
      Image: TEST_IMAGE,
      Cmd: ['sleep', '600'],
      Labels: { 'dne.test': RUN },
    });
    await converges(monitor, truth, 20_000);
    proxy.on('POST', /^\/networks\/[^/]+\/connect/, { kind: 'afterDaemon', run: () => daemon.kill() });
    try {
      const error = await ops
        .connect({ container: container.id, network: network.id, aliases: [], links: [] }, await truth.load())
        .catch((caught: unknown) => caught);
      assert.ok(error instanceof DockerRequestError, String(error));
      assert.equal(error.statusCode, undefined);
      assert.match(error.message, /failed: socket hang up/);
      t.diagnostic(`the user is told: ${error.message}`);
      await waitForState(monitor, isUnreachable, 'unreachable after the crash', 20_000);
    } finally {
      await restartAfterCrash();
    }
    const ms = await converges(monitor, truth, 30_000);
    t.diagnostic(`converged ${ms} ms after the daemon was back`);
  });

  it('event stream cut while a burst of creates is in flight: every network shows, none missed', async (t) => {
    await converges(monitor, truth, 20_000);
    const names = Array.from({ length: 12 }, (_, index) => `${RUN}-burst${index}`);
    let cut = 0;
    for (const [index, name] of names.entries()) {
      await direct.createNetwork({ Name: name });
      if (index === 4) cut = proxy.cutEvents();
    }
    assert.ok(cut > 0, 'no event stream was open to cut');
    const ms = await converges(monitor, truth, 20_000);
    const state = monitor.state;
    assert.ok(state.kind === 'connected');
    assert.deepEqual(
      names.filter((name) => !state.snapshot.networks.some((network) => network.name === name)),
      [],
    );
    t.diagnostic(`${cut} stream(s) cut; all ${names.length} networks shown ${ms} ms after the burst`);
  });

  /**
   * From a converged view: the proxy's fault, the events cut so the reconnect meets it; the user
   * told why the host is unreachable (`check`ed); the fault cleared, the view converges again.
   */
  async function faultThenBack(t: TestContext, fault: () => void, check: (reason: string) => void, recovered: string): Promise<void> {
    await converges(monitor, truth, 20_000);
    fault();
    proxy.cutEvents();
    try {
      const down = await waitForState(monitor, isUnreachable, 'unreachable during the fault', 30_000);
      t.diagnostic(`the user is told: ${down.reason}`);
      check(down.reason);
    } finally {
      proxy.clear();
    }
    const ms = await converges(monitor, truth, 30_000);
    t.diagnostic(`converged ${ms} ms after the daemon was ${recovered} again`);
  }

  it('a daemon slower than the timeout: unreachable with the reason; back when it is fast again', (t) =>
    faultThenBack(
      t,
      () => (proxy.delayMs = 5000),
      (reason) => assert.match(reason, /failed: no answer within 3000 ms/),
      'fast',
    ));

  // Found by this test: the garbage reached the snapshot builder and the user read a TypeError
  // ("Cannot read properties of undefined (reading 'localeCompare')"), until every daemon answer
  // was checked against its schema (src/core/docker/responseSchemas.ts).
  it('a daemon answering garbage: unreachable with the reason, no crash; back when it is sane', (t) =>
    faultThenBack(
      t,
      () => proxy.on('GET', /^\/networks/, { kind: 'garbage' }, false),
      (reason) => assert.doesNotMatch(reason, /Cannot read properties|is not a function|is not iterable/),
      'sane',
    ));

  it("the daemon restarted with another data root: the view shows the new daemon's networks only", async (t) => {
    await converges(monitor, truth, 20_000);
    assert.ok(
      monitor.state.kind === 'connected' && monitor.state.snapshot.networks.some((network) => network.name.startsWith(`${RUN}-burst`)),
    );
    await daemon.stop();
    const other = new PrivateDockerd(daemon.dir, undefined, [`--data-root=${daemon.dir}/data-other`]);
    try {
      await other.start();
      const ms = await converges(monitor, truth, 30_000);
      const state = monitor.state;
      assert.ok(
        state.kind === 'connected' && !state.snapshot.networks.some((network) => network.name.startsWith(RUN)),
        describeState(state),
      );
      t.diagnostic(`converged ${ms} ms after the restart with --data-root=${daemon.dir}/data-other`);
    } finally {
      await other.stop();
    }
    await daemon.start();
    await converges(monitor, truth, 30_000);
    assert.ok(fs.existsSync(`${daemon.dir}/data-other`));
  });

  it('nothing was thrown unhandled along the way', () => {
    assert.deepEqual(unhandled.map(String), []);
    assert.ok(isConnected(monitor.state));
  });
});
