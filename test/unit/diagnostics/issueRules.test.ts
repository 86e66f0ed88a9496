/**
 * The rules added from public issues (#14), each on the configuration its issue reports
 * (test/fixtures/diagnostics/issues/, one folder per rule, its source in the folder's name and
 * README): the rule's code must come out, at the right place, and nothing must when the
 * configuration is repaired the way the finding says.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { diagnoseFiles } from '../../../src/core/diagnostics/configFiles';
import type { Finding } from '../../../src/core/diagnostics/finding';
import { thisMachineFile } from '../../../src/core/diagnostics/hostFiles/thisMachine';
import { clusterSettings } from '../../../src/core/diagnostics/live/anchor';
import { crossHostFindings, type ProbedHost } from '../../../src/core/diagnostics/live/crossHost';
import type { DockerFacts } from '../../../src/core/diagnostics/live/docker';
import { etcdDrafts } from '../../../src/core/diagnostics/live/etcd';
import { Codes } from '../../../src/core/diagnostics/codes';
import type { HostInterface } from '../../../src/core/diagnostics/dockerdConfig';
import { applyEdits } from '../../support/applyEdits';

const ISSUES = path.join(__dirname, '..', '..', '..', '..', 'test', 'fixtures', 'diagnostics', 'issues');
const fixture = (name: string) => fs.readFileSync(path.join(ISSUES, name), 'utf8');
const codes = (findings: Finding[]) => findings.map((finding) => finding.code);
const textAt = (finding: Finding, text: string) => {
  const lines = text.split('\n');
  return lines[finding.range.startLine].slice(
    finding.range.startColumn,
    finding.range.startLine === finding.range.endLine ? finding.range.endColumn : undefined,
  );
};
const json = (text: string, options: Parameters<typeof diagnoseFiles>[1] = {}) =>
  diagnoseFiles([{ path: '/etc/docker/daemon.json', text }], options);
const compose = (text: string) => diagnoseFiles([{ path: '/srv/docker-compose.yml', text }]);
const eth0 = (mtu: number): HostInterface => ({ name: 'eth0', ipv4: ['10.0.0.11'], ipv6: [], mtu });
const lo: HostInterface = { name: 'lo', ipv4: ['127.0.0.1'], ipv6: ['::1'], mtu: 65536 };

describe('rules from public issues: files', () => {
  it('DNE119 (libnetwork#2661): advertise on a 1450-byte link warns with the overlay option; 1500 is fine', () => {
    const text = fixture('dne119-libnetwork-2661/daemon.json');
    const [finding, ...rest] = json(text, { interfaces: [lo, eth0(1450)] });
    assert.deepEqual([finding?.code, rest.length], [Codes.advertiseUnderlayMtu, 0]);
    assert.equal(textAt(finding, text), '"eth0:2376"');
    assert.match(finding.message, /MTU of 1450.*50 bytes too many.*com\.docker\.network\.driver\.mtu=1450 .*containers then get 1400/);
    assert.deepEqual(json(text, { interfaces: [lo, eth0(1500)] }), []);
    // By address too, and unknown MTU says nothing.
    assert.deepEqual(codes(json(text.replace('eth0:2376', '10.0.0.11:2376'), { interfaces: [lo, eth0(1460)] })), [
      Codes.advertiseUnderlayMtu,
    ]);
    assert.deepEqual(json(text, { interfaces: [lo, { name: 'eth0', ipv4: ['10.0.0.11'], ipv6: [] }] }), []);
  });

  it('DNE121 (libnetwork#847): a misspelt kv.keyfile leaves TLS off; each given TLS option says which are missing', () => {
    const text = fixture('dne121-libnetwork-847/daemon.json');
    const findings = json(text);
    assert.deepEqual(codes(findings), [Codes.storeTlsIncomplete, Codes.storeTlsIncomplete, Codes.storeTlsIncomplete]);
    assert.equal(textAt(findings[0], text), '"/etc/docker/ssl/keys/node-key.pem"');
    assert.match(findings[0].message, /"kv\.keyfle" is no option dockerd reads/);
    assert.match(
      findings[1].message,
      /kv\.cacertfile and kv\.certfile without kv\.keyfile: .*plain HTTP.*"Initializing discovery without TLS" and "Option Initializing KV without TLS"/,
    );
    assert.deepEqual(json(text.replace('kv.keyfle', 'kv.keyfile')), []);
    // As flags the same.
    const unit = '[Service]\nExecStart=/usr/bin/dockerd --cluster-store=etcd://10.0.0.5:2379 --cluster-store-opt kv.certfile=/c.pem\n';
    assert.deepEqual(codes(diagnoseFiles([{ path: '/etc/systemd/system/docker.service', text: unit }])), [
      Codes.storeWithoutAdvertise,
      Codes.storeTlsIncomplete,
    ]);
  });

  it("DNE121: the kv.* TLS files with a zk:// store do nothing (libkv's ZooKeeper client has no TLS); with etcd:// they are fine", () => {
    const text = (store: string) =>
      JSON.stringify(
        {
          'cluster-store': store,
          'cluster-advertise': 'eth0:2376',
          'cluster-store-opts': {
            'kv.cacertfile': '/etc/docker/ca.pem',
            'kv.certfile': '/etc/docker/cert.pem',
            'kv.keyfile': '/etc/docker/key.pem',
          },
        },
        null,
        2,
      );
    const findings = json(text('zk://10.0.0.5:2181'));
    assert.deepEqual(codes(findings), [Codes.storeTlsIncomplete, Codes.storeTlsIncomplete, Codes.storeTlsIncomplete]);
    assert.deepEqual(
      findings.map((finding) => [finding.severity, textAt(finding, text('zk://10.0.0.5:2181'))]),
      [
        ['warning', '"/etc/docker/ca.pem"'],
        ['warning', '"/etc/docker/cert.pem"'],
        ['warning', '"/etc/docker/key.pem"'],
      ],
    );
    assert.match(
      findings[0].message,
      /^kv\.cacertfile does nothing for a zk:\/\/ store: Docker's ZooKeeper client .* speaks plain TCP only/,
    );
    assert.deepEqual(json(text('etcd://10.0.0.5:2379')), []);
    assert.deepEqual(json(text('consul://10.0.0.5:8500')), []);
  });

  it("DNE122: missing TLS files, read from this machine, in dockerd's order and words; a real PEM set passes", () => {
    const text = fixture('dne122-tls-files/daemon.json');
    const findings = json(text, { hostFile: thisMachineFile });
    assert.deepEqual(codes(findings), [Codes.storeTlsFileUnusable, Codes.storeTlsFileUnusable, Codes.storeTlsFileUnusable]);
    assert.equal(findings[0].severity, 'error');
    assert.ok(
      findings[0].message.includes(
        'the daemon will not start: "failed to start daemon: discovery initialization failed (could not read CA certificate ' +
          '"/nonexistent/dne-fixture/ca.pem": open /nonexistent/dne-fixture/ca.pem: no such file or directory)"',
      ),
      findings[0].message,
    );
    assert.ok(
      findings[1].message.includes('(Could not load X509 key pair: open /nonexistent/dne-fixture/cert.pem: no such file or directory)'),
      findings[1].message,
    );
    // Without advertise dockerd runs, without TLS, and says so in its log.
    const alone = json(text.replace('  "cluster-advertise": "10.0.0.11:2376",\n', ''), { hostFile: thisMachineFile }).filter(
      (finding) => finding.code === Codes.storeTlsFileUnusable,
    );
    assert.equal(alone[0].severity, 'warning');
    assert.match(alone[0].message, /logs "Unable to set up TLS: could not read CA certificate/);
    // Without a way to read the host's files nothing is said.
    assert.deepEqual(json(text), []);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dne-dr-pem-'));
    try {
      fs.writeFileSync(path.join(dir, 'ca.pem'), '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n');
      fs.writeFileSync(path.join(dir, 'cert.pem'), 'not pem\n');
      fs.writeFileSync(path.join(dir, 'key.pem'), 'no key\n');
      const real0 = text.replaceAll('/nonexistent/dne-fixture', dir);
      // The key's PEM is decoded before the certificate's is parsed: the key is named first.
      assert.match(
        json(real0, { hostFile: thisMachineFile })[0].message,
        /kv\.keyfile .*Could not load X509 key pair: no valid private key found/,
      );
      fs.writeFileSync(path.join(dir, 'key.pem'), '-----BEGIN EC PRIVATE KEY-----\nMHc\n-----END EC PRIVATE KEY-----\n');
      const real = text.replaceAll('/nonexistent/dne-fixture', dir);
      const [notPem, ...others] = json(real, { hostFile: thisMachineFile });
      assert.deepEqual([notPem?.code, others.length], [Codes.storeTlsFileUnusable, 0]);
      assert.match(notPem.message, /Could not load X509 key pair: tls: failed to find any PEM data in certificate input/);
      fs.copyFileSync(path.join(dir, 'ca.pem'), path.join(dir, 'cert.pem'));
      assert.deepEqual(json(real, { hostFile: thisMachineFile }), []);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('DNE123 (classicswarm#1485): a ttl below the heartbeat stops the daemon, in its words; units and zero too', () => {
    const text = fixture('dne123-classicswarm-1485/daemon.json');
    const [finding, ...rest] = json(text);
    assert.deepEqual([finding?.code, rest.length], [Codes.discoveryTimersInvalid, 0]);
    assert.equal(textAt(finding, text), '"30"');
    assert.ok(
      finding.message.includes(
        '"failed to start daemon: discovery initialization failed (discovery.ttl timer must be greater than discovery.heartbeat)"',
      ),
    );
    assert.deepEqual(json(text.replace('"30"', '"180"')), []);
    assert.match(json(text.replace('"60"', '"20s"'))[0].message, /strconv\.Atoi: parsing "20s": invalid syntax/);
    assert.match(json(text.replace('"60"', '"0"'))[0].message, /discovery\.heartbeat must be positive/);
    // Discovery runs only with advertise: without it dockerd never reads the timers.
    assert.deepEqual(
      json(text.replace('  "cluster-advertise": "10.0.0.11:2376",\n', '')).map((f) => f.code),
      [Codes.storeWithoutAdvertise],
    );
  });
});

describe('rules from public issues: compose', () => {
  it('DNE197 (docker-consul#16): a Consul agent without -client; -client=0.0.0.0 or CONSUL_CLIENT_INTERFACE is fine', () => {
    const text = fixture('dne197-docker-consul-16/docker-compose.yml');
    const [finding, ...rest] = compose(text);
    assert.deepEqual([finding?.code, rest.length], [Codes.composeConsulClientLoopback, 0]);
    assert.equal(textAt(finding, text), 'agent');
    assert.deepEqual(compose(text.replace('-ui', '-ui -client=0.0.0.0')), []);
    assert.deepEqual(compose(text.replace('CONSUL_BIND_INTERFACE', 'CONSUL_CLIENT_INTERFACE')), []);
    assert.deepEqual(codes(compose(text.replace('-ui', '-ui -client 127.0.0.1'))), [Codes.composeConsulClientLoopback]);
  });

  it('DNE198 (etcd#3886): etcd advertising 127.0.0.1, one dash or two; a routable address is fine', () => {
    const text = fixture('dne198-etcd-7588/docker-compose.yml');
    const [finding, ...rest] = compose(text);
    assert.deepEqual([finding?.code, rest.length], [Codes.composeEtcdAdvertiseLoopback, 0]);
    assert.equal(textAt(finding, text), '-advertise-client-urls');
    assert.deepEqual(compose(text.replace('http://127.0.0.1:4001', 'http://10.0.0.5:4001')), []);
    assert.deepEqual(codes(compose(text.replace('-advertise', '--advertise').replace('127.0.0.1', '0.0.0.0'))), [
      Codes.composeEtcdAdvertiseLoopback,
    ]);
  });

  it("dind: a docker:20.10-dind service's flags are read like ExecStart=, a fix edits inside the list; a 26 tag gets 26's refusal", () => {
    const text = fixture('dind/docker-compose.yml');
    const findings = compose(text);
    assert.deepEqual(codes(findings), [
      Codes.advertiseWithoutPort,
      Codes.clusterStoreRemoved,
      Codes.clusterStoreRemoved,
      Codes.swarmMigration,
    ]);
    const [advertise, storeFlag] = findings;
    assert.equal(textAt(advertise, text), 'tcp://10.0.0.11:2376');
    const fixed = applyEdits(text, advertise.fix!.edits);
    assert.match(fixed, /"--cluster-advertise=10\.0\.0\.11:2376"/);
    assert.deepEqual(
      codes(compose(fixed)).filter((code) => code === Codes.advertiseWithoutPort),
      [],
    );
    assert.match(storeFlag.message, /unknown flag: --cluster-store/);
    assert.equal(storeFlag.fix, undefined);
    // A service that does not run dockerd is none of this.
    assert.deepEqual(compose('services:\n  web:\n    image: nginx\n    command: ["--cluster-advertise=x:2376"]\n'), []);
  });
});

describe('rules from public issues: live', () => {
  const view = (info: Record<string, unknown>, overrides: Partial<DockerFacts> = {}): ProbedHost => {
    const host = { name: String(info.url), url: String(info.url) };
    const swarm = (info.Swarm as { LocalNodeState?: string } | undefined)?.LocalNodeState ?? 'inactive';
    const facts: DockerFacts = {
      kind: 'ok',
      name: String(info.Name),
      serverVersion: String(info.ServerVersion ?? '20.10.24'),
      kernelVersion: '5.10.0',
      clusterStore: '',
      clusterAdvertise: '',
      swarmState: swarm,
      networks: [],
      apiVersion: '1.41',
      ...(info.ID ? { id: String(info.ID) } : {}),
      ...(info.SystemTime ? { clockOffsetMs: Date.parse(String(info.SystemTime)) - Date.parse('2018-08-14T22:02:30-04:00') } : {}),
      ...overrides,
    };
    return { host, settings: clusterSettings(host), facts, store: '' };
  };
  const infos = (name: string) => JSON.parse(fixture(name)) as Array<Record<string, unknown>>;

  it('DNE185 (classicswarm#1467): three cloned VMs with one engine ID, each told; one daemon at two URLs is not', () => {
    const findings = crossHostFindings(infos('dne185-classicswarm-1467/info.json').map((info) => view(info)));
    assert.deepEqual(codes(findings), [Codes.engineIdNotUnique, Codes.engineIdNotUnique, Codes.engineIdNotUnique]);
    assert.match(findings[0].message, /cloned.*"ID duplicated".*delete \/etc\/docker\/key\.json/);
    const [one] = infos('dne185-classicswarm-1467/info.json');
    assert.deepEqual(crossHostFindings([view(one), view({ ...one, url: 'unix:///var/run/docker.sock' })]), []);
    assert.match(
      crossHostFindings(infos('dne185-classicswarm-1467/info.json').map((info) => view(info, { serverVersion: '26.1.5' })))[0].message,
      /engine-id/,
    );
  });

  it('DNE186 (moby#25112): swarm hosts two hours apart; inside the one-hour backdate, or not in a swarm, nothing', () => {
    const views = infos('dne186-moby-25112/info.json').map((info) => view(info));
    const findings = crossHostFindings(views);
    assert.deepEqual(codes(findings), [Codes.clockSkew, Codes.clockSkew]);
    assert.match(findings[0].message, /differ by 124 minutes.*x509: certificate has expired or is not yet valid/);
    assert.deepEqual(
      crossHostFindings(views.map((entry, index) => ({ ...entry, facts: { ...entry.facts!, clockOffsetMs: index * 59 * 60_000 } }))),
      [],
    );
    assert.deepEqual(crossHostFindings(views.map((entry) => ({ ...entry, facts: { ...entry.facts!, swarmState: 'inactive' } }))), []);
  });

  it('DNE187 (etcd#7588): etcd advertising http://localhost:2379 to a Docker host dialing 10.0.0.5', () => {
    const clientUrls = (
      JSON.parse(fixture('dne187-etcd-7588/members.json')) as { members: Array<{ clientURLs: string[] }> }
    ).members.flatMap((member) => member.clientURLs);
    const answered = {
      kind: 'answered' as const,
      version: { etcd: true as const, server: '3.4.23' },
      health: { ok: true as const },
      v2: 'on' as const,
      clientUrls,
    };
    const drafts = etcdDrafts('etcd://10.0.0.5:2379', { ...answered, dialed: '10.0.0.5' });
    assert.deepEqual(
      drafts.map((draft) => draft.code),
      [Codes.etcdAdvertisesLoopback],
    );
    assert.match(drafts[0].message, /advertises its clients http:\/\/localhost:2379.*every 5 minutes/);
    assert.deepEqual(etcdDrafts('etcd://127.0.0.1:2379', { ...answered, dialed: '127.0.0.1' }), []);
    assert.deepEqual(etcdDrafts('etcd://10.0.0.5:2379', { ...answered, clientUrls: ['http://10.0.0.5:2379'], dialed: '10.0.0.5' }), []);
  });

  it('DNE168: a host on the shared store that lists none of its overlays is cut off; all alike, or another store, is not', () => {
    const store = 'etcd://10.0.0.5:2379';
    const overlay = (name: string) => ({ name, driver: 'overlay', scope: 'global', subnets: [] });
    const local = { name: 'bridge', driver: 'bridge', scope: 'local', subnets: [] };
    const onStore = (url: string, networks: DockerFacts['networks'], clusterStore = store) =>
      view({ url, Name: url }, { clusterStore, clusterAdvertise: `${url}:2376`, networks });
    const seeing = [onStore('h1', [local, overlay('ov')]), onStore('h3', [local, overlay('ov')])];
    const findings = crossHostFindings([...seeing, onStore('h2', [local])]);
    assert.deepEqual(codes(findings), [Codes.storeCutOff]);
    assert.equal(findings[0].file, 'h2');
    assert.match(
      findings[0].message,
      /^"h2" lists none of the overlay networks that "h1", "h3" see on the same store etcd:\/\/10\.0\.0\.5:2379 \(ov\)/,
    );
    assert.match(
      findings[0].message,
      /says "Registering as \\"h2:2376\\" in discovery failed: client: etcd cluster is unavailable or misconfigured; …"/,
    );
    assert.match(findings[0].message, /`curl http:\/\/10\.0\.0\.5:2379\/version`/);
    // No overlays anywhere yet, the host's list unread (empty), or the host on another store (DNE180's business): nothing.
    assert.deepEqual(codes(crossHostFindings([...seeing, onStore('h2', [])])), []);
    assert.deepEqual(codes(crossHostFindings([onStore('h1', [local]), onStore('h2', [local])])), []);
    assert.deepEqual(codes(crossHostFindings([...seeing, onStore('h2', [local], 'etcd://10.0.0.6:2379')])), []);
    // Consul: the same finding, without etcd's log line.
    const consul = 'consul://10.0.0.5:8500';
    const [viaConsul] = crossHostFindings([onStore('h1', [overlay('ov')], consul), onStore('h2', [local], consul)]);
    assert.equal(viaConsul.code, Codes.storeCutOff);
    assert.doesNotMatch(viaConsul.message, /Registering as/);
  });

  it("DNE189: a plain request to a TLS-only etcd, in Go's words", () => {
    const body = 'Client sent an HTTP request to an HTTPS server.\n';
    const drafts = etcdDrafts('etcd://10.0.0.5:2379', {
      kind: 'answered',
      version: { etcd: false, status: 400, body },
      health: 'unknown',
      v2: 'off',
    });
    assert.deepEqual(
      drafts.map((draft) => draft.code),
      [Codes.storeExpectsTls],
    );
  });
});
