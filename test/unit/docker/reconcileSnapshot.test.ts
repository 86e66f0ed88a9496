import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildExplorerTree, type ExplorerView } from '../../../src/core/explorer/explorerTree';
import { isNoChange, reconcileSnapshot } from '../../../src/core/docker/reconcileSnapshot';
import { patchExplorerTree } from '../../../src/core/explorer/treePatch';
import type { HostSnapshot } from '../../../src/core/model/snapshot';
import { allRows, fullBuild, hostView, loadRecording } from '../../support/eventRecording';

/** Every model of `result` that deep-equals the one of `before` with its key is that very object. */
function assertReused(before: HostSnapshot, result: HostSnapshot, label: string): void {
  const check = <T>(list: string, old: readonly T[], now: readonly T[], key: (model: T) => string) => {
    const byKey = new Map(old.map((model) => [key(model), model]));
    for (const model of now) {
      const previous = byKey.get(key(model));
      if (previous && JSON.stringify(previous) === JSON.stringify(model))
        assert.equal(model, previous, `${label}: ${list} ${key(model)} kept`);
    }
  };
  check('network', before.networks, result.networks, (n) => n.id);
  check('container', before.containers, result.containers, (c) => c.id);
  check('endpoint', before.endpoints, result.endpoints, (e) => `${e.containerId}|${e.networkId}`);
}

for (const engine of ['20.10', '26']) {
  describe(`a full load held against the snapshot it replaces (dockerd ${engine}'s recorded steps)`, () => {
    const builds = loadRecording(engine).steps.map((step) => ({ name: step.name, snapshot: fullBuild(step.after) }));

    it('the same lists loaded again: no change, and the snapshot shown is kept', () => {
      for (const { name, snapshot } of builds) {
        const again = reconcileSnapshot(snapshot, structuredClone(snapshot));
        assert.ok(isNoChange(again.change), `${name}: ${JSON.stringify(again.change)}`);
        assertReused(snapshot, again.snapshot, name);
      }
    });

    it('between any two steps: the new load exactly, unchanged models kept, and a change that differs', () => {
      for (const from of builds) {
        for (const to of builds) {
          const label = `${from.name} → ${to.name}`;
          const result = reconcileSnapshot(from.snapshot, to.snapshot);
          assert.deepEqual(result.snapshot, to.snapshot, label);
          assertReused(from.snapshot, result.snapshot, label);
          assert.equal(isNoChange(result.change), JSON.stringify(from.snapshot) === JSON.stringify(to.snapshot), label);
        }
      }
    });

    for (const view of ['networks', 'containers'] as ExplorerView[]) {
      it(`the ${view} tree patched with the change equals a rebuild, from any step to any other`, () => {
        const options = { groupByComposeProject: false };
        for (const from of builds) {
          for (const to of builds) {
            const label = `${from.name} → ${to.name}`;
            const roots = buildExplorerTree(view, hostView(from.snapshot), options);
            const before = new Set(allRows(roots));
            const result = reconcileSnapshot(from.snapshot, to.snapshot);
            const patch = patchExplorerTree(view, roots, hostView(result.snapshot), 'rec', result.change, options);
            if (!patch) continue; // the tree asked for a rebuild: always right
            assert.deepEqual(roots, buildExplorerTree(view, hostView(result.snapshot), options), label);
            for (const row of patch.changed) assert.ok(before.has(row), `${label}: ${row.id} fired is a row VS Code has`);
          }
        }
      });
    }

    it('a container gone and one changed in place are named; the networks they were on too', () => {
      // A step with a container on a network, and a second container (a copy) beside it.
      const step = builds.map((b) => b.snapshot).find((snapshot) => snapshot.endpoints.length > 0);
      if (!step) return assert.fail(`${engine}: no recorded step has a container on a network`);
      const gone = step.containers.find((c) => c.id === step.endpoints[0].containerId)!;
      const kept = { ...gone, id: 'f'.repeat(64), name: 'zz-copy' };
      const last: HostSnapshot = { ...step, containers: [...step.containers, kept] };
      const after: HostSnapshot = {
        ...last,
        containers: last.containers.filter((c) => c.id !== gone.id).map((c) => (c.id === kept.id ? { ...c, state: 'paused' } : c)),
        endpoints: last.endpoints.filter((e) => e.containerId !== gone.id),
      };
      const { change } = reconcileSnapshot(last, after);
      assert.deepEqual([...change.containers].sort(), [gone.id, kept.id].sort());
      const goneNetworks = last.endpoints.filter((e) => e.containerId === gone.id).map((e) => e.networkId);
      for (const id of goneNetworks) assert.ok(change.networks.includes(id), id);
      assert.equal(change.reordered, true);
    });
  });
}
