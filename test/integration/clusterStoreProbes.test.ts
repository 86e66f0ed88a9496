/**
 * The live doctor's store probes against REAL stores (etcd 3.4 with and without the v2 API,
 * ZooKeeper 3.8 serving and without quorum), the fake Consul in each of its states, a port
 * nobody listens on, and a server that accepts and then stays silent. Each store starts once.
 */
import assert from 'node:assert/strict';
import * as net from 'node:net';
import { after, before, describe, it } from 'node:test';
import { Codes } from '../../src/core/diagnostics/codes';
import { diagnoseLive } from '../../src/core/diagnostics/live';
import { consulDrafts, probeConsul } from '../../src/core/diagnostics/live/consul';
import { etcdDrafts, probeEtcd } from '../../src/core/diagnostics/live/etcd';
import { probeSession, probeZookeeper, zookeeperDrafts } from '../../src/core/diagnostics/live/zookeeper';
import { httpGet, MAX_ANSWER_BYTES, Received, tcpExchange } from '../../src/core/diagnostics/live/transport';
import { freePort, startEtcd, startZookeeper, type RunningStore } from '../support/clusterStores';
import { FakeConsul, type ConsulState } from '../support/fakeConsul';

const codes = (drafts: Array<{ code: string }>) => drafts.map((draft) => draft.code);

describe('cluster store probes against real stores', { timeout: 180_000 }, () => {
  let etcdV2: RunningStore;
  let etcdV3Only: RunningStore;
  let zk: RunningStore;
  let zkNoQuorum: RunningStore;
  const consul = new FakeConsul();
  let consulAddress: { host: string; port: number };
  let deadPort: number;
  const silent = net.createServer(() => undefined); // accepts, never answers: a store that hangs
  let silentPort: number;
  const started: RunningStore[] = [];

  before(async () => {
    const keep = async (start: Promise<RunningStore>) => {
      const store = await start;
      started.push(store);
      return store;
    };
    [etcdV2, etcdV3Only, zk, zkNoQuorum] = await Promise.all([
      keep(startEtcd({ enableV2: true })),
      keep(startEtcd({ enableV2: false })),
      keep(startZookeeper()),
      keep(startZookeeper({ withoutQuorum: true })),
    ]);
    consulAddress = await consul.start();
    deadPort = await freePort();
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    silentPort = (silent.address() as net.AddressInfo).port;
  });
  after(async () => {
    silent.close();
    await consul.stop();
    await Promise.all(started.map((store) => store.stop()));
  });

  it('etcd with --enable-v2=true: healthy, v2 on, no findings', async () => {
    const result = await probeEtcd(etcdV2, 3000);
    assert.equal(result.kind, 'answered');
    assert.ok(result.kind === 'answered' && result.version.etcd && result.version.server.startsWith('3.4'), JSON.stringify(result));
    assert.deepEqual(result.kind === 'answered' && [result.v2, result.health], ['on', { ok: true }]);
    assert.deepEqual(etcdDrafts(etcdV2.url, result), []);
  });

  it('etcd without --enable-v2: DNE174 quoting what dockerd prints', async () => {
    const drafts = etcdDrafts(etcdV3Only.url, await probeEtcd(etcdV3Only, 3000));
    assert.deepEqual(codes(drafts), [Codes.etcdNoV2Api]);
    assert.match(drafts[0].message, /^etcd serves no v2 API; Docker's store client needs it: start etcd with --enable-v2=true/);
    assert.match(drafts[0].message, /response is invalid json\. The endpoint is probably not valid etcd cluster endpoint/);
  });

  it('a port nobody listens on: store refused (DNE170)', async () => {
    const drafts = etcdDrafts(`etcd://127.0.0.1:${deadPort}`, await probeEtcd({ host: '127.0.0.1', port: deadPort }, 3000));
    assert.deepEqual(codes(drafts), [Codes.storeRefused]);
    assert.match(drafts[0].message, /store refused the connection \(connection refused by 127\.0\.0\.1:\d+\)/);
  });

  it('a store that accepts and never answers: timeout (DNE171) after the timeout, not later', async () => {
    const began = Date.now();
    const result = await probeEtcd({ host: '127.0.0.1', port: silentPort }, 400);
    const elapsed = Date.now() - began;
    assert.equal(result.kind, 'timeout');
    assert.ok(elapsed >= 350 && elapsed < 1500, `took ${elapsed} ms`);
    assert.deepEqual(codes(etcdDrafts('etcd://x', result)), [Codes.storeTimeout]);
  });

  it('ZooKeeper serving: srvr reports standalone, and a real session is granted (non-zero id)', async () => {
    const viaSrvr = await probeZookeeper(zk, 3000);
    assert.deepEqual(viaSrvr, { kind: 'serving', via: 'srvr', mode: 'standalone' });
    const began = Date.now();
    const viaSession = await probeSession(zk, 3000);
    // Well under the timeout: the server answered the closeSession too, so no session lingers.
    assert.ok(Date.now() - began < 1000, `session probe took ${Date.now() - began} ms`);
    assert.equal(viaSession.kind, 'serving');
    assert.ok(viaSession.kind === 'serving' && viaSession.via === 'session' && viaSession.sessionId !== 0n);
    assert.deepEqual(zookeeperDrafts(zk.url, viaSrvr), []);
  });

  it('ZooKeeper refusing other four-letter words: the whitelist answer the fallback keys on', async () => {
    const { fourLetterWord } = await import('../support/clusterStores');
    assert.equal(await fourLetterWord(zk.port, 'ruok'), 'ruok is not executed because it is not in the whitelist.\n');
  });

  it('ZooKeeper refusing srvr: the probe falls back to a real session handshake', async () => {
    // ZooKeeper 3.8 always whitelists srvr, so a front answers srvr as a server with srvr left
    // out of 4lw.commands.whitelist would, and passes every other connection to the real server.
    const front = net.createServer((client) => {
      client.once('data', (first: Buffer) => {
        if (first.toString('latin1') === 'srvr') {
          client.end('srvr is not executed because it is not in the whitelist.\n');
          return;
        }
        const upstream = net.connect({ host: zk.host, port: zk.port }, () => upstream.write(first));
        client.pipe(upstream).pipe(client);
        upstream.on('error', () => client.destroy());
        client.on('error', () => upstream.destroy());
      });
    });
    await new Promise<void>((resolve) => front.listen(0, '127.0.0.1', resolve));
    try {
      const result = await probeZookeeper({ host: '127.0.0.1', port: (front.address() as net.AddressInfo).port }, 3000);
      assert.equal(result.kind, 'serving');
      assert.ok(
        result.kind === 'serving' && result.via === 'session' && result.sessionId !== 0n,
        JSON.stringify(result, (_, v: unknown) => String(v)),
      );
    } finally {
      front.close();
    }
  });

  it('ZooKeeper without quorum: not serving, by srvr and by session handshake (DNE176)', async () => {
    const viaSrvr = await probeZookeeper(zkNoQuorum, 3000);
    assert.deepEqual(viaSrvr, { kind: 'notServing', via: 'srvr', detail: 'This ZooKeeper instance is not currently serving requests' });
    const viaSession = await probeSession(zkNoQuorum, 3000);
    assert.equal(viaSession.kind, 'notServing');
    assert.deepEqual(codes(zookeeperDrafts(zkNoQuorum.url, viaSession)), [Codes.zookeeperNotServing]);
  });

  it('ZooKeeper port with nothing behind it: refused', async () => {
    const result = await probeZookeeper({ host: '127.0.0.1', port: deadPort }, 3000);
    assert.equal(result.kind, 'refused');
  });

  const consulCases: Array<[ConsulState, string[], RegExp | undefined]> = [
    ['healthy', [], undefined],
    ['noLeader', [Codes.consulNoLeader], /No cluster leader.*Unexpected response code: 500/],
    [
      'loneServer',
      [Codes.consulLoneServer],
      /a lone server started without -bootstrap \/ -bootstrap-expect never elects a leader: add -bootstrap/,
    ],
    ['aclDenied', [Codes.consulAclDenied], /403 "Permission denied"/],
  ];
  for (const [state, expected, message] of consulCases) {
    it(`fake Consul, ${state}: ${expected.join(', ') || 'no findings'}`, async () => {
      consul.state = state;
      const url = `consul://127.0.0.1:${consulAddress.port}`;
      const drafts = consulDrafts(url, await probeConsul(consulAddress, 3000));
      assert.deepEqual(codes(drafts), expected);
      if (message) assert.match(drafts[0].message, message);
      assert.ok(consul.requests.includes('/v1/kv/docker/network/v1.0/?keys'));
    });
  }

  it('diagnoseLive: findings anchored at the cluster-store value in daemon.json, every probe in parallel', async () => {
    consul.state = 'loneServer';
    const daemonJson = (store: string) => ({
      daemonJson: { file: '/etc/docker/daemon.json', text: `{\n  "cluster-store": "${store}"\n}\n` },
    });
    const hosts = [
      { name: 'a', url: 'unix:///nonexistent/a.sock', files: daemonJson(`consul://127.0.0.1:${consulAddress.port}`) },
      { name: 'b', url: 'unix:///nonexistent/b.sock', files: daemonJson(`etcd://127.0.0.1:${silentPort}`) },
      { name: 'c', url: 'unix:///nonexistent/c.sock', files: daemonJson(`zk://127.0.0.1:${silentPort}`) },
      // A daemon that accepts and never answers costs its timeout too, no more.
      { name: 'd', url: `tcp://127.0.0.1:${silentPort}`, files: daemonJson(etcdV2.url) },
    ];
    const began = Date.now();
    const findings = await diagnoseLive(hosts, { timeoutMs: 500 });
    const elapsed = Date.now() - began;
    assert.ok(elapsed < 1500, `three hanging probes took ${elapsed} ms: they did not run in parallel`);
    // The JSON string literal, quotes included, as the file rules anchor it.
    const valueRange = (store: string) => ({ startLine: 1, startColumn: 19, endLine: 1, endColumn: 21 + store.length });
    assert.deepEqual(
      new Set(findings.map((finding) => finding.code)),
      new Set([
        Codes.daemonUnreachable,
        Codes.consulLoneServer,
        Codes.storeTimeout,
        Codes.storeDiffersAcrossHosts,
        Codes.storeOnLoopbackMultiHost,
      ]),
    );
    assert.equal(findings.filter((finding) => finding.code === Codes.daemonUnreachable).length, 4);
    const lone = findings.find((finding) => finding.code === Codes.consulLoneServer)!;
    assert.equal(lone.file, '/etc/docker/daemon.json');
    assert.deepEqual(lone.range, valueRange(`consul://127.0.0.1:${consulAddress.port}`));
  });

  it('a store URL with a dead address beside a live one: a warning, not an error', async () => {
    const hostWithStore = {
      name: 'x',
      url: 'unix:///nonexistent/x.sock',
      files: { daemonJson: { file: 'daemon.json', text: `{"cluster-store": "etcd://127.0.0.1:${etcdV2.port},127.0.0.1:${deadPort}"}` } },
    };
    const findings = await diagnoseLive([hostWithStore]);
    assert.deepEqual(
      findings.map((finding) => [finding.code, finding.severity]),
      [
        [Codes.daemonUnreachable, 'error'],
        [Codes.storeRefused, 'warning'],
      ],
    );
    assert.match(findings[1].message, new RegExp(`127\\.0\\.0\\.1:${deadPort}.*Other addresses of this store answer`));
  });
});

/** Hostile stores: an answer that never ends, and a timeout no timer can hold (#14.8). */
describe('store transport bounds', { timeout: 60_000 }, () => {
  const servers: net.Server[] = [];
  /** A loopback server doing `onSocket` with each connection; its port. */
  async function serve(onSocket: (socket: net.Socket) => void): Promise<number> {
    const server = net.createServer(onSocket);
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return (server.address() as net.AddressInfo).port;
  }
  /** Writes 64 KiB chunks until `total` bytes are sent or the peer goes. */
  const flood = (socket: net.Socket, total: number, prefix = '') => {
    socket.on('error', () => undefined);
    const chunk = Buffer.alloc(64 * 1024, 'x');
    let sent = 0;
    if (prefix) socket.write(prefix);
    const more = () => {
      while (sent < total && !socket.destroyed) {
        sent += chunk.length;
        if (!socket.write(chunk)) return void socket.once('drain', more);
      }
      socket.end();
    };
    more();
  };
  after(() => {
    for (const server of servers) server.close();
  });

  it('a TCP peer that sends 16 MiB: cut at 1 MiB, as if it had closed', async () => {
    const port = await serve((socket) => flood(socket, 16 << 20));
    const answer = await tcpExchange({ host: '127.0.0.1', port }, Buffer.from('srvr'), 20_000, () => false);
    assert.equal(answer.kind, 'data');
    if (answer.kind !== 'data') return;
    assert.equal(answer.closedEarly, true);
    assert.ok(answer.data.length <= MAX_ANSWER_BYTES, `${answer.data.length} bytes kept`);
    assert.ok(answer.data.length > MAX_ANSWER_BYTES - 64 * 1024, `${answer.data.length} bytes kept`);
  });

  it('an HTTP store that answers 16 MiB: the body is cut at 1 MiB and the probe ends', async () => {
    const port = await serve((socket) => {
      socket.once('data', () => flood(socket, 16 << 20, 'HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nConnection: close\r\n\r\n'));
    });
    const answer = await httpGet({ host: '127.0.0.1', port }, '/version', 20_000);
    assert.equal(answer.kind, 'answer');
    if (answer.kind === 'answer')
      assert.ok(answer.body.length <= MAX_ANSWER_BYTES && answer.body.length > MAX_ANSWER_BYTES / 2, `${answer.body.length}`);
  });

  it('Received copies each chunk once into a buffer that doubles (no concat of everything per chunk)', () => {
    const received = new Received();
    for (let i = 0; i < 1000; i++) assert.ok(received.add(Buffer.from([i & 0xff])));
    assert.equal(received.length, 1000);
    assert.deepEqual([...received.bytes().subarray(250, 253)], [250, 251, 252]);
    assert.equal(received.add(Buffer.alloc(MAX_ANSWER_BYTES)), false);
    assert.equal(received.length, 1000);
  });

  it('a timeout over 2^31-1 ms waits (clamped) instead of firing at once', async () => {
    const sockets: net.Socket[] = [];
    const port = await serve((socket) => void sockets.push(socket)); // accepts, never answers
    const huge = 2 ** 40;
    const outcome = await Promise.race([
      httpGet({ host: '127.0.0.1', port }, '/health', huge).then((answer) => `settled: ${JSON.stringify(answer)}`),
      new Promise<string>((resolve) => setTimeout(() => resolve('still waiting'), 500)),
    ]);
    // Before the clamp Node fired the 2^40 ms timer after 1 ms: "no answer within 1099511627776 ms".
    assert.equal(outcome, 'still waiting');
    for (const socket of sockets) socket.destroy();
  });
});
