import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { DockerEvent } from '../../../src/core/docker/dockerEvents';
import { isReflected, subjectOf } from '../../../src/core/docker/eventExpectations';
import { buildHostSnapshot } from '../../../src/core/docker/buildSnapshot';
import { loadSeed, seedExtras } from '../fixtureData';

const seed = loadSeed();
const snapshot = buildHostSnapshot('local', seed.networks, seed.containers, seedExtras(seed));
const tb1 = snapshot.networks.find((network) => network.name === 'tb1')!;
const w1 = snapshot.containers.find((container) => container.name === 'w1')!;
const event = (type: string, action: string, id: string, attributes: Record<string, string> = {}): DockerEvent => ({
  type,
  action,
  id,
  attributes,
  timeNano: 0,
});

/** w1 stopped: dockerd keeps its network in the list with an empty EndpointID. */
const stopped = {
  ...snapshot,
  endpoints: snapshot.endpoints.map((endpoint) => (endpoint.containerId === w1.id ? { ...endpoint, endpointId: '' } : endpoint)),
};

describe('isReflected', () => {
  const cases: Array<[string, DockerEvent, boolean, typeof snapshot?]> = [
    ['connect shown', event('network', 'connect', tb1.id, { container: w1.id }), true],
    ['connect not yet shown', event('network', 'connect', tb1.id, { container: 'f'.repeat(64) }), false],
    ['disconnect not yet shown', event('network', 'disconnect', tb1.id, { container: w1.id }), false],
    ['disconnect shown', event('network', 'disconnect', tb1.id, { container: 'f'.repeat(64) }), true],
    [
      'disconnect of a stopped container shown (its endpoint has no ID)',
      event('network', 'disconnect', tb1.id, { container: w1.id }),
      true,
      stopped,
    ],
    ['network create shown', event('network', 'create', tb1.id), true],
    ['network create not yet shown', event('network', 'create', 'n'.repeat(64)), false],
    ['network destroy not yet shown', event('network', 'destroy', tb1.id), false],
    ['container start shown', event('container', 'start', w1.id), true],
    ['container die not yet shown', event('container', 'die', w1.id), false],
    ['container destroy not yet shown', event('container', 'destroy', w1.id), false],
    ['container destroy shown', event('container', 'destroy', 'c'.repeat(64)), true],
    ['rename not yet shown', event('container', 'rename', w1.id, { name: 'web-one' }), false],
    ['rename shown', event('container', 'rename', w1.id, { name: 'w1' }), true],
    ['an event with no claim', event('container', 'update', w1.id), true],
  ];
  for (const [name, docker, expected, seen = snapshot] of cases) {
    it(name, () => assert.equal(isReflected(docker, seen), expected));
  }
});

describe('subjectOf', () => {
  it('connect and disconnect of one container on one network share a subject (the last one counts)', () => {
    assert.equal(
      subjectOf(event('network', 'connect', tb1.id, { container: w1.id })),
      subjectOf(event('network', 'disconnect', tb1.id, { container: w1.id })),
    );
  });
  it('different containers on a network, and a network itself, are different subjects', () => {
    const subjects = new Set([
      subjectOf(event('network', 'connect', tb1.id, { container: 'a' })),
      subjectOf(event('network', 'connect', tb1.id, { container: 'b' })),
      subjectOf(event('network', 'create', tb1.id)),
      subjectOf(event('container', 'start', tb1.id)),
    ]);
    assert.equal(subjects.size, 4);
  });
});
