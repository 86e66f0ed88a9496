/**
 * A store that answers odd JSON (nulls, objects where lists belong, text where JSON belongs), on
 * loopback: the etcd and Consul probes give findings or nothing, never an exception that would
 * cost the scan (#14.4). The answers are checked field by field (isRecord/typeof in etcd.ts and
 * consul.ts); this pins that down.
 */
import assert from 'node:assert/strict';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { consulDrafts, probeConsul } from '../../../src/core/diagnostics/live/consul';
import { etcdDrafts, probeEtcd } from '../../../src/core/diagnostics/live/etcd';
import { Codes } from '../../../src/core/diagnostics/codes';

const ODD_ANSWERS: Record<string, unknown> = {
  // etcd
  '/version': { etcdserver: null, etcdcluster: 3 },
  '/health': { health: { ok: true }, reason: null },
  // Consul
  '/v1/status/leader': '',
  '/v1/status/peers': { '10.0.0.1:8300': true },
  '/v1/agent/self': { Config: null, DebugConfig: 'bootstrap' },
};

describe('stores answering odd JSON', () => {
  let server: http.Server;
  let port = 0;
  before(async () => {
    server = http.createServer((request, response) => {
      const path = (request.url ?? '/').split('?')[0];
      const body = path in ODD_ANSWERS ? JSON.stringify(ODD_ANSWERS[path]) : path.startsWith('/v2/keys/') ? '[1, 2' : 'not json';
      response.writeHead(200, { 'Content-Type': 'application/json' });
      response.end(body);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('etcd: an odd /version is "something else answers" (DNE173), not a crash', async () => {
    const result = await probeEtcd({ host: '127.0.0.1', port }, 2000);
    assert.equal(result.kind, 'answered');
    assert.deepEqual(
      etcdDrafts(`etcd://127.0.0.1:${port}`, result).map((draft) => draft.code),
      [Codes.storeUnexpectedAnswer],
    );
  });

  it('Consul: a leader that is an empty string, peers as an object, no agent config: findings, not a crash', async () => {
    const result = await probeConsul({ host: '127.0.0.1', port }, 2000);
    assert.equal(result.kind, 'answered');
    if (result.kind !== 'answered') return;
    assert.deepEqual(result.peers, []);
    assert.equal(result.agent, undefined);
    assert.deepEqual(
      consulDrafts(`consul://127.0.0.1:${port}`, result).map((draft) => draft.code),
      [Codes.consulNoLeader],
    );
  });
});
