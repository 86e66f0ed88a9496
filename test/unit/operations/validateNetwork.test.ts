import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildHostSnapshot } from '../../../src/core/docker/buildSnapshot';
import type { HostSnapshot, NetworkModel } from '../../../src/core/model/snapshot';
import { overlaySupport } from '../../../src/core/operations/networkOperations';
import { defaultNetworkSpec, toCreateOptions, type NetworkSpec } from '../../../src/core/operations/networkSpec';
import {
  parseLabels,
  parseMtu,
  validateBridgeName,
  validateGateway,
  validateIpRange,
  validateIpv6Subnet,
  validateLabels,
  validateMtu,
  validateNetworkField,
  validateNetworkName,
  validateNetworkSpec,
  validateSubnet,
} from '../../../src/core/operations/validateNetwork';
import { loadSeed, seedExtras } from '../fixtureData';

/** The real seed daemon (bridge 172.17.0.0/16 on docker0, tb1 10.15.20.0/24) plus an IPv6 network. */
function seedSnapshot(): HostSnapshot {
  const seed = loadSeed();
  const snapshot = buildHostSnapshot('local', seed.networks, seed.containers, seedExtras(seed));
  const v6: NetworkModel = {
    ...snapshot.networks.find((network) => network.name === 'tb1')!,
    id: 'c0ffee000000111122223333444455556666777788889999aaaabbbbccccdddd',
    name: 'v6net',
    enableIPv6: true,
    ipam: [{ subnet: '10.15.50.0/24' }, { subnet: 'fd00:15:50::/64', gateway: 'fd00:15:50::1' }],
    options: { 'com.docker.network.bridge.name': 'dnev6' },
  };
  return { ...snapshot, networks: [...snapshot.networks, v6] };
}

const snapshot = seedSnapshot();
type Case = [input: string, expected: RegExp | undefined];

/** Runs one table: `undefined` means the input must be accepted. */
function table(title: string, validate: (text: string) => string | undefined, cases: Case[]): void {
  describe(title, () => {
    for (const [input, expected] of cases) {
      const label = input.length > 40 ? `${input.slice(0, 20)}… (${input.length} chars)` : JSON.stringify(input);
      it(expected ? `refuses ${label}` : `accepts ${label}`, () => {
        const message = validate(input);
        if (expected) assert.match(message ?? '(accepted)', expected);
        else assert.equal(message, undefined);
      });
    }
  });
}

table('network name', (text) => validateNetworkName(text, snapshot), [
  ['testbridge', undefined],
  ['a', undefined],
  ['my_net.v2-1', undefined],
  ['n'.repeat(63), undefined],
  ['', /^Enter a name for the network\.$/],
  ['   ', /^Enter a name/],
  ['my net', /^A network name cannot contain spaces: use letters, digits, "_", "\." and "-"\. Try "my-net"\.$/],
  // The hint is itself a name these rules accept (it used to be "bad-name!", then refused).
  ['bad name!', /^A network name cannot contain spaces: use letters, digits, "_", "\." and "-"\. Try "bad-name"\.$/],
  ['bad!', /^"!" is not allowed in a network name: use letters, digits, "_", "\." or "-"\. Try "bad"\.$/],
  [
    'x'.repeat(300),
    /^The name is 300 characters long: shorten it to at most 63 \(the limit of a DNS label and of swarm network names\)\. Try "x{63}"\.$/,
  ],
  ['n'.repeat(64), /64 characters long/],
  // Only a leading "-" (or "_", ".") is refused; the message says so.
  ['-x', /^A network name cannot start with "-": start with a letter or digit \("_", "\." and "-" may follow\)\. Try "x"\.$/],
  ['_net', /^A network name cannot start with "_"/],
  ['a/b', /^"\/" is not allowed in a network name.* Try "a-b"\.$/],
  // No hint that would be refused in turn: "tb1" is taken, "!!!" leaves nothing.
  ['tb1!', /^"!" is not allowed in a network name: use letters, digits, "_", "\." or "-"\.$/],
  ['!!!', /^A network name cannot start with "!": start with a letter or digit \("_", "\." and "-" may follow\)\.$/],
  ['tb1', /^A network named "tb1" already exists on this host \(fb557c62f124\): choose another name\.$/],
  ['default', /^"default" is reserved by Docker \(bridge, host, none, default\)/],
  ['bridge', /reserved by Docker/],
]);

table('overlay network name (swarm rule)', (text) => validateNetworkName(text, snapshot, 'overlay'), [
  ['ov_1-a', undefined],
  ['ov.1', /must be a DNS name component.* Try "ov-1"\.$/],
  ['ov-', /no "-" or "_" at the end.* Try "ov"\.$/],
  ['my ov!', /cannot contain spaces.* Try "my-ov"\.$/],
]);

table('IPv4 subnet', (text) => validateSubnet(text, snapshot), [
  ['', undefined],
  ['10.15.30.0/24', undefined],
  ['192.168.77.0/30', undefined],
  ['10.15.20.0/33', /^Prefix length "\/33" is out of range: IPv4 allows \/0 to \/32\. Example: 10\.15\.20\.0\/24\.$/],
  ['10.15.20.5/24', /^"10\.15\.20\.5\/24" has host bits set: the network address is 10\.15\.20\.0\/24: use that\.$/],
  ['10.15.20.0/25', /^10\.15\.20\.0\/25 overlaps 10\.15\.20\.0\/24 of network "tb1": choose a block outside it\.$/],
  ['10.0.0.0/8', /overlaps 10\.15\.20\.0\/24 of network "tb1"/],
  ['172.17.5.0/24', /overlaps 172\.17\.0\.0\/16 of network "bridge"/],
  ['10.15.30.0/31', /^\/31 is too small for a network.*use \/30 or shorter/],
  ['fd00::/64', /is an IPv6 block: put it in the IPv6 subnet field/],
  ['banana', /not in CIDR form/],
  ['10.15.300.0/24', /"10\.15\.300\.0" is not a valid IP address/],
]);

table('gateway of 10.15.20.0/24', (text) => validateGateway(text, '10.15.20.0/24'), [
  ['', undefined],
  ['10.15.20.1', undefined],
  ['10.15.20.254', undefined],
  [
    '10.15.21.1',
    /^10\.15\.21\.1 is outside the subnet 10\.15\.20\.0\/24: use an address from 10\.15\.20\.1 to 10\.15\.20\.254, e\.g\. 10\.15\.20\.1\.$/,
  ],
  ['10.15.20.0', /^10\.15\.20\.0 is the network address of 10\.15\.20\.0\/24 and cannot be the gateway/],
  ['10.15.20.255', /^10\.15\.20\.255 is the broadcast address of 10\.15\.20\.0\/24 and cannot be the gateway/],
  ['fd00::1', /is not an IPv4 address: enter one inside 10\.15\.20\.0\/24/],
  ['10.15.20', /is not an IPv4 address/],
]);

table('gateway without a subnet', (text) => validateGateway(text, ''), [
  ['', undefined],
  ['10.15.20.1', /^A gateway needs a subnet: enter the subnet first/],
]);

table('ip-range of 10.15.20.0/24', (text) => validateIpRange(text, '10.15.20.0/24'), [
  ['', undefined],
  ['10.15.20.128/25', undefined],
  ['10.15.20.0/24', undefined],
  [
    '10.15.0.0/16',
    /^10\.15\.0\.0\/16 is bigger than the subnet 10\.15\.20\.0\/24: the range must lie inside it, e\.g\. 10\.15\.20\.128\/25\.$/,
  ],
  ['10.15.21.0/25', /lies outside the subnet 10\.15\.20\.0\/24/],
  ['10.15.20.130/25', /the network address is 10\.15\.20\.128\/25/],
  ['fd00::/120', /not an IPv4 block like its subnet/],
]);

table('ip-range without a subnet', (text) => validateIpRange(text, undefined), [['10.15.20.128/25', /^An IP range needs a subnet/]]);

table('IPv6 subnet', (text) => validateIpv6Subnet(text, snapshot), [
  ['', undefined],
  ['fd00:15:20::/64', undefined],
  ['10.15.30.0/24', /^10\.15\.30\.0\/24 is an IPv4 block: the IPv6 subnet needs an IPv6 block such as fd00:15:20::\/64\.$/],
  ['fd00:15:50::/48', /overlaps fd00:15:50::\/64 of network "v6net"/],
  ['fd00::1/64', /the network address is fd00::\/64/],
  ['fd00::/127', /too small/],
]);

table('IPv6 gateway', (text) => validateNetworkField('ipv6Gateway', text, { ipv6Subnet: 'fd00:15:20::/64' }, snapshot), [
  ['fd00:15:20::1', undefined],
  ['10.15.20.1', /is not an IPv6 address/],
  ['fd00:15:21::1', /outside the subnet fd00:15:20::\/64/],
  ['fd00:15:20::', /network address/],
]);

table('IPv6 gateway without an IPv6 subnet', (text) => validateNetworkField('ipv6Gateway', text, {}, snapshot), [
  ['fd00::1', /enter the IPv6 subnet first/],
]);

table('MTU', validateMtu, [
  ['', undefined],
  ['68', undefined],
  ['1500', undefined],
  ['65535', undefined],
  ['67', /Linux refuses 67 on the container's interface, so no container could start/],
  ['65536', /from 68 to 65535/],
  ['0', /from 68 to 65535/],
  ['abc', /^MTU must be a whole number from 68 to 65535 \(1500 is usual\), or empty for the daemon's default\.$/],
  ['1500.5', /whole number/],
  ['-1', /whole number/],
]);

table('labels', validateLabels, [
  ['', undefined],
  ['env=test', undefined],
  ['env=test, team=net', undefined],
  ['empty=', undefined],
  ['env', /^"env" is not a label: write key=value/],
  ['=x', /has no key/],
  ['my key=x', /contains a space: use e\.g\. "my\.key"/],
  ['com.docker.network.x=1', /namespace Docker reserves.*com\.example\.network\.x/],
  ['a=1,a=2', /^Label "a" is given twice/],
]);

table('bridge name', (text) => validateBridgeName(text, snapshot), [
  ['', undefined],
  ['br-test', undefined],
  ['abcdefghijklmno', undefined],
  ['abcdefghijklmnop', /is 16 characters: Linux interface names have at most 15 \(IFNAMSIZ\), e\.g\. "abcdefghijklmno"/],
  ['docker0', /^Interface "docker0" is already the bridge of network "bridge"/],
  ['br-fb557c62f124', /already the bridge of network "tb1"/],
  ['dnev6', /already the bridge of network "v6net"/],
  ['a b', /not a valid interface name/],
]);

table('bridge name on an overlay', (text) => validateBridgeName(text, snapshot, 'overlay'), [['br0', /applies to bridge networks only/]]);

describe('text fields become spec values', () => {
  it('parses labels and MTU', () => {
    assert.deepEqual(parseLabels('env=test, team = net ,empty=\nx=a=b'), { env: 'test', team: 'net', empty: '', x: 'a=b' });
    assert.equal(parseMtu(' 1400 '), 1400);
    assert.equal(parseMtu(''), undefined);
  });
});

const seedSpec = (subnet: string): NetworkSpec => ({
  ...defaultNetworkSpec('bridge', 'testbridge'),
  subnet,
  gateway: subnet.replace(/0\/24$/, '1'),
  ipRange: subnet.replace(/0\/24$/, '128/25'),
});

describe('a whole spec', () => {
  it('accepts the seed on a free subnet', () => assert.deepEqual(validateNetworkSpec(seedSpec('10.15.30.0/24'), snapshot), []));

  it('refuses the seed where tb1 already has the subnet, naming tb1', () => {
    assert.deepEqual(validateNetworkSpec(seedSpec('10.15.20.0/24'), snapshot), [
      { field: 'subnet', message: '10.15.20.0/24 overlaps 10.15.20.0/24 of network "tb1": choose a block outside it.' },
    ]);
  });

  it('lists every problem in field order', () => {
    const spec: NetworkSpec = {
      ...seedSpec('10.15.30.0/24'),
      name: 'tb1',
      gateway: '10.15.31.1',
      mtu: 9,
      labels: { 'com.docker.x': '1' },
      attachable: true,
    };
    assert.deepEqual(
      validateNetworkSpec(spec, snapshot).map((problem) => problem.field),
      ['name', 'gateway', 'mtu', 'labels', 'attachable'],
    );
  });

  it('refuses bridge-only settings on an overlay', () => {
    const spec: NetworkSpec = { ...defaultNetworkSpec('overlay', 'ov1'), icc: false, bridgeName: 'br0' };
    assert.deepEqual(
      validateNetworkSpec(spec, snapshot).map((problem) => problem.field),
      ['bridgeName', 'icc'],
    );
  });

  it('checks a step against the fields entered before it', () => {
    assert.match(validateNetworkField('gateway', '10.15.21.1', { subnet: '10.15.20.0/24' }, snapshot) ?? '', /outside the subnet/);
    assert.match(validateNetworkField('ipRange', '10.15.0.0/16', { subnet: '10.15.20.0/24' }, snapshot) ?? '', /bigger than the subnet/);
    assert.match(validateNetworkField('name', 'a.b', { driver: 'overlay' }, snapshot) ?? '', /DNS name component/);
    assert.equal(validateNetworkField('internal', '', {}, snapshot), undefined);
  });
});

describe('toCreateOptions', () => {
  it('gives the seed body', () => {
    assert.deepEqual(toCreateOptions(seedSpec('10.15.20.0/24')), {
      Name: 'testbridge',
      CheckDuplicate: true,
      Driver: 'bridge',
      Internal: false,
      Attachable: false,
      EnableIPv6: false,
      IPAM: { Driver: 'default', Config: [{ Subnet: '10.15.20.0/24', Gateway: '10.15.20.1', IPRange: '10.15.20.128/25' }] },
      Options: { 'com.docker.network.bridge.enable_icc': 'true' },
      Labels: {},
    });
  });

  it('sends every bridge setting and IPv6', () => {
    const spec: NetworkSpec = {
      ...seedSpec('10.15.20.0/24'),
      name: ' isolated ',
      internal: true,
      icc: false,
      bridgeName: 'dnebr0',
      mtu: 1400,
      labels: { env: 'test' },
      ipv6Subnet: 'fd00:15:20::/64',
      ipv6Gateway: 'fd00:15:20::1',
    };
    const body = toCreateOptions(spec);
    assert.equal(body.Name, 'isolated');
    assert.equal(body.Internal, true);
    assert.equal(body.EnableIPv6, true);
    assert.deepEqual(body.IPAM?.Config[1], { Subnet: 'fd00:15:20::/64', Gateway: 'fd00:15:20::1' });
    assert.deepEqual(body.Options, {
      'com.docker.network.bridge.enable_icc': 'false',
      'com.docker.network.bridge.name': 'dnebr0',
      'com.docker.network.driver.mtu': '1400',
    });
    assert.deepEqual(body.Labels, { env: 'test' });
  });

  it('leaves IPAM to Docker without a subnet, and sends overlay settings only', () => {
    const body = toCreateOptions({ ...defaultNetworkSpec('overlay', 'ov1'), attachable: true, mtu: 1450, gateway: '' });
    assert.equal('IPAM' in body, false);
    assert.equal(body.Attachable, true);
    assert.deepEqual(body.Options, { 'com.docker.network.driver.mtu': '1450' });
  });
});

describe('overlay support from docker info', () => {
  const inactive = { NodeID: '', LocalNodeState: 'inactive', ControlAvailable: false, Error: '' };
  it('refuses on a plain 20.10 daemon and points to the cluster-store diagnostics', () => {
    const support = overlaySupport({ ServerVersion: '20.10.24+dfsg1', ClusterStore: null, Swarm: inactive });
    assert.equal(support.ok, false);
    assert.ok(!support.ok && support.suggestDiagnostics);
    assert.match(
      !support.ok ? support.reason : '',
      /need swarm mode or a cluster store, and this daemon has neither \(docker info: no ClusterStore, swarm inactive\); Docker would refuse with "This node is not a swarm manager\. Use "docker swarm init" or "docker swarm join" to connect this node to swarm and try again\." .*cluster-store diagnostics/,
    );
  });
  it('on Docker 23+ recommends swarm, not a cluster store', () => {
    const support = overlaySupport({ ServerVersion: '24.0.7', Swarm: inactive });
    assert.ok(!support.ok && !support.suggestDiagnostics);
    assert.match(!support.ok ? support.reason : '', /no longer support cluster stores/);
  });
  it('accepts a cluster store, noting a missing advertise address', () => {
    assert.deepEqual(overlaySupport({ ClusterStore: 'etcd://10.0.0.5:2379', ClusterAdvertise: 'eth0:2376', Swarm: inactive }), {
      ok: true,
      mode: 'cluster-store',
      note: undefined,
    });
    const support = overlaySupport({ ClusterStore: 'etcd://10.0.0.5:2379', ClusterAdvertise: '', Swarm: inactive });
    assert.match(support.ok ? (support.note ?? '') : '', /no --cluster-advertise/);
  });
  it('accepts a swarm manager and refuses a worker', () => {
    assert.deepEqual(overlaySupport({ Swarm: { LocalNodeState: 'active', ControlAvailable: true } }), { ok: true, mode: 'swarm' });
    const worker = overlaySupport({ Swarm: { LocalNodeState: 'active', ControlAvailable: false } });
    assert.match(!worker.ok ? worker.reason : '', /swarm worker.*docker node promote/);
  });
  it('quotes a swarm error', () => {
    const support = overlaySupport({ ServerVersion: '20.10.24', Swarm: { LocalNodeState: 'error', Error: 'manager stopped: raft' } });
    assert.match(!support.ok ? support.reason : '', /swarm error \(manager stopped: raft\)/);
  });
});

describe('name hints are names the same check accepts', () => {
  const inputs = [
    'bad name!',
    'a  b',
    '-x',
    '--x--',
    '.hidden',
    'x!y',
    'tab\there',
    'ov.1',
    'a_-_b',
    'ü-net',
    'x'.repeat(70) + '!',
    'tb1 ',
    'tb 1',
    'a..b!',
  ];
  for (const driver of ['bridge', 'overlay'] as const) {
    it(`for ${driver}`, () => {
      for (const input of inputs) {
        const hint = /Try "([^"]*)"\.$/.exec(validateNetworkName(input, snapshot, driver) ?? '')?.[1];
        if (hint !== undefined)
          assert.equal(validateNetworkName(hint, snapshot, driver), undefined, `${JSON.stringify(input)} → hint ${JSON.stringify(hint)}`);
      }
    });
  }
});
