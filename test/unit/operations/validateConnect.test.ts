import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildHostSnapshot } from '../../../src/core/docker/buildSnapshot';
import type { ContainerModel, EndpointModel, HostSnapshot, NetworkModel } from '../../../src/core/model/snapshot';
import {
  findContainer,
  findNetwork,
  splitList,
  suggestFreeIpv4,
  validateAliases,
  validateConnectSpec,
  validateConnectTarget,
  validateDisconnect,
  validateLinks,
  validateStaticIpv4,
} from '../../../src/core/operations/validateConnect';
import { loadSeed, seedExtras } from '../fixtureData';

/**
 * The real seed daemon (tb1 10.15.20.0/24 gw .1 range .128/25 with w1 .128 alias webone and
 * w2 .129; w1 also on bridge) plus: "flat" (10.15.40.0/24, no range, w4 at .2), "plain" (no
 * subnet of its own), w3 (exited, on no network) and "isolated" (on none).
 */
function connectSnapshot(): HostSnapshot {
  const seed = loadSeed();
  const base = buildHostSnapshot('local', seed.networks, seed.containers, seedExtras(seed));
  const tb1 = base.networks.find((network) => network.name === 'tb1')!;
  const none = base.networks.find((network) => network.name === 'none')!;
  const network = (name: string, id: string, ipam: NetworkModel['ipam']): NetworkModel => ({
    ...tb1,
    name,
    id: id.repeat(64 / id.length),
    ipam,
  });
  const container = (name: string, id: string, state: string): ContainerModel => ({
    ...base.containers[0],
    name,
    id: id.repeat(64 / id.length),
    state,
  });
  const endpoint = (containerId: string, networkId: string, ipv4?: string): EndpointModel => ({
    containerId,
    networkId,
    endpointId: 'e'.repeat(64),
    ipv4,
    aliases: [],
    links: [],
  });
  const flat = network('flat', 'f1a7', [{ subnet: '10.15.40.0/24' }]);
  const plain = network('plain', 'b1a1', []);
  const w3 = container('w3', '3333', 'exited');
  const w4 = container('w4', '4444', 'running');
  const isolated = container('isolated', '5555', 'running');
  return {
    ...base,
    networks: [...base.networks, flat, plain],
    containers: [...base.containers, w3, w4, isolated],
    endpoints: [...base.endpoints, endpoint(w4.id, flat.id, '10.15.40.2'), endpoint(isolated.id, none.id)],
  };
}

const snapshot = connectSnapshot();
const net = (name: string) => findNetwork(snapshot, name)!;
type Case = [input: string, expected: RegExp | undefined];

function table(title: string, validate: (text: string) => string | undefined, cases: Case[]): void {
  describe(title, () => {
    for (const [input, expected] of cases) {
      it(expected ? `refuses ${JSON.stringify(input)}` : `accepts ${JSON.stringify(input)}`, () => {
        const message = validate(input);
        if (expected) assert.match(message ?? '(accepted)', expected);
        else assert.equal(message, undefined);
      });
    }
  });
}

describe('references by name, ID or unique ID prefix', () => {
  it('finds containers and networks like Docker does', () => {
    assert.equal(findContainer(snapshot, 'w1')?.id.slice(0, 12), 'b76d41ff93b6');
    assert.equal(findContainer(snapshot, '/w1')?.name, 'w1');
    assert.equal(findContainer(snapshot, 'b76d41')?.name, 'w1');
    assert.equal(findNetwork(snapshot, 'fb557c62f124')?.name, 'tb1');
    assert.equal(findNetwork(snapshot, 'nope'), undefined);
  });
  it('splits typed lists on commas only: "b c" is one entry, as Docker would take it', () =>
    assert.deepEqual(splitList(' a, b  c,,'), ['a', 'b  c']));
});

// Input "container > network".
table('connect target', (text) => validateConnectTarget(text.split(' > ')[0], text.split(' > ')[1], snapshot), [
  ['w3 > tb1', undefined],
  ['w1 > flat', undefined],
  ['b76d41ff93b6 > flat', undefined],
  ['w1 > tb1', /^w1 is already connected to tb1 \(10\.15\.20\.128\): disconnect it first to change its aliases, links or address\.$/],
  ['b76d41 > fb557c62f124', /already connected to tb1/],
  ['ghost > tb1', /^There is no container "ghost" on this host: pick one from the list\.$/],
  ['w3 > nonet', /^There is no network "nonet" on this host/],
  [' > tb1', /^Choose a container\.$/],
  ['w3 > ', /^Choose a network\.$/],
  [
    'w3 > host',
    /^Container cannot be disconnected from host network or connected to host network: start the container with --network host instead\.$/,
  ],
  ['w1 > none', /^Container cannot be connected to multiple networks with one of the networks in private \(none\) mode/],
  ['isolated > tb1', /private \(none\) mode: isolated must leave its other networks first/],
]);

table('disconnect', (text) => validateDisconnect({ container: text.split(' > ')[0], network: text.split(' > ')[1] }, snapshot), [
  ['w1 > tb1', undefined],
  ['w1 > bridge', undefined],
  ['w2 > bridge', /^w2 is not connected to bridge: there is nothing to disconnect\.$/],
  ['w3 > tb1', /^w3 is not connected to tb1/],
  ['ghost > tb1', /no container "ghost"/],
]);

table('aliases on tb1', (text) => validateAliases(text, net('tb1')), [
  ['', undefined],
  ['webone', undefined],
  ['web-one, web_1,web1', undefined],
  ['api.internal', undefined],
  ['bad!', /^"bad!" is not a valid alias: use a host name of letters, digits/],
  // Docker 20.10 and 26 store "web one" as one alias; their DNS never answers it.
  [
    'web one',
    /^"web one" contains a space: Docker would store it, but its DNS never resolves such a name\. Separate several aliases with commas \(web, one\)\.$/,
  ],
  ['webone, web two', /^"web two" contains a space/],
  ['-web', /"-web" is not a valid alias/],
  ['web-', /not a valid alias/],
  ['a'.repeat(64), /not a valid alias/],
  ['a..b', /not a valid alias/],
  ['x,x', /^Alias "x" is given twice: keep one\.$/],
]);

table('aliases on the default bridge', (text) => validateAliases(text, net('bridge')), [
  ['', undefined],
  [
    'webone',
    /^Aliases need a user-defined network; Docker refuses them on bridge: "network-scoped alias is supported only for containers in user defined networks"\.$/,
  ],
]);

table('links of w3 on tb1', (text) => validateLinks(text, 'w3', net('tb1'), snapshot), [
  ['', undefined],
  ['w2:webtwo', undefined],
  ['w1', undefined],
  ['w1:wone, w2:wtwo', undefined],
  ['w1:a:b', /^"w1:a:b" is not a link: write container:alias, e\.g\. web2:webtwo \(Docker says "bad format for links"\)\.$/],
  ['w1:', /is not a link/],
  ['ghost:g', /^There is no container "ghost" on this host to link to/],
  ['w4:four', /^w4 is not on tb1: a link only resolves to a container on the same network; connect w4 to it first\.$/],
  ['w2:bad!', /^In link "w2:bad!": "bad!" is not a valid alias/],
  ['w1:a,w2:a', /^Link alias "a" is given twice/],
]);

table('link to itself', (text) => validateLinks(text, 'w1', net('tb1'), snapshot), [['w1:me', /^w1 cannot link to itself/]]);

// Docker's rule, tested on 20.10 and 26 (test/integration/networkOperations.test.ts): the
// ip-range bounds only the addresses Docker hands out; a static one may be anywhere in the subnet.
table('static IPv4 on tb1 (subnet 10.15.20.0/24, gateway .1, ip-range .128/25)', (text) => validateStaticIpv4(text, net('tb1'), snapshot), [
  ['', undefined],
  ['10.15.20.130', undefined],
  ['10.15.20.254', undefined],
  ['10.15.20.5', undefined],
  ['10.15.20.20', undefined],
  ['10.15.20.2', undefined],
  ['10.15.20.0', /^10\.15\.20\.0 is the network address of 10\.15\.20\.0\/24: choose another address, e\.g\. 10\.15\.20\.2\.$/],
  ['10.15.20.255', /^10\.15\.20\.255 is the broadcast address of 10\.15\.20\.0\/24/],
  ['10.15.20.1', /^10\.15\.20\.1 is the gateway of tb1/],
  ['10.15.20.128', /^10\.15\.20\.128 is already used by w1 on tb1: choose a free address, e\.g\. 10\.15\.20\.2\.$/],
  ['10.15.20.129', /already used by w2/],
  ['10.15.21.5', /^10\.15\.21\.5 is outside tb1's subnet 10\.15\.20\.0\/24: choose an address inside it, e\.g\. 10\.15\.20\.2\.$/],
  ['fd00::5', /^"fd00::5" is not an IPv4 address: enter one such as 10\.15\.20\.2, or leave it empty\.$/],
  ['10.15.20', /not an IPv4 address/],
]);

table('static IPv4 on flat (no ip-range, gateway implied .1)', (text) => validateStaticIpv4(text, net('flat'), snapshot), [
  ['10.15.40.3', undefined],
  ['10.15.40.1', /^10\.15\.40\.1 is the gateway of flat: choose another address, e\.g\. 10\.15\.40\.3\.$/],
  ['10.15.40.0', /is the network address of 10\.15\.40\.0\/24/],
  ['10.15.40.255', /is the broadcast address/],
  ['10.15.40.2', /already used by w4 on flat/],
]);

describe('the gateway Docker picks itself when none was given', () => {
  // Seen on 20.10 and 26: --subnet 10.99.20.0/24 --ip-range 10.99.20.128/25 → gateway .128,
  // and IPAM lists no gateway at all.
  const ranged: NetworkModel = {
    ...net('tb1'),
    id: 'a'.repeat(64),
    name: 'ranged',
    ipam: [{ subnet: '10.99.20.0/24', ipRange: '10.99.20.128/25' }],
  };
  const withRanged = { ...snapshot, networks: [...snapshot.networks, ranged] };
  it('is the first address of the ip-range', () => {
    assert.match(validateStaticIpv4('10.99.20.128', ranged, withRanged) ?? '', /is the gateway of ranged/);
    assert.equal(validateStaticIpv4('10.99.20.1', ranged, withRanged), undefined);
  });
});

table('static IPv4 where Docker refuses one', (text) => validateStaticIpv4(text.split(' on ')[0], net(text.split(' on ')[1]), snapshot), [
  [
    '172.17.0.50 on bridge',
    /^Docker refuses a fixed address on bridge: "user specified IP address is supported on user defined networks only"/,
  ],
  [
    '10.15.60.5 on plain',
    /^plain has no subnet of its own, and Docker says: "user specified IP address is supported only when connecting to networks with user configured subnets"\./,
  ],
]);

describe('suggested free address', () => {
  it('skips the gateway and used addresses, and prefers addresses outside the ip-range', () => {
    assert.equal(suggestFreeIpv4(net('tb1'), snapshot), '10.15.20.2');
    assert.equal(suggestFreeIpv4(net('flat'), snapshot), '10.15.40.3');
    assert.equal(suggestFreeIpv4(net('plain'), snapshot), undefined);
  });
});

describe('a whole connect spec', () => {
  it('accepts the seed connection of a new container', () => {
    assert.deepEqual(
      validateConnectSpec(
        { container: 'w3', network: 'tb1', aliases: ['webthree'], links: ['w2:webtwo'], ipv4Address: '10.15.20.200' },
        snapshot,
      ),
      [],
    );
  });
  it('stops at the target when the container is already there', () => {
    assert.deepEqual(validateConnectSpec({ container: 'w1', network: 'tb1', aliases: ['bad!'], links: [], ipv4Address: 'x' }, snapshot), [
      {
        field: 'network',
        message: 'w1 is already connected to tb1 (10.15.20.128): disconnect it first to change its aliases, links or address.',
      },
    ]);
  });
  it('names the container field when the container is unknown', () => {
    assert.equal(validateConnectSpec({ container: 'ghost', network: 'tb1', aliases: [], links: [] }, snapshot)[0].field, 'container');
  });
  it('lists every field problem', () => {
    const problems = validateConnectSpec(
      { container: 'w3', network: 'tb1', aliases: ['bad!'], links: ['ghost:g'], ipv4Address: '10.15.20.1' },
      snapshot,
    );
    assert.deepEqual(
      problems.map((problem) => problem.field),
      ['aliases', 'links', 'ipv4Address'],
    );
    assert.match(problems[2].message, /is the gateway of tb1/);
  });
});
