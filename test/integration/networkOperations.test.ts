/**
 * The seed replayed on the real dockerd through NetworkOperations (not the CLI), with busybox
 * containers. Every resource carries the DockerFixture's run prefix and label (networks get the
 * label through the spec's labels), so fixture.cleanup() in after() removes all, even on failure.
 * Test containers use DNS 127.0.0.1, so a name the embedded DNS does not know is forwarded to
 * the container's own loopback, never to the outside.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type Dockerode from 'dockerode';
import { DockerCallError, DockerClient } from '../../src/core/docker/dockerClient';
import { DockerRequestError } from '../../src/core/docker/dockerOperationsClient';
import { SnapshotLoader } from '../../src/core/docker/snapshotLoader';
import type { HostSnapshot, NetworkModel } from '../../src/core/model/snapshot';
import { cidrContainsIp, cidrsOverlap, parseCidr, parseIp } from '../../src/core/net/cidr';
import {
  NetworkOperations,
  OperationRefusedError,
  OperationRolledBackError,
  type CreatedNetwork,
} from '../../src/core/operations/networkOperations';
import { defaultNetworkSpec, toCreateOptions, type NetworkSpec } from '../../src/core/operations/networkSpec';
import { suggestFreeIpv4 } from '../../src/core/operations/validateConnect';
import { validateSubnet } from '../../src/core/operations/validateNetwork';
import {
  DockerFixture,
  PID_LABEL,
  TEST_IMAGE,
  TEST_LABEL,
  defaultSocketPath,
  ensureTestImage,
  execInContainer,
  unixEndpoint,
  type ExecResult,
} from '../support/dockerFixture';
import { currentEngine, engineHasClusterStore } from '../support/engine';

// ---------------------------------------------------------------------------------------------
// Helpers for this file. Containers are made with dockerode directly: they are the fixture,
// not the code under test.

/** The fixture's labels, for what this file creates itself (containers, and networks via specs). */
function fixtureLabels(fixture: DockerFixture): Record<string, string> {
  return { [TEST_LABEL]: fixture.runId, [PID_LABEL]: String(process.pid) };
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Containers for this file, labelled and named like the DockerFixture's own so its cleanup()
 * removes them. Not fixture.runContainer: that cannot set the DNS servers these tests need.
 */
class TestContainers {
  readonly api: Dockerode;

  constructor(private readonly fixture: DockerFixture) {
    this.api = fixture.docker;
  }

  async run(name: string, network: string, options: { publish?: boolean; cmd?: string[] } = {}): Promise<string> {
    const container = await this.api.createContainer({
      name: this.fixture.name(name),
      Image: TEST_IMAGE,
      Cmd: options.cmd ?? ['httpd', '-f', '-p', '80', '-h', '/www'],
      Labels: fixtureLabels(this.fixture),
      ExposedPorts: options.publish ? { '80/tcp': {} } : undefined,
      HostConfig: {
        NetworkMode: network,
        // Unknown names go to the container's own loopback, never to a resolver outside.
        Dns: ['127.0.0.1'],
        PortBindings: options.publish ? { '80/tcp': [{ HostIp: '127.0.0.1', HostPort: '' }] } : undefined,
      },
    });
    await container.start();
    return container.id;
  }

  /** Network name → IPv4 address. */
  async addresses(id: string): Promise<Record<string, string>> {
    const networks = (await this.api.getContainer(id).inspect()).NetworkSettings.Networks;
    return Object.fromEntries(Object.entries(networks).map(([name, settings]) => [name, settings.IPAddress]));
  }

  async publishedPorts(id: string): Promise<number[]> {
    const ports = (await this.api.getContainer(id).inspect()).NetworkSettings.Ports ?? {};
    return Object.values(ports).flatMap((bindings) => (bindings ?? []).map((binding) => Number(binding.HostPort)));
  }

  async hostPort(id: string): Promise<number> {
    const [port] = await this.publishedPorts(id);
    assert.ok(port, 'port 80 is not published');
    return port;
  }

  /** GET http://127.0.0.1:port/ → status; retried briefly while the proxy starts. */
  async httpStatus(port: number, attempts = 5): Promise<number> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await new Promise<number>((resolve, reject) => {
          const request = http.get({ host: '127.0.0.1', port, path: '/', timeout: 2_000 }, (answer) => {
            answer.resume();
            resolve(answer.statusCode ?? 0);
          });
          request.on('timeout', () => request.destroy(new Error('timed out')));
          request.on('error', reject);
        });
      } catch (error) {
        if (attempt >= attempts) throw error;
        await sleep(300);
      }
    }
  }

  exec(id: string, cmd: string[], timeoutMs = 15_000): Promise<ExecResult> {
    return execInContainer(this.api, id, cmd, timeoutMs);
  }

  /** busybox nslookup with a short timeout: an unknown name fails in ~2 s instead of 10. */
  nslookup(id: string, name: string): Promise<ExecResult> {
    return this.exec(id, ['nslookup', '-timeout=2', '-retry=1', name]);
  }
}

interface Fault {
  method: string;
  /** Matched against the request path without the API version prefix. */
  path: RegExp;
  /** status500: answer 500 without forwarding; drop-answer: forward, then close without answering. */
  action: 'status500' | 'drop-answer';
}

/** A unix-socket proxy in front of the real daemon that fails chosen requests, once each. */
class FaultyDockerProxy {
  private readonly faults: Fault[] = [];
  private server?: http.Server;
  private dir?: string;

  constructor(private readonly target: string) {}

  inject(fault: Fault): void {
    this.faults.push(fault);
  }

  async start(): Promise<string> {
    this.dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dneops-proxy-'));
    const socketPath = path.join(this.dir, 'docker.sock');
    const server = http.createServer((request, response) => this.handle(request, response));
    this.server = server;
    await new Promise<void>((resolve) => server.listen(socketPath, resolve));
    return socketPath;
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
    this.server?.closeAllConnections();
    if (this.dir) fs.rmSync(this.dir, { recursive: true, force: true });
  }

  private handle(request: http.IncomingMessage, response: http.ServerResponse): void {
    const route = (request.url ?? '').replace(/^\/v[0-9.]+/, '');
    const index = this.faults.findIndex((fault) => fault.method === request.method && fault.path.test(route));
    const fault = index >= 0 ? this.faults.splice(index, 1)[0] : undefined;
    if (fault?.action === 'status500') {
      request.resume();
      response.writeHead(500, { 'Content-Type': 'application/json' });
      response.end(JSON.stringify({ message: 'injected fault: the daemon failed' }));
      return;
    }
    const upstream = http.request(
      { socketPath: this.target, method: request.method, path: request.url, headers: request.headers },
      (answer) => {
        if (fault?.action === 'drop-answer') {
          // The daemon did the work; the client never hears of it.
          answer.resume();
          answer.on('end', () => response.socket?.destroy());
          return;
        }
        response.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(response);
      },
    );
    upstream.on('error', (error) => response.destroy(error));
    request.pipe(upstream);
  }
}

// ---------------------------------------------------------------------------------------------
// The seed, replayed.

const SOCKET = defaultSocketPath();
const SEED_SUBNET = '10.15.20.0/24';
const fixture = new DockerFixture({ socketPath: SOCKET });
const prefix = fixture.prefix;
const client = new DockerClient(unixEndpoint(SOCKET), 'local', { timeoutMs: 30_000 });
const ops = new NetworkOperations(client);
const loader = new SnapshotLoader(client, 'local');
const docker = new TestContainers(fixture);

/** A bridge of this run, labelled for the fixture's cleanup. */
function spec(name: string, extra: Partial<NetworkSpec> = {}): NetworkSpec {
  return { ...defaultNetworkSpec('bridge', fixture.name(name)), labels: fixtureLabels(fixture), ...extra };
}

/** The seed's bridge: gateway .1, ip-range the upper half. */
function bridgeSpec(name: string, subnet: string, extra: Partial<NetworkSpec> = {}): NetworkSpec {
  const base = subnet.replace(/\.0\/24$/, '');
  return spec(name, { subnet, gateway: `${base}.1`, ipRange: `${base}.128/25`, ...extra });
}

/** A 10.15.x.0/24 that no network on the daemon uses (other test files share it). */
async function freeSubnet(taken: Set<string>): Promise<string> {
  const snapshot = await loader.load();
  for (;;) {
    const subnet = `10.15.${100 + Math.floor(Math.random() * 150)}.0/24`;
    if (!taken.has(subnet) && validateSubnet(subnet, snapshot) === undefined) {
      taken.add(subnet);
      return subnet;
    }
  }
}

async function refusal(run: () => Promise<unknown>): Promise<OperationRefusedError> {
  const before = client.callCount;
  const error = await run().then(
    () => assert.fail('expected a refusal'),
    (caught: unknown) => caught,
  );
  assert.ok(error instanceof OperationRefusedError, `expected OperationRefusedError, got ${String(error)}`);
  assert.equal(client.callCount, before, 'a refusal must not call the daemon');
  return error;
}

/** The network whose subnet overlaps `subnet`, if any. */
function occupant(subnet: string, snapshot: HostSnapshot): NetworkModel | undefined {
  const block = parseCidr(subnet);
  return snapshot.networks.find((network) =>
    network.ipam.some((ipam) => {
      const other = ipam.subnet ? parseCidr(ipam.subnet, false) : undefined;
      return block.ok && other?.ok === true && cidrsOverlap(block.cidr, other.cidr);
    }),
  );
}

const networkNamed = (snapshot: HostSnapshot, name: string) => snapshot.networks.find((network) => network.name === `${prefix}${name}`);

describe('network operations on a real dockerd', { timeout: 600_000 }, () => {
  const taken = new Set<string>();
  let seedSubnet = SEED_SUBNET;
  let web1 = '';
  let web2 = '';
  let firstHostPort = 0;

  before(async () => {
    await ensureTestImage(fixture.docker);
  });

  after(async () => {
    await fixture.cleanup();
  });

  /**
   * Creates testbridge on the seed's block. Another test file may hold it for a while: wait
   * (up to 60 s) and retry. A network that has held it for 10 minutes is nobody's test: use a
   * free 10.15.x.0/24 at once, and say so.
   */
  async function createSeedBridge(diagnostic: (message: string) => void): Promise<CreatedNetwork> {
    const deadline = Date.now() + 60_000;
    for (;;) {
      const snapshot = await loader.load();
      const holder = occupant(seedSubnet, snapshot);
      let problem = holder ? `network "${holder.name}" uses it` : '';
      if (!holder) {
        try {
          return await ops.createNetwork(bridgeSpec('testbridge', seedSubnet), snapshot);
        } catch (error) {
          // Taken between our snapshot and the create (or by something the snapshot cannot show).
          if (!(error instanceof DockerRequestError && /overlaps/.test(error.reason))) throw error;
          problem = error.reason;
        }
      }
      const longLived = holder?.created !== undefined && Date.now() - Date.parse(holder.created) > 10 * 60_000;
      if (seedSubnet === SEED_SUBNET && (longLived || Date.now() > deadline)) {
        seedSubnet = await freeSubnet(taken);
        diagnostic(
          `${SEED_SUBNET} is not free (${problem}${longLived ? `, since ${holder?.created}` : ', for 60 s'}); using ${seedSubnet}`,
        );
        continue;
      }
      if (Date.now() > deadline + 30_000) throw new Error(`no free subnet for testbridge: ${problem}`);
      await sleep(2_000);
    }
  }

  it('1. creates testbridge 10.15.20.0/24 gw .1 ip-range .128/25; web1 gets an address in the range and its published port answers', async (t) => {
    const created = await createSeedBridge((message) => t.diagnostic(message));
    assert.deepEqual(created.sent, toCreateOptions(bridgeSpec('testbridge', seedSubnet)));
    web1 = await docker.run('web1', `${prefix}testbridge`, { publish: true });
    const address = (await docker.addresses(web1))[`${prefix}testbridge`];
    const range = parseCidr(seedSubnet.replace(/\.0\/24$/, '.128/25'));
    assert.ok(range.ok && cidrContainsIp(range.cidr, parseIp(address)!), `${address} is not in the ip-range`);
    firstHostPort = await docker.hostPort(web1);
    assert.equal(await docker.httpStatus(firstHostPort), 200);
  });

  it('2. recreated --internal (removal confirmed with web1 attached): the published port no longer answers', async () => {
    let snapshot = await loader.load();
    const testbridge = networkNamed(snapshot, 'testbridge')!;
    assert.match(
      ops.removalConfirmation(testbridge, snapshot),
      new RegExp(`These containers will be disconnected from it: ${prefix}web1 \\(running, 10\\.15\\.`),
    );
    const refused = await refusal(() => ops.removeNetwork(testbridge.id, snapshot));
    assert.match(refused.message, new RegExp(`still has containers attached: ${prefix}web1 \\(running`));
    await ops.removeNetwork(testbridge.id, snapshot, { disconnectAttached: true });
    snapshot = await loader.load();
    assert.equal(networkNamed(snapshot, 'testbridge'), undefined);
    await ops.createNetwork(bridgeSpec('testbridge', seedSubnet, { internal: true }), snapshot);
    await ops.connect({ container: web1, network: `${prefix}testbridge`, aliases: [], links: [] }, await loader.load());
    assert.deepEqual(await docker.publishedPorts(web1), [], 'an internal network publishes no port');
    await assert.rejects(docker.httpStatus(firstHostPort, 1), /ECONNREFUSED|ECONNRESET|timed out/);
  });

  it('3. web1 connected to bridge: two endpoints, and the port answers again', async () => {
    await ops.connect({ container: web1, network: 'bridge', aliases: [], links: [] }, await loader.load());
    assert.deepEqual(Object.keys(await docker.addresses(web1)).sort(), ['bridge', `${prefix}testbridge`].sort());
    // A new endpoint gets a new random host port.
    assert.equal(await docker.httpStatus(await docker.hostPort(web1)), 200);
  });

  it('4. on testbridge web1 resolves web2 by name; on the default bridge containers do not', async () => {
    web2 = await docker.run('web2', `${prefix}testbridge`);
    const web2Address = (await docker.addresses(web2))[`${prefix}testbridge`];
    const lookup = await docker.nslookup(web1, `${prefix}web2`);
    assert.equal(lookup.exitCode, 0, lookup.output);
    assert.match(lookup.output, new RegExp(`Address:\\s+${web2Address.replace(/\./g, '\\.')}`));

    const plain1 = await docker.run('plain1', 'bridge', { cmd: ['sleep', '600'] });
    const plain2 = await docker.run('plain2', 'bridge', { cmd: ['sleep', '600'] });
    const plain2Address = (await docker.addresses(plain2)).bridge;
    assert.notEqual((await docker.nslookup(plain1, `${prefix}plain2`)).exitCode, 0, 'the default bridge has no embedded DNS');
    const ping = await docker.exec(plain1, ['ping', '-c1', '-W1', plain2Address]);
    assert.equal(ping.exitCode, 0, `control: plain1 reaches plain2 by address\n${ping.output}`);
  });

  it('5. alias webone is network-wide; link web2:webtwo is local to web1', async () => {
    await ops.disconnect({ container: web1, network: `${prefix}testbridge`, force: false }, await loader.load());
    await ops.connect(
      { container: web1, network: `${prefix}testbridge`, aliases: ['webone'], links: [`${prefix}web2:webtwo`] },
      await loader.load(),
    );
    const web3 = await docker.run('web3', `${prefix}testbridge`);
    const addresses = {
      web1: (await docker.addresses(web1))[`${prefix}testbridge`],
      web2: (await docker.addresses(web2))[`${prefix}testbridge`],
    };

    for (const [from, name, address] of [
      [web2, 'webone', addresses.web1],
      [web3, 'webone', addresses.web1],
      [web1, 'webtwo', addresses.web2],
    ]) {
      const lookup = await docker.nslookup(from, name);
      assert.equal(lookup.exitCode, 0, `${name} from ${from}: ${lookup.output}`);
      assert.match(lookup.output, new RegExp(`Address:\\s+${address.replace(/\./g, '\\.')}`));
    }
    const fromThird = await docker.nslookup(web3, 'webtwo');
    assert.notEqual(fromThird.exitCode, 0, `a third container must not resolve the link alias: ${fromThird.output}`);

    const snapshot = await loader.load();
    const endpoint = snapshot.endpoints.find(
      (entry) => entry.containerId === web1 && entry.networkId === networkNamed(snapshot, 'testbridge')?.id,
    );
    assert.deepEqual(endpoint?.aliases, ['webone']);
    assert.deepEqual(endpoint?.links, [{ container: `${prefix}web2`, alias: 'webtwo' }]);
  });

  it('6. with ICC off two containers on the bridge cannot ping each other; with ICC on they can', async () => {
    const results: Record<string, number> = {};
    for (const icc of [false, true]) {
      const name = icc ? 'iccon' : 'iccoff';
      await ops.createNetwork(bridgeSpec(name, await freeSubnet(taken), { icc }), await loader.load());
      const a = await docker.run(`${name}a`, `${prefix}${name}`, { cmd: ['sleep', '600'] });
      const b = await docker.run(`${name}b`, `${prefix}${name}`, { cmd: ['sleep', '600'] });
      results[name] = (await docker.exec(a, ['ping', '-c1', '-W1', (await docker.addresses(b))[`${prefix}${name}`]])).exitCode;
    }
    assert.notEqual(results.iccoff, 0, 'ICC off: no traffic between containers');
    assert.equal(results.iccon, 0, 'control, ICC on: traffic passes');
  });

  it('7. a static address inside the subnet but outside the ip-range: our check lets it through and Docker gives it', async () => {
    const base = seedSubnet.replace(/\.0\/24$/, '');
    const address = `${base}.5`;
    const holder = await docker.run('static', 'bridge', { cmd: ['sleep', '600'] });
    await ops.connect(
      { container: holder, network: `${prefix}testbridge`, aliases: [], links: [], ipv4Address: address },
      await loader.load(),
    );
    assert.equal((await docker.addresses(holder))[`${prefix}testbridge`], address);
    const inside = await docker.exec(holder, ['ip', '-4', 'addr']);
    assert.match(inside.output, new RegExp(`inet ${address.replace(/\./g, '\\.')}/24 `), inside.output);
  });

  it('8. an alias with a space: Docker stores it but its DNS never answers it; our check stops it before sending', async () => {
    const holder = await docker.run('spaced', 'bridge', { cmd: ['sleep', '600'] });
    await docker.api.getNetwork(`${prefix}testbridge`).connect({ Container: holder, EndpointConfig: { Aliases: ['web one'] } });
    const stored = (await docker.api.getContainer(holder).inspect()).NetworkSettings.Networks[`${prefix}testbridge`];
    assert.ok(stored?.Aliases?.includes('web one'), JSON.stringify(stored?.Aliases));
    const lookup = await docker.nslookup(web2, 'web one');
    assert.notEqual(lookup.exitCode, 0, `"web one" resolved: ${lookup.output}`);
    const control = await docker.nslookup(web2, `${prefix}spaced`);
    assert.equal(control.exitCode, 0, `control: the container's name resolves\n${control.output}`);
    const snapshot = await loader.load();
    const refused = await refusal(() =>
      ops.connect({ container: `${prefix}plain1`, network: `${prefix}testbridge`, aliases: ['web one'], links: [] }, snapshot),
    );
    assert.match(refused.message, /"web one" contains a space: Docker would store it, but its DNS never resolves such a name/);
  });

  it('faults: already connected, not connected, removing bridge, overlay without swarm: clear messages, nothing sent or changed', async () => {
    const snapshot = await loader.load();
    const before = await docker.addresses(web1);
    const again = await refusal(() => ops.connect({ container: web1, network: `${prefix}testbridge`, aliases: [], links: [] }, snapshot));
    assert.match(
      again.message,
      new RegExp(`^${prefix}web1 is already connected to ${prefix}testbridge \\(10\\.15\\.[0-9.]+\\): disconnect it first`),
    );
    const notOn = await refusal(() =>
      ops.disconnect({ container: `${prefix}plain1`, network: `${prefix}testbridge`, force: true }, snapshot),
    );
    assert.equal(notOn.message, `${prefix}plain1 is not connected to ${prefix}testbridge: there is nothing to disconnect.`);
    const bridge = snapshot.networks.find((network) => network.name === 'bridge')!;
    const predefined = await refusal(() => ops.removeNetwork(bridge.id, snapshot, { disconnectAttached: true }));
    assert.match(predefined.message, /^bridge is one of Docker's predefined networks \(bridge, host, none\) and cannot be removed/);
    assert.deepEqual(await docker.addresses(web1), before);
    assert.ok((await loader.load()).networks.some((network) => network.id === bridge.id));

    const info = await client.info();
    if ((info.Swarm as { LocalNodeState?: string }).LocalNodeState !== 'active' && !info.ClusterStore) {
      const overlay = await ops
        .createNetwork(spec('ov', { driver: 'overlay', attachable: true }), snapshot)
        .catch((error: unknown) => error);
      assert.ok(overlay instanceof OperationRefusedError);
      // 20.10 can still take a cluster store; 23+ removed them, so the advice differs.
      const advice = engineHasClusterStore()
        ? /cluster-store diagnostics/
        : /Docker 23 and later no longer support cluster stores, so swarm is the way/;
      assert.match(overlay.message, new RegExp(`need swarm mode or a cluster store.*${advice.source}`));
    }
  });

  it("Docker's own refusal surfaces verbatim with what was sent", async () => {
    // A subnet Docker assigned itself looks configured through the API: only Docker can refuse.
    const auto = await ops.createNetwork(spec('auto'), await loader.load());
    const snapshot = await loader.load();
    const address = suggestFreeIpv4(networkNamed(snapshot, 'auto')!, snapshot)!;
    const error = await ops
      .connect({ container: web2, network: auto.id, aliases: [], links: [], ipv4Address: address }, snapshot)
      .catch((caught: unknown) => caught);
    assert.ok(error instanceof DockerRequestError, String(error));
    // Docker's words as each engine prints them: 26 heads the same refusal with its own line.
    const words = 'user specified IP address is supported only when connecting to networks with user configured subnets';
    assert.equal(error.reason, currentEngine() === '26' ? `invalid endpoint settings:\n${words}` : words);
    assert.ok(
      error.message.includes(
        `Sent: POST /networks/${auto.id}/connect {"Container":"${web2}","EndpointConfig":{"IPAMConfig":{"IPv4Address":"${address}"}}}`,
      ),
      error.message,
    );

    // A stale snapshot lets a taken name through; CheckDuplicate makes Docker refuse it.
    const stale = { ...snapshot, networks: snapshot.networks.filter((network) => network.id !== auto.id) };
    const duplicate = await ops.createNetwork(spec('auto'), stale).catch((caught: unknown) => caught);
    assert.ok(duplicate instanceof DockerRequestError);
    assert.equal(duplicate.reason, `network with name ${prefix}auto already exists`);
    assert.match(
      duplicate.message,
      new RegExp(
        `^create network ${prefix}auto on local failed: network with name ${prefix}auto already exists\\nSent: POST /networks/create \\{"Name":"${prefix}auto","CheckDuplicate":true`,
      ),
    );
  });

  it('prune offers and removes only unused networks, not those a stopped container still needs', async () => {
    for (const name of ['unused1', 'unused2', 'stopped'])
      await ops.createNetwork(bridgeSpec(name, await freeSubnet(taken)), await loader.load());
    // Started, then stopped: a never-started container has no NetworkID in the list answer.
    await docker.api.getContainer(await docker.run('sleeper', `${prefix}stopped`, { cmd: ['sleep', '600'] })).stop({ t: 0 });
    const snapshot = await loader.load();
    const mine = ops.pruneCandidates(snapshot).filter((network) => network.name.startsWith(prefix));
    const names = mine.map((network) => network.name.slice(prefix.length)).sort();
    assert.ok(
      names.includes('unused1') && names.includes('unused2') && !names.includes('stopped') && !names.includes('testbridge'),
      names.join(', '),
    );
    assert.ok(!ops.pruneCandidates(snapshot).some((network) => network.predefined));
    const result = await ops.prune(mine);
    assert.deepEqual(result.failed, []);
    const after = await loader.load();
    assert.equal(mine.filter((network) => after.networks.some((entry) => entry.id === network.id)).length, 0);
    assert.ok(networkNamed(after, 'stopped'));
  });

  it('removes a stopped container, and refuses a running one without calling the daemon', async () => {
    const running = await docker.run('rmrunning', 'bridge', { cmd: ['sleep', '600'] });
    const stopped = await docker.run('rmstopped', 'bridge', { cmd: ['sleep', '600'] });
    await docker.api.getContainer(stopped).stop({ t: 0 });
    // Engine 26's container list can still say "running" just after the stop call returns.
    let snapshot = await loader.load();
    for (let tries = 0; tries < 50 && snapshot.containers.find((entry) => entry.id === stopped)?.state !== 'exited'; tries++) {
      await sleep(100);
      snapshot = await loader.load();
    }
    const refused = await refusal(() => ops.removeContainer(running, snapshot));
    assert.equal(
      refused.message,
      `${prefix}rmrunning is running: stop it first (docker stop ${prefix}rmrunning); only a stopped container is removed here.`,
    );
    assert.equal((await docker.api.getContainer(running).inspect()).State.Running, true);
    const container = snapshot.containers.find((entry) => entry.id === stopped)!;
    assert.equal(
      ops.containerRemovalConfirmation(container, snapshot),
      `Remove container ${prefix}rmstopped (exited, ${TEST_IMAGE}); it leaves bridge? Its writable layer is deleted; its volumes are kept.`,
    );
    await ops.removeContainer(stopped, snapshot);
    await assert.rejects(docker.api.getContainer(stopped).inspect(), (error: { statusCode?: number }) => error.statusCode === 404);
    // Gone already (another window removed it): Docker's own answer, verbatim.
    const gone = await ops.removeContainer(stopped, snapshot).catch((caught: unknown) => caught);
    assert.ok(gone instanceof DockerRequestError, String(gone));
    assert.equal(gone.statusCode, 404);
    assert.match(gone.reason, new RegExp(`^No such container: ${stopped}`));
  });

  describe('the daemon failing mid-operation leaves nothing half-done', () => {
    const proxy = new FaultyDockerProxy(SOCKET);
    let faulty: NetworkOperations;
    before(async () => {
      faulty = new NetworkOperations(new DockerClient(unixEndpoint(await proxy.start()), 'local', { timeoutMs: 30_000 }));
    });
    after(() => proxy.close());

    it('create answered, but the check fails: the network is removed again', async () => {
      proxy.inject({ method: 'GET', path: /^\/networks\/[0-9a-f]{64}/, action: 'status500' });
      const error = await faulty
        .createNetwork(bridgeSpec('verifyfail', await freeSubnet(taken)), await loader.load())
        .catch((caught: unknown) => caught);
      assert.ok(error instanceof OperationRolledBackError, String(error));
      assert.equal(error.leftBehind, false);
      assert.match(error.message, /was created, but checking it failed: .*injected fault.*; it was removed again, nothing is left behind/s);
      assert.equal(networkNamed(await loader.load(), 'verifyfail'), undefined);
    });

    it('create done by the daemon but its answer lost: found and removed', async () => {
      proxy.inject({ method: 'POST', path: /^\/networks\/create/, action: 'drop-answer' });
      const error = await faulty
        .createNetwork(bridgeSpec('lostanswer', await freeSubnet(taken)), await loader.load())
        .catch((caught: unknown) => caught);
      assert.ok(error instanceof OperationRolledBackError, String(error));
      assert.ok(
        error.cause instanceof DockerRequestError &&
          error.cause.callError instanceof DockerCallError &&
          error.cause.statusCode === undefined,
      );
      assert.match(error.message, /answer was lost; the network was removed again/);
      assert.equal(networkNamed(await loader.load(), 'lostanswer'), undefined);
    });

    it('removal fails after disconnecting: the containers are connected again', async () => {
      await ops.createNetwork(bridgeSpec('rmfail', await freeSubnet(taken)), await loader.load());
      const holder = await docker.run('holder', `${prefix}rmfail`, { cmd: ['sleep', '600'] });
      const snapshot = await loader.load();
      proxy.inject({ method: 'DELETE', path: /^\/networks\//, action: 'status500' });
      const error = await faulty
        .removeNetwork(`${prefix}rmfail`, snapshot, { disconnectAttached: true })
        .catch((caught: unknown) => caught);
      assert.ok(error instanceof OperationRolledBackError, String(error));
      assert.match(error.message, new RegExp(`failed after disconnecting ${prefix}holder; they were connected again`));
      assert.ok(`${prefix}rmfail` in (await docker.addresses(holder)));
    });
  });
});
