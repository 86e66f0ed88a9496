/**
 * Creating an overlay network where Docker can: on a swarm manager the extension's own create
 * makes a swarm-scoped, attachable overlay. A private dockerd of the test's own, in its own
 * network namespace, is made a one-node swarm on loopback, so the shared daemon is untouched.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import Dockerode from 'dockerode';
import { DockerClient } from '../../src/core/docker/dockerClient';
import { buildExplorerTree } from '../../src/core/explorer/explorerTree';
import { SnapshotLoader } from '../../src/core/docker/snapshotLoader';
import { defaultNetworkSpec } from '../../src/core/operations/networkSpec';
import { NetworkOperations } from '../../src/core/operations/networkOperations';
import { PrivateDockerd, TEST_IMAGE, ensureTestImage, unixEndpoint, unixHost } from '../support/dockerFixture';

describe('overlay networks on a swarm manager', { timeout: 180_000 }, () => {
  const daemon = new PrivateDockerd();
  let client: DockerClient;
  let docker: Dockerode;

  before(async () => {
    await daemon.start();
    docker = new Dockerode({ socketPath: daemon.socketPath });
    await docker.swarmInit({ ListenAddr: '127.0.0.1:2377', AdvertiseAddr: '127.0.0.1:2377' });
    client = new DockerClient(unixEndpoint(daemon.socketPath), 'swarm', { timeoutMs: 20_000 });
  });
  after(() => daemon.dispose());

  it('says an overlay is possible, and why', async () => {
    const operations = new NetworkOperations(client);
    assert.deepEqual(operations.canCreateOverlay(await client.info()), { ok: true, mode: 'swarm' });
  });

  it('creates a swarm-scoped attachable overlay with the subnet asked for', async () => {
    const operations = new NetworkOperations(client);
    const snapshot = await new SnapshotLoader(client, 'swarm').load();
    const spec = { ...defaultNetworkSpec('overlay', 'dne-overlay'), subnet: '10.15.201.0/24', gateway: '10.15.201.1', attachable: true };
    const created = await operations.createNetwork(spec, snapshot);
    const inspected = await client.inspectNetwork(created.id);
    assert.equal(inspected.Driver, 'overlay');
    assert.equal(inspected.Scope, 'swarm');
    assert.equal(inspected.Attachable, true);
    assert.deepEqual(
      inspected.IPAM?.Config?.map((pool) => [pool.Subnet, pool.Gateway]),
      [['10.15.201.0/24', '10.15.201.1']],
    );
    const after = await new SnapshotLoader(client, 'swarm').load();
    const network = after.networks.find((entry) => entry.name === 'dne-overlay');
    assert.equal(network?.scope, 'swarm');
  });

  it("shows docker_gwbridge's gateway endpoint of a container on the overlay, as docker network inspect does", async () => {
    await ensureTestImage(docker);
    const container = await docker.createContainer({
      name: 'dne-gw1',
      Image: TEST_IMAGE,
      Cmd: ['sleep', '600'],
      HostConfig: { NetworkMode: 'dne-overlay' },
    });
    await container.start();
    const loader = new SnapshotLoader(client, 'swarm');
    const snapshot = await loader.load();
    const gwbridge = snapshot.networks.find((network) => network.name === 'docker_gwbridge');
    assert.ok(gwbridge, 'swarm made docker_gwbridge');
    const dockerSays = (await client.inspectNetwork('docker_gwbridge')).Containers?.[container.id];
    assert.match(dockerSays?.Name ?? '', /^gateway_[0-9a-f]{12}$/);
    const ours = snapshot.endpoints.find((endpoint) => endpoint.networkId === gwbridge.id && endpoint.containerId === container.id);
    assert.deepEqual(
      [ours?.gatewayName, `${ours?.ipv4}/${ours?.ipv4PrefixLen}`, ours?.endpointId],
      [dockerSays?.Name, dockerSays?.IPv4Address, dockerSays?.EndpointID],
    );
    const host = unixHost(daemon.socketPath, 'swarm');
    const [root] = buildExplorerTree('networks', [{ host, state: { kind: 'connected', snapshot } }]);
    const row = root.children.find((child) => child.label === 'docker_gwbridge');
    assert.deepEqual(
      row?.children.map((child) => child.label),
      ['dne-gw1'],
    );
    assert.match(row?.children[0].description ?? '', /^172\.[0-9.]+\/16 · gateway endpoint gateway_[0-9a-f]{12}$/);

    // Nothing changed: the two list calls only, docker_gwbridge is not inspected again.
    const calls = client.callCount;
    await loader.load();
    assert.equal(client.callCount - calls, 2);

    // Stopped: Docker drops the gateway endpoint, and so do we.
    await container.stop({ t: 0 });
    // Docker 26's list may still say "running" right after the stop (the monitor reloads again
    // until an event's outcome shows, eventExpectations.ts); wait for it the same way.
    let stopped = await loader.load();
    for (let tries = 0; stopped.containers.find((entry) => entry.id === container.id)?.state === 'running' && tries < 50; tries++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      stopped = await loader.load();
    }
    assert.equal(
      stopped.endpoints.some((endpoint) => endpoint.networkId === gwbridge.id && endpoint.containerId === container.id),
      false,
    );
    assert.equal((await client.inspectNetwork('docker_gwbridge')).Containers?.[container.id], undefined);
  });
});
