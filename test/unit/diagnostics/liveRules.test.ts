/** The live doctor's pure mapping: probe results in, findings (codes, severities, anchors) out. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Finding } from '../../../src/core/diagnostics/finding';
import { Codes } from '../../../src/core/diagnostics/codes';
import type { DockerdFiles } from '../../../src/core/diagnostics/dockerdConfig';
import * as os from 'node:os';
import * as path from 'node:path';
import { diagnoseLive } from '../../../src/core/diagnostics/live/index';
import { clusterSettings } from '../../../src/core/diagnostics/live/anchor';
import { consulDrafts, type ConsulResult } from '../../../src/core/diagnostics/live/consul';
import { crossHostFindings } from '../../../src/core/diagnostics/live/crossHost';
import { versionBelow, type DockerFacts, type DockerResult } from '../../../src/core/diagnostics/live/docker';
import { dockerFindings, sameAdvertise } from '../../../src/core/diagnostics/live/dockerRules';
import { etcdDrafts, type EtcdResult } from '../../../src/core/diagnostics/live/etcd';
import { storeTarget } from '../../../src/core/diagnostics/live/storeUrl';
import type { LiveHost } from '../../../src/core/diagnostics/live/types';
import { zookeeperDrafts, type ZookeeperResult } from '../../../src/core/diagnostics/live/zookeeper';

const DAEMON_JSON = '/etc/docker/daemon.json';
const files = (store: string, advertise = '10.0.0.1:2376'): DockerdFiles => ({
  daemonJson: { file: DAEMON_JSON, text: `{\n  "cluster-store": "${store}",\n  "cluster-advertise": "${advertise}"\n}\n` },
});
const facts = (overrides: Partial<DockerFacts> = {}): DockerFacts => ({
  kind: 'ok',
  name: 'node1',
  serverVersion: '20.10.24',
  kernelVersion: '6.1.0-18-amd64',
  clusterStore: 'etcd://10.0.0.9:2379',
  clusterAdvertise: '10.0.0.1:2376',
  swarmState: 'inactive',
  networks: [],
  apiVersion: '1.41',
  ...overrides,
});
const host = (name: string, withFiles?: DockerdFiles): LiveHost => ({ name, url: `tcp://${name}:2376`, files: withFiles });
const summary = (findings: Finding[]) => findings.map((finding) => [finding.code, finding.severity, finding.file, finding.range.startLine]);

describe('live rules: one daemon', () => {
  type Case = [name: string, files: DockerdFiles | undefined, result: DockerResult, expected: Array<[string, string, string, number]>];
  const url = 'tcp://h:2376';
  const cases: Case[] = [
    ['healthy, files agree', files('etcd://10.0.0.9:2379'), facts(), []],
    ['healthy, no files: nothing to compare', undefined, facts({ clusterStore: 'etcd://elsewhere:2379' }), []],
    [
      'unreachable, no files: at the host URL, line 0',
      undefined,
      { kind: 'unreachable', reason: 'connection refused' },
      [[Codes.daemonUnreachable, 'error', url, 0]],
    ],
    [
      'unreachable, files: at the store value',
      files('etcd://10.0.0.9:2379'),
      { kind: 'unreachable', reason: 'x' },
      [[Codes.daemonUnreachable, 'error', DAEMON_JSON, 1]],
    ],
    // From 23 on, the store settings in the files are the file rules' (DNE161), for the engine found here.
    [
      'Docker 23 with store settings in the files: no live finding',
      files('etcd://10.0.0.9:2379'),
      facts({ serverVersion: '23.0.1', clusterStore: '', clusterAdvertise: '' }),
      [],
    ],
    ['Docker 24 without store settings: fine', undefined, facts({ serverVersion: '24.0.7', clusterStore: '' }), []],
    ['swarm active with a store', undefined, facts({ swarmState: 'active' }), [[Codes.swarmWithClusterStore, 'error', url, 0]]],
    ['swarm active, no store anywhere', undefined, facts({ swarmState: 'active', clusterStore: '' }), []],
    ['store edited, not restarted', files('etcd://10.0.0.8:2379'), facts(), [[Codes.runningStoreDiffers, 'warning', DAEMON_JSON, 1]]],
    ['trailing slash is the same store', files('etcd://10.0.0.9:2379/'), facts(), []],
    [
      'advertise edited, not restarted: at the advertise value',
      files('etcd://10.0.0.9:2379', '10.0.0.2:2376'),
      facts(),
      [[Codes.runningStoreDiffers, 'warning', DAEMON_JSON, 2]],
    ],
    ['advertise by interface name compares by port only', files('etcd://10.0.0.9:2379', 'eth0:2376'), facts(), []],
    [
      'kernel 3.10 with a store',
      undefined,
      facts({ kernelVersion: '3.10.0-1160.el7.x86_64' }),
      [[Codes.kernelTooOldForOverlay, 'warning', url, 0]],
    ],
    ['kernel 3.16 is enough', undefined, facts({ kernelVersion: '3.16.0-4-amd64' }), []],
    ['kernel 3.10 without store or swarm: overlay not in use', undefined, facts({ kernelVersion: '3.10.0', clusterStore: '' }), []],
  ];
  for (const [name, hostFiles, result, expected] of cases) {
    it(name, () => {
      const live: LiveHost = { name: 'h', url, files: hostFiles };
      assert.deepEqual(summary(dockerFindings(live, clusterSettings(live), result)), expected);
    });
  }

  it('quotes the swarm message verbatim', () => {
    const [swarm] = dockerFindings(host('s'), clusterSettings(host('s')), facts({ swarmState: 'active' }));
    assert.match(swarm.message, /--cluster-store and --cluster-advertise daemon configurations are incompatible with swarm mode/);
  });
});

describe('live rules: a daemon that does not answer', () => {
  const unreachable = {
    kind: 'unreachable',
    reason: 'connection refused (connect ECONNREFUSED /var/run/docker.sock); is dockerd running?',
  } as const;

  it('one full stop after the reason, none after its "?"', () => {
    const [finding] = dockerFindings(host('h'), clusterSettings(host('h')), unreachable);
    assert.match(finding.message, /is dockerd running\? Start it \(systemctl start docker\)/);
    assert.doesNotMatch(finding.message, /\?\./);
    const [plain] = dockerFindings(host('h'), clusterSettings(host('h')), { kind: 'unreachable', reason: 'timed out' });
    assert.match(plain.message, /does not answer: timed out\. Start it/);
  });

  it('the default socket nobody chose: information, not an error', () => {
    const live: LiveHost = { name: 'local', url: 'unix:///var/run/docker.sock', implicit: true };
    const [finding] = dockerFindings(live, clusterSettings(live), unreachable);
    assert.deepEqual([finding.code, finding.severity], [Codes.daemonUnreachable, 'information']);
    assert.match(
      finding.message,
      /^No Docker daemon answers at unix:\/\/\/var\/run\/docker\.sock, the default \(connection refused .*is dockerd running\?\) No DOCKER_HOST, Docker context or hosts setting names a daemon\./,
    );
  });

  it('diagnoseLive: beside hosts the user chose, the silent default says nothing; they still do', async () => {
    const missing = (name: string) => `unix://${path.join(os.tmpdir(), `dne-live-${process.pid}-${name}.sock`)}`;
    const findings = await diagnoseLive(
      [
        { name: 'local', url: missing('local'), implicit: true },
        { name: 'docker1', url: missing('docker1') },
      ],
      { timeoutMs: 500 },
    );
    assert.deepEqual(
      findings.map((finding) => [finding.code, finding.severity, finding.file]),
      [[Codes.daemonUnreachable, 'error', missing('docker1')]],
    );
    const alone = await diagnoseLive([{ name: 'local', url: missing('local'), implicit: true }], { timeoutMs: 500 });
    assert.deepEqual(
      alone.map((finding) => finding.severity),
      ['information'],
    );
  });
});

describe('live rules: store probe results', () => {
  const refused = { kind: 'refused', reason: 'connection refused by 10.0.0.9:2379' } as const;
  const etcdCases: Array<[string, EtcdResult, string[]]> = [
    ['healthy', { kind: 'answered', version: { etcd: true, server: '3.4.23' }, health: { ok: true }, v2: 'on' }, []],
    ['v2 off', { kind: 'answered', version: { etcd: true, server: '3.4.23' }, health: { ok: true }, v2: 'off' }, [Codes.etcdNoV2Api]],
    [
      'unhealthy and v2 off',
      { kind: 'answered', version: { etcd: true, server: '3.4.23' }, health: { ok: false, reason: 'NOSPACE' }, v2: 'off' },
      [Codes.etcdNoV2Api, Codes.etcdUnhealthy],
    ],
    [
      'health unknown (old etcd) is no finding',
      { kind: 'answered', version: { etcd: true, server: '3.3.1' }, health: 'unknown', v2: 'on' },
      [],
    ],
    [
      'not etcd at that port',
      { kind: 'answered', version: { etcd: false, status: 404, body: 'nope' }, health: 'unknown', v2: 'off' },
      [Codes.storeUnexpectedAnswer],
    ],
    ['refused', refused, [Codes.storeRefused]],
    ['timeout', { kind: 'timeout', reason: 't' }, [Codes.storeTimeout]],
    ['unreachable', { kind: 'unreachable', reason: 'ENOTFOUND' }, [Codes.storeUnreachable]],
  ];
  for (const [name, result, expected] of etcdCases) {
    it(`etcd ${name}`, () =>
      assert.deepEqual(
        etcdDrafts('etcd://x', result).map((draft) => draft.code),
        expected,
      ));
  }

  const agent = (server: boolean, bootstrap: boolean, bootstrapExpect: number) => ({ server, bootstrap, bootstrapExpect });
  const consulCases: Array<[string, ConsulResult, string[]]> = [
    [
      'leader',
      { kind: 'answered', leader: '10.0.0.1:8300', peers: ['10.0.0.1:8300'], agent: agent(true, true, 0), kv: { status: 404, body: '' } },
      [],
    ],
    [
      'lone server without bootstrap',
      { kind: 'answered', leader: '', peers: [], agent: agent(true, false, 0), kv: { status: 500, body: 'No cluster leader' } },
      [Codes.consulLoneServer],
    ],
    [
      'lone server with -bootstrap-expect=3 waits for peers: no leader, not "lone"',
      { kind: 'answered', leader: '', peers: [], agent: agent(true, false, 3), kv: { status: 500, body: 'No cluster leader' } },
      [Codes.consulNoLeader],
    ],
    [
      'client agent, cluster without leader',
      {
        kind: 'answered',
        leader: '',
        peers: ['a', 'b', 'c'],
        agent: agent(false, false, 0),
        kv: { status: 500, body: 'No cluster leader' },
      },
      [Codes.consulNoLeader],
    ],
    ['ACL denied', { kind: 'answered', leader: 'a', peers: ['a'], kv: { status: 403, body: 'ACL not found' } }, [Codes.consulAclDenied]],
    ['not Consul', { kind: 'notConsul', status: 404, body: '404 page not found' }, [Codes.storeUnexpectedAnswer]],
    ['refused', refused, [Codes.storeRefused]],
  ];
  for (const [name, result, expected] of consulCases) {
    it(`consul ${name}`, () =>
      assert.deepEqual(
        consulDrafts('consul://x', result).map((draft) => draft.code),
        expected,
      ));
  }

  const zkCases: Array<[string, ZookeeperResult, string[]]> = [
    ['serving by srvr', { kind: 'serving', via: 'srvr', mode: 'leader' }, []],
    ['serving by session', { kind: 'serving', via: 'session', sessionId: 5n }, []],
    ['not serving', { kind: 'notServing', via: 'srvr', detail: 'x' }, [Codes.zookeeperNotServing]],
    ['garbage', { kind: 'unexpected', detail: 'x' }, [Codes.storeUnexpectedAnswer]],
    ['timeout', { kind: 'timeout', reason: 't' }, [Codes.storeTimeout]],
  ];
  for (const [name, result, expected] of zkCases) {
    it(`zookeeper ${name}`, () =>
      assert.deepEqual(
        zookeeperDrafts('zk://x', result).map((draft) => draft.code),
        expected,
      ));
  }
});

describe('live rules: across hosts', () => {
  const view = (name: string, store: string, overrides: Partial<DockerFacts> = {}, withFiles?: DockerdFiles) => {
    const live = host(name, withFiles);
    return {
      host: live,
      settings: clusterSettings(live),
      store,
      facts: facts({ name, clusterStore: store, clusterAdvertise: `${name}:2376`, ...overrides }),
    };
  };
  const byHost = (findings: Finding[]) => findings.map((finding) => [finding.code, finding.file]);
  const store = 'etcd://10.0.0.9:2379';
  type Case = [string, ReturnType<typeof view>[], Array<[string, string]>];
  const cases: Case[] = [
    ['all on one store', [view('a', store), view('b', store), view('c', `${store}/`)], []],
    [
      'the odd one out',
      [view('a', store), view('b', store), view('c', 'etcd://10.0.0.7:2379')],
      [[Codes.storeDiffersAcrossHosts, 'tcp://c:2376']],
    ],
    [
      'two hosts, two stores: both',
      [view('a', store), view('b', 'zk://10.0.0.7')],
      [
        [Codes.storeDiffersAcrossHosts, 'tcp://a:2376'],
        [Codes.storeDiffersAcrossHosts, 'tcp://b:2376'],
      ],
    ],
    ['a host without store is not in the cluster', [view('a', store), view('b', store), view('c', '', { clusterStore: '' })], []],
    [
      'same advertise address',
      [view('a', store, { clusterAdvertise: '10.0.0.1:2376' }), view('b', store, { clusterAdvertise: '10.0.0.1:2376' })],
      [
        [Codes.advertiseNotUnique, 'tcp://a:2376'],
        [Codes.advertiseNotUnique, 'tcp://b:2376'],
      ],
    ],
    [
      'same node name',
      [view('a', store, { name: 'docker' }), view('b', store, { name: 'docker' })],
      [
        [Codes.nodeNameNotUnique, 'tcp://a:2376'],
        [Codes.nodeNameNotUnique, 'tcp://b:2376'],
      ],
    ],
    [
      'loopback store with two hosts',
      [view('a', 'etcd://127.0.0.1:2379'), view('b', 'etcd://127.0.0.1:2379')],
      [
        [Codes.storeOnLoopbackMultiHost, 'tcp://a:2376'],
        [Codes.storeOnLoopbackMultiHost, 'tcp://b:2376'],
      ],
    ],
    ["loopback store with one host is the file rule's business (DNE111)", [view('a', 'etcd://localhost:2379')], []],
    [
      'overlay overlapping a bridge on another host',
      [
        view('a', store, { networks: [{ name: 'ov', driver: 'overlay', scope: 'global', subnets: ['10.1.0.0/24'] }] }),
        // On the same store b lists the overlay too (a host that does not is cut off: DNE168).
        view('b', store, {
          networks: [
            { name: 'ov', driver: 'overlay', scope: 'global', subnets: ['10.1.0.0/24'] },
            { name: 'br', driver: 'bridge', scope: 'local', subnets: ['10.1.0.0/16'] },
          ],
        }),
      ],
      [[Codes.overlaySubnetOverlap, 'tcp://b:2376']],
    ],
    [
      "overlay containing a host's advertise address",
      [
        view('a', store, {
          clusterAdvertise: '10.0.0.1:2376',
          networks: [{ name: 'ov', driver: 'overlay', scope: 'global', subnets: ['10.0.0.0/24'] }],
        }),
      ],
      [[Codes.overlaySubnetOverlap, 'tcp://a:2376']],
    ],
  ];
  for (const [name, views, expected] of cases) {
    it(name, () => assert.deepEqual(byHost(crossHostFindings(views)), expected));
  }

  it("anchors at the store value in the odd host's daemon.json", () => {
    const odd = view('c', 'etcd://10.0.0.7:2379', {}, files('etcd://10.0.0.7:2379'));
    const [finding] = crossHostFindings([view('a', store), view('b', store), odd]);
    assert.deepEqual([finding.file, finding.range.startLine], [DAEMON_JSON, 1]);
    assert.match(finding.message, /"c" uses cluster store etcd:\/\/10\.0\.0\.7:2379, but "a" uses etcd:\/\/10\.0\.0\.9:2379, "b" uses/);
  });
});

describe('live helpers', () => {
  it('versionBelow', () => {
    const rows: Array<[string, number[], boolean]> = [
      ['20.10.24', [23], true],
      ['23.0.0', [23], false],
      ['v24.0.7', [23], false],
      ['17.06.0-ce', [23], true],
      ['3.10.0-1160.el7', [3, 16], true],
      ['3.16.0', [3, 16], false],
      ['5.10.0-23-amd64', [3, 16], false],
      ['', [23], false],
    ];
    for (const [version, minimum, below] of rows) assert.equal(versionBelow(version, minimum), below, `${version} < ${minimum.join('.')}`);
  });
  it('sameAdvertise', () => {
    const rows: Array<[string, string, boolean]> = [
      ['10.0.0.1:2376', '10.0.0.1:2376', true],
      ['10.0.0.1:2376', '10.0.0.2:2376', false],
      ['eth0:2376', '10.0.0.2:2376', true],
      ['eth0:2376', '10.0.0.2:2377', false],
      ['', '', true],
      ['', '10.0.0.1:2376', false],
    ];
    for (const [configured, running, same] of rows) assert.equal(sameAdvertise(configured, running), same, `${configured} vs ${running}`);
  });
  it('storeTarget', () => {
    assert.deepEqual(storeTarget('etcd://a:1,b'), {
      url: 'etcd://a:1,b',
      kind: 'etcd',
      addresses: [
        { host: 'a', port: 1 },
        { host: 'b', port: 2379 },
      ],
    });
    assert.deepEqual(storeTarget('consul://c/prefix')?.addresses, [{ host: 'c', port: 8500 }]);
    assert.equal(storeTarget('etcdx://a:1'), undefined);
    assert.equal(storeTarget('a:1'), undefined);
  });
});
