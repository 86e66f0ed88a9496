import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { HostState } from '../../../src/core/docker/hostMonitor';
import { buildExplorerTree, type ExplorerNode } from '../../../src/core/explorer/explorerTree';
import { buildHostSnapshot } from '../../../src/core/docker/buildSnapshot';
import { loadSeed, seedExtras } from '../fixtureData';
import { DEFAULT_HOST } from '../../support/models';

const host = DEFAULT_HOST;
const seed = loadSeed();
const connected: HostState = { kind: 'connected', snapshot: buildHostSnapshot(host.id, seed.networks, seed.containers, seedExtras(seed)) };

const find = (nodes: readonly ExplorerNode[], label: string) => {
  const node = nodes.find((entry) => entry.label === label);
  assert.ok(node, `no row "${label}" among ${nodes.map((entry) => entry.label).join(', ')}`);
  return node;
};

describe('networks view', () => {
  const [root] = buildExplorerTree('networks', [{ host, state: connected }]);

  it('groups by host, expanded, with counts', () => {
    assert.equal(root.kind, 'host');
    assert.equal(root.label, 'local');
    assert.equal(root.expanded, true);
    assert.equal(root.description, '4 networks, 2 containers · unix:///var/run/docker.sock');
  });

  it('describes a network by driver, scope, subnet, gateway and range', () => {
    const tb1 = find(root.children, 'tb1');
    assert.equal(tb1.description, 'bridge · local · 10.15.20.0/24 gw 10.15.20.1 range 10.15.20.128/25');
    assert.equal(tb1.contextValue, 'network.custom');
    assert.match(tb1.tooltip ?? '', /IP range: 10\.15\.20\.128\/25/);
    assert.match(tb1.tooltip ?? '', /Inter-container communication: enabled/);
  });

  it('marks predefined networks so they can never be offered for removal', () => {
    for (const name of ['bridge', 'host', 'none']) {
      const node = find(root.children, name);
      assert.equal(node.contextValue, 'network.predefined');
      assert.match(node.description ?? '', /predefined/);
    }
  });

  it('lists attached containers by name with address, aliases and links', () => {
    const tb1 = find(root.children, 'tb1');
    assert.deepEqual(
      tb1.children.map((entry) => entry.label),
      ['w1', 'w2'],
    );
    assert.equal(find(tb1.children, 'w1').description, '10.15.20.128/24 · aliases webone');
    assert.equal(find(tb1.children, 'w2').description, '10.15.20.129/24 · links w1:wone');
    assert.match(find(tb1.children, 'w1').tooltip ?? '', /MAC: 02:42:0a:0f:14:80/);
    assert.match(find(tb1.children, 'w1').tooltip ?? '', /Published: 0\.0\.0\.0:8081→80\/tcp/);
  });

  it('gives every row a unique id', () => {
    const ids: string[] = [];
    const walk = (nodes: readonly ExplorerNode[]) => nodes.forEach((node) => (ids.push(node.id), walk(node.children)));
    walk([root]);
    assert.equal(new Set(ids).size, ids.length);
  });
});

describe('containers view', () => {
  const [root] = buildExplorerTree('containers', [{ host, state: connected }]);

  it('shows state and published ports, and each network with the IP on it', () => {
    const w1 = find(root.children, 'w1');
    assert.equal(w1.description, 'running · 0.0.0.0:8081→80/tcp');
    assert.equal(w1.contextValue, 'container.running');
    assert.deepEqual(
      w1.children.map((entry) => `${entry.label} ${entry.description}`),
      ['bridge 172.17.0.2/16', 'tb1 10.15.20.128/24 · aliases webone'],
    );
  });
});

describe('host states', () => {
  it('an unreachable host shows one message with the reason and a retry', () => {
    const state: HostState = { kind: 'unreachable', reason: 'connect ECONNREFUSED /var/run/docker.sock', nextRetryAt: 0 };
    const [root] = buildExplorerTree('networks', [{ host, state }]);
    assert.equal(root.description, 'unreachable');
    assert.equal(root.children.length, 1);
    const [message] = root.children;
    assert.equal(message.kind, 'message');
    assert.match(message.label, /Cannot reach the Docker daemon: connect ECONNREFUSED/);
    assert.equal(message.contextValue, 'hostUnreachable');
    assert.deepEqual(message.command, { id: 'retryHost', hostId: 'default' });
  });

  it('the default socket nobody chose, silent so far: a quiet row, no error, still a retry', () => {
    const state: HostState = { kind: 'absent', reason: 'no Docker socket there (ENOENT); is dockerd running?', nextRetryAt: 0 };
    const [root] = buildExplorerTree('networks', [{ host: { ...host, implicit: true }, state }]);
    assert.equal(root.description, 'no daemon');
    assert.deepEqual(root.icon, { id: 'server' }, 'no error colour');
    const [message] = root.children;
    assert.equal(message.label, 'No Docker daemon at unix:///var/run/docker.sock: start dockerd, or add a host');
    assert.deepEqual(message.icon, { id: 'info' });
    assert.deepEqual(message.command, { id: 'retryHost', hostId: 'default' });
  });

  it('a misconfigured host explains itself and offers no retry', () => {
    const state: HostState = { kind: 'misconfigured', reason: 'DOCKER_HOST "tcp//x" is not a URL' };
    const [root] = buildExplorerTree('containers', [{ host, state }]);
    assert.equal(root.children[0].command, undefined);
    assert.match(root.children[0].label, /Host configuration problem: DOCKER_HOST "tcp\/\/x"/);
  });

  it('counts in the singular when there is one', () => {
    const one = buildHostSnapshot(host.id, seed.networks.slice(0, 1), seed.containers.slice(0, 1), seedExtras(seed));
    const [root] = buildExplorerTree('networks', [{ host, state: { kind: 'connected', snapshot: one } }]);
    assert.equal(root.description, '1 network, 1 container · unix:///var/run/docker.sock');
  });

  it('a host still connecting spins, expanded, with one message row', () => {
    const [root] = buildExplorerTree('networks', [{ host, state: { kind: 'connecting' } }]);
    assert.equal(root.icon.id, 'loading~spin');
    assert.equal(root.expanded, true);
    assert.deepEqual(
      root.children.map((child) => child.label),
      ['Connecting to unix:///var/run/docker.sock…'],
    );
  });

  it('a host warning is visible in the tooltip', () => {
    const warned = { ...host, warnings: ['DOCKER_TLS_VERIFY=true is read as on'] };
    const [root] = buildExplorerTree('networks', [{ host: warned, state: connected }]);
    assert.match(root.tooltip ?? '', /⚠ DOCKER_TLS_VERIFY=true is read as on/);
  });
});
