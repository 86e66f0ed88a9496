/**
 * The live probe speaks TLS to a REAL etcd 3.4 (HTTPS only, client certificates required) with
 * the files a host's --cluster-store-opt names, as Docker's store client does, and says which
 * side refuses: a client certificate from another CA, a kv.cacertfile that did not sign etcd's
 * certificate, no TLS options at all (Go's "Client sent an HTTP request to an HTTPS server"),
 * TLS options against a plain etcd. Also etcd advertising loopback client URLs to a host that
 * dials it on another address (DNE187), on a veth address this test creates.
 * Certificates are made with openssl in a temporary directory; everything is on this machine.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { DockerdFiles } from '../../src/core/diagnostics/dockerdConfig';
import { Codes } from '../../src/core/diagnostics/codes';
import { StoreProbes } from '../../src/core/diagnostics/live/storeProbes';
import { storeTls } from '../../src/core/diagnostics/live/storeTls';
import { startEtcd, VethNamespace, type RunningStore } from '../support/clusterStores';
import { selfSigned, signedBy, type KeyPair } from '../support/pki';

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

  it('TLS files that are not on this machine: the store is not probed, and we say why', async () => {
    const drafts = await probe(tlsEtcd.url, daemonJson(tlsEtcd.url, opts('/nonexistent/dne/ca.pem', client.cert, client.key)));
    assert.deepEqual(
      drafts.map((draft) => [draft.code, draft.severity]),
      [[Codes.storeTlsRefused, 'information']],
    );
  });
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
