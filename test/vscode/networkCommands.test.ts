/**
 * The network commands inside a real VS Code (code-server's extension host) against the real
 * dockerd: run through vscode.commands.executeCommand with scripted answers (the test API's
 * scriptPrompts), checked in the tree (updated by Docker's events, never refreshed) and on the
 * daemon itself (through dockerode, not the code under test).
 */
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { cidrsOverlap, parseCidr } from '../../src/core/net/cidr';
import type { ScriptedAnswers, ScriptedPrompter } from '../../src/vscode/commands/scriptedPrompter';
import type { ExtensionTestApi, RenderedRow } from '../../src/vscode/testApi';
import { DockerFixture, PID_LABEL, TEST_LABEL, ensureTestImage, statusOf, type Created } from '../support/dockerFixture';
import { EXTENSION_ID, findRow } from '../support/extensionUnderTest';
import { currentEngine } from '../support/engine';

/** Compares the start only: the rest of these messages is the core's advice, tested there. */
function startsWith(actual: string | undefined, prefix: string): void {
  assert.equal(actual?.slice(0, prefix.length), prefix, `whole text: ${actual}`);
}

/** `count` random 10.15.x.0/24 blocks (x from 100 to 249) that no network on the daemon overlaps. */
async function freeBlocks(fixture: DockerFixture, count: number): Promise<string[]> {
  const used = (await fixture.docker.listNetworks())
    .flatMap((network) => network.IPAM?.Config ?? [])
    .flatMap((config) => {
      const parsed = config.Subnet ? parseCidr(config.Subnet, false) : undefined;
      return parsed?.ok ? [parsed.cidr] : [];
    });
  const free: string[] = [];
  for (let tries = 0; free.length < count && tries < 500; tries++) {
    const base = `10.15.${100 + Math.floor(Math.random() * 150)}`;
    const block = parseCidr(`${base}.0/24`);
    if (block.ok && !free.includes(base) && !used.some((other) => cidrsOverlap(block.cidr, other))) free.push(base);
  }
  assert.equal(free.length, count, 'no free 10.15.x.0/24 blocks on this daemon');
  return free;
}

describe('Network commands on the local daemon', function () {
  this.timeout(60_000);
  const fixture = new DockerFixture();
  // Networks made through the commands carry the fixture's labels, so its cleanup finds them.
  const labels = `${TEST_LABEL}=${fixture.runId},${PID_LABEL}=${process.pid}`;
  const networkName = fixture.name('tb');
  let api: ExtensionTestApi;
  let host = '';
  let base = '';
  let otherBase = '';
  let web1: Created;

  /** Runs a command as the palette or a context menu would, answering from `answers`. */
  async function run(command: string, answers: ScriptedAnswers, node?: unknown): Promise<{ result: unknown; prompts: ScriptedPrompter }> {
    const prompts = api.scriptPrompts({ host, ...answers });
    try {
      const result = await vscode.commands.executeCommand(`dockerNetworkExplorer.${command}`, node);
      return { result, prompts };
    } finally {
      prompts.dispose();
    }
  }

  const nodeOf = (label: string) => {
    const found = findRow(api.render('networks'), label);
    assert.ok(found, `no ${label} row`);
    return api.node('networks', found.id);
  };
  const endpointRow = (rows: readonly RenderedRow[]) => findRow(rows, networkName)?.children.find((entry) => entry.label === web1.name);
  const networkCount = async () => (await fixture.docker.listNetworks()).length;

  before(async () => {
    const extension = vscode.extensions.getExtension<ExtensionTestApi>(EXTENSION_ID);
    assert.ok(extension, `${EXTENSION_ID} is not loaded`);
    api = await extension.activate();
    await ensureTestImage(fixture.docker);
    await api.waitFor('networks', (rows) => rows.some((entry) => entry.contextValue === 'hostConnected'), 30_000);
    // The local host comes first; a host another suite configured may still be listed after it.
    host = api.hostStates()[0].name;
    [base, otherBase] = await freeBlocks(fixture, 2);
    web1 = await fixture.runContainer({ name: 'web1', cmd: ['httpd', '-f', '-p', '80', '-h', '/www'] });
  });
  after(() => fixture.cleanup());

  it('creates a bridge network with subnet, gateway and ip-range; the tree shows it by itself', async () => {
    const { prompts } = await run('createBridgeNetwork', {
      name: networkName,
      subnet: `${base}.0/24`,
      gateway: `${base}.1`,
      ipRange: `${base}.128/25`,
      labels,
      confirm: 'Create',
    });
    assert.deepEqual(prompts.failures, []);
    assert.deepEqual(
      prompts.transcript.map((entry) => [entry.title, entry.validation]),
      [
        // 9 and 10 (IPv6 gateway and range) are passed over without an IPv6 subnet, still counted.
        ...[1, 2, 3, 4, 5, 6, 7, 8, 11].map((step) => [`Create Bridge Network (${step}/11)`, undefined]),
        [`Create bridge network ${networkName} on ${host}?`, undefined],
      ],
    );
    assert.deepEqual(prompts.entry('options')?.answer, ['Inter-container communication']);
    // The last step sums up the network, options as ticked, in a dialog that wraps its text.
    assert.equal(
      prompts.entry('confirm')?.detail,
      [
        `Subnet ${base}.0/24, gateway ${base}.1, ip-range ${base}.128/25`,
        'Internal: no · Inter-container communication: yes',
        `Bridge br-<id> · MTU default · Labels ${labels.split(',').join(', ')}`,
      ].join('\n'),
    );

    const rows = await api.waitFor('networks', (rows) => findRow(rows, networkName) !== undefined, 10_000);
    assert.equal(findRow(rows, networkName)!.description, `bridge · local · ${base}.0/24 gw ${base}.1 range ${base}.128/25`);
    const inspected = await fixture.docker.getNetwork(networkName).inspect();
    assert.deepEqual(inspected.IPAM?.Config, [{ Subnet: `${base}.0/24`, Gateway: `${base}.1`, IPRange: `${base}.128/25` }]);
    assert.equal(inspected.Options?.['com.docker.network.bridge.enable_icc'], 'true');
    assert.equal(inspected.Internal, false);
  });

  it('connects a container from the network row, with an alias', async () => {
    // No answer for the address: Enter on what the step shows, which must be empty (as with
    // `docker network connect`, no address is pinned unless typed).
    const { prompts } = await run('connectContainer', { container: web1.name, aliases: 'webone' }, nodeOf(networkName));
    assert.deepEqual(prompts.failures, []);
    assert.ok(prompts.entry('container')?.offered?.includes(web1.name));
    assert.equal(prompts.entry('ipv4Address')?.answer, '');

    // Waits for the row as it should read: a first reload may show it before its address.
    const addressInRange = new RegExp(`^${base.replace(/\./g, '\\.')}\\.(12[89]|1[3-9]\\d|2[0-5]\\d)/24 · aliases webone$`);
    await api.waitFor('networks', (rows) => addressInRange.test(endpointRow(rows)?.description ?? ''), 10_000);
    const container = await fixture.docker.getContainer(web1.id).inspect();
    assert.ok(
      container.NetworkSettings.Networks[networkName]?.Aliases?.includes('webone'),
      JSON.stringify(container.NetworkSettings.Networks),
    );
  });

  it('disconnects it from the endpoint row after a confirmation', async () => {
    const endpoint = endpointRow(api.render('networks'));
    assert.ok(endpoint);
    const { prompts } = await run('disconnectContainer', { confirm: 'Disconnect' }, api.node('networks', endpoint.id));
    assert.deepEqual(prompts.failures, []);
    assert.equal(prompts.entry('confirm')?.title, `Disconnect ${web1.name} from ${networkName}?`);

    await api.waitFor('networks', (rows) => findRow(rows, networkName) !== undefined && endpointRow(rows) === undefined, 10_000);
    const container = await fixture.docker.getContainer(web1.id).inspect();
    assert.deepEqual(Object.keys(container.NetworkSettings.Networks), ['bridge']);
  });

  it('connects a stopped container, shown though Docker announces nothing for that connect', async () => {
    const silent = await fixture.runContainer({ name: 'silent', cmd: ['sleep', '600'], start: false });
    await api.waitFor('containers', (rows) => findRow(rows, silent.name) !== undefined, 10_000);
    // Past the warm load that follows the create's events: from here only a new load shows the connect.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const { prompts } = await run('connectContainer', { container: silent.name }, nodeOf(networkName));
    assert.deepEqual(prompts.failures, []);
    const silentRow = (rows: readonly RenderedRow[]) => findRow(rows, networkName)?.children.find((entry) => entry.label === silent.name);
    await api.waitFor('networks', (rows) => silentRow(rows) !== undefined, 5_000);
    const container = await fixture.docker.getContainer(silent.id).inspect();
    assert.ok(networkName in container.NetworkSettings.Networks, JSON.stringify(container.NetworkSettings.Networks));
    await fixture.docker.getContainer(silent.id).remove({ force: true });
    await api.waitFor('networks', (rows) => findRow(rows, networkName) !== undefined && silentRow(rows) === undefined, 10_000);
  });

  it('removes the network after a confirmation naming the container still attached', async () => {
    await fixture.connect(web1.id, networkName);
    await api.waitFor('networks', (rows) => endpointRow(rows) !== undefined, 10_000);
    const { prompts } = await run('removeNetwork', { confirm: 'Remove' }, nodeOf(networkName));
    assert.deepEqual(prompts.failures, []);
    startsWith(
      prompts.entry('confirm')?.title,
      `Remove network ${networkName}? These containers will be disconnected from it: ${web1.name} (running`,
    );

    await api.waitFor('networks', (rows) => findRow(rows, networkName) === undefined, 10_000);
    await assert.rejects(fixture.docker.getNetwork(networkName).inspect(), (error) => statusOf(error) === 404);
    const container = await fixture.docker.getContainer(web1.id).inspect();
    assert.equal(container.State.Running, true);
  });

  it('removes a stopped container from its row after a confirmation; a running one is refused, nothing asked', async () => {
    const stopped = await fixture.runContainer({ name: 'stopped', cmd: ['sleep', '600'] });
    await fixture.docker.getContainer(stopped.id).stop({ t: 0 });
    // The row as it is once the tree has caught up with the stop: a row drawn from the create event
    // alone is "stopped" too (state created), and would be asked about too early.
    const containerNode = async (name: string, state: string, shown: string) => {
      const rows = await api.waitFor(
        'containers',
        (all) => findRow(all, name)?.contextValue === `container.${state}` && findRow(all, name)!.description.startsWith(shown),
        10_000,
      );
      return api.node('containers', findRow(rows, name)!.id);
    };
    const refused = (await run('removeContainer', {}, await containerNode(web1.name, 'running', 'running'))).prompts;
    assert.deepEqual(refused.transcript, []);
    assert.equal(
      refused.failures[0],
      `Container ${web1.name} was not removed; nothing was sent to Docker. Container: ${web1.name} is running: stop it first (docker stop ${web1.name}); only a stopped container is removed here.`,
    );
    assert.equal((await fixture.docker.getContainer(web1.id).inspect()).State.Running, true);

    const { prompts } = await run('removeContainer', { confirm: 'Remove' }, await containerNode(stopped.name, 'stopped', 'exited'));
    assert.deepEqual(prompts.failures, []);
    startsWith(prompts.entry('confirm')?.title, `Remove container ${stopped.name} (exited, `);
    await api.waitFor('containers', (rows) => findRow(rows, stopped.name) === undefined, 10_000);
    await assert.rejects(fixture.docker.getContainer(stopped.id).inspect(), (error) => statusOf(error) === 404);
  });

  it('refuses to remove bridge with a clear message, asking nothing and changing nothing', async () => {
    const before = await networkCount();
    const { prompts } = await run('removeNetwork', {}, nodeOf('bridge'));
    assert.equal(prompts.entry('confirm'), undefined, 'a confirmation was asked for a network that cannot be removed');
    assert.equal(prompts.failures.length, 1);
    startsWith(
      prompts.failures[0],
      "Network bridge was not removed; nothing was sent to Docker. Network: bridge is one of Docker's predefined networks (bridge, host, none) and cannot be removed",
    );
    assert.equal(await networkCount(), before);
    assert.equal((await fixture.docker.getNetwork('bridge').inspect()).Name, 'bridge');
  });

  it('a bad gateway never reaches the daemon, and the message names the field', async () => {
    const name = fixture.name('badgw');
    const badGateway = `10.15.${Number(otherBase.split('.')[2]) + 1}.1`;
    const before = await networkCount();
    const { prompts } = await run('createBridgeNetwork', { name, subnet: `${otherBase}.0/24`, gateway: badGateway, labels });
    // What the input box showed while the gateway was typed...
    startsWith(prompts.entry('gateway')?.validation, `${badGateway} is outside the subnet ${otherBase}.0/24`);
    // ...and, the script having pressed Enter anyway, the core's refusal.
    assert.equal(prompts.failures.length, 1);
    startsWith(
      prompts.failures[0],
      `Network ${name} was not created on ${host}; nothing was sent to Docker. Gateway: ${badGateway} is outside the subnet`,
    );
    assert.equal(await networkCount(), before);
    await assert.rejects(fixture.docker.getNetwork(name).inspect(), (error) => statusOf(error) === 404);
  });

  it("shows Docker's own refusal verbatim, with the request that drew it", async () => {
    // Docker picks this network's subnet. The API shows it like a configured one, so the
    // command takes a static address, which Docker refuses (validateConnect.ts says why).
    const auto = await fixture.createNetwork({ name: 'auto' });
    await api.waitFor('networks', (rows) => findRow(rows, auto.name) !== undefined, 10_000);
    const gateway = (await fixture.docker.getNetwork(auto.id).inspect()).IPAM?.Config?.[0]?.Gateway ?? '';
    const address = gateway.replace(/\.(\d+)$/, (_, last: string) => `.${Number(last) + 9}`);
    const { prompts } = await run('connectContainer', { container: web1.name, ipv4Address: address }, nodeOf(auto.name));
    assert.equal(prompts.entry('ipv4Address')?.validation, undefined);
    assert.equal(prompts.failures.length, 1);
    const sent = JSON.stringify({ Container: web1.id, EndpointConfig: { IPAMConfig: { IPv4Address: address } } });
    assert.equal(
      prompts.failures[0],
      `${web1.name} was not connected to ${auto.name}. Docker answered: ` +
        // Engine 26 heads the same refusal with a line of its own.
        `"${currentEngine() === '26' ? 'invalid endpoint settings:\n' : ''}user specified IP address is supported only when connecting to networks with user configured subnets". ` +
        `Sent: POST /networks/${auto.id}/connect ${sent}`,
    );
    const container = await fixture.docker.getContainer(web1.id).inspect();
    assert.equal(container.NetworkSettings.Networks[auto.name], undefined);
  });

  it('refuses an overlay network on a daemon without swarm or cluster store, before asking anything', async function () {
    const info = (await fixture.docker.info()) as { Swarm?: { LocalNodeState?: string } };
    if (info.Swarm?.LocalNodeState === 'active') this.skip();
    const { prompts } = await run('createOverlayNetwork', { name: fixture.name('ov') });
    assert.deepEqual(prompts.transcript, []);
    assert.equal(prompts.failures.length, 1);
    startsWith(prompts.failures[0], `Cannot create an overlay network on ${host}: Overlay networks need swarm mode or a cluster store`);
  });
});
