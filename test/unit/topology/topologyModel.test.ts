import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { HostView } from '../../../src/core/docker/hostMonitor';
import type { DockerHost } from '../../../src/core/hosts/dockerHost';
import { buildHostSnapshot } from '../../../src/core/docker/buildSnapshot';
import type { HostSnapshot, NetworkModel } from '../../../src/core/model/snapshot';
import { buildTopology, diffElements, type TopologyElement } from '../../../src/core/topology/topologyModel';
import { loadSeed, seedExtras } from '../fixtureData';
import { socketHost } from '../../support/models';

const hostConfig = (id: string): DockerHost => socketHost(id, undefined, 'default');
const seed = loadSeed();
const seedSnapshot = buildHostSnapshot('local', seed.networks, seed.containers, seedExtras(seed));
const view = (snapshot: HostSnapshot, id = snapshot.hostId): HostView => ({ host: hostConfig(id), state: { kind: 'connected', snapshot } });

const byLabel = (elements: readonly TopologyElement[], kind: string, label: string) => {
  const found = elements.filter((element) => element.data.kind === kind && element.data.label === label);
  assert.equal(found.length, 1, `expected one ${kind} "${label}", got ${found.length}`);
  return found[0];
};

describe('topology of the seed', () => {
  const elements = buildTopology([view(seedSnapshot)]);
  const w1 = byLabel(elements, 'container', 'w1');
  const w2 = byLabel(elements, 'container', 'w2');
  const tb1 = byLabel(elements, 'network', 'tb1');

  it('puts networks and containers inside their host', () => {
    const host = byLabel(elements, 'host', 'local');
    for (const name of ['tb1', 'bridge', 'host', 'none']) assert.equal(byLabel(elements, 'network', name).data.parent, host.data.id);
    assert.equal(w1.data.parent, host.data.id);
    assert.deepEqual(byLabel(elements, 'network', 'bridge').classes, ['predefined']);
  });

  it('draws an edge per endpoint labelled with the IPv4, aliases in data', () => {
    const edges = elements.filter((element) => element.data.kind === 'endpoint');
    assert.equal(edges.length, 3);
    const w1tb1 = edges.find((edge) => edge.data.source === w1.data.id && edge.data.target === tb1.data.id);
    assert.equal(w1tb1?.data.label, '10.15.20.128');
    assert.deepEqual(w1tb1?.data.aliases, ['webone']);
  });

  it('draws the legacy link as a container→container edge with its alias', () => {
    const link = elements.find((element) => element.data.kind === 'link');
    assert.equal(link?.data.source, w2.data.id);
    assert.equal(link?.data.target, w1.data.id);
    assert.equal(link?.data.label, 'wone');
  });

  it('adds one port node per published port (IPv4 and IPv6 bindings merged), joined to the container', () => {
    const ports = elements.filter((element) => element.data.kind === 'port');
    assert.deepEqual(
      ports.map((port) => port.data.label),
      ['8081→80'],
    );
    const edge = elements.find((element) => element.data.kind === 'published');
    assert.equal(edge?.data.source, ports[0].data.id);
    assert.equal(edge?.data.target, w1.data.id);
  });

  it('lists every node before any edge, with unique ids', () => {
    const firstEdge = elements.findIndex((element) => element.group === 'edges');
    assert.ok(elements.slice(firstEdge).every((element) => element.group === 'edges'));
    assert.equal(new Set(elements.map((element) => element.data.id)).size, elements.length);
  });

  it('is stable: the same snapshot gives no diff', () => {
    assert.deepEqual(diffElements(elements, buildTopology([view(seedSnapshot)])), { added: [], removed: [], updated: [] });
  });
});

const overlay: NetworkModel = {
  id: 'ov1',
  name: 'ov',
  driver: 'overlay',
  scope: 'swarm',
  internal: true,
  attachable: true,
  ingress: false,
  enableIPv6: false,
  icc: true,
  predefined: false,
  ipam: [{ subnet: '10.0.9.0/24' }],
  options: {},
  labels: {},
};
function hostWithOverlay(hostId: string, containerId: string, state = 'running'): HostSnapshot {
  return {
    hostId,
    networks: [overlay],
    containers: [{ id: containerId, name: `c-${hostId}`, image: 'busybox', state, ports: [], labels: {} }],
    endpoints: [{ networkId: 'ov1', containerId, endpointId: 'e', ipv4: '10.0.9.2', aliases: [], links: [] }],
  };
}

describe('multi-host overlay', () => {
  const elements = buildTopology([view(hostWithOverlay('a', 'ca')), view(hostWithOverlay('b', 'cb', 'exited'))]);

  it('draws a swarm network once, outside every host, joined to members on both hosts', () => {
    const ov = byLabel(elements, 'network', 'ov');
    assert.equal(ov.data.parent, undefined);
    assert.deepEqual(ov.classes, ['overlay', 'internal']);
    const members = elements.filter((element) => element.data.kind === 'endpoint' && element.data.target === ov.data.id);
    assert.deepEqual(members.map((edge) => edge.data.source).sort(), ['ctr:a:ca', 'ctr:b:cb']);
  });

  it('dims stopped containers', () => {
    assert.deepEqual(byLabel(elements, 'container', 'c-b').classes, ['stopped']);
  });

  it('shows an unreachable host as a marked box', () => {
    const [host] = buildTopology([{ host: hostConfig('x'), state: { kind: 'unreachable', reason: 'connection refused', nextRetryAt: 0 } }]);
    assert.equal(host.data.label, 'x (unreachable)');
    assert.deepEqual(host.classes, ['unreachable']);
  });

  it('shows the default socket nobody chose, silent so far, as a quiet box (no error mark)', () => {
    const [host] = buildTopology([
      { host: { ...hostConfig('x'), implicit: true }, state: { kind: 'absent', reason: 'no Docker socket there', nextRetryAt: 0 } },
    ]);
    assert.equal(host.data.label, 'x (no daemon)');
    assert.deepEqual(host.classes, ['absent']);
  });
});

describe('diffs', () => {
  const base = hostWithOverlay('a', 'ca');
  const before = buildTopology([view(base)]);

  it('attach: one new endpoint edge', () => {
    const net2: NetworkModel = { ...overlay, id: 'n2', name: 'n2', scope: 'local', driver: 'bridge' };
    const withNet = { ...base, networks: [...base.networks, net2] };
    const attached = {
      ...withNet,
      endpoints: [...base.endpoints, { networkId: 'n2', containerId: 'ca', endpointId: 'e2', ipv4: '172.30.0.2', aliases: [], links: [] }],
    };
    const diff = diffElements(buildTopology([view(withNet)]), buildTopology([view(attached)]));
    assert.deepEqual(
      diff.added.map((element) => element.data.id),
      ['ep:a:ca:n2'],
    );
    assert.equal(diff.added[0].data.label, '172.30.0.2');
    assert.deepEqual([diff.removed, diff.updated], [[], []]);
  });

  it('detach: the endpoint edge is removed', () => {
    const diff = diffElements(before, buildTopology([view({ ...base, endpoints: [] })]));
    assert.deepEqual(diff, { added: [], removed: ['ep:a:ca:ov1'], updated: [] });
  });

  it('rename: the same node updated (and its edge, whose actions name the container)', () => {
    const renamed = { ...base, containers: base.containers.map((container) => ({ ...container, name: 'renamed' })) };
    const diff = diffElements(before, buildTopology([view(renamed)]));
    assert.deepEqual(
      diff.updated.map((element) => [element.data.id, element.data.label]),
      [
        ['ctr:a:ca', 'renamed'],
        ['ep:a:ca:ov1', '10.0.9.2'],
      ],
    );
    assert.deepEqual([diff.added, diff.removed], [[], []]);
  });

  it('add and remove a container: node and its edges', () => {
    const more = {
      ...base,
      containers: [...base.containers, { ...base.containers[0], id: 'cz', name: 'z' }],
      endpoints: [...base.endpoints, { ...base.endpoints[0], containerId: 'cz' }],
    };
    const after = buildTopology([view(more)]);
    assert.deepEqual(
      diffElements(before, after).added.map((element) => element.data.id),
      ['ctr:a:cz', 'ep:a:cz:ov1'],
    );
    assert.deepEqual(diffElements(after, before).removed, ['ctr:a:cz', 'ep:a:cz:ov1']);
  });

  it('a network that changes scope moves: removed and added again', () => {
    const local = { ...base, networks: [{ ...overlay, scope: 'local' }] };
    const diff = diffElements(before, buildTopology([view(local)]));
    assert.ok(diff.removed.includes('net:*:ov1'));
    assert.ok(diff.added.some((element) => element.data.id === 'net:a:ov1'));
  });
});
