import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { RawContainer, RawNetwork } from '../../../src/core/docker/dockerClient';
import { buildHostSnapshot, containerName, parseLink } from '../../../src/core/docker/buildSnapshot';
import { loadSeed, seedExtras } from '../fixtureData';

describe('buildHostSnapshot on a real daemon answer', () => {
  const seed = loadSeed();
  const snapshot = buildHostSnapshot('local', seed.networks, seed.containers, seedExtras(seed));
  const network = (name: string) => snapshot.networks.find((entry) => entry.name === name)!;
  const container = (name: string) => snapshot.containers.find((entry) => entry.name === name)!;
  const endpointsOf = (name: string) => snapshot.endpoints.filter((entry) => entry.containerId === container(name).id);

  it('normalizes networks, sorted by name, with IPAM and flags', () => {
    assert.deepEqual(
      snapshot.networks.map((entry) => entry.name),
      ['bridge', 'host', 'none', 'tb1'],
    );
    assert.deepEqual(network('tb1').ipam, [{ subnet: '10.15.20.0/24', gateway: '10.15.20.1', ipRange: '10.15.20.128/25' }]);
    assert.equal(network('tb1').predefined, false);
    assert.equal(network('bridge').predefined, true);
    assert.equal(network('bridge').icc, true);
    assert.equal(network('none').driver, 'null');
    assert.equal(network('tb1').scope, 'local');
  });

  it('gives each container its endpoints, with addresses and MACs', () => {
    const w1 = endpointsOf('w1');
    assert.equal(w1.length, 2);
    const onTb1 = w1.find((entry) => entry.networkId === network('tb1').id)!;
    assert.equal(onTb1.ipv4, '10.15.20.128');
    assert.equal(onTb1.ipv4PrefixLen, 24);
    assert.equal(onTb1.gateway, '10.15.20.1');
    assert.match(onTb1.mac ?? '', /^02:42:0a:0f:14:80$/);
    assert.equal(onTb1.ipv6, undefined);
  });

  it('takes aliases and links from inspects and drops the implicit short-ID alias', () => {
    const w1OnTb1 = endpointsOf('w1').find((entry) => entry.networkId === network('tb1').id)!;
    assert.deepEqual(w1OnTb1.aliases, ['webone']);
    const w2 = endpointsOf('w2')[0];
    assert.deepEqual(w2.aliases, []);
    assert.deepEqual(w2.links, [{ container: 'w1', alias: 'wone' }]);
  });

  it('collapses nothing but duplicates in published ports (IPv4 and IPv6 bindings stay)', () => {
    assert.deepEqual(container('w1').ports, [
      { hostIp: '0.0.0.0', hostPort: 8081, containerPort: 80, protocol: 'tcp' },
      { hostIp: '::', hostPort: 8081, containerPort: 80, protocol: 'tcp' },
    ]);
    assert.deepEqual(container('w2').ports, []);
  });

  it('is deterministic: the same answers in another order give the same snapshot', () => {
    const again = buildHostSnapshot('local', [...seed.networks].reverse(), [...seed.containers].reverse(), seedExtras(seed));
    assert.deepEqual(again, snapshot);
  });
});

describe('buildHostSnapshot on edge cases', () => {
  const rawNetwork = (over: Partial<RawNetwork>): RawNetwork =>
    ({
      Name: 'n',
      Id: 'n'.repeat(64),
      Driver: 'bridge',
      Scope: 'local',
      IPAM: { Driver: 'default', Config: [] },
      Options: {},
      ...over,
    }) as RawNetwork;
  /** An endpoint's fields as Docker lists them for a container that is not running: all empty. */
  const NO_ADDRESS = {
    EndpointID: '',
    IPAddress: '',
    IPPrefixLen: 0,
    Gateway: '',
    GlobalIPv6Address: '',
    GlobalIPv6PrefixLen: 0,
    IPv6Gateway: '',
    MacAddress: '',
  };
  /** A container as the list call answers it: running, on no network, unless `over` says otherwise. */
  const rawContainer = (id: string, name: string, over: Record<string, unknown> = {}): RawContainer =>
    ({
      Id: id,
      Names: [`/${name}`],
      Image: 'bb',
      State: 'running',
      Status: 'Up',
      Ports: [],
      Labels: {},
      NetworkSettings: { Networks: {} },
      ...over,
    }) as unknown as RawContainer;

  it('reads ICC off, internal, attachable, IPv6 and a global overlay', () => {
    const snapshot = buildHostSnapshot(
      'h',
      [
        rawNetwork({ Name: 'isolated', Options: { 'com.docker.network.bridge.enable_icc': 'false' }, Internal: true }),
        rawNetwork({
          Name: 'ov',
          Id: 'o'.repeat(64),
          Driver: 'overlay',
          Scope: 'global',
          Attachable: true,
          EnableIPv6: true,
          IPAM: { Driver: 'default', Config: [{ Subnet: '10.10.10.0/24' }, { Subnet: 'fd00:10::/64', Gateway: 'fd00:10::1' }] },
        }),
      ],
      [],
    );
    const [isolated, overlay] = snapshot.networks;
    assert.equal(isolated.icc, false);
    assert.equal(isolated.internal, true);
    assert.equal(overlay.scope, 'global');
    assert.equal(overlay.attachable, true);
    assert.equal(overlay.enableIPv6, true);
    assert.deepEqual(overlay.ipam, [
      { subnet: '10.10.10.0/24', gateway: undefined, ipRange: undefined },
      { subnet: 'fd00:10::/64', gateway: 'fd00:10::1', ipRange: undefined },
    ]);
  });

  it('a user network named "bridge" on a swarm scope is not predefined', () => {
    const snapshot = buildHostSnapshot('h', [rawNetwork({ Name: 'bridge', Scope: 'swarm' })], []);
    assert.equal(snapshot.networks[0].predefined, false);
  });

  it('a stopped container keeps its endpoints without addresses; null lists become empty', () => {
    const stopped = rawContainer('c'.repeat(64), 'db', {
      State: 'exited',
      Status: 'Exited (0)',
      NetworkSettings: {
        Networks: {
          tb1: {
            NetworkID: 'n1',
            ...NO_ADDRESS,
            Aliases: null,
            Links: null,
          },
        },
      },
    });
    const snapshot = buildHostSnapshot('h', [], [stopped]);
    assert.equal(snapshot.containers[0].state, 'exited');
    assert.deepEqual(snapshot.endpoints[0], {
      networkId: 'n1',
      containerId: 'c'.repeat(64),
      endpointId: '',
      ipv4: undefined,
      ipv4PrefixLen: undefined,
      ipv6: undefined,
      ipv6PrefixLen: undefined,
      mac: undefined,
      gateway: undefined,
      aliases: [],
      links: [],
    });
  });

  it("keeps times that stay true: Created, the inspect's StartedAt/FinishedAt, the exit code; not the Status text", () => {
    const exited = rawContainer('c'.repeat(64), 'db', { State: 'exited', Status: 'Exited (137) 3 minutes ago', Created: 1796050800 });
    const times = new Map([['c'.repeat(64), { startedAt: '2026-11-30T15:04:05.123456789Z', finishedAt: '2026-11-30T15:10:00Z' }]]);
    const [container] = buildHostSnapshot('h', [], [exited], new Map(), times).containers;
    assert.deepEqual(
      { created: container.created, startedAt: container.startedAt, finishedAt: container.finishedAt, exitCode: container.exitCode },
      { created: 1796050800, startedAt: '2026-11-30T15:04:05.123456789Z', finishedAt: '2026-11-30T15:10:00Z', exitCode: 137 },
    );
    assert.ok(!('status' in container), 'the relative Status text is not kept');
    const never = buildHostSnapshot(
      'h',
      [],
      [exited],
      new Map(),
      new Map([['c'.repeat(64), { startedAt: '0001-01-01T00:00:00Z', finishedAt: '0001-01-01T00:00:00Z' }]]),
    );
    assert.equal(never.containers[0].startedAt, undefined, "Docker's zero time means never");
  });

  it('places a created, never started container on its network by name (its NetworkID is empty)', () => {
    const created = rawContainer('e'.repeat(64), 'fresh', {
      State: 'created',
      Status: 'Created',
      NetworkSettings: {
        Networks: {
          tb1: {
            NetworkID: '',
            ...NO_ADDRESS,
          },
        },
      },
    });
    const snapshot = buildHostSnapshot('h', [rawNetwork({ Name: 'tb1', Id: 't'.repeat(64) })], [created]);
    assert.equal(snapshot.endpoints[0].networkId, 't'.repeat(64));
  });

  it("adds docker_gwbridge's gateway endpoints from its inspect (dockerd 20.10's answer on a one-node swarm)", () => {
    const c1 = 'c'.repeat(64);
    const onOverlay = rawContainer(c1, 'c1', {
      NetworkSettings: {
        Networks: { ov: { NetworkID: 's8w6sia4mgyoz5sam6upm50qm', EndpointID: '0f8d', IPAddress: '10.0.1.2', IPPrefixLen: 24 } },
      },
    });
    const gwbridge = rawNetwork({
      Name: 'docker_gwbridge',
      Id: 'g'.repeat(64),
      Containers: {
        [c1]: {
          Name: 'gateway_7db28cd6e1c8',
          EndpointID: '0750',
          MacAddress: '02:42:ac:11:00:03',
          IPv4Address: '172.17.0.3/16',
          IPv6Address: '',
        },
        'ingress-sbox': {
          Name: 'gateway_ingress-sbox',
          EndpointID: 'a65c',
          MacAddress: '02:42:ac:11:00:02',
          IPv4Address: '172.17.0.2/16',
          IPv6Address: '',
        },
      },
    });
    const snapshot = buildHostSnapshot(
      'h',
      [gwbridge, rawNetwork({ Name: 'ov', Id: 's8w6sia4mgyoz5sam6upm50qm', Driver: 'overlay', Scope: 'swarm' })],
      [onOverlay],
    );
    const onGateway = snapshot.endpoints.filter((endpoint) => endpoint.networkId === 'g'.repeat(64));
    assert.deepEqual(
      onGateway,
      [
        {
          networkId: 'g'.repeat(64),
          containerId: c1,
          endpointId: '0750',
          ipv4: '172.17.0.3',
          ipv4PrefixLen: 16,
          ipv6: undefined,
          ipv6PrefixLen: undefined,
          mac: '02:42:ac:11:00:03',
          aliases: [],
          links: [],
          gatewayName: 'gateway_7db28cd6e1c8',
        },
      ],
      'one per container; the ingress sandbox is no container',
    );
    assert.equal(snapshot.endpoints.length, 2);
  });

  it('does not add a network inspect member twice when the container list shows it too', () => {
    const c1 = 'c'.repeat(64);
    const joined = rawContainer(c1, 'c1', {
      NetworkSettings: {
        Networks: { docker_gwbridge: { NetworkID: 'g'.repeat(64), EndpointID: 'e1', IPAddress: '172.17.0.9', IPPrefixLen: 16 } },
      },
    });
    const gwbridge = rawNetwork({
      Name: 'docker_gwbridge',
      Id: 'g'.repeat(64),
      Containers: { [c1]: { Name: 'c1', EndpointID: 'e1', MacAddress: '', IPv4Address: '172.17.0.9/16', IPv6Address: '' } },
    });
    assert.equal(buildHostSnapshot('h', [gwbridge], [joined]).endpoints.length, 1);
  });

  it('keeps IPv6 addresses with their prefix', () => {
    const dual = rawContainer('d'.repeat(64), 'dual', {
      NetworkSettings: {
        Networks: {
          v6: {
            NetworkID: 'n6',
            EndpointID: 'e',
            IPAddress: '10.1.0.2',
            IPPrefixLen: 24,
            Gateway: '10.1.0.1',
            GlobalIPv6Address: 'fd00::2',
            GlobalIPv6PrefixLen: 64,
            IPv6Gateway: 'fd00::1',
            MacAddress: '02:42:0a:01:00:02',
          },
        },
      },
    });
    const [endpoint] = buildHostSnapshot('h', [], [dual]).endpoints;
    assert.equal(endpoint.ipv6, 'fd00::2');
    assert.equal(endpoint.ipv6PrefixLen, 64);
  });
});

describe('names and links', () => {
  it('picks the container own name, not a legacy link name', () => {
    assert.equal(containerName({ Id: 'x'.repeat(64), Names: ['/web/db', '/db'] }), 'db');
    assert.equal(containerName({ Id: 'abcdef0123456789', Names: [] }), 'abcdef012345');
  });

  it('parses "container:alias" and a bare "container"', () => {
    assert.deepEqual(parseLink('web2:webtwo'), { container: 'web2', alias: 'webtwo' });
    assert.deepEqual(parseLink('/web2'), { container: 'web2', alias: 'web2' });
  });
});
