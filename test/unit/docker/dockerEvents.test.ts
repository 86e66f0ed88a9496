import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { describe, it } from 'node:test';
import { DockerEventStream, parseDockerEvent, type DockerEvent } from '../../../src/core/docker/dockerEvents';
import { isRelevantEvent } from '../../../src/core/docker/hostMonitor';

const connectLine = JSON.stringify({
  Type: 'network',
  Action: 'connect',
  Actor: { ID: 'net1', Attributes: { container: 'c1', name: 'tb1', type: 'bridge' } },
  // timeNano as a double holds it: Docker's 1795861334123456789 rounded, as JSON.parse rounds it.
  scope: 'local',
  time: 1795861334,
  timeNano: 1795861334123456800,
});

describe('parseDockerEvent', () => {
  it('reads type, action, actor and attributes', () => {
    assert.deepEqual(parseDockerEvent(connectLine), {
      type: 'network',
      action: 'connect',
      id: 'net1',
      attributes: { container: 'c1', name: 'tb1', type: 'bridge' },
      timeNano: 1795861334123456800,
    });
  });
  it('strips the details Docker appends after a colon', () => {
    assert.equal(parseDockerEvent('{"Type":"container","Action":"exec_start: sh -c ls","Actor":{"ID":"c"}}')?.action, 'exec_start');
  });
  it('ignores anything that is not an event', () => {
    for (const line of ['', 'not json', '42', 'null', '{"Type":1}', '[]']) assert.equal(parseDockerEvent(line), undefined);
  });
});

describe('DockerEventStream', () => {
  it('reassembles events split across chunks and ends once', () => {
    const stream = new PassThrough();
    const events: DockerEvent[] = [];
    const ends: string[] = [];
    new DockerEventStream(
      stream,
      (event) => events.push(event),
      (reason) => ends.push(reason),
    );
    stream.write(connectLine.slice(0, 20));
    stream.write(connectLine.slice(20) + '\n' + connectLine);
    stream.write('\n');
    stream.destroy(new Error('socket hang up'));
    return new Promise<void>((resolve) =>
      setImmediate(() => {
        assert.equal(events.length, 2);
        assert.deepEqual(ends, ['event stream failed: socket hang up']);
        resolve();
      }),
    );
  });
  it('a close we asked for is not reported as an end', async () => {
    const stream = new PassThrough();
    const ends: string[] = [];
    const follower = new DockerEventStream(
      stream,
      () => undefined,
      (reason) => ends.push(reason),
    );
    follower.close();
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(ends, []);
  });
});

describe('isRelevantEvent', () => {
  const event = (type: string, action: string): DockerEvent => ({ type, action, id: 'x', attributes: {}, timeNano: 0 });
  it('reacts to what changes the tree', () => {
    for (const [type, action] of [
      ['network', 'create'],
      ['network', 'destroy'],
      ['network', 'connect'],
      ['network', 'disconnect'],
      ['container', 'start'],
      ['container', 'die'],
      ['container', 'destroy'],
      ['container', 'rename'],
    ]) {
      assert.equal(isRelevantEvent(event(type, action)), true, `${type} ${action}`);
    }
  });
  it('ignores exec, health and attach chatter and other object types', () => {
    for (const [type, action] of [
      ['container', 'exec_start'],
      ['container', 'health_status'],
      ['container', 'attach'],
      ['image', 'pull'],
      ['volume', 'create'],
    ]) {
      assert.equal(isRelevantEvent(event(type, action)), false, `${type} ${action}`);
    }
  });
});
