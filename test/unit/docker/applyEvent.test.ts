import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { applyContainer, applyNetwork, planEvent, type Applied, type SnapshotChange } from '../../../src/core/docker/applyEvent';
import { buildHostSnapshot } from '../../../src/core/docker/buildSnapshot';
import { parseDockerEvent, type DockerEvent } from '../../../src/core/docker/dockerEvents';
import { isRelevantEvent } from '../../../src/core/docker/hostMonitor';
import { agrees, containerAnswer } from '../../../src/core/docker/snapshotLoader';
import { buildExplorerTree, type ExplorerView } from '../../../src/core/explorer/explorerTree';
import { patchExplorerTree } from '../../../src/core/explorer/treePatch';
import { allRows, fullBuild, hostView, loadRecording as load, type Recording } from '../../support/eventRecording';
import type { HostSnapshot } from '../../../src/core/model/snapshot';

/** The step's events applied in place, as HostMonitor does: networks that came, containers, networks that went. */
function applyStep(snapshot: HostSnapshot, step: Recording['steps'][number]): Applied | undefined {
  const events = step.events.map((line) => parseDockerEvent(line)).filter((event): event is DockerEvent => event !== undefined);
  const plans = events.filter(isRelevantEvent).map(planEvent);
  const order = { network: 0, container: 1, networkGone: 2, reload: 3 };
  let result: Applied = { snapshot, change: { containers: [], networks: [], reordered: false } };
  for (const plan of plans.sort((a, b) => order[a.kind] - order[b.kind])) {
    let next: Applied | undefined;
    if (plan.kind === 'container') {
      const { list, inspect } = step.answers.containers[plan.id];
      assert.ok(agrees(list[0], inspect ?? undefined), `${step.name}: list and inspect of ${plan.id.slice(0, 12)} agree`);
      next = applyContainer(result.snapshot, plan.id, list[0] && inspect ? containerAnswer(list[0], inspect) : undefined);
    } else if (plan.kind === 'network') {
      next = applyNetwork(
        result.snapshot,
        plan.id,
        step.answers.networks[plan.id].find((network) => network.Id === plan.id),
      );
    } else if (plan.kind === 'networkGone') {
      next = applyNetwork(result.snapshot, plan.id, undefined);
    }
    if (!next) return undefined;
    result = { snapshot: next.snapshot, change: merge(result.change, next.change) };
  }
  return result;
}

function merge(a: SnapshotChange, b: SnapshotChange): SnapshotChange {
  return {
    containers: [...new Set([...a.containers, ...b.containers])],
    networks: [...new Set([...a.networks, ...b.networks])],
    reordered: a.reordered || b.reordered,
  };
}

for (const engine of ['20.10', '26']) {
  describe(`events of dockerd ${engine} applied in place`, () => {
    const recording = load(engine);
    it('every step equals a full build of the lists after it, and never needs a full load', () => {
      let snapshot = buildHostSnapshot('rec', [], []);
      for (const step of recording.steps) {
        const applied = applyStep(snapshot, step);
        assert.ok(applied, `${step.name}: applied in place`);
        assert.deepEqual(applied.snapshot, fullBuild(step.after), step.name);
        snapshot = applied.snapshot;
      }
    });

    for (const view of ['networks', 'containers'] as ExplorerView[]) {
      for (const groupByComposeProject of [false, true]) {
        it(`patches the ${view} tree${groupByComposeProject ? ' (Compose groups)' : ''} to what a rebuild gives, keeping the rows it fires`, () => {
          const options = { groupByComposeProject };
          let snapshot = buildHostSnapshot('rec', [], []);
          const roots = buildExplorerTree(view, hostView(snapshot), options);
          for (const step of recording.steps) {
            const applied = applyStep(snapshot, step)!;
            snapshot = applied.snapshot;
            const before = new Set(allRows(roots));
            const patch = patchExplorerTree(view, roots, hostView(snapshot), 'rec', applied.change, options);
            assert.ok(patch, `${step.name}: patched`);
            assert.deepEqual(roots, buildExplorerTree(view, hostView(snapshot), options), step.name);
            for (const row of patch.changed) assert.ok(before.has(row), `${step.name}: ${row.id} fired is the row VS Code has`);
            if (view === 'networks' && !applied.change.reordered) assert.ok(!patch.changed.some((row) => row.kind === 'host'), step.name);
          }
        });
      }
    }
  });
}

describe('what takes a full load', () => {
  const recording = load('20.10');
  // After "start c1": c1 running on n1, n2 not yet created.
  const started = recording.steps.findIndex((step) => step.name === 'start c1');
  const snapshot = fullBuild(recording.steps[started].after);
  const step = recording.steps[started];
  const [id] = Object.keys(step.answers.containers);
  const { list, inspect } = step.answers.containers[id];
  const answer = containerAnswer(list[0], inspect!);
  const event = (type: string, action: string, actor: string, attributes: Record<string, string> = {}): DockerEvent => ({
    type,
    action,
    id: actor,
    attributes,
    timeNano: 0,
  });

  it('plans: container events name their container, network connects the container in their attributes', () => {
    assert.deepEqual(planEvent(event('container', 'die', id)), { kind: 'container', id });
    assert.deepEqual(planEvent(event('network', 'connect', 'n', { container: id })), { kind: 'container', id });
    assert.deepEqual(planEvent(event('network', 'connect', 'n')), { kind: 'reload' });
    assert.deepEqual(planEvent(event('network', 'create', 'n')), { kind: 'network', id: 'n' });
    assert.deepEqual(planEvent(event('network', 'destroy', 'n')), { kind: 'networkGone', id: 'n' });
    assert.deepEqual(planEvent(event('network', 'update', 'n')), { kind: 'reload' });
  });

  it('a container that declared legacy links, or is linked by name, or sits on an overlay', () => {
    assert.ok(applyContainer(snapshot, id, answer), 'the plain case applies');
    assert.equal(applyContainer(snapshot, id, { ...answer, declaresLinks: true }), undefined);
    const child = { ...answer, raw: { ...answer.raw, Names: [...answer.raw.Names, '/parent/alias'] } };
    assert.equal(applyContainer(snapshot, id, child), undefined);
    const linked: HostSnapshot = {
      ...snapshot,
      containers: snapshot.containers.map((container) => ({ ...container, legacyLinks: [{ container: 'x', alias: 'y' }] })),
    };
    assert.equal(applyContainer(linked, id, answer), undefined);
    const overlay: HostSnapshot = { ...snapshot, networks: snapshot.networks.map((network) => ({ ...network, driver: 'overlay' })) };
    assert.equal(applyContainer(overlay, id, answer), undefined);
  });

  it('a network still holding endpoints, or named like another', () => {
    const [network] = snapshot.networks;
    assert.equal(applyNetwork(snapshot, network.id, undefined), undefined);
    const twin = { ...recording.steps[0].after.networks[0], Id: 'f'.repeat(64) };
    assert.equal(applyNetwork(snapshot, twin.Id, twin), undefined);
  });

  it('a container that is gone and was never seen changes nothing', () => {
    const applied = applyContainer(snapshot, 'e'.repeat(64), undefined)!;
    assert.equal(applied.snapshot, snapshot);
    assert.deepEqual(applied.change, { containers: [], networks: [], reordered: false });
  });
});
