/**
 * The three-host lab (tools/lab/) for real: three dockerds in network namespaces on one etcd
 * (v2), the seed overlay created on docker3 seen by all three, web2 (docker2) fetching web1's
 * page (docker3) by name across the LAN, and our own SnapshotLoader, topology model and
 * HostMonitor on top of it. Brought up once, and taken down even when a test fails.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import Dockerode from 'dockerode';
import { HostMonitor, type HostState } from '../../src/core/docker/hostMonitor';
import { DockerClient } from '../../src/core/docker/dockerClient';
import { SnapshotLoader } from '../../src/core/docker/snapshotLoader';
import type { HostSnapshot } from '../../src/core/model/snapshot';
import { buildTopology, containerNodeId, type TopologyElement } from '../../src/core/topology/topologyModel';
import { execInContainer, unixEndpoint, unixHost } from '../support/dockerFixture';
import { isConnected, waitForState } from '../support/hostStates';
import { claimLab, labLayout, labUpOrExplain, type Lab, type LabHostName } from '../support/lab';
import { DockerRequestError } from '../../src/core/docker/dockerOperationsClient';
import { explainDockerRefusal } from '../../src/core/operations/dockerRefusals';
import { NetworkOperations } from '../../src/core/operations/networkOperations';
import { skipWithoutClusterStore } from '../support/engine';

const HOSTS: LabHostName[] = ['docker1', 'docker2', 'docker3'];
const OVERLAY = 'multihost';
const socketOf = (name: LabHostName) => labLayout().socket(name);
const dockerOf = (name: LabHostName) => new Dockerode({ socketPath: socketOf(name) });
const mib = (bytes: number) => `${(bytes / 1048576).toFixed(0)} MiB`;

/** Runs a command in a lab host's container through the API; resolves with its output and exit code. */
const exec = (host: LabHostName, container: string, cmd: string[]) => execInContainer(dockerOf(host), container, cmd);

/** The seed overlay is listed by every host, with one ID, as an overlay of `scope`. */
async function assertOverlayEverywhere(scope: 'global' | 'swarm'): Promise<void> {
  const seen = await Promise.all(
    HOSTS.map(async (host) => (await dockerOf(host).listNetworks()).find((network) => network.Name === OVERLAY)),
  );
  seen.forEach((network, i) => assert.ok(network, `${HOSTS[i]} does not list ${OVERLAY}`));
  assert.equal(new Set(seen.map((network) => network?.Id)).size, 1, `IDs differ: ${seen.map((n) => n?.Id).join(' ')}`);
  for (const network of seen) {
    assert.equal(network?.Scope, scope);
    assert.equal(network?.Driver, 'overlay');
  }
}

async function assertDownClean(lab: Lab): Promise<void> {
  assert.deepEqual(await lab.labDown(), { processes: [], namespaces: [], links: [], cgroups: [], labDir: false });
  // Checked again from outside the lab's own code.
  assert.doesNotMatch(spawnSync('ip', ['netns', 'list'], { encoding: 'utf8' }).stdout, new RegExp(`${labLayout().prefix}-`));
  assert.doesNotMatch(spawnSync('ip', ['-o', 'link'], { encoding: 'utf8' }).stdout, new RegExp(`${labLayout().prefix}-`));
  assert.deepEqual(lab.labProcesses(), []);
}

describe(
  'three-host lab on an etcd cluster store',
  { skip: (process.getuid?.() !== 0 && 'needs root') || skipWithoutClusterStore('the etcd lab') },
  () => {
    let lab: Lab;
    let wentDown = false;
    /** Reported by the first test (a hook has no diagnostics of its own). */
    let upReport = '';
    const snapshots = new Map<LabHostName, HostSnapshot>();

    before(async () => {
      lab = await claimLab();
      let peak = 0;
      const sampler = setInterval(() => (peak = Math.max(peak, lab.labRss())), 100);
      const began = Date.now();
      try {
        const result = await labUpOrExplain(lab, { store: 'etcd' });
        assert.equal(result.alreadyUp, false);
      } finally {
        clearInterval(sampler);
      }
      peak = Math.max(peak, lab.labRss());
      upReport = `lab up: ${Date.now() - began} ms, peak RSS of the lab's processes ${mib(peak)}`;
    });

    after(async () => {
      if (!wentDown && lab) await lab.labDown();
    });

    it('reports a second `up` as already up', async (t) => {
      t.diagnostic(upReport);
      assert.equal((await labUpOrExplain(lab, { store: 'etcd' })).alreadyUp, true);
    });

    it('has the overlay created on docker3 on all three hosts, same ID, scope global', () => assertOverlayEverywhere('global'));

    it('lets web2 on docker2 fetch web1 on docker3 by name, and ping it', async () => {
      const page = await exec('docker2', 'web2', ['wget', '-qO-', 'http://web1/']);
      assert.deepEqual(page, { output: lab.pageOf({ name: 'web1', host: 'docker3' }), exitCode: 0 });
      const web1 = await dockerOf('docker3').getContainer('web1').inspect();
      const web1Ip = web1.NetworkSettings.Networks[OVERLAY]?.IPAddress;
      assert.match(web1Ip ?? '', /^10\.10\.10\.\d+$/);
      const ping = await exec('docker2', 'web2', ['ping', '-c', '2', '-W', '2', 'web1']);
      assert.equal(ping.exitCode, 0, ping.output);
      assert.ok(ping.output.includes(`PING web1 (${web1Ip})`), ping.output);
      assert.match(ping.output, /2 packets received/);
    });

    it("lists the overlay in each host's snapshot (SnapshotLoader)", async () => {
      for (const host of HOSTS) {
        const snapshot = await new SnapshotLoader(new DockerClient(unixEndpoint(socketOf(host)), host, { timeoutMs: 10_000 }), host).load();
        snapshots.set(host, snapshot);
        const overlay = snapshot.networks.find((network) => network.name === OVERLAY);
        assert.equal(overlay?.scope, 'global', `${host}: ${OVERLAY} missing or not global`);
        assert.deepEqual(
          overlay?.ipam.map((ipam) => ipam.subnet),
          ['10.10.10.0/24'],
        );
      }
    });

    it('merges the overlay into one topology node joined to containers on docker2 and docker3', () => {
      const views = HOSTS.map((host) => ({
        host: unixHost(socketOf(host), host),
        state: { kind: 'connected', snapshot: snapshots.get(host)! } as const,
      }));
      const elements = buildTopology(views);
      const overlays = elements.filter((e) => e.group === 'nodes' && e.data.kind === 'network' && e.data.label === OVERLAY);
      assert.equal(overlays.length, 1, `overlay nodes: ${overlays.map((e) => e.data.id).join(', ')}`);
      assert.equal(overlays[0].data.parent, undefined, 'the overlay is drawn outside every host');
      const members = (host: LabHostName, name: string) => {
        const id = snapshots.get(host)!.containers.find((container) => container.name === name)?.id;
        assert.ok(id, `${name} missing from ${host}'s snapshot`);
        return containerNodeId(host, id);
      };
      const joined = new Set(
        elements
          .filter((e: TopologyElement) => e.data.kind === 'endpoint' && e.data.target === overlays[0].data.id)
          .map((e) => e.data.source),
      );
      for (const [host, name] of [
        ['docker3', 'web1'],
        ['docker2', 'web2'],
        ['docker1', 'front'],
      ] as const) {
        assert.ok(joined.has(members(host, name)), `${name} on ${host} is not joined to the overlay node`);
      }
    });

    it('explains why a second "web1" cannot join the overlay from another host', async () => {
      // web1 runs on docker3 and is on the overlay; a container of the same name on docker1 asks to join.
      const docker1 = dockerOf('docker1');
      const clash = await docker1.createContainer({ name: 'web1', Image: 'dne-busybox:lab', Cmd: ['sleep', '300'], StopTimeout: 1 });
      try {
        await clash.start();
        const client = new DockerClient(unixEndpoint(socketOf('docker1')), 'docker1', { timeoutMs: 10_000 });
        const snapshot = await new SnapshotLoader(client, 'docker1').load();
        const refused = await new NetworkOperations(client)
          .connect({ container: 'web1', network: OVERLAY, aliases: [], links: [] }, snapshot)
          .then(
            () => undefined,
            (error: unknown) => error,
          );
        assert.ok(refused instanceof DockerRequestError, `Docker accepted the second web1 (or failed otherwise: ${String(refused)})`);
        assert.match(refused.reason, /endpoint with name web1 already exists in network multihost/);
        assert.match(
          explainDockerRefusal(refused.reason) ?? '',
          /container named "web1" is already attached to this overlay, on one of its hosts/,
        );
      } finally {
        await clash.remove({ force: true });
      }
    });

    it('marks docker2 unreachable when its dockerd stops, keeps the others connected, and recovers alone', async (t) => {
      const monitors = HOSTS.map(
        (host) => new HostMonitor(unixHost(socketOf(host), host), { timeoutMs: 5000, retryInitialMs: 200, retryMaxMs: 1000 }),
      );
      const [m1, m2, m3] = monitors;
      try {
        await Promise.all(monitors.map((monitor) => monitor.start()));
        monitors.forEach((monitor) => assert.equal(monitor.state.kind, 'connected', monitor.host.name));
        const othersLeft: string[] = [];
        for (const other of [m1, m3])
          other.onDidChange((state) => state.kind !== 'connected' && othersLeft.push(`${other.host.name}: ${state.kind}`));

        const down = waitForState(m2, (state): state is HostState => state.kind === 'unreachable', 'unreachable state', 60_000);
        assert.ok(await lab.stopHost('docker2'), 'docker2 had no dockerd to stop');
        const state = await down;
        t.diagnostic(`docker2: ${state.kind === 'unreachable' ? state.reason : state.kind}`);
        assert.equal(m1.state.kind, 'connected');
        assert.equal(m3.state.kind, 'connected');

        // Only the lab is asked to start the daemon again; the monitor reconnects by itself.
        const web2Back = (s: HostState): s is HostState =>
          isConnected(s) && s.snapshot.containers.some((c) => c.name === 'web2' && c.state === 'running');
        const back = waitForState(m2, web2Back, 'reconnect with web2 running', 60_000);
        await lab.startHost('docker2');
        await back;
        assert.deepEqual(othersLeft, [], 'docker1/docker3 left the connected state');
        const page = await exec('docker2', 'web2', ['wget', '-qO-', 'http://web1/']);
        assert.equal(page.output, lab.pageOf({ name: 'web1', host: 'docker3' }));
      } finally {
        monitors.forEach((monitor) => monitor.dispose());
      }
    });

    it('`down` leaves no namespace, bridge, veth or lab process behind', async (t) => {
      const began = Date.now();
      wentDown = true;
      await assertDownClean(lab);
      t.diagnostic(`lab down: ${Date.now() - began} ms`);
    });
  },
);

// The other two ways to build it, more briefly. With ZooKeeper the lab makes no containers:
// dockerd 20.10 panics when a container joins an overlay on a zk store (see tools/lab/seed.mjs).
for (const mode of ['zookeeper', 'swarm'] as const) {
  describe(
    `three-host lab, ${mode}`,
    { skip: (process.getuid?.() !== 0 && 'needs root') || (mode !== 'swarm' && skipWithoutClusterStore(`the ${mode} lab`)) },
    () => {
      let lab: Lab | undefined;
      let wentDown = false;
      before(async () => {
        lab = await claimLab();
        await labUpOrExplain(lab, { store: mode });
      });
      after(async () => {
        if (!wentDown) await lab?.labDown();
      });

      it(`has the overlay on all three hosts, same ID, scope ${mode === 'swarm' ? 'swarm' : 'global'}`, () =>
        assertOverlayEverywhere(mode === 'swarm' ? 'swarm' : 'global'));

      if (mode === 'swarm') {
        it('lets web2 on docker2 fetch web1 on docker3 by name', async () => {
          const page = await exec('docker2', 'web2', ['wget', '-qO-', 'http://web1/']);
          assert.deepEqual(page, { output: lab!.pageOf({ name: 'web1', host: 'docker3' }), exitCode: 0 });
        });
      }

      it('`down` leaves nothing behind', async () => {
        wentDown = true;
        await assertDownClean(lab!);
      });
    },
  );
}
