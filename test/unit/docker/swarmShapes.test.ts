/**
 * Swarm overlays in the model, on what each engine really answered: the swarm lab recorded by
 * tools/lab/recordSwarm.mjs on dockerd 20.10 and 26.1 (an encrypted attachable overlay, a
 * service, a standalone container on it from docker3 and a second one of the same name tried
 * from docker1; on 26 also web2 left exited by its failed start). Per host: the lists, the
 * container inspects and each swarm network's verbose inspect, merged as SnapshotLoader does.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { HostView } from '../../../src/core/docker/hostMonitor';
import { clashingTaskNames } from '../../../src/core/docker/swarmNetwork';
import { buildExplorerTree } from '../../../src/core/explorer/explorerTree';
import { formatContainerState, networkBadges } from '../../../src/core/model/format';
import type { HostSnapshot } from '../../../src/core/model/snapshot';
import { buildTopology } from '../../../src/core/topology/topologyModel';
import { swarmContainerFindings } from '../../../src/core/diagnostics/live/swarmContainers';
import { swarmNameWarning } from '../../../src/core/operations/swarmNames';
import { defaultNetworkSpec, toCreateOptions } from '../../../src/core/operations/networkSpec';
import { validateNetworkSpec } from '../../../src/core/operations/validateNetwork';
import {
  loadSwarmRecording as load,
  swarmHost as hostOf,
  swarmSnapshotOf as snapshotOf,
  SWARM_ENGINES as ENGINES,
  type HostName,
} from '../swarmRecording';

const NETWORK = 'dne-swarmrec-enc';

for (const engine of ENGINES) {
  describe(`swarm overlays on dockerd ${engine} (recorded from the swarm lab)`, () => {
    const recording = load(engine);
    const addr = (host: HostName) => recording.hosts[host].swarm.NodeAddr;
    const snapshots = Object.fromEntries(
      (Object.keys(recording.hosts) as HostName[]).map((name) => [name, snapshotOf(name, recording.hosts[name])]),
    ) as Record<HostName, HostSnapshot>;

    it('reads an encrypted attachable overlay: scope swarm, its badges, the nodes carrying it', () => {
      const network = snapshots.docker3.networks.find((entry) => entry.name === NETWORK);
      assert.ok(network);
      assert.deepEqual([network.driver, network.scope, network.attachable, network.encrypted], ['overlay', 'swarm', true, true]);
      assert.deepEqual(networkBadges(network), ['attachable', 'encrypted']);
      const expected = recording.clash.accepted ? [addr('docker1'), addr('docker3')] : [addr('docker3')];
      assert.deepEqual(network.peers?.map((peer) => peer.ip).sort(), expected.sort());
      for (const peer of network.peers ?? []) assert.match(peer.name, /^[0-9a-f]{12}$/);
    });

    it("reads the verbose inspect's services: the service's VIP and task, the standalone containers with their node", () => {
      const network = snapshots.docker3.networks.find((entry) => entry.name === NETWORK);
      const service = network?.services?.find((entry) => entry.name === 'dne-swarmrec-svc');
      assert.match(service?.vip ?? '', /^10\.10\.40\.\d+$/);
      assert.deepEqual(
        service?.tasks.map((task) => [task.name.replace(/\.[0-9a-z]{25}$/, '.<task>'), task.hostIp]),
        [['dne-swarmrec-svc.1.<task>', addr('docker3')]],
      );
      const standalone = network?.services?.find((entry) => entry.name === '');
      assert.equal(standalone?.vip, undefined, 'Docker\'s "<nil>" is no address');
      const expected = recording.clash.accepted ? [addr('docker1'), addr('docker3')] : [addr('docker3')];
      assert.deepEqual(
        standalone?.tasks
          .filter((task) => task.name === 'dne-swarmrec-a')
          .map((task) => task.hostIp)
          .sort(),
        expected.sort(),
      );
    });

    it('the Networks view: the service a row under the overlay, once across hosts, its task under it with its node; standalone containers only as members', () => {
      const views: HostView[] = (['docker1', 'docker2', 'docker3'] as const).map((name) => ({
        host: hostOf(name),
        state: { kind: 'connected', snapshot: snapshots[name] },
      }));
      const group = buildExplorerTree('networks', views).find((row) => row.label === 'Multi-host networks');
      const overlay = group?.children.find((row) => row.label === NETWORK);
      assert.ok(overlay, 'the overlay in the multi-host group');
      const services = overlay.children.filter((row) => row.kind === 'service');
      assert.deepEqual(
        services.map((row) => [row.label, row.description?.replace(/10\.10\.40\.\d+/, '<vip>')]),
        [['dne-swarmrec-svc', 'service · VIP <vip> · 1 task']],
      );
      assert.deepEqual(
        services[0].children.map((row) => [
          row.kind,
          row.label.replace(/\.[0-9a-z]{25}$/, '.<task>'),
          row.description?.replace(/^10\.10\.40\.\d+/, '<ip>'),
        ]),
        [['task', 'dne-swarmrec-svc.1.<task>', `<ip> · on node ${addr('docker3')}`]],
      );
      // The "" service's tasks are the standalone containers: members of the row, never a service row.
      assert.ok(overlay.children.some((row) => row.kind === 'endpoint' && row.label === 'dne-swarmrec-a'));
      assert.ok(!services.some((row) => row.label === ''));
    });

    it('a second container of the same name from another node: accepted (both engines), found as a clash', () => {
      const network = snapshots.docker3.networks.find((entry) => entry.name === NETWORK);
      assert.ok(network);
      if (recording.clash.accepted)
        assert.deepEqual(clashingTaskNames(network), [{ name: 'dne-swarmrec-a', hostIps: [addr('docker1'), addr('docker3')].sort() }]);
      else {
        assert.deepEqual(clashingTaskNames(network), []);
        assert.match(recording.clash.error ?? '', /dne-swarmrec-a/);
      }
      assert.equal(recording.clash.accepted, true, 'both engines took it when recorded');
    });

    it('shows ingress and each host its own docker_gwbridge', () => {
      for (const name of ['docker1', 'docker2', 'docker3'] as const) {
        const ingress = snapshots[name].networks.find((entry) => entry.name === 'ingress');
        assert.deepEqual([ingress?.scope, ingress?.ingress, networkBadges(ingress!)], ['swarm', true, ['ingress']]);
        const gwbridge = snapshots[name].networks.find((entry) => entry.name === 'docker_gwbridge');
        assert.equal(gwbridge?.scope, 'local');
      }
    });

    it('draws the overlay once across hosts, joined to its members on docker1 and docker3', () => {
      const views: HostView[] = (['docker1', 'docker2', 'docker3'] as const).map((name) => ({
        host: hostOf(name),
        state: { kind: 'connected', snapshot: snapshots[name] },
      }));
      const elements = buildTopology(views);
      const id = snapshots.docker3.networks.find((entry) => entry.name === NETWORK)?.id;
      assert.equal(elements.filter((element) => element.data.kind === 'network' && element.data.label === NETWORK).length, 1);
      const edgeHosts = elements
        .filter((element) => element.data.kind === 'endpoint' && element.data.target === `net:*:${id}`)
        .map((element) => element.data.source?.split(':')[1])
        .sort();
      const expected = recording.clash.accepted ? ['docker1', 'docker3', 'docker3'] : ['docker3', 'docker3'];
      assert.deepEqual(edgeHosts, expected);
      const details = new Map(elements.find((element) => element.data.id === `net:*:${id}`)?.data.details);
      assert.equal(details.get('Encrypted'), 'yes (IPsec between nodes)');
      assert.match(details.get('Service dne-swarmrec-svc') ?? '', /^VIP 10\.10\.40\.\d+; dne-swarmrec-svc\.1\./);

      const [group] = buildExplorerTree('networks', views).filter((node) => node.label === 'Multi-host networks');
      const row = group.children.find((child) => child.label === NETWORK);
      assert.match(
        row?.description ?? '',
        /^overlay · swarm · 10\.10\.40\.0\/24 gw 10\.10\.40\.1 · attachable encrypted · on docker1, docker2, docker3$/,
      );
      assert.match(row?.tooltip ?? '', /\nEncrypted: yes \(IPsec between nodes\)\nPeers: /);
      assert.match(row?.tooltip ?? '', /\nContainers on every node: dne-swarmrec-a 10\.10\.40\.\d+ on /);
    });

    const urlOf = (name: HostName) => `unix:///run/${name}.sock`;
    const doctorViews = () =>
      (['docker1', 'docker2', 'docker3'] as const).map((name) => ({ host: { name, url: urlOf(name) }, snapshot: snapshots[name] }));

    it(`the doctor: DNE240 ${engine === '26' ? 'for web2 on docker2' : 'nowhere'}, DNE241 ${recording.clash.accepted ? 'for the second dne-swarmrec-a' : 'nowhere'}, nothing for ingress`, () => {
      const findings = swarmContainerFindings(doctorViews());
      const left = findings.filter((finding) => finding.code === 'DNE240');
      if (engine === '26') {
        assert.deepEqual(
          left.map((finding) => finding.file),
          [urlOf('docker2')],
        );
        assert.match(
          left[0].message,
          /^web2 on docker2 is exited: its start failed with "could not find a network matching network mode multihost: network multihost not found"\. /,
        );
        assert.match(
          left[0].message,
          / For sure, join it to multihost alone first: docker network disconnect multihost-internal web2; docker start web2; docker network connect multihost-internal web2\.$/,
        );
      } else assert.deepEqual(left, []);
      const clashes = findings.filter((finding) => finding.code === 'DNE241');
      assert.deepEqual(
        clashes.map((finding) => finding.message.split(':')[0]),
        recording.clash.accepted ? [`2 containers named dne-swarmrec-a are on swarm overlay ${NETWORK} (on docker1, docker3)`] : [],
      );
    });

    it('warns before connecting a name already on a swarm overlay, from either side; not a free name, not a local network', () => {
      const views: HostView[] = (['docker1', 'docker2', 'docker3'] as const).map((name) => ({
        host: hostOf(name),
        state: { kind: 'connected', snapshot: snapshots[name] },
      }));
      const network = snapshots.docker3.networks.find((entry) => entry.name === NETWORK);
      assert.ok(network);
      const on3 = snapshots.docker3.containers.find((container) => container.name === 'dne-swarmrec-a');
      assert.ok(on3);
      const fromDocker2 = swarmNameWarning('dne-swarmrec-a', network, views, { hostId: 'docker2', containerId: 'not-yet-on-it' });
      const holders = recording.clash.accepted ? ['docker1', 'docker3'] : ['docker3'];
      assert.match(
        fromDocker2 ?? '',
        new RegExp(
          `^The name dne-swarmrec-a is already on swarm overlay ${NETWORK}: ${holders.map((host) => `dne-swarmrec-a on ${host} \\(10\\.10\\.40\\.\\d+\\)`).join(', ')}\\. `,
        ),
      );
      const fromSelf = swarmNameWarning('dne-swarmrec-a', network, views, { hostId: 'docker3', containerId: on3.id });
      assert.equal(fromSelf === undefined, !recording.clash.accepted, `docker3's own endpoint is no clash: ${fromSelf}`);
      assert.equal(swarmNameWarning('nobody-here', network, views, { hostId: 'docker1', containerId: 'x' }), undefined);
      const bridge = snapshots.docker3.networks.find((entry) => entry.name === 'bridge');
      assert.equal(swarmNameWarning('web1', bridge!, views, { hostId: 'docker1', containerId: 'x' }), undefined);
    });

    it(engine === '26' ? "keeps web2's failed start, in Docker's words, while it is down" : 'has no failed start to show', () => {
      const web2 = snapshots.docker2.containers.find((container) => container.name === 'web2');
      if (engine !== '26') {
        assert.equal(web2?.startError, undefined);
        return;
      }
      assert.equal(web2?.state, 'exited');
      assert.equal(web2?.startError, 'could not find a network matching network mode multihost: network multihost not found');
      assert.match(
        formatContainerState(web2!),
        /; start failed: could not find a network matching network mode multihost: network multihost not found$/,
      );
    });
  });
}

describe('encrypted overlays in create', () => {
  it("sends --opt encrypted as Docker's CLI does (an empty value: the option's presence is what counts)", () => {
    const spec = { ...defaultNetworkSpec('overlay', 'enc'), attachable: true, encrypted: true };
    assert.deepEqual(toCreateOptions(spec).Options, { encrypted: '' });
    assert.deepEqual(toCreateOptions({ ...spec, encrypted: false }).Options, {});
  });

  it('refuses encryption on a bridge', () => {
    const empty: HostSnapshot = { hostId: 'h', networks: [], containers: [], endpoints: [] };
    assert.deepEqual(validateNetworkSpec({ ...defaultNetworkSpec('bridge', 'b'), encrypted: true }, empty), [
      {
        field: 'encrypted',
        message: 'Encryption applies to overlay networks only (IPsec between nodes): leave it off for a bridge network.',
      },
    ]);
  });
});
