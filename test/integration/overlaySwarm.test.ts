/**
 * Creating an overlay network where Docker can: on a swarm manager the extension's own create
 * makes a swarm-scoped, attachable overlay. A private dockerd of the test's own, in its own
 * network namespace, is made a one-node swarm on loopback, so the shared daemon is untouched.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import Dockerode from 'dockerode';
import { DockerClient } from '../../src/core/docker/dockerClient';
import { SnapshotLoader } from '../../src/core/docker/snapshotLoader';
import { defaultNetworkSpec } from '../../src/core/operations/networkSpec';
import { NetworkOperations } from '../../src/core/operations/networkOperations';
import { PrivateDockerd, unixHost } from '../support/dockerFixture';

describe('overlay networks on a swarm manager', { timeout: 180_000 }, () => {
  const daemon = new PrivateDockerd();
  let client: DockerClient;

  before(async () => {
    await daemon.start();
    const docker = new Dockerode({ socketPath: daemon.socketPath });
    await docker.swarmInit({ ListenAddr: '127.0.0.1:2377', AdvertiseAddr: '127.0.0.1:2377' });
    client = new DockerClient(unixHost(daemon.socketPath, 'swarm'), { timeoutMs: 20_000 });
  });
  after(() => daemon.dispose());

  it('says an overlay is possible, and why', async () => {
    const operations = new NetworkOperations(client);
    assert.deepEqual(operations.canCreateOverlay(await client.info()), { ok: true, mode: 'swarm' });
  });

  it('creates a swarm-scoped attachable overlay with the subnet asked for', async () => {
    const operations = new NetworkOperations(client);
    const snapshot = await new SnapshotLoader(client).load();
    const spec = { ...defaultNetworkSpec('overlay', 'dne-overlay'), subnet: '10.15.201.0/24', gateway: '10.15.201.1', attachable: true };
    const created = await operations.createNetwork(spec, snapshot);
    const inspected = await client.inspectNetwork(created.id);
    assert.equal(inspected.Driver, 'overlay');
    assert.equal(inspected.Scope, 'swarm');
    assert.equal(inspected.Attachable, true);
    assert.deepEqual(inspected.IPAM?.Config?.map((pool) => [pool.Subnet, pool.Gateway]), [['10.15.201.0/24', '10.15.201.1']]);
    const after = await new SnapshotLoader(client).load();
    const network = after.networks.find((entry) => entry.name === 'dne-overlay');
    assert.equal(network?.scope, 'swarm');
  });
});
