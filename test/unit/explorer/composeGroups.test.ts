import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { HostState } from '../../../src/core/docker/hostMonitor';
import { COMPOSE_PROJECT_LABEL } from '../../../src/core/explorer/composeGroups';
import { buildExplorerTree, type ExplorerNode } from '../../../src/core/explorer/explorerTree';
import type { ContainerModel, HostSnapshot } from '../../../src/core/model/snapshot';
import { DEFAULT_HOST } from '../../support/models';

const host = DEFAULT_HOST;

function container(name: string, state: string, project?: string): ContainerModel {
  const id = Buffer.from(name).toString('hex').padEnd(64, '0');
  return {
    id,
    name,
    image: 'busybox',
    state,
    ports: [],
    labels: project === undefined ? { other: 'x' } : { [COMPOSE_PROJECT_LABEL]: project },
  };
}

const snapshot = {
  hostId: host.id,
  networks: [],
  endpoints: [],
  containers: [
    container('web-1', 'running', 'shop'),
    container('loner', 'exited'),
    container('db-1', 'exited', 'shop'),
    container('kv-1', 'running', 'a-store'),
    container('odd', 'running', '../x/"y"'),
  ],
} as unknown as HostSnapshot;
const state: HostState = { kind: 'connected', snapshot };
const shape = (nodes: readonly ExplorerNode[]): unknown =>
  nodes.map((node) => (node.kind === 'group' ? { [node.label]: shape(node.children), description: node.description } : node.label));

describe('Containers view grouped by Compose project', () => {
  it('without the option: the containers as before, no group rows', () => {
    const [root] = buildExplorerTree('containers', [{ host, state }]);
    assert.deepEqual(shape(root.children), ['web-1', 'loner', 'db-1', 'kv-1', 'odd']);
  });

  it('with it: a row per project (sorted, with counts), its containers inside; the others after', () => {
    const [root] = buildExplorerTree('containers', [{ host, state }], { groupByComposeProject: true });
    assert.deepEqual(shape(root.children), [
      { '../x/"y"': ['odd'], description: '1 container, 1 running' },
      { 'a-store': ['kv-1'], description: '1 container, 1 running' },
      { shop: ['web-1', 'db-1'], description: '2 containers, 1 running' },
      'loner',
    ]);
  });

  it('keeps every container row id (reveal, expansion) and gives groups ids that no label can forge', () => {
    const [flat] = buildExplorerTree('containers', [{ host, state }]);
    const [grouped] = buildExplorerTree('containers', [{ host, state }], { groupByComposeProject: true });
    const ids = (nodes: readonly ExplorerNode[]): string[] =>
      nodes.flatMap((node) => (node.kind === 'group' ? ids(node.children) : [node.id]));
    assert.deepEqual(ids(grouped.children).sort(), flat.children.map((node) => node.id).sort());
    const groupIds = grouped.children.filter((node) => node.kind === 'group').map((node) => node.id);
    assert.deepEqual(groupIds, [
      'containers/default/compose/..%2Fx%2F%22y%22',
      'containers/default/compose/a-store',
      'containers/default/compose/shop',
    ]);
    assert.ok(
      grouped.children.every((node) => node.kind !== 'group' || (node.contextValue === 'composeProject' && node.expanded === true)),
    );
  });

  it('leaves the Networks view alone', () => {
    const [plain] = buildExplorerTree('networks', [{ host, state }]);
    const [option] = buildExplorerTree('networks', [{ host, state }], { groupByComposeProject: true });
    assert.deepEqual(option, plain);
  });
});
