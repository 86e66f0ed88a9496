import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildHostSnapshot } from '../../../src/core/docker/buildSnapshot';
import { networkDescription } from '../../../src/core/explorer/networkRows';
import { linkDriverDetail } from '../../../src/core/model/format';
import type { HostSnapshot, NetworkModel } from '../../../src/core/model/snapshot';
import { explainDockerRefusal } from '../../../src/core/operations/dockerRefusals';
import { defaultNetworkSpec, toCreateOptions, type NetworkSpec } from '../../../src/core/operations/networkSpec';
import { DOCKER_SAYS, validateConfigFrom, validateMode, validateParent } from '../../../src/core/operations/validateDrivers';
import {
  validateGateway,
  validateIpv6Subnet,
  validateNetworkField,
  validateNetworkSpec,
} from '../../../src/core/operations/validateNetwork';
import { loadSeed, seedExtras } from '../fixtureData';

/** The seed daemon plus a macvlan on eth0, a config-only macvlan template and a dual-stack bridge. */
function snapshotWithDrivers(): HostSnapshot {
  const seed = loadSeed();
  const snapshot = buildHostSnapshot('local', seed.networks, seed.containers, seedExtras(seed));
  const tb1 = snapshot.networks.find((network) => network.name === 'tb1')!;
  const network = (name: string, extra: Partial<NetworkModel>): NetworkModel => ({
    ...tb1,
    id: `${name}`.padEnd(64, '0'),
    name,
    options: {},
    labels: {},
    ...extra,
  });
  return {
    ...snapshot,
    networks: [
      ...snapshot.networks,
      network('lan', { driver: 'macvlan', ipam: [{ subnet: '192.168.1.0/24', gateway: '192.168.1.1' }], options: { parent: 'eth0' } }),
      network('mvcfg', { driver: 'null', configOnly: true, ipam: [{ subnet: '192.168.2.0/24' }], options: { parent: 'eth1' } }),
      network('ipcfg', { driver: 'null', configOnly: true, ipam: [{ subnet: '192.168.3.0/24' }], options: { parent: 'eth1' } }),
      network('dual', { enableIPv6: true, ipam: [{ subnet: '10.15.60.0/24' }, { subnet: 'fd00:60::/64' }] }),
    ],
  };
}

const snapshot = snapshotWithDrivers();
const macvlan = (extra: Partial<NetworkSpec> = {}): NetworkSpec => ({ ...defaultNetworkSpec('macvlan', 'mv'), ...extra });

describe('parent interface', () => {
  const cases: Array<[string, RegExp | undefined]> = [
    ['', undefined],
    ['eth1', undefined],
    ['eth0.10', undefined],
    ['eth1.4094', undefined],
    ['eth0', /Network "lan" already uses eth0 as its macvlan parent.*eth0\.10/],
    ['lo', /loopback/],
    ['averyveryverylongname', /21 characters.*IFNAMSIZ/],
    ['eth 0', /not a valid interface name/],
    ['eth0.5000', /VLAN 5000.*"vlan id must be between 1-4094, received: 5000".*eth0\.10/],
    ['eth0.0', /VLAN 0 /],
    ['eth0.abc', /"abc" is not a VLAN id.*"unable to parse a valid vlan id from: abc \(ex\. eth0\.10 for vlan 10\)"/],
    ['eth0.1.2', /not a VLAN sub-interface/],
    ['.10', /not a VLAN sub-interface/],
  ];
  for (const [input, expected] of cases) {
    it(`macvlan parent "${input}" → ${expected ?? 'accepted'}`, () => {
      const message = validateParent(input, 'macvlan', snapshot);
      if (expected) assert.match(message ?? '', expected);
      else assert.equal(message, undefined);
    });
  }

  it('an ipvlan may share the parent a macvlan uses (each driver counts its own), a config-only template holds no parent', () => {
    assert.equal(validateParent('eth0', 'ipvlan', snapshot), undefined);
    assert.equal(validateParent('eth1', 'macvlan', snapshot), undefined);
  });

  it('is refused for bridge and overlay', () => {
    assert.match(validateParent('eth0', 'bridge', snapshot) ?? '', /macvlan and ipvlan networks only/);
  });
});

describe('mode', () => {
  it('accepts each driver its own modes and empty (the default)', () => {
    for (const mode of ['', 'bridge', 'private', 'vepa', 'passthru']) assert.equal(validateMode(mode, 'macvlan'), undefined, mode);
    for (const mode of ['', 'l2', 'l3', 'l3s']) assert.equal(validateMode(mode, 'ipvlan'), undefined, mode);
  });

  it("refuses another driver's mode, quoting Docker's refusal and listing the choices", () => {
    assert.equal(
      validateMode('l2', 'macvlan'),
      `"l2" is not a macvlan mode (Docker: "requested macvlan mode 'l2' is not valid, 'bridge' mode is the macvlan driver default"): choose bridge (the default), private, vepa, passthru.`,
    );
    assert.match(
      validateMode('bridge', 'ipvlan') ?? '',
      /requested ipvlan mode 'bridge' is not valid, 'l2' mode is the ipvlan driver default.*l2 \(the default\), l3, l3s/,
    );
    assert.match(validateMode('l2', 'bridge') ?? '', /macvlan and ipvlan networks only/);
  });
});

describe('config-from', () => {
  it('names a config-only network on this host (Docker stores them with the "null" driver)', () => {
    assert.equal(validateConfigFrom('mvcfg', 'macvlan', snapshot), undefined);
    assert.equal(validateConfigFrom('ipcfg', 'ipvlan', snapshot), undefined);
  });

  it("refuses a missing one with Docker's words and the choices, and a network that is not config-only", () => {
    assert.match(
      validateConfigFrom('nope', 'macvlan', snapshot) ?? '',
      /"configuration network "nope" does not exist"\)\. Config-only networks: one of: mvcfg, ipcfg\./,
    );
    assert.match(validateConfigFrom('lan', 'macvlan', snapshot) ?? '', /"lan" is not a config-only network/);
    assert.match(validateConfigFrom('mvcfg', 'bridge', snapshot) ?? '', /macvlan and ipvlan networks only/);
  });

  it('a whole spec: with config-from every other setting is refused, as Docker does', () => {
    const problems = validateNetworkSpec(macvlan({ configFrom: 'mvcfg', parent: 'eth1', labels: { a: 'b' } }), snapshot);
    assert.deepEqual(
      problems.map((problem) => problem.field),
      ['parent'],
    );
    assert.match(problems[0].message, /leave parent, labels empty/);
    assert.ok(problems[0].message.includes(DOCKER_SAYS.configFromOptions));
    const labelsOnly = validateNetworkSpec(macvlan({ configFrom: 'mvcfg', labels: { a: 'b' } }), snapshot);
    assert.ok(labelsOnly[0].message.includes(DOCKER_SAYS.configFromSettings), labelsOnly[0].message);
    assert.deepEqual(validateNetworkSpec(macvlan({ configFrom: 'mvcfg', scope: 'swarm', internal: true }), snapshot), []);
    // Attachable: for a swarm-scoped one (standalone containers join it), not for a local one.
    const swarmScoped = macvlan({ configFrom: 'mvcfg', scope: 'swarm', attachable: true });
    assert.deepEqual(validateNetworkSpec(swarmScoped, snapshot), []);
    assert.equal(toCreateOptions(swarmScoped).Attachable, true);
    assert.match(
      validateNetworkSpec(macvlan({ configFrom: 'mvcfg', attachable: true }), snapshot)[0]?.message ?? '',
      /swarm-scoped macvlan\/ipvlan/,
    );
  });

  it('a config-only spec refuses internal, attachable, swarm scope and config-from', () => {
    const problems = validateNetworkSpec(macvlan({ configOnly: true, internal: true, configFrom: 'mvcfg', parent: 'eth1' }), snapshot);
    assert.deepEqual(problems.map((problem) => problem.field).sort(), ['configFrom', 'configOnly']);
    assert.ok(problems.some((problem) => problem.message.includes(DOCKER_SAYS.configOnlyOperator)));
    assert.deepEqual(validateNetworkSpec(macvlan({ configOnly: true, parent: 'eth1', subnet: '192.168.9.0/24' }), snapshot), []);
  });
});

describe('IPv6 and dual-stack fields', () => {
  it('IPv6 subnet: prefix lengths, family and overlap with IPv6 networks of the host', () => {
    assert.equal(validateIpv6Subnet('fd00:61::/64', snapshot), undefined);
    assert.match(validateIpv6Subnet('fd00:60::/56', snapshot) ?? '', /overlaps fd00:60::\/64 of network "dual"/);
    assert.match(validateIpv6Subnet('fd00:61::/127', snapshot) ?? '', /too small.*\/126/);
    assert.match(validateIpv6Subnet('10.15.61.0/24', snapshot) ?? '', /is an IPv4 block/);
    assert.match(validateIpv6Subnet('fd00:61::1/64', snapshot) ?? '', /fd00:61::\/64/);
  });

  it('IPv6 gateway and range lie inside the IPv6 subnet', () => {
    assert.equal(validateGateway('fd00:61::1', 'fd00:61::/64', 'IPv6 subnet'), undefined);
    assert.match(validateGateway('fd00:62::1', 'fd00:61::/64', 'IPv6 subnet') ?? '', /outside the subnet fd00:61::\/64/);
    assert.match(validateGateway('10.0.0.1', 'fd00:61::/64', 'IPv6 subnet') ?? '', /not an IPv6 address/);
    const draft = { driver: 'macvlan' as const, ipv6Subnet: 'fd00:61::/64' };
    assert.equal(validateNetworkField('ipv6IpRange', 'fd00:61::8000:0:0:0/65', draft, snapshot), undefined);
    assert.match(validateNetworkField('ipv6IpRange', 'fd00:62::/80', draft, snapshot) ?? '', /outside the subnet/);
    assert.match(validateNetworkField('ipv6IpRange', 'fd00:61::/80', { driver: 'macvlan' }, snapshot) ?? '', /enter the IPv6 subnet first/);
  });

  it('a dual-stack macvlan becomes one body with both pools, the parent and the mode', () => {
    const spec = macvlan({
      parent: 'eth1.20',
      mode: 'private',
      subnet: '192.168.20.0/24',
      gateway: '192.168.20.1',
      ipRange: '192.168.20.64/26',
      ipv6Subnet: 'fd00:20::/64',
      ipv6Gateway: 'fd00:20::1',
      ipv6IpRange: 'fd00:20::/80',
    });
    assert.deepEqual(validateNetworkSpec(spec, snapshot), []);
    const body = toCreateOptions(spec);
    assert.equal(body.EnableIPv6, true);
    assert.deepEqual(body.Options, { parent: 'eth1.20', macvlan_mode: 'private' });
    assert.deepEqual(body.IPAM?.Config, [
      { Subnet: '192.168.20.0/24', Gateway: '192.168.20.1', IPRange: '192.168.20.64/26' },
      { Subnet: 'fd00:20::/64', Gateway: 'fd00:20::1', IPRange: 'fd00:20::/80' },
    ]);
    assert.equal(body.ConfigOnly, undefined);
  });

  it('config-only and config-from bodies', () => {
    assert.equal(toCreateOptions(macvlan({ configOnly: true, parent: 'eth1' })).ConfigOnly, true);
    const from = toCreateOptions({ ...defaultNetworkSpec('ipvlan', 'ip'), configFrom: 'ipcfg', scope: 'swarm' });
    assert.deepEqual([from.ConfigFrom, from.Scope, from.Options, from.IPAM], [{ Network: 'ipcfg' }, 'swarm', {}, undefined]);
  });
});

describe("Docker's driver refusals explained", () => {
  it('adds what to do to the words dockerd prints', () => {
    assert.match(
      explainDockerRefusal('network dm-0123456789ab is already using parent interface eth0') ?? '',
      /one macvlan or ipvlan network per parent.*eth0\.10/,
    );
    assert.match(explainDockerRefusal(DOCKER_SAYS.noSuchParent('nope0')) ?? '', /no interface "nope0"/);
    assert.match(explainDockerRefusal(DOCKER_SAYS.mode('ipvlan', 'l3s')) ?? '', /choose l2 or l3/);
    assert.equal(explainDockerRefusal(DOCKER_SAYS.mode('ipvlan', 'l4')), undefined);
  });
});

describe('the tree says what a macvlan/ipvlan network sits on', () => {
  it('parent and mode, the default mode when none was set, a template under the "null" driver', () => {
    const find = (name: string) => snapshot.networks.find((network) => network.name === name)!;
    assert.equal(linkDriverDetail(find('lan')), 'parent eth0, mode bridge');
    assert.equal(linkDriverDetail({ driver: 'ipvlan', options: { parent: 'eth0.10', ipvlan_mode: 'l3' } }), 'parent eth0.10, mode l3');
    assert.equal(
      linkDriverDetail({ driver: 'null', configOnly: true, options: { parent: 'eth1', macvlan_mode: 'vepa' } }),
      'parent eth1, mode vepa',
    );
    assert.equal(linkDriverDetail({ driver: 'macvlan', options: {} }), 'parent a dummy interface, mode bridge');
    assert.equal(linkDriverDetail(find('tb1')), undefined);
    assert.match(networkDescription(find('lan')), /^macvlan · local · parent eth0, mode bridge · 192\.168\.1\.0\/24/);
  });
});
