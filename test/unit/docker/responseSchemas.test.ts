/**
 * The daemon's answers are checked at the door (src/core/docker/responseSchemas.ts): what real
 * engines send passes untouched, and hostile shapes become one clear problem naming the field,
 * never a TypeError inside the model.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { parseDockerEvent } from '../../../src/core/docker/dockerEvents';
import {
  checkAnswer,
  containerInspectAnswer,
  containerListAnswer,
  infoAnswer,
  networkListAnswer,
  UnexpectedAnswerError,
  versionAnswer,
} from '../../../src/core/docker/responseSchemas';

const fixtures = path.resolve(__dirname, '../../../../test/unit/fixtures');
const recorded = ['engines/20.10.json', 'engines/26.json', 'seed-daemon.json'].map((file) => ({
  file,
  answers: JSON.parse(fs.readFileSync(path.join(fixtures, file), 'utf8')) as {
    version?: unknown;
    networks: unknown[];
    containers: unknown[];
    inspects: unknown[];
  },
}));
const clone = <T>(value: T): T => structuredClone(value);

function problemOf(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    assert.ok(error instanceof UnexpectedAnswerError, `not an UnexpectedAnswerError: ${String(error)}`);
    return error.message;
  }
  assert.fail('the answer was accepted');
}

describe('daemon answer schemas', () => {
  for (const { file, answers } of recorded) {
    it(`accept what the real engine answered (${file})`, () => {
      assert.doesNotThrow(() => checkAnswer(networkListAnswer, answers.networks));
      assert.doesNotThrow(() => checkAnswer(containerListAnswer, answers.containers));
      for (const inspect of answers.inspects) assert.doesNotThrow(() => checkAnswer(containerInspectAnswer, inspect));
      if (answers.version) assert.doesNotThrow(() => checkAnswer(versionAnswer, answers.version));
    });
  }

  it('accept the nulls Go sends for empty maps and lists', () => {
    const networks = [
      { Id: 'n', Name: 'x', IPAM: { Driver: 'default', Config: null, Options: null }, Containers: null, Options: null, Labels: null },
    ];
    assert.doesNotThrow(() => checkAnswer(networkListAnswer, networks));
    const containers = [
      {
        Id: 'c',
        Names: ['/c'],
        Ports: null,
        Labels: null,
        NetworkSettings: { Networks: { bridge: { Aliases: null, Links: null, NetworkID: 'n' } } },
      },
    ];
    assert.doesNotThrow(() => checkAnswer(containerListAnswer, containers));
  });

  const base = recorded[0].answers;
  const hostile: Array<[string, () => unknown, string]> = [
    ['the list is an object', () => checkAnswer(networkListAnswer, { networks: [] }), '(the answer): expected array, got object'],
    [
      'IPAM.Config an object',
      () => {
        const networks = clone(base.networks) as Array<{ IPAM: unknown }>;
        networks[1].IPAM = { Config: { Subnet: '10.0.0.0/24' } };
        return checkAnswer(networkListAnswer, networks);
      },
      '[1].IPAM.Config: expected array, got object',
    ],
    [
      'a subnet that is a number',
      () => {
        const networks = clone(base.networks) as Array<{ IPAM: unknown }>;
        networks[0].IPAM = { Config: [{ Subnet: 10 }] };
        return checkAnswer(networkListAnswer, networks);
      },
      '[0].IPAM.Config[0].Subnet: expected string, got number',
    ],
    ['a network without a name', () => checkAnswer(networkListAnswer, [{ Id: 'n' }]), '[0].Name: expected string, got nothing'],
    [
      'NetworkSettings.Networks an array',
      () => {
        const containers = clone(base.containers) as Array<{ NetworkSettings: unknown }>;
        containers[0].NetworkSettings = { Networks: [{ NetworkID: 'x' }] };
        return checkAnswer(containerListAnswer, containers);
      },
      '[0].NetworkSettings.Networks: expected record, got array',
    ],
    [
      'an endpoint that is null',
      () => checkAnswer(containerListAnswer, [{ Id: 'c', NetworkSettings: { Networks: { bridge: null } } }]),
      '[0].NetworkSettings.Networks.bridge: expected object, got null',
    ],
    [
      'a label that is a number',
      () => checkAnswer(containerListAnswer, [{ Id: 'c', Labels: { a: 1 } }]),
      '[0].Labels.a: expected string, got number',
    ],
    ['Ports an object', () => checkAnswer(containerListAnswer, [{ Id: 'c', Ports: {} }]), '[0].Ports: expected array, got object'],
    [
      'State a string in an inspect',
      () => checkAnswer(containerInspectAnswer, { Id: 'c', State: 'running' }),
      'State: expected object, got string',
    ],
    ['a null Version', () => checkAnswer(versionAnswer, { Version: null, ApiVersion: '1.41' }), 'Version: expected string, got null'],
    ['info as a list', () => checkAnswer(infoAnswer, []), '(the answer): expected object, got array'],
    ['Swarm a string', () => checkAnswer(infoAnswer, { Swarm: 'active' }), 'Swarm: expected object, got string'],
  ];
  for (const [name, run, problem] of hostile) {
    it(`refuse, naming the field: ${name}`, () => {
      assert.equal(problemOf(run), `the daemon answered something unexpected: ${problem}`);
    });
  }

  it('events: an odd line is dropped, a good one kept', () => {
    assert.equal(parseDockerEvent('{"Type":"network","Action":7}'), undefined);
    assert.equal(parseDockerEvent('{"Type":"network","Action":"connect","Actor":"n1"}'), undefined);
    assert.equal(parseDockerEvent('[1,2]'), undefined);
    assert.deepEqual(
      parseDockerEvent('{"Type":"network","Action":"connect","Actor":{"ID":"n1","Attributes":{"container":"c1","odd":5}},"timeNano":12}'),
      {
        type: 'network',
        action: 'connect',
        id: 'n1',
        attributes: { container: 'c1' },
        timeNano: 12,
      },
    );
  });
});
