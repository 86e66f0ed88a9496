/**
 * Hosts of one cluster store kept in step, on the three-host lab (etcd): an overlay created or
 * removed on docker2 straight through its API (as `docker network create` does: nothing of ours
 * is involved) reaches every host's snapshot through a HostRegistry without a Refresh, although
 * docker1 and docker3 emit no event for it. And a hung docker3 holds up nobody else. Then the
 * same in swarm mode. Each mode brought up once, and taken down even when a test fails.
 */
import { after, before, describe, it, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import Dockerode from 'dockerode';
import type { HostMonitor } from '../../src/core/docker/hostMonitor';
import { HostRegistry } from '../../src/core/docker/hostRegistry';
import type { HostSnapshot } from '../../src/core/model/snapshot';
import { unixHost } from '../support/dockerFixture';
import { skipWithoutClusterStore } from '../support/engine';
import { claimLab, labLayout, labUpOrExplain, type Lab, type LabHostName, type LabStore } from '../support/lab';

const HOSTS: LabHostName[] = ['docker1', 'docker2', 'docker3'];
const socketOf = (name: LabHostName) => labLayout().socket(name);
const dockerOf = (name: LabHostName) => new Dockerode({ socketPath: socketOf(name) });
/** Every host shows the change this soon after the daemon answered the create/remove call. */
const CONVERGE_MS = 2000;
/** The monitors' call timeout: how long a hung daemon can keep its own reload waiting. */
const CALL_TIMEOUT_MS = 4000;

/**
 * Per host, when its snapshot first satisfies `test`. `within(ms)` waits, from the moment it is
 * called, until the named hosts (all by default) did, and resolves with each one's delay after
 * that moment (0 when it already showed it); it rejects at the deadline naming those that did not.
 */
function arrivals(monitors: HostMonitor[], test: (snapshot: HostSnapshot) => boolean) {
  const seenAt = new Map<string, number>();
  const check = (monitor: HostMonitor) => {
    const state = monitor.state;
    if (!seenAt.has(monitor.host.name) && state.kind === 'connected' && test(state.snapshot)) seenAt.set(monitor.host.name, Date.now());
  };
  const subscriptions = monitors.map((monitor) => monitor.onDidChange(() => check(monitor)));
  monitors.forEach(check);
  const stop = () => subscriptions.forEach((subscription) => subscription.dispose());
  return {
    within(ms: number, names = monitors.map((monitor) => monitor.host.name)): Promise<Record<string, number>> {
      const from = Date.now();
      return new Promise((resolve, reject) => {
        const poll = setInterval(() => {
          const done = names.every((name) => seenAt.has(name));
          if (!done && Date.now() - from < ms) return;
          clearInterval(poll);
          if (!done || seenAt.size === monitors.length) stop();
          if (!done) {
            const late = names.filter((name) => !seenAt.has(name));
            const states = late.map((name) => `${name}: ${monitors.find((m) => m.host.name === name)?.state.kind}`);
            return reject(new Error(`not within ${ms} ms: ${states.join(', ')}`));
          }
          resolve(Object.fromEntries(names.map((name) => [name, Math.max(0, seenAt.get(name)! - from)])));
        }, 10);
      });
    },
    stop,
  };
}

const listsOverlay = (name: string, scope: 'global' | 'swarm') => (snapshot: HostSnapshot) =>
  snapshot.networks.some((network) => network.name === name && network.scope === scope);
const describeTimes = (times: Record<string, number>) =>
  Object.entries(times)
    .map(([host, ms]) => `${host} ${ms} ms`)
    .join(', ');

/** Brings the lab up (claimed) in `store` mode, followed by a HostRegistry; both go away after. */
function followLab(store: LabStore): { lab: () => Lab; registry: () => HostRegistry } {
  let lab: Lab | undefined;
  let registry: HostRegistry | undefined;
  before(async () => {
    lab = await claimLab();
    await labUpOrExplain(lab, { store });
    registry = new HostRegistry({ timeoutMs: CALL_TIMEOUT_MS, retryInitialMs: 200, retryMaxMs: 1000 });
    registry.setHosts(HOSTS.map((name) => unixHost(socketOf(name), name)));
    await registry.ready(20_000);
    assert.deepEqual(
      registry.hostViews().map((view) => view.state.kind),
      ['connected', 'connected', 'connected'],
    );
  });
  after(async () => {
    registry?.dispose();
    await lab?.labDown();
  });
  return { lab: () => lab!, registry: () => registry! };
}

/** docker1's `GET /networks` entry and `docker network inspect` of the seed overlay, and web2's endpoint ID on docker2. */
async function seedOverlayFromDocker1(): Promise<{
  listed: Dockerode.NetworkInspectInfo | undefined;
  members: Record<string, { Name: string }>;
  web2Endpoint: string | undefined;
}> {
  const listed = (await dockerOf('docker1').listNetworks()).find((network) => network.Name === 'multihost');
  const inspected = (await dockerOf('docker1').getNetwork('multihost').inspect()) as { Containers?: Record<string, { Name: string }> };
  const web2 = await dockerOf('docker2').getContainer('web2').inspect();
  return { listed, members: inspected.Containers ?? {}, web2Endpoint: web2.NetworkSettings.Networks.multihost?.EndpointID };
}

/** Creates overlay `name` on `host` and waits until every host lists it; the same for its removal. */
async function createThenRemove(
  t: TestContext,
  registry: HostRegistry,
  host: LabHostName,
  body: Dockerode.NetworkCreateOptions,
  scope: 'global' | 'swarm',
): Promise<void> {
  const name = body.Name;
  const seen = arrivals(registry.all, listsOverlay(name, scope));
  await dockerOf(host).createNetwork(body);
  t.diagnostic(`created on ${host}, then seen ${describeTimes(await seen.within(CONVERGE_MS))}`);
  // From every host listing it, whatever happened above (Refresh only to set this up).
  await registry.refreshAll();
  const listing = registry.all.filter((monitor) => monitor.state.kind === 'connected' && listsOverlay(name, scope)(monitor.state.snapshot));
  assert.equal(listing.length, 3, `${name} is not listed by all three hosts`);
  const gone = arrivals(registry.all, (snapshot) => !listsOverlay(name, scope)(snapshot));
  await dockerOf(host).getNetwork(name).remove();
  t.diagnostic(`removed on ${host}, then gone ${describeTimes(await gone.within(CONVERGE_MS))}`);
}

const cluster = { skip: (process.getuid?.() !== 0 && 'needs root') || skipWithoutClusterStore('the etcd lab'), timeout: 180_000 };
describe('hosts of one cluster store converge without Refresh', cluster, () => {
  const { lab, registry } = followLab('etcd');

  it("knows each host's cluster store from its docker info", () => {
    assert.deepEqual(
      registry().all.map((monitor) => monitor.clusterStore),
      HOSTS.map(() => `etcd://${labLayout().storeIp}:2379`),
    );
  });

  // Why PeerSync ignores connect/disconnect: what a snapshot reads of a network has no members.
  it("lists no members in a network list; names other hosts' members in inspect only as ep-<endpoint ID>", async () => {
    const { listed, members, web2Endpoint } = await seedOverlayFromDocker1();
    assert.deepEqual(listed?.Containers ?? {}, {});
    assert.ok(web2Endpoint);
    assert.equal(members[`ep-${web2Endpoint}`]?.Name, 'web2', JSON.stringify(members));
  });

  it('shows an overlay created on docker2 on all three hosts, and drops it when docker2 removes it', (t) =>
    createThenRemove(
      t,
      registry(),
      'docker2',
      { Name: 'dne-peer-ov1', Driver: 'overlay', IPAM: { Config: [{ Subnet: '10.31.1.0/24' }] } },
      'global',
    ));

  it('does the same when docker3 is hung: docker1 is not held up, docker3 catches up when it answers', async (t) => {
    const name = 'dne-peer-ov2';
    const docker3 = (await lab().labStatus()).hosts.find((host) => host.name === 'docker3');
    assert.ok(docker3?.alive && docker3.pid, 'docker3 has no dockerd');
    const pid = docker3.pid;
    const seen = arrivals(registry().all, listsOverlay(name, 'global'));
    // SIGSTOP: the socket still accepts connections but nothing answers (a hung daemon).
    process.kill(pid, 'SIGSTOP');
    let stopped = true;
    t.after(() => stopped && process.kill(pid, 'SIGCONT'));
    await dockerOf('docker2').createNetwork({ Name: name, Driver: 'overlay', IPAM: { Config: [{ Subnet: '10.31.2.0/24' }] } });
    const others = await seen.within(CONVERGE_MS, ['docker1', 'docker2']);
    t.diagnostic(`with docker3 hung: ${describeTimes(others)}`);
    process.kill(pid, 'SIGCONT');
    stopped = false;
    // Its reload was waiting (or timed out, and the monitor reconnected): either way it converges.
    const late = await seen.within(CALL_TIMEOUT_MS + CONVERGE_MS, ['docker3']);
    t.diagnostic(`docker3 after it was resumed: ${describeTimes(late)}, now ${registry().monitor('docker3')?.state.kind}`);
    await dockerOf('docker2').getNetwork(name).remove();
  });
});

// Swarm needs no help from us (dockerd announces a swarm network on every manager), which is
// why PeerSync leaves it alone: proven here, on the lab's swarm of three managers.
describe('hosts of one swarm converge without Refresh', { skip: process.getuid?.() !== 0 && 'needs root', timeout: 180_000 }, () => {
  const { registry } = followLab('swarm');

  it("names no other host's member in docker1's inspect of the seed overlay", async () => {
    const { members } = await seedOverlayFromDocker1();
    const names = Object.values(members)
      .map((member) => member.Name)
      .sort();
    assert.ok(names.includes('front'), JSON.stringify(members));
    assert.ok(!names.includes('web1') && !names.includes('web2'), JSON.stringify(members));
  });

  it('shows an attachable overlay created on docker3 on all three managers, and drops it when docker3 removes it', (t) =>
    createThenRemove(
      t,
      registry(),
      'docker3',
      { Name: 'dne-peer-swarm', Driver: 'overlay', Attachable: true, IPAM: { Config: [{ Subnet: '10.31.3.0/24' }] } },
      'swarm',
    ));
});
