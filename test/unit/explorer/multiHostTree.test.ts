import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { HostView } from '../../../src/core/docker/hostMonitor';
import { buildExplorerTree, multiHostNetworkRowId, type ExplorerNode } from '../../../src/core/explorer/explorerTree';
import type { HostSnapshot, NetworkModel } from '../../../src/core/model/snapshot';
import { scopedNetwork, socketHost } from '../../support/models';

/** With an address range by scope, as the rows show it. */
const network = (id: string, name: string, scope: string): NetworkModel =>
  scopedNetwork(id, name, scope, { ipam: [{ subnet: scope === 'local' ? '172.18.0.0/16' : '10.10.10.0/24' }] });
const multihost = network('ovid', 'multihost', 'global');

/** A host of the seed's lab: its own bridge, and the shared overlay with one container on it. */
function labHost(hostId: string, container?: { id: string; name: string; ip: string }): HostView {
  const snapshot: HostSnapshot = {
    hostId,
    networks: [network(`br-${hostId}`, 'bridge', 'local'), multihost],
    containers: container ? [{ id: container.id, name: container.name, image: 'busybox', state: 'running', ports: [], labels: {} }] : [],
    endpoints: container
      ? [
          {
            networkId: 'ovid',
            containerId: container.id,
            endpointId: `e-${container.id}`,
            ipv4: container.ip,
            ipv4PrefixLen: 24,
            aliases: [],
            links: [],
          },
        ]
      : [],
  };
  return { host: socketHost(hostId), state: { kind: 'connected', snapshot } };
}

const labels = (nodes: readonly ExplorerNode[]) => nodes.map((node) => node.label);

describe('networks view with several hosts', () => {
  const hosts = [
    labHost('docker1'),
    labHost('docker2', { id: 'c2', name: 'web2', ip: '10.10.10.3' }),
    labHost('docker3', { id: 'c3', name: 'web1', ip: '10.10.10.2' }),
  ];
  const roots = buildExplorerTree('networks', hosts);
  const group = roots.at(-1)!;

  it('lists the overlay once, in a group after the hosts, not under each host', () => {
    assert.deepEqual(labels(roots), ['docker1', 'docker2', 'docker3', 'Multi-host networks']);
    for (const host of roots.slice(0, 3)) assert.deepEqual(labels(host.children), ['bridge']);
    assert.deepEqual(labels(group.children), ['multihost']);
  });

  it('merges the members of every host, each labelled with its host', () => {
    const [overlay] = group.children;
    assert.equal(overlay.id, multiHostNetworkRowId('ovid'));
    assert.equal(overlay.description, 'overlay · global · 10.10.10.0/24 · on docker1, docker2, docker3');
    assert.deepEqual(
      overlay.children.map((row) => [row.label, row.description]),
      [
        ['web1', 'docker3 · 10.10.10.2/24'],
        ['web2', 'docker2 · 10.10.10.3/24'],
      ],
    );
    assert.deepEqual(
      overlay.children.map((row) => row.target?.hostId),
      ['docker3', 'docker2'],
    );
    assert.equal(overlay.target?.hostId, 'docker1');
  });

  it('a host that is down takes only its own members away', () => {
    const down: HostView = { host: socketHost('docker2'), state: { kind: 'unreachable', reason: 'connection refused', nextRetryAt: 0 } };
    const [, , , merged] = buildExplorerTree('networks', [hosts[0], down, hosts[2]]);
    assert.deepEqual(
      merged.children[0].children.map((row) => row.label),
      ['web1'],
    );
    assert.match(merged.children[0].description ?? '', /on docker1, docker3$/);
  });

  it('has no group when no host has a multi-host network, and none in the Containers view', () => {
    const local = (id: string): HostView => ({
      host: socketHost(id),
      state: {
        kind: 'connected',
        snapshot: { hostId: id, networks: [network(`b-${id}`, 'bridge', 'local')], containers: [], endpoints: [] },
      },
    });
    assert.deepEqual(labels(buildExplorerTree('networks', [local('a'), local('b')])), ['a', 'b']);
    assert.deepEqual(labels(buildExplorerTree('containers', hosts)), ['docker1', 'docker2', 'docker3']);
  });

  it('leaves a single host as it was: its overlay stays under it', () => {
    const [only] = buildExplorerTree('networks', [hosts[1]]);
    assert.deepEqual(labels(only.children), ['bridge', 'multihost']);
    assert.equal(only.children[1].children[0].description, '10.10.10.3/24');
  });

  it('gives every row a unique id', () => {
    const ids: string[] = [];
    const walk = (nodes: readonly ExplorerNode[]) => nodes.forEach((node) => (ids.push(node.id), walk(node.children)));
    walk(roots);
    assert.equal(new Set(ids).size, ids.length);
  });
});
