/**
 * macvlan, ipvlan, config-only / config-from pairs and dual-stack networks created through
 * NetworkOperations on the three-host lab (tools/lab/): each host is a network namespace whose eth0
 * sits on the lab's LAN, so a macvlan on parent eth0 puts containers of two hosts on one segment,
 * and they must answer each other (IPv4 and IPv6). Docker's refusals of bad driver input are sent
 * past our validation to the real daemon and compared with the words validateDrivers.ts quotes.
 * The lab is claimed (never one somebody else brought up) and taken down after; etcd on 20.10,
 * swarm on engines without cluster stores. Everything made here is named `drv5-…`.
 */
import { spawnSync } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import Dockerode from 'dockerode';
import { DockerClient } from '../../src/core/docker/dockerClient';
import { DockerOperationsClient, DockerRequestError } from '../../src/core/docker/dockerOperationsClient';
import { SnapshotLoader } from '../../src/core/docker/snapshotLoader';
import { explainDockerRefusal } from '../../src/core/operations/dockerRefusals';
import { NetworkOperations } from '../../src/core/operations/networkOperations';
import { defaultNetworkSpec, toCreateOptions, type NetworkSpec } from '../../src/core/operations/networkSpec';
import { DOCKER_SAYS } from '../../src/core/operations/validateDrivers';
import { validateNetworkSpec } from '../../src/core/operations/validateNetwork';
import { unixEndpoint } from '../support/dockerFixture';
import { currentEngine, engineHasClusterStore } from '../support/engine';
import { claimLab, labLayout, labUpOrExplain, type Lab, type LabHostName } from '../support/lab';
import { dockerExec } from '../support/reachProof';

const PREFIX = 'drv5';
const IMAGE = 'dne-busybox:lab';
const layout = labLayout();
/** The LAN's /24 (192.168.(77+N).0/24), its bridge as gateway; each host hands out its own slice. */
const LAN = layout.storeIp.replace(/\.1$/, '.0/24');
const LAN_GATEWAY = layout.storeIp;
const lanSlice = (host: LabHostName, offset: number) =>
  layout.storeIp.replace(/\.1$/, `.${offset + 16 * ['docker1', 'docker2'].indexOf(host)}/28`);
const V6 = 'fd00:5:82::/64';
const v6Slice = (host: LabHostName) => `fd00:5:82::${host === 'docker1' ? 1 : 2}:0/112`;
const PAIR: LabHostName[] = ['docker1', 'docker2'];

/** Whether this kernel makes ipvlan links at all (some are built without CONFIG_IPVLAN). */
const IPVLAN_IN_KERNEL = kernelHasIpvlan();
function kernelHasIpvlan(): boolean {
  const name = `${PREFIX}ipvprobe`;
  const made = spawnSync('ip', ['link', 'add', 'link', 'lo', 'name', name, 'type', 'ipvlan', 'mode', 'l2'], { encoding: 'utf8' });
  if (made.status === 0) spawnSync('ip', ['link', 'del', name]);
  return made.status === 0 || !/Unknown device type/.test(made.stderr);
}

interface Host {
  name: LabHostName;
  socket: string;
  api: Dockerode;
  ops: NetworkOperations;
  raw: DockerOperationsClient;
  loader: SnapshotLoader;
}

describe('macvlan, ipvlan and dual-stack networks across the lab', { skip: process.getuid?.() !== 0 && 'needs root' }, () => {
  let lab: Lab | undefined;
  const hosts = new Map<LabHostName, Host>();
  const host = (name: LabHostName) => hosts.get(name)!;

  before(async () => {
    lab = await claimLab();
    await labUpOrExplain(lab, { store: engineHasClusterStore() ? 'etcd' : 'swarm' });
    for (const name of PAIR) {
      const socket = layout.socket(name);
      const client = new DockerClient(unixEndpoint(socket), name, { timeoutMs: 20_000 });
      hosts.set(name, {
        name,
        socket,
        api: new Dockerode({ socketPath: socket }),
        ops: new NetworkOperations(client),
        raw: new DockerOperationsClient(client),
        loader: new SnapshotLoader(client, name),
      });
    }
  });

  after(async () => {
    if (lab) await lab.labDown();
  });

  /** Creates through NetworkOperations (validation, create, read back) on one host. */
  async function create(on: LabHostName, spec: NetworkSpec) {
    return host(on).ops.createNetwork(spec, await host(on).loader.load());
  }

  /** A config-only macvlan on eth0 of `on`, handing out the host's own slice of the LAN. */
  async function createTemplate(on: LabHostName, name: string, offset: number) {
    return create(on, {
      ...defaultNetworkSpec('macvlan', name),
      configOnly: true,
      parent: 'eth0',
      subnet: LAN,
      gateway: LAN_GATEWAY,
      ipRange: lanSlice(on, offset),
    });
  }

  async function ipOn(on: LabHostName, container: string, network: string): Promise<string> {
    return (await host(on).api.getContainer(container).inspect()).NetworkSettings.Networks[network]?.IPAddress ?? '';
  }

  async function runOn(on: LabHostName, name: string, network: string): Promise<{ ipv4: string; ipv6: string }> {
    const container = await host(on).api.createContainer({
      name,
      Image: IMAGE,
      Cmd: ['sleep', '600'],
      HostConfig: { NetworkMode: network },
    });
    await container.start();
    const settings = (await container.inspect()).NetworkSettings.Networks[network];
    return { ipv4: settings?.IPAddress ?? '', ipv6: settings?.GlobalIPv6Address ?? '' };
  }

  /** Removes what a test made, each item on its own (one that was never made fails alone). */
  async function removeAll(containers: Array<[LabHostName, string]>, networks: Array<[LabHostName, string]>) {
    for (const [on, name] of containers)
      await host(on)
        .api.getContainer(name)
        .remove({ force: true })
        .catch(() => undefined);
    for (const [on, name] of networks)
      await host(on)
        .api.getNetwork(name)
        .remove()
        .catch(() => undefined);
  }

  /** ping from a container; IPv6 addresses may need a moment (duplicate address detection). */
  async function assertPings(on: LabHostName, from: string, target: string) {
    let last = { exitCode: -1, output: '' };
    for (let attempt = 0; attempt < 5; attempt++) {
      last = await dockerExec(host(on).socket, from, ['ping', ...(target.includes(':') ? ['-6'] : []), '-c', '1', '-W', '2', target]);
      if (last.exitCode === 0) return;
    }
    assert.fail(`${from} on ${on} does not reach ${target}: ${last.output}`);
  }

  for (const [driver, mode] of [
    ['macvlan', 'bridge'],
    ['ipvlan', 'l2'],
  ] as const) {
    const unsupported = driver === 'ipvlan' && !IPVLAN_IN_KERNEL;
    it(`a dual-stack ${driver} (${mode}) on parent eth0 of docker1 and docker2: ${
      unsupported
        ? "this kernel has no ipvlan: the network is made, Docker's refusal at container start is quoted and explained"
        : 'containers of both hosts answer each other over IPv4 and IPv6'
    }`, async () => {
      const network = `${PREFIX}-${driver}`;
      const addresses = new Map<LabHostName, { ipv4: string; ipv6: string }>();
      try {
        for (const on of PAIR) {
          const created = await create(on, {
            ...defaultNetworkSpec(driver, network),
            parent: 'eth0',
            mode,
            subnet: LAN,
            gateway: LAN_GATEWAY,
            ipRange: lanSlice(on, 64),
            ipv6Subnet: V6,
            ipv6IpRange: v6Slice(on),
          });
          const inspected = await host(on).api.getNetwork(created.id).inspect();
          assert.equal(inspected.Driver, driver);
          assert.equal(inspected.EnableIPv6, true);
          assert.deepEqual(inspected.Options, { parent: 'eth0', [`${driver}_mode`]: mode });
          // The tree reads the parent from the snapshot's options.
          const model = (await host(on).loader.load()).networks.find((candidate) => candidate.id === created.id);
          assert.equal(model?.options.parent, 'eth0');
          if (unsupported) {
            // This kernel cannot make the container's link: the network exists, the start fails.
            const error = await runOn(on, `${PREFIX}-${driver}-${on}`, network).catch((failure: unknown) => failure);
            assert.match(String(error), /failed to create the ipvlan port: operation not supported/);
            const reason = /failed to create the ipvlan port: operation not supported/.exec(String(error))![0];
            assert.match(explainDockerRefusal(reason) ?? '', /kernel has no ipvlan support/);
            return;
          }
          addresses.set(on, await runOn(on, `${PREFIX}-${driver}-${on}`, network));
        }
        const [one, two] = [addresses.get('docker1')!, addresses.get('docker2')!];
        assert.match(one.ipv4, /\.(6[4-9]|7\d)$/, 'docker1 hands out its slice');
        assert.match(two.ipv4, /\.(8\d|9[0-5])$/, 'docker2 hands out its slice');
        assert.match(two.ipv6, /^fd00:5:82::2:/);
        await assertPings('docker1', `${PREFIX}-${driver}-docker1`, two.ipv4);
        await assertPings('docker2', `${PREFIX}-${driver}-docker2`, one.ipv4);
        await assertPings('docker1', `${PREFIX}-${driver}-docker1`, two.ipv6);
        await assertPings('docker2', `${PREFIX}-${driver}-docker2`, one.ipv6);
      } finally {
        await removeAll(
          PAIR.map((on) => [on, `${PREFIX}-${driver}-${on}`]),
          PAIR.map((on) => [on, network]),
        ).catch(() => undefined);
      }
    });
  }

  it('a config-only macvlan on each host, then the network from it: each host hands out its own slice, and they answer each other', async () => {
    const config = `${PREFIX}-mvcfg`;
    const network = `${PREFIX}-mvfrom`;
    const made: Array<[LabHostName, string]> = [];
    try {
      for (const on of PAIR) {
        await createTemplate(on, config, 96);
        made.push([on, config]);
        const template = (await host(on).loader.load()).networks.find((candidate) => candidate.name === config);
        // libnetwork keeps a config-only network under the "null" driver (validateConfigFrom relies on it).
        assert.deepEqual([template?.configOnly, template?.driver], [true, 'null']);
        const created = await create(on, { ...defaultNetworkSpec('macvlan', network), configFrom: config });
        made.unshift([on, network]);
        const inspected = await host(on).api.getNetwork(created.id).inspect();
        assert.deepEqual([inspected.ConfigFrom?.Network, inspected.Options?.parent], [config, 'eth0']);
        await runOn(on, `${PREFIX}-from-${on}`, network);
      }
      const ipOf = (on: LabHostName) => ipOn(on, `${PREFIX}-from-${on}`, network);
      const [one, two] = [await ipOf('docker1'), await ipOf('docker2')];
      assert.match(one, /\.(9[6-9]|10\d|11[01])$/);
      assert.match(two, /\.(11[2-9]|12[0-7])$/);
      await assertPings('docker1', `${PREFIX}-from-docker1`, two);
      await assertPings('docker2', `${PREFIX}-from-docker2`, one);
      // The template cannot go while a network uses it: Docker's words, explained.
      const inUse = await host('docker1')
        .raw.removeNetwork(config)
        .then(
          () => undefined,
          (error: unknown) => error,
        );
      assert.ok(inUse instanceof DockerRequestError, String(inUse));
      assert.match(inUse.reason, new RegExp(`configuration network "${config}" is in use`));
      assert.match(explainDockerRefusal(inUse.reason) ?? '', /remove them first/);
    } finally {
      await removeAll(
        PAIR.map((on) => [on, `${PREFIX}-from-${on}`]),
        made,
      ).catch(() => undefined);
    }
  });

  it(
    'a swarm-scoped, attachable macvlan made on one manager from the config-only network each host has: containers of two hosts answer each other',
    { skip: engineHasClusterStore() && 'the 20.10 lab runs a cluster store, not swarm (this runs on the swarm lab of Engine 26)' },
    async () => {
      const config = `${PREFIX}-swcfg`;
      const network = `${PREFIX}-swmv`;
      try {
        for (const on of PAIR) {
          await createTemplate(on, config, 128);
        }
        const created = await create('docker1', {
          ...defaultNetworkSpec('macvlan', network),
          configFrom: config,
          scope: 'swarm',
          attachable: true,
        });
        const inspected = await host('docker1').api.getNetwork(created.id).inspect();
        assert.deepEqual([inspected.Scope, inspected.Attachable, inspected.ConfigFrom?.Network], ['swarm', true, config]);
        for (const on of PAIR) await runOn(on, `${PREFIX}-sw-${on}`, network);
        const ipOf = (on: LabHostName) => ipOn(on, `${PREFIX}-sw-${on}`, network);
        const [one, two] = [await ipOf('docker1'), await ipOf('docker2')];
        assert.match(one, /\.(12[89]|13\d|14[0-3])$/, 'docker1 hands out its own slice');
        assert.match(two, /\.(14[4-9]|15\d)$/, 'docker2 hands out its own slice');
        await assertPings('docker1', `${PREFIX}-sw-docker1`, two);
        await assertPings('docker2', `${PREFIX}-sw-docker2`, one);
      } finally {
        await removeAll(
          PAIR.map((on) => [on, `${PREFIX}-sw-${on}`]),
          [['docker1', network]],
        );
        // Each node drops its local instance of the swarm network a moment later: until then the template is in use.
        for (const on of PAIR) {
          for (let attempt = 0; attempt < 20; attempt++) {
            const gone = await host(on)
              .api.getNetwork(config)
              .remove()
              .then(
                () => true,
                (error: unknown) => /not found|No such network/i.test(String(error)),
              );
            if (gone) break;
            await new Promise((resolve) => setTimeout(resolve, 500));
          }
        }
      }
    },
  );

  describe("Docker's own refusals, sent past our validation", () => {
    const base = (extra: Partial<NetworkSpec>): NetworkSpec => ({
      ...defaultNetworkSpec('macvlan', `${PREFIX}-bad`),
      parent: 'eth0',
      ...extra,
    });
    /** Validation refuses the spec; the daemon, sent the same body, refuses it with the quoted words. */
    async function assertDockerSays(spec: NetworkSpec, words: string, explained?: RegExp) {
      const snapshot = await host('docker1').loader.load();
      const ours = validateNetworkSpec(spec, snapshot);
      assert.ok(ours.length > 0, `validation let ${JSON.stringify(spec)} through`);
      assert.ok(
        ours.some((problem) => problem.message.includes(words)) || explained,
        `${ours.map((p) => p.message).join('\n')}\nlacks: ${words}`,
      );
      const error = await host('docker1')
        .raw.createNetwork(toCreateOptions(spec))
        .then(
          async (answer) => {
            await host('docker1').api.getNetwork(answer.Id).remove();
            return undefined;
          },
          (failure: unknown) => failure,
        );
      assert.ok(error instanceof DockerRequestError, `the daemon accepted ${JSON.stringify(spec)}`);
      assert.equal(error.reason, words);
      if (explained) assert.match(explainDockerRefusal(error.reason) ?? '', explained);
    }

    it('modes of the other driver', async () => {
      await assertDockerSays(base({ mode: 'l2' }), DOCKER_SAYS.mode('macvlan', 'l2'));
      await assertDockerSays(base({ driver: 'ipvlan', mode: 'vepa' }), DOCKER_SAYS.mode('ipvlan', 'vepa'));
    });

    it('VLAN sub-interfaces: an id out of range, one that is no number', async () => {
      await assertDockerSays(base({ parent: 'eth0.5000' }), DOCKER_SAYS.vlanRange(5000));
      await assertDockerSays(base({ parent: 'eth0.abc' }), DOCKER_SAYS.vlanUnparsable('abc'));
    });

    it('config-from with settings of its own, or from a template that does not exist', async () => {
      const config = `${PREFIX}-badcfg`;
      await create('docker1', { ...defaultNetworkSpec('macvlan', config), configOnly: true, parent: 'eth0' });
      try {
        await assertDockerSays({ ...base({ configFrom: config }) }, DOCKER_SAYS.configFromOptions);
        await assertDockerSays({ ...base({ parent: undefined, configFrom: config, labels: { a: 'b' } }) }, DOCKER_SAYS.configFromSettings);
        await assertDockerSays(
          { ...base({ parent: undefined, configFrom: `${PREFIX}-none` }) },
          DOCKER_SAYS.configFromMissing(`${PREFIX}-none`),
        );
        await assertDockerSays({ ...base({ configOnly: true, internal: true }) }, DOCKER_SAYS.configOnlyOperator);
      } finally {
        await host('docker1').api.getNetwork(config).remove();
      }
    });

    it('a second macvlan on a parent one already uses', async () => {
      const first = await create('docker1', base({ name: `${PREFIX}-first`, subnet: '10.55.1.0/24' }));
      try {
        const spec = base({ subnet: '10.55.2.0/24' });
        assert.match(validateNetworkSpec(spec, await host('docker1').loader.load())[0]?.message ?? '', /already uses eth0/);
        const error = await host('docker1')
          .raw.createNetwork(toCreateOptions(spec))
          .catch((failure: unknown) => failure);
        assert.ok(error instanceof DockerRequestError, String(error));
        assert.equal(error.reason, `network dm-${first.id.slice(0, 12)} is already using parent interface eth0`);
        assert.match(explainDockerRefusal(error.reason) ?? '', /one macvlan or ipvlan network per parent/);
      } finally {
        await host('docker1').api.getNetwork(first.id).remove();
      }
    });

    it('a parent the host does not have is refused by Docker (we cannot see host interfaces) and explained', async () => {
      const error = await host('docker1')
        .raw.createNetwork(toCreateOptions(base({ parent: 'nope0' })))
        .catch((failure: unknown) => failure);
      assert.ok(error instanceof DockerRequestError, String(error));
      assert.equal(error.reason, DOCKER_SAYS.noSuchParent('nope0'));
      assert.match(explainDockerRefusal(error.reason) ?? '', /no interface "nope0"/);
    });

    it(`ipvlan l3s: ${currentEngine() === '20.10' ? 'refused by 20.10' : 'accepted'}`, async () => {
      const spec = base({ driver: 'ipvlan', mode: 'l3s', name: `${PREFIX}-l3s` });
      const outcome = await host('docker1')
        .raw.createNetwork(toCreateOptions(spec))
        .catch((failure: unknown) => failure);
      if (currentEngine() === '20.10') {
        assert.ok(outcome instanceof DockerRequestError, String(outcome));
        assert.equal(outcome.reason, DOCKER_SAYS.mode('ipvlan', 'l3s'));
        assert.match(explainDockerRefusal(outcome.reason) ?? '', /choose l2 or l3/);
      } else {
        assert.ok(!(outcome instanceof Error), String(outcome));
        const inspected = await host('docker1').api.getNetwork(spec.name).inspect();
        assert.equal(inspected.Options?.ipvlan_mode, 'l3s');
        await host('docker1').api.getNetwork(spec.name).remove();
      }
    });
  });
});
