import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  decodeConnectResponse,
  encodeCloseSession,
  encodeConnectRequest,
  encodeConnectResponse,
  NEW_SESSION,
  readFrame,
} from '../../../src/core/diagnostics/live/zookeeperFrames';

describe('ZooKeeper jute frames', () => {
  it('encodes a new-session ConnectRequest byte for byte', () => {
    const frame = encodeConnectRequest({ ...NEW_SESSION, timeOut: 30_000 });
    const expected = Buffer.concat([
      Buffer.from([0, 0, 0, 45]), // frame length
      Buffer.from([0, 0, 0, 0]), // protocolVersion 0
      Buffer.alloc(8), // lastZxidSeen 0
      Buffer.from([0, 0, 0x75, 0x30]), // timeOut 30000
      Buffer.alloc(8), // sessionId 0
      Buffer.from([0, 0, 0, 16]), // passwd length
      Buffer.alloc(16), // passwd
      Buffer.from([0]), // readOnly false
    ]);
    assert.deepEqual(frame, expected);
  });

  it('encodes closeSession as RequestHeader { xid, type -11 }', () => {
    assert.deepEqual(encodeCloseSession(7), Buffer.from([0, 0, 0, 8, 0, 0, 0, 7, 0xff, 0xff, 0xff, 0xf5]));
  });

  const responses = [
    {
      name: 'granted, with readOnly',
      response: {
        protocolVersion: 0,
        timeOut: 4000,
        sessionId: 0x1000a2b3c4d5e6fn,
        passwd: Buffer.from('0123456789abcdef'),
        readOnly: false,
      },
    },
    {
      name: 'refused (session id 0), old server without readOnly',
      response: { protocolVersion: 0, timeOut: 0, sessionId: 0n, passwd: Buffer.alloc(16) },
    },
    {
      name: 'negative session id bits survive',
      response: { protocolVersion: 0, timeOut: 40000, sessionId: -2n, passwd: Buffer.alloc(0), readOnly: true },
    },
  ];
  for (const { name, response } of responses) {
    it(`decodes what it encodes: ${name}`, () => {
      const frame = encodeConnectResponse(response);
      const body = readFrame(frame);
      assert.ok(body);
      assert.deepEqual(decodeConnectResponse(body), response);
    });
  }

  it('readFrame waits for the whole frame, and ignores bytes after it', () => {
    const frame = encodeConnectResponse(responses[0].response);
    for (let cut = 0; cut < frame.length; cut++) assert.equal(readFrame(frame.subarray(0, cut)), undefined, `cut at ${cut}`);
    const next = encodeCloseSession();
    assert.deepEqual(readFrame(Buffer.concat([frame, next])), frame.subarray(4));
  });

  it('refuses malformed frames instead of reading past them', () => {
    assert.throws(() => readFrame(Buffer.from([0xff, 0xff, 0xff, 0xff])), /negative frame length/);
    assert.throws(() => decodeConnectResponse(Buffer.alloc(10)), /too short/);
    const overrun = Buffer.alloc(20);
    overrun.writeInt32BE(100, 16);
    assert.throws(() => decodeConnectResponse(overrun), /overruns/);
  });
});
