import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { buildExplorerTree, type ExplorerNode } from '../../../src/core/explorer/explorerTree';
import type { DockerHost } from '../../../src/core/hosts/dockerHost';
import { buildHostSnapshot } from '../../../src/core/docker/buildSnapshot';
import {
  ACTIONS,
  GRAPH_ACTIONS,
  graphLabel,
  graphState,
  rowIs,
  treeMenus,
  type ElementState,
} from '../../../src/core/topology/topologyActions';
import { loadSeed, seedExtras } from '../fixtureData';

const repo = path.join(__dirname, '..', '..', '..', '..');
const manifest = JSON.parse(fs.readFileSync(path.join(repo, 'package.json'), 'utf8')) as {
  contributes: { commands: Array<{ command: string }>; menus: Record<string, unknown> };
};

describe('the action table', () => {
  it("is package.json's view/item/context, entry for entry (regenerate: node tools/menus.mjs)", () => {
    const expected = treeMenus();
    assert.deepEqual(
      manifest.contributes.menus['view/item/context'],
      expected,
      `package.json should have:\n${JSON.stringify(expected, null, 2)}`,
    );
  });

  it('names only commands package.json contributes', () => {
    const contributed = new Set(manifest.contributes.commands.map((entry) => entry.command));
    assert.deepEqual(
      Object.values(ACTIONS)
        .map((spec) => spec.command)
        .filter((command) => !contributed.has(command)),
      [],
    );
  });

  it('describes every contextValue the tree gives a row that has actions (a renamed one would silently lose its menu)', () => {
    const seed = loadSeed();
    // One container stopped, so the tree has a row of each state.
    const containers = seed.containers.map((container, index) => (index === 0 ? { ...container, State: 'exited' } : container));
    const host = (id: string, source: DockerHost['source']): DockerHost => ({
      id,
      name: id,
      source,
      url: `unix:///run/${id}.sock`,
      endpoint: { kind: 'unix', socketPath: `/run/${id}.sock` },
      warnings: [],
    });
    const views = [
      {
        host: host('local', 'default'),
        state: { kind: 'connected' as const, snapshot: buildHostSnapshot('local', seed.networks, containers, seedExtras(seed)) },
      },
      { host: host('added', 'setting'), state: { kind: 'unreachable' as const, reason: 'ECONNREFUSED', nextRetryAt: 0 } },
    ];
    const values = new Set<string>();
    const walk = (nodes: readonly ExplorerNode[]) => nodes.forEach((node) => void (values.add(node.contextValue), walk(node.children)));
    walk(buildExplorerTree('networks', views));
    walk(buildExplorerTree('containers', views));
    const states = Object.keys(stateNames) as ElementState[];
    const described = [...values].filter((value) => states.some((state) => rowIs(value, state)));
    for (const expected of [
      'network.custom',
      'network.predefined',
      'container.running',
      'container.stopped',
      'endpoint',
      'attachment',
      'hostConnected',
      'hostUnreachable.removable',
    ]) {
      assert.ok(described.includes(expected), `the tree has no row "${expected}" the table describes (rows: ${[...values].join(', ')})`);
    }
    assert.ok(rowIs('hostUnreachable.removable', 'removableHost') && rowIs('hostUnreachable.removable', 'hostUnreachable'));
    assert.ok(!rowIs('hostConnected', 'removableHost') && !rowIs('network.customised', 'network.custom'));
  });
});

/** Every state once, so the test above walks them all (the compiler checks the list is complete). */
const stateNames: Record<ElementState, true> = {
  'network.custom': true,
  'network.predefined': true,
  'container.running': true,
  'container.stopped': true,
  endpoint: true,
  attachment: true,
  hostConnecting: true,
  hostConnected: true,
  hostAbsent: true,
  hostUnreachable: true,
  hostMisconfigured: true,
  removableHost: true,
};

describe("the graph's menu from the table", () => {
  const labels = (kind: 'network' | 'container' | 'endpoint', classes: string[]) => {
    const state = graphState(kind, classes);
    assert.ok(state);
    return GRAPH_ACTIONS.flatMap((action) => graphLabel(action, kind, state) ?? []);
  };

  it('offers on a network what the tree does, Remove only on a custom one', () => {
    assert.deepEqual(labels('network', []), ['Inspect', 'Connect a Container…', 'Show Reachability Matrix', 'Remove', 'Reveal in Tree']);
    assert.deepEqual(labels('network', ['predefined']), ['Inspect', 'Connect a Container…', 'Show Reachability Matrix', 'Reveal in Tree']);
  });

  it('offers Remove on a stopped container only, Disconnect on an endpoint edge', () => {
    assert.deepEqual(labels('container', []), [
      'Inspect',
      'Open Shell',
      'Show Logs',
      'Connect to a Network…',
      'Check Reachability To…',
      'Reveal in Tree',
    ]);
    assert.deepEqual(labels('container', ['stopped']), [
      'Inspect',
      'Show Logs',
      'Connect to a Network…',
      'Check Reachability To…',
      'Remove',
      'Reveal in Tree',
    ]);
    assert.deepEqual(labels('endpoint', []), ['Disconnect']);
  });

  it('has no menu on hosts, ports and links', () => {
    for (const kind of ['host', 'port', 'link', 'published']) assert.equal(graphState(kind, []), undefined);
  });

  it('has no menu on swarm services and their edges: nothing destructive, and no command inspects a service', () => {
    for (const classes of [[], ['dnsrr']]) {
      assert.equal(graphState('service', classes), undefined);
      assert.equal(graphState('attached', classes), undefined);
    }
  });
});
