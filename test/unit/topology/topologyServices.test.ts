/**
 * Swarm services in the topology (issue #13): one node per service, whatever the number of
 * managers listing it and of networks it is on; its tasks in its details; ids that stay put. On
 * the swarm lab's recorded answers (dockerd 20.10 and 26) and on made-up swarms for what the
 * recording lacks (a service on ingress and its own network, DNS round robin, two swarms).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { HostView } from '../../../src/core/docker/hostMonitor';
import type { HostSnapshot, NetworkModel, SwarmService } from '../../../src/core/model/snapshot';
import { buildTopology, diffElements, serviceNodeId, type TopologyElement } from '../../../src/core/topology/topologyModel';
import { positionHost, SHARED } from '../../../src/core/topology/positionBook';
import { scopedNetwork, socketHost } from '../../support/models';
import { loadSwarmRecording, SWARM_ENGINES, swarmSnapshots, swarmViews, type HostName } from '../swarmRecording';

const SERVICE = 'dne-swarmrec-svc';
const NETWORK = 'dne-swarmrec-enc';

const ofKind = (elements: readonly TopologyElement[], kind: string) => elements.filter((element) => element.data.kind === kind);
const detailsOf = (element: TopologyElement | undefined) => new Map(element?.data.details);

for (const engine of SWARM_ENGINES) {
  describe(`swarm services in the topology, dockerd ${engine} (recorded)`, () => {
    const recording = loadSwarmRecording(engine);
    const snapshots = swarmSnapshots(recording);
    const addr = (host: HostName) => recording.hosts[host].swarm.NodeAddr;
    const network = (name: string) => snapshots.docker1.networks.find((entry) => entry.name === name)!;
    const elements = buildTopology(swarmViews(snapshots));

    it('draws the service once although two managers list it, outside every host, keyed by its swarm', () => {
      const listing = (['docker1', 'docker2', 'docker3'] as const).filter((host) =>
        snapshots[host].networks.some((entry) => entry.services?.some((service) => service.name === SERVICE)),
      );
      assert.deepEqual(listing, ['docker1', 'docker3'], 'the recording has the service twice');
      const services = ofKind(elements, 'service');
      assert.deepEqual(
        services.map((element) => [element.data.id, element.data.label, element.data.parent, element.data.tasks]),
        [[`svc:${network('ingress').id}:${SERVICE}`, SERVICE, undefined, 1]],
      );
      assert.equal(services[0].data.dockerTarget, undefined, 'nothing to act on: no Inspect, no Remove');
      assert.equal(positionHost(services[0]), SHARED, 'its place kept with the overlays, under no host');
    });

    it('draws no node for the "" service: the standalone containers are containers already', () => {
      assert.ok(!elements.some((element) => element.data.kind === 'service' && element.data.label === ''));
      assert.ok(ofKind(elements, 'container').some((element) => element.data.label === 'dne-swarmrec-a'));
    });

    it('joins it to its overlay, the one node drawn for all hosts, the edge carrying the VIP', () => {
      const edges = ofKind(elements, 'attached');
      const target = `net:*:${network(NETWORK).id}`;
      assert.deepEqual(
        edges.map((edge) => [edge.data.id, edge.data.source, edge.data.target]),
        [
          [
            `attached:${serviceNodeId(network('ingress').id, SERVICE)}:${network(NETWORK).id}`,
            serviceNodeId(network('ingress').id, SERVICE),
            target,
          ],
        ],
      );
      assert.equal(elements.filter((element) => element.data.id === target).length, 1);
      assert.match(edges[0].data.label, /^10\.10\.40\.\d+$/);
    });

    it('lists its VIP, task count and each task (name, address, node) in its details', () => {
      const details = detailsOf(ofKind(elements, 'service')[0]);
      assert.match(details.get('VIP') ?? '', new RegExp(`^10\\.10\\.40\\.\\d+ on ${NETWORK}$`));
      assert.equal(details.get('Tasks'), '1');
      assert.equal(details.get('Networks'), NETWORK);
      const tasks = [...details].filter(([key]) => key.startsWith('Task '));
      assert.deepEqual(
        tasks.map(([key, value]) => [key.replace(/\.[0-9a-z]{25}$/, '.<task>'), value.replace(/^10\.10\.40\.\d+/, '<ip>')]),
        [[`Task ${SERVICE}.1.<task>`, `<ip> on ${NETWORK}; node ${addr('docker3')}`]],
      );
    });

    it('gives the same elements whatever the order of the hosts, and no diff for the same snapshots', () => {
      const services = (views: HostView[]) =>
        buildTopology(views).filter((element) => element.data.kind === 'service' || element.data.kind === 'attached');
      assert.deepEqual(services(swarmViews(snapshots, ['docker3', 'docker2', 'docker1'])), services(swarmViews(snapshots)));
      assert.deepEqual(diffElements(elements, buildTopology(swarmViews(snapshots))), { added: [], removed: [], updated: [] });
    });

    it("names the overlay's Peers even when the first host seen does not carry it (docker2)", () => {
      const first = buildTopology(swarmViews(snapshots, ['docker2', 'docker1', 'docker3']));
      const details = detailsOf(first.find((element) => element.data.id === `net:*:${network(NETWORK).id}`));
      assert.deepEqual(
        details
          .get('Peers')
          ?.split(', ')
          .map((peer) => peer.split(' ')[0])
          .sort(),
        [addr('docker1'), addr('docker3')].sort(),
      );
      assert.match(details.get(`Service ${SERVICE}`) ?? '', /^VIP 10\.10\.40\.\d+; /);
      assert.equal(ofKind(first, 'service').length, 1);
    });

    it('draws no service from a host whose inspects list none (a worker, or docker2 here), nor without the verbose inspect', () => {
      assert.deepEqual(ofKind(buildTopology(swarmViews(snapshots, ['docker2'])), 'service'), []);
      const unread = (snapshot: HostSnapshot): HostSnapshot => ({
        ...snapshot,
        networks: snapshot.networks.map(({ services: _unread, ...rest }) => rest),
      });
      const views = swarmViews({
        docker1: unread(snapshots.docker1),
        docker2: unread(snapshots.docker2),
        docker3: unread(snapshots.docker3),
      });
      const without = buildTopology(views);
      assert.deepEqual([ofKind(without, 'service'), ofKind(without, 'attached')], [[], []]);
    });

    it('keeps ids unique and nodes before edges', () => {
      assert.equal(new Set(elements.map((element) => element.data.id)).size, elements.length);
      const firstEdge = elements.findIndex((element) => element.group === 'edges');
      assert.ok(elements.slice(firstEdge).every((element) => element.group === 'edges'));
    });
  });
}

// Made-up swarms: what a bigger swarm has and the recording does not.
const ingress = scopedNetwork('ingress0000', 'ingress', 'swarm', { ingress: true });
const web = scopedNetwork('web0000', 'web', 'swarm');
const task = (name: string, ip: string, hostIp: string) => ({ name, endpointId: `ep-${name}-${ip}`, ip, hostIp });

/** `api`, two replicas, on ingress (VIP 10.0.0.5) and web (VIP 10.1.0.2); `dns`, DNS round robin, on web. */
function services(on: 'ingress' | 'web'): SwarmService[] {
  const [net, vip] = on === 'ingress' ? ['10.0.0', '10.0.0.5'] : ['10.1.0', '10.1.0.2'];
  const api: SwarmService = {
    name: 'api',
    vip,
    tasks: [task('api.1.aaaa', `${net}.7`, '192.168.1.1'), task('api.2.bbbb', `${net}.8`, '192.168.1.2')],
  };
  const standalone: SwarmService = { name: '', tasks: [task('loner', `${net}.9`, '192.168.1.1')] };
  return on === 'ingress' ? [standalone, api] : [api, { name: 'dns', tasks: [task('dns.1.cccc', '10.1.0.10', '192.168.1.2')] }];
}

function manager(hostId: string, networks: NetworkModel[] = [ingress, web]): HostView {
  const snapshot: HostSnapshot = {
    hostId,
    networks: networks.map((network) => ({ ...network, services: services(network.ingress ? 'ingress' : 'web') })),
    containers: [],
    endpoints: [],
  };
  return { host: socketHost(hostId), state: { kind: 'connected', snapshot } };
}

describe('swarm services in the topology (made-up swarms)', () => {
  const elements = buildTopology([manager('m1'), manager('m2')]);
  const api = serviceNodeId(ingress.id, 'api');

  it('draws a service on ingress and its own network as one node, an edge to each network', () => {
    assert.deepEqual(
      ofKind(elements, 'service').map((element) => element.data.id),
      [api, serviceNodeId(ingress.id, 'dns')],
    );
    assert.deepEqual(
      ofKind(elements, 'attached')
        .filter((edge) => edge.data.source === api)
        .map((edge) => [edge.data.target, edge.data.label]),
      [
        [`net:*:${ingress.id}`, '10.0.0.5'],
        [`net:*:${web.id}`, '10.1.0.2'],
      ],
    );
  });

  it('merges what both managers list: each task once, with its address on every network and its node', () => {
    const node = elements.find((element) => element.data.id === api);
    const details = detailsOf(node);
    assert.equal(node?.data.tasks, 2);
    assert.equal(details.get('VIP'), '10.0.0.5 on ingress, 10.1.0.2 on web');
    assert.equal(details.get('Task api.1.aaaa'), '10.0.0.7 on ingress, 10.1.0.7 on web; node 192.168.1.1');
    assert.equal(details.get('Task api.2.bbbb'), '10.0.0.8 on ingress, 10.1.0.8 on web; node 192.168.1.2');
    assert.equal(details.get('Networks'), 'ingress, web');
  });

  it('says DNS round robin for a service without a VIP', () => {
    const dns = elements.find((element) => element.data.id === serviceNodeId(ingress.id, 'dns'));
    assert.deepEqual(dns?.classes, ['dnsrr']);
    assert.match(detailsOf(dns).get('VIP') ?? '', /^none: DNS round robin/);
    const edge = ofKind(elements, 'attached').find((element) => element.data.source === dns?.data.id);
    assert.deepEqual([edge?.data.label, detailsOf(edge).get('VIP')], ['', 'none: DNS round robin']);
  });

  it('keeps a service in place when it joins or leaves a network: its node updated, the edge added or removed', () => {
    const before = buildTopology([manager('m1', [ingress])]);
    const diff = diffElements(before, elements);
    assert.ok(diff.updated.some((element) => element.data.id === api));
    assert.ok(!diff.removed.includes(api));
    assert.ok(diff.added.some((element) => element.data.id === `attached:${api}:${web.id}`));
    assert.ok(!diff.added.some((element) => element.data.id === api));
    assert.ok(diffElements(elements, before).removed.includes(`attached:${api}:${web.id}`));
  });

  it('keeps two swarms apart: the same service name in each is two nodes', () => {
    const other = (network: NetworkModel) => ({ ...network, id: `other-${network.id}` });
    const both = buildTopology([manager('m1'), manager('x1', [other(ingress), other(web)])]);
    assert.deepEqual(
      ofKind(both, 'service')
        .filter((element) => element.data.label === 'api')
        .map((element) => element.data.id),
      [api, serviceNodeId(`other-${ingress.id}`, 'api')],
    );
  });

  it('keys a swarm without ingress by its network, and ignores hosts that are not connected', () => {
    const alone = buildTopology([
      { host: socketHost('down'), state: { kind: 'unreachable', reason: 'refused', nextRetryAt: 0 } },
      manager('m1', [web]),
    ]);
    assert.deepEqual(
      ofKind(alone, 'service').map((element) => element.data.id),
      [serviceNodeId(web.id, 'api'), serviceNodeId(web.id, 'dns')],
    );
  });

  it('keeps ids apart whatever a daemon names a service (its name is encoded)', () => {
    const odd: NetworkModel = {
      ...web,
      services: [
        { name: 'a:b', tasks: [] },
        { name: 'a', tasks: [] },
      ],
    };
    const snapshot: HostSnapshot = { hostId: 'm1', networks: [odd], containers: [], endpoints: [] };
    const ids = buildTopology([{ host: socketHost('m1'), state: { kind: 'connected', snapshot } }]).map((element) => element.data.id);
    assert.ok(ids.includes(`svc:${web.id}:a%3Ab`));
    assert.equal(new Set(ids).size, ids.length);
  });
});
