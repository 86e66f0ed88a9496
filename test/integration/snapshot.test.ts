/**
 * The seed scenario through our own core against the real daemon: a user-defined bridge with a
 * fixed subnet, gateway and ip-range, web1 (httpd, published port, also on `bridge`) and web2
 * (alias + link), loaded with SnapshotLoader; then the loader's inspect cache, call by call.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as http from 'node:http';
import * as net from 'node:net';
import { DockerClient, type RawContainerInspect } from '../../src/core/docker/dockerClient';
import { SnapshotLoader } from '../../src/core/docker/snapshotLoader';
import type { HostSnapshot } from '../../src/core/model/snapshot';
import { cidrContainsIp, parseCidr, parseIp } from '../../src/core/net/cidr';
import { DockerFixture, ensureTestImage, INDEX_HTML, unixEndpoint, type Created } from '../support/dockerFixture';

/** Records which containers the loader inspects, so cache assertions can ignore other users' containers. */
class RecordingClient extends DockerClient {
  readonly inspected: string[] = [];
  override inspectContainer(id: string): Promise<RawContainerInspect> {
    this.inspected.push(id);
    return super.inspectContainer(id);
  }
}

describe('SnapshotLoader on a real daemon: the seed scenario', () => {
  const fixture = new DockerFixture();
  const client = new RecordingClient(unixEndpoint(), 'test', { timeoutMs: 10_000 });
  const loader = new SnapshotLoader(client, 'test');
  let seed: SeedNetwork;
  let web1: Created;
  let web2: Created;
  let port: number;
  let snapshot: HostSnapshot;

  before(async () => {
    await DockerFixture.sweepOrphans(fixture.docker);
    await ensureTestImage(fixture.docker);
    seed = await createSeedNetwork(fixture);
    port = await freePort(8081);
    web1 = await fixture.runContainer({
      name: 'web1',
      cmd: ['httpd', '-f', '-p', '80', '-h', '/www'],
      networks: [seed.name, 'bridge'],
      ports: [{ containerPort: 80, hostPort: port }],
    });
    web2 = await fixture.runContainer({
      name: 'web2',
      cmd: ['sleep', '3600'],
      networks: [{ network: seed.name, aliases: ['webtwo'], links: [`${web1.name}:webone`] }],
    });
    snapshot = await loader.load();
  });

  after(() => fixture.cleanup());

  const endpointsOf = (container: Created) => snapshot.endpoints.filter((e) => e.containerId === container.id);
  const networkNamed = (name: string) => snapshot.networks.find((n) => n.name === name);

  it('shows the network with its subnet, gateway and ip-range', () => {
    const network = networkNamed(seed.name);
    assert.ok(network, `${seed.name} missing from the snapshot`);
    assert.equal(network.driver, 'bridge');
    assert.deepEqual(network.ipam, [{ subnet: seed.subnet, gateway: seed.gateway, ipRange: seed.ipRange }]);
    assert.equal(network.labels['dne.test'], fixture.runId);
  });

  it('gives web1 exactly two endpoints, testbridge inside the ip-range and bridge', () => {
    const byNetwork = new Map(snapshot.networks.map((n) => [n.id, n.name]));
    const endpoints = endpointsOf(web1);
    assert.deepEqual(endpoints.map((e) => byNetwork.get(e.networkId)).sort(), ['bridge', seed.name].sort());
    const onSeed = endpoints.find((e) => e.networkId === networkNamed(seed.name)?.id);
    assert.ok(onSeed?.ipv4, 'web1 has no IPv4 on the seed network');
    assert.ok(ipInCidr(onSeed.ipv4, seed.ipRange), `${onSeed.ipv4} is outside ${seed.ipRange}`);
    assert.equal(onSeed.ipv4PrefixLen, 24);
    assert.equal(onSeed.gateway, seed.gateway);
    assert.match(onSeed.mac ?? '', /^([0-9a-f]{2}:){5}[0-9a-f]{2}$/);
  });

  it('shows the published port of web1', () => {
    const container = snapshot.containers.find((c) => c.id === web1.id);
    assert.ok(container, 'web1 missing from the snapshot');
    assert.equal(container.name, web1.name);
    assert.equal(container.state, 'running');
    const published = container.ports.filter((p) => p.hostPort === port);
    assert.ok(published.length > 0, `no port ${port} in ${JSON.stringify(container.ports)}`);
    for (const p of published) assert.deepEqual([p.containerPort, p.protocol], [80, 'tcp']);
  });

  it("shows web2's alias and link, without Docker's implicit short-ID alias", () => {
    const [endpoint, ...more] = endpointsOf(web2);
    assert.equal(more.length, 0);
    assert.deepEqual(endpoint.aliases, ['webtwo']);
    assert.ok(!endpoint.aliases.includes(web2.id.slice(0, 12)));
    assert.deepEqual(endpoint.links, [{ container: web1.name, alias: 'webone' }]);
  });

  it('serves the index page on the published port', async () => {
    assert.equal(await httpGetWithRetry(`http://127.0.0.1:${port}/`, 10_000), INDEX_HTML);
  });

  it("carries the start time Docker recorded (its inspect's State.StartedAt), and a restart brings the new one", async () => {
    const startedAt = async (container: Created) => (await fixture.docker.getContainer(container.id).inspect()).State.StartedAt;
    assert.equal(snapshot.containers.find((c) => c.id === web2.id)?.startedAt, await startedAt(web2));
    await fixture.docker.getContainer(web2.id).restart({ t: 0 });
    const reloaded = await loader.load();
    const now = reloaded.containers.find((c) => c.id === web2.id)?.startedAt;
    assert.equal(now, await startedAt(web2));
    assert.notEqual(now, snapshot.containers.find((c) => c.id === web2.id)?.startedAt);
    snapshot = reloaded;
  });

  it('makes only the two list calls on a second load (inspects are cached)', async () => {
    const calls = client.callCount;
    client.inspected.length = 0;
    await loader.load();
    const ours = client.inspected.filter((id) => id === web1.id || id === web2.id);
    assert.deepEqual(ours, [], 'our unchanged containers were inspected again');
    // Only a container someone else changed meanwhile may add an inspect.
    assert.equal(client.callCount - calls, 2 + client.inspected.length);
  });

  it('inspects only the container whose endpoints changed after a connect', async () => {
    const other = await fixture.createNetwork({ name: 'other' });
    await fixture.connect(web2.id, other.id);
    const calls = client.callCount;
    client.inspected.length = 0;
    snapshot = await loader.load();
    const ours = client.inspected.filter((id) => id === web1.id || id === web2.id);
    assert.deepEqual(ours, [web2.id]);
    assert.equal(client.callCount - calls, 2 + client.inspected.length);
    assert.equal(endpointsOf(web2).length, 2);
    assert.ok(endpointsOf(web2).some((e) => e.networkId === other.id));
  });
});

type SeedNetwork = Created & { subnet: string; gateway: string; ipRange: string };

/**
 * 10.15.20.0/24 as in the seed scenario. On a shared daemon someone may already hold it ("Pool
 * overlaps with other one on this address space"): then the same layout in a nearby /24.
 */
async function createSeedNetwork(fixture: DockerFixture): Promise<SeedNetwork> {
  for (let third = 20; third < 40; third++) {
    const layout = { subnet: `10.15.${third}.0/24`, gateway: `10.15.${third}.1`, ipRange: `10.15.${third}.128/25` };
    try {
      return { ...(await fixture.createNetwork({ name: 'testbridge', ...layout })), ...layout };
    } catch (error) {
      if (!/overlaps/i.test((error as Error).message)) throw error;
      console.log(`# ${layout.subnet} is taken on this daemon (${(error as Error).message.trim()}); trying the next /24`);
    }
  }
  throw new Error('10.15.20.0/24 to 10.15.39.0/24 are all taken on this daemon');
}

function ipInCidr(ip: string, block: string): boolean {
  const cidr = parseCidr(block);
  const address = parseIp(ip);
  if (!cidr.ok || !address) throw new Error(`cannot parse ${ip} or ${block}`);
  return cidrContainsIp(cidr.cidr, address);
}

/** `preferred` when nothing listens there, else a port the kernel picks. */
async function freePort(preferred: number): Promise<number> {
  const tryListen = (port: number) =>
    new Promise<number | undefined>((resolve) => {
      const server = net.createServer();
      server.once('error', () => resolve(undefined));
      server.listen({ port, host: '0.0.0.0' }, () => {
        const { port: bound } = server.address() as net.AddressInfo;
        server.close(() => resolve(bound));
      });
    });
  return (await tryListen(preferred)) ?? (await tryListen(0)) ?? assert.fail('no free TCP port');
}

/** httpd needs a moment after `start` returns; retry until it answers or the deadline passes. */
async function httpGetWithRetry(url: string, timeoutMs: number): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await new Promise<string>((resolve, reject) => {
        const request = http.get(url, { timeout: 2000 }, (response) => {
          let body = '';
          response.on('data', (chunk: Buffer) => (body += chunk.toString()));
          response.on('end', () => (response.statusCode === 200 ? resolve(body) : reject(new Error(`HTTP ${response.statusCode}`))));
        });
        request.on('timeout', () => request.destroy(new Error('timeout')));
        request.on('error', reject);
      });
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
}
