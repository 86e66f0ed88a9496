/**
 * The live probe speaks TLS to a REAL etcd 3.4 (HTTPS only, client certificates required) with
 * the files a host's --cluster-store-opt names, as Docker's store client does, and says which
 * side refuses: a client certificate from another CA, a kv.cacertfile that did not sign etcd's
 * certificate, no TLS options at all (Go's "Client sent an HTTP request to an HTTPS server"),
 * TLS options against a plain etcd. Also etcd advertising loopback client URLs to a host that
 * dials it on another address (DNE187), on a veth address this test creates.
 * The same for Consul (our stand-in, test/support/fakeConsul.ts, serving Consul's HTTP API over
 * HTTPS with client certificates required). ZooKeeper: Docker's client has no TLS, so a REAL
 * ZooKeeper 3.8 serving only a secureClientPort is reported as unusable by Docker (not as a store
 * without quorum, nor as a firewall), with or without kv.* options.
 * Certificates are made with openssl in a temporary directory; everything is on this machine.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import * as tls from 'node:tls';
import { after, before, describe, it } from 'node:test';
import type { DockerdFiles } from '../../src/core/diagnostics/dockerdConfig';
import { Codes } from '../../src/core/diagnostics/codes';
import { StoreProbes } from '../../src/core/diagnostics/live/storeProbes';
import { storeTls } from '../../src/core/diagnostics/live/storeTls';
import { decodeConnectResponse, encodeConnectRequest, NEW_SESSION, readFrame } from '../../src/core/diagnostics/live/zookeeperFrames';
import { FakeConsul } from '../support/fakeConsul';

import { startEtcd, startZookeeper, VethNamespace, type RunningStore } from '../support/clusterStores';
import { selfSigned, signedBy, type KeyPair } from '../support/pki';

/** A ZooKeeper session over TLS: ConnectRequest in, a ConnectResponse with a non-zero session id out. */
function tlsSession(port: number, files: { ca: Buffer; cert: Buffer; key: Buffer }): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = tls.connect({ host: '127.0.0.1', port, ...files }, () => socket.write(encodeConnectRequest(NEW_SESSION)));
    let received = Buffer.alloc(0);
    socket.setTimeout(10_000, () => (socket.destroy(), resolve(false)));
    socket.on('data', (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      try {
        const frame = readFrame(received);
        if (!frame) return;
        resolve(decodeConnectResponse(frame).sessionId !== 0n);
      } catch {
        resolve(false);
      }
      socket.destroy();
    });
    socket.on('error', () => resolve(false));
    socket.on('close', () => resolve(false));
  });
}

const daemonJson = (store: string, opts: Record<string, string>): DockerdFiles => ({
  daemonJson: {
    file: '/etc/docker/daemon.json',
    text: JSON.stringify({ 'cluster-store': store, 'cluster-advertise': '10.0.0.11:2376', 'cluster-store-opts': opts }, null, 2),
  },
});

/** The one draft a probe answered, of `code`: its message. */
function onlyDraft(drafts: Array<{ code: string; message: string }>, code: string): string {
  assert.deepEqual(
    drafts.map((draft) => draft.code),
    [code],
    JSON.stringify(drafts),
  );
  return drafts[0].message;
}

async function probe(store: string, files: DockerdFiles): Promise<Array<{ code: string; severity: string; message: string }>> {
  const tls = storeTls(files);
  if (tls?.kind === 'unreadable') return [tls.draft];
  return new StoreProbes(4000).drafts(store, tls?.kind === 'ok' ? tls.tls : undefined);
}

describe('the store probe speaks TLS to a real etcd', { timeout: 120_000 }, () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dne-dr-etcd-tls-'));
  let good: KeyPair;
  let rogue: KeyPair;
  let client: KeyPair;
  let rogueClient: KeyPair;
  let tlsEtcd: RunningStore;
  let plainEtcd: RunningStore;
  const started: RunningStore[] = [];

  before(async () => {
    good = selfSigned(dir, 'good-ca', '/CN=good CA');
    rogue = selfSigned(dir, 'rogue-ca', '/CN=rogue CA');
    const server = signedBy(dir, good, 'server', 'subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth,clientAuth\n');
    client = signedBy(dir, good, 'client', 'extendedKeyUsage=clientAuth\n');
    rogueClient = signedBy(dir, rogue, 'rogue-client', 'extendedKeyUsage=clientAuth\n');
    // Each kept as soon as it runs: if the other fails to start, after() still stops this one.
    const keep = async (start: Promise<RunningStore>) => {
      const store = await start;
      started.push(store);
      return store;
    };
    [tlsEtcd, plainEtcd] = await Promise.all([
      keep(startEtcd({ enableV2: true, tls: { certFile: server.cert, keyFile: server.key, trustedCaFile: good.cert } })),
      keep(startEtcd({ enableV2: true })),
    ]);
  });
  after(async () => {
    await Promise.all(started.map((store) => store.stop()));
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const opts = (ca: string, cert: string, key: string) => ({ 'kv.cacertfile': ca, 'kv.certfile': cert, 'kv.keyfile': key });

  it('the right CA and a client certificate it signed: healthy, no finding', async () => {
    assert.deepEqual(await probe(tlsEtcd.url, daemonJson(tlsEtcd.url, opts(good.cert, client.cert, client.key))), []);
  });

  it('a client certificate from another CA: etcd refuses it (DNE188)', async () => {
    assert.match(
      onlyDraft(
        await probe(tlsEtcd.url, daemonJson(tlsEtcd.url, opts(good.cert, rogueClient.cert, rogueClient.key))),
        Codes.storeTlsRefused,
      ),
      /refused our client certificate/,
    );
  });

  it("kv.cacertfile that did not sign etcd's certificate: not accepted (DNE188)", async () => {
    assert.match(
      onlyDraft(await probe(tlsEtcd.url, daemonJson(tlsEtcd.url, opts(rogue.cert, client.cert, client.key))), Codes.storeTlsRefused),
      /certificate is not accepted with kv\.cacertfile/,
    );
  });

  it('no TLS options against the TLS etcd: it closes plain requests and shakes hands over TLS (DNE189)', async () => {
    assert.match(
      onlyDraft(await probe(tlsEtcd.url, daemonJson(tlsEtcd.url, {})), Codes.storeExpectsTls),
      /speaks TLS only \(it closed our plain HTTP request and completed a TLS handshake\)/,
    );
  });

  it('TLS options against a plain etcd: no TLS there (DNE188)', async () => {
    assert.match(
      onlyDraft(await probe(plainEtcd.url, daemonJson(plainEtcd.url, opts(good.cert, client.cert, client.key))), Codes.storeTlsRefused),
      /no TLS there/,
    );
  });

  it('a plain store whose reset overtakes its 400 (a busy machine): still "no TLS there", asked again in plain HTTP (DNE188)', async (t) => {
    // Go's server answers a ClientHello with a 400 and closes with our bytes unread: a reset that
    // can reach us first. This stand-in always resets on a ClientHello and answers plain HTTP.
    const web = http.createServer((_request, response) => response.end('{"etcdserver":"3.4.23","etcdcluster":"3.4.0"}'));
    const server = net.createServer((socket) =>
      socket.once('data', (chunk: Buffer) => {
        if (chunk[0] === 0x16) return void socket.resetAndDestroy();
        socket.unshift(chunk);
        web.emit('connection', socket);
      }),
    );
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    t.after(() => server.close());
    const url = `etcd://127.0.0.1:${(server.address() as net.AddressInfo).port}`;
    const message = onlyDraft(await probe(url, daemonJson(url, opts(good.cert, client.cert, client.key))), Codes.storeTlsRefused);
    assert.match(
      message,
      /no TLS there: the store answers plain HTTP \(HTTP 200 to GET \/version\), and our TLS handshake ended in ".*ECONNRESET/,
    );
  });

  it('kv.certfile that is not PEM: the files cannot be used, said as such, no crash (DNE188)', async () => {
    const notPem = path.join(dir, 'not-pem.crt');
    fs.writeFileSync(notPem, Buffer.from([0x30, 0x82, 0x01, 0x0a, 0x02, 0x82]));
    const message = onlyDraft(
      await probe(tlsEtcd.url, daemonJson(tlsEtcd.url, opts(good.cert, notPem, client.key))),
      Codes.storeTlsRefused,
    );
    assert.ok(message.includes(`the TLS files (${good.cert}, ${notPem}, ${client.key}) cannot be used: `), message);
  });

  it('TLS files that are not on this machine: the store is not probed, and we say why', async () => {
    const drafts = await probe(tlsEtcd.url, daemonJson(tlsEtcd.url, opts('/nonexistent/dne/ca.pem', client.cert, client.key)));
    assert.deepEqual(
      drafts.map((draft) => [draft.code, draft.severity]),
      [[Codes.storeTlsRefused, 'information']],
    );
  });
});

describe('the store probe speaks TLS to Consul (our stand-in over HTTPS)', { timeout: 60_000 }, () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dne-faults-consul-tls-'));
  let good: KeyPair;
  let rogue: KeyPair;
  let client: KeyPair;
  let rogueClient: KeyPair;
  const consuls: FakeConsul[] = [];
  let tlsUrl = '';
  let plainUrl = '';

  before(async () => {
    good = selfSigned(dir, 'good-ca', '/CN=good CA');
    rogue = selfSigned(dir, 'rogue-ca', '/CN=rogue CA');
    const server = signedBy(dir, good, 'server', 'subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n');
    client = signedBy(dir, good, 'client', 'extendedKeyUsage=clientAuth\n');
    rogueClient = signedBy(dir, rogue, 'rogue-client', 'extendedKeyUsage=clientAuth\n');
    const read = (file: string) => fs.readFileSync(file);
    const overTls = new FakeConsul({ cert: read(server.cert), key: read(server.key), ca: read(good.cert) });
    const plain = new FakeConsul();
    consuls.push(overTls, plain);
    const [secure, open] = await Promise.all([overTls.start(), plain.start()]);
    tlsUrl = `consul://127.0.0.1:${secure.port}`;
    plainUrl = `consul://127.0.0.1:${open.port}`;
  });
  after(async () => {
    await Promise.all(consuls.map((consul) => consul.stop()));
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const opts = (ca: string, cert: string, key: string) => ({ 'kv.cacertfile': ca, 'kv.certfile': cert, 'kv.keyfile': key });
  const codesOf = (drafts: Array<{ code: string }>) => drafts.map((draft) => draft.code);

  it('the right CA and a client certificate it signed: healthy, no finding, every endpoint read over TLS', async () => {
    assert.deepEqual(await probe(tlsUrl, daemonJson(tlsUrl, opts(good.cert, client.cert, client.key))), []);
    assert.ok(consuls[0].requests.includes('/v1/status/leader'), JSON.stringify(consuls[0].requests));
  });

  it('a client certificate from another CA: Consul refuses it (DNE188)', async () => {
    const drafts = await probe(tlsUrl, daemonJson(tlsUrl, opts(good.cert, rogueClient.cert, rogueClient.key)));
    assert.deepEqual(codesOf(drafts), [Codes.storeTlsRefused], JSON.stringify(drafts));
    assert.match(drafts[0].message, /^Consul cluster store .*refused our client certificate/);
  });

  it("kv.cacertfile that did not sign Consul's certificate: not accepted (DNE188)", async () => {
    const drafts = await probe(tlsUrl, daemonJson(tlsUrl, opts(rogue.cert, client.cert, client.key)));
    assert.deepEqual(codesOf(drafts), [Codes.storeTlsRefused], JSON.stringify(drafts));
    assert.match(drafts[0].message, /certificate is not accepted with kv\.cacertfile/);
  });

  it('no TLS options against the HTTPS Consul: it speaks TLS only (DNE189), not "does not look like Consul"', async () => {
    const drafts = await probe(tlsUrl, daemonJson(tlsUrl, {}));
    assert.deepEqual(codesOf(drafts), [Codes.storeExpectsTls], JSON.stringify(drafts));
    assert.match(drafts[0].message, /^Consul at consul:\/\/127\.0\.0\.1:\d+ speaks TLS only/);
  });

  it('TLS options against a plain Consul: no TLS there (DNE188)', async () => {
    const drafts = await probe(plainUrl, daemonJson(plainUrl, opts(good.cert, client.cert, client.key)));
    assert.deepEqual(codesOf(drafts), [Codes.storeTlsRefused], JSON.stringify(drafts));
    assert.match(drafts[0].message, /no TLS there/);
  });
});

describe('a real ZooKeeper 3.8 serving only a secureClientPort', { timeout: 120_000 }, () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dne-faults-zk-tls-'));
  let zookeeper: RunningStore | undefined;
  let client: KeyPair;
  let ca = '';

  before(async () => {
    const good = selfSigned(dir, 'good-ca', '/CN=good CA');
    ca = good.cert;
    const server = signedBy(dir, good, 'server', 'subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth,clientAuth\n');
    client = signedBy(dir, good, 'client', 'extendedKeyUsage=clientAuth\n');
    const keyStore = path.join(dir, 'server-keystore.pem');
    fs.writeFileSync(keyStore, fs.readFileSync(server.key, 'utf8') + fs.readFileSync(server.cert, 'utf8'));
    zookeeper = await startZookeeper({ tls: { keyStoreFile: keyStore, trustStoreFile: good.cert } });
  });
  after(async () => {
    await zookeeper?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('it really serves TLS with those files: the client certificate is accepted, a session is granted', async () => {
    // Proof that the port is a working ZooKeeper over TLS (not a broken one): a ConnectRequest over TLS gets a session.
    const granted = await tlsSession(zookeeper!.port, {
      ca: fs.readFileSync(ca),
      cert: fs.readFileSync(client.cert),
      key: fs.readFileSync(client.key),
    });
    assert.ok(granted, 'no session over TLS with the right client certificate');
  });

  for (const withOpts of [false, true]) {
    it(`${withOpts ? 'with' : 'without'} kv.* files: Docker cannot use it (DNE189), not "no quorum" nor "a firewall drops"`, async () => {
      const store = zookeeper!.url;
      const drafts = await probe(
        store,
        daemonJson(store, withOpts ? { 'kv.cacertfile': ca, 'kv.certfile': client.cert, 'kv.keyfile': client.key } : {}),
      );
      assert.deepEqual(
        drafts.map((draft) => draft.code),
        [Codes.storeExpectsTls],
        JSON.stringify(drafts),
      );
      assert.match(drafts[0].message, /speaks TLS only \(a secureClientPort.*Docker's ZooKeeper client speaks plain TCP only/);
    });
  }
});

describe('etcd advertising loopback to hosts that dial it elsewhere (DNE187)', { timeout: 120_000 }, () => {
  const namespace = new VethNamespace();
  let etcd: RunningStore | undefined;
  before(async () => {
    await namespace.create();
    etcd = await startEtcd({
      enableV2: true,
      host: namespace.hostAddress,
      alsoLoopback: true,
      advertise: (port) => `http://127.0.0.1:${port}`,
    });
  });
  after(async () => {
    await etcd?.stop();
    await namespace.dispose();
  });

  it('dialed on the veth address, it advertises 127.0.0.1: a warning; dialed on loopback: nothing', async () => {
    const drafts = await new StoreProbes(4000).drafts(etcd!.url);
    assert.match(
      onlyDraft(drafts, Codes.etcdAdvertisesLoopback),
      new RegExp(`advertises its clients http://127\\.0\\.0\\.1:${etcd!.port}`),
    );
    assert.deepEqual(await new StoreProbes(4000).drafts(`etcd://127.0.0.1:${etcd!.port}`), []);
  });
});
