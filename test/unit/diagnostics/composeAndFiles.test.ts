import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { classifyConfigFile, diagnoseFiles, interfacesFromNode, KIND_PREFIX_CHARS } from '../../../src/core/diagnostics/configFiles';
import type { Finding } from '../../../src/core/diagnostics/finding';
import { composeFindings } from '../../../src/core/diagnostics/rules/composeStore';
import { inputs } from './fuzz.test';
import { applyEdits } from '../../support/applyEdits';

const apply = applyEdits;
const compose = (text: string): Finding[] => composeFindings({ file: 'docker-compose.yml', text });
const codes = (findings: readonly Finding[]) => findings.map((finding) => finding.code);
const at = (finding: Finding, text: string) => {
  const line = text.split('\n')[finding.range.startLine];
  return line.slice(finding.range.startColumn, finding.range.startLine === finding.range.endLine ? finding.range.endColumn : undefined);
};

describe('which files we check', () => {
  const cases: Array<[string, string, string | undefined]> = [
    ['/etc/docker/daemon.json', '{}', 'daemonJson'],
    ['/work/etc/docker/daemon.json', '', 'daemonJson'],
    ['/lib/systemd/system/docker.service', '', 'serviceUnit'],
    ['/etc/systemd/system/docker.service.d/10-cluster.conf', '', 'serviceDropIn'],
    ['/etc/systemd/system/containerd.service.d/x.conf', '[Service]\nLimitNOFILE=1', undefined],
    ['/etc/systemd/system/other.service.d/x.conf', 'ExecStart=/usr/bin/dockerd -H fd://', 'serviceDropIn'],
    ['/lib/systemd/system/docker.socket', '', 'socketUnit'],
    ['/etc/systemd/system/docker.socket.d/listen.conf', '', 'socketDropIn'],
    ['/etc/sysconfig/docker', '', 'envFile'],
    ['/srv/host2/etc/default/docker', '', 'envFile'],
    ['/home/me/docker', 'DOCKER_OPTS="--cluster-store=etcd://x:2379"', 'envFile'],
    ['/home/me/docker', 'just text', undefined],
    ['/proj/docker-compose.yml', '', 'compose'],
    ['/proj/compose.yaml', '', 'compose'],
    ['/proj/docker-compose.prod.yml', '', 'compose'],
    ['/proj/store.compose.yaml', '', 'compose'],
    ['/proj/stack.yml', 'services:\n  kv:\n    image: consul\n', 'compose'],
    ['/proj/ci.yml', 'jobs:\n  build: {}\n', undefined],
    ['/proj/docker-config.json', '{ "cluster-store": "etcd://a:2379" }', 'daemonJson'],
    ['/proj/package.json', '{ "name": "x" }', undefined],
    ['/proj/my-docker.service', '[Service]\nExecStart=/usr/bin/dockerd -H fd://', 'serviceUnit'],
    ['C:\\hosts\\h1\\etc\\docker\\daemon.json', '', 'daemonJson'],
  ];
  for (const [file, text, kind] of cases) {
    it(`${file} → ${kind ?? 'not ours'}`, () => assert.equal(classifyConfigFile(file, text), kind));
  }

  it('decides from the first KIND_PREFIX_CHARS characters only, and reads no text when the name decides', () => {
    const padding = ' '.repeat(KIND_PREFIX_CHARS);
    assert.equal(classifyConfigFile('/proj/docker-config.json', `{ "cluster-store": "etcd://a:2379",${padding}"x": 1 }`), 'daemonJson');
    assert.equal(classifyConfigFile('/proj/big.json', `{${padding}"cluster-store": "etcd://a:2379" }`), undefined);
    const asked: number[] = [];
    const reader = (chars: number) => {
      asked.push(chars);
      return '{ "name": "x" }';
    };
    assert.equal(classifyConfigFile('/etc/docker/daemon.json', reader), 'daemonJson');
    assert.deepEqual(asked, []);
    assert.equal(classifyConfigFile('/proj/package.json', reader), undefined);
    assert.deepEqual(asked, [KIND_PREFIX_CHARS]);
  });

  it('reads the content only when the name says little', () => {
    let reads = 0;
    const content = (text: string) => () => (reads++, text);
    assert.equal(classifyConfigFile('/src/extension.ts', content('dockerd')), undefined);
    assert.equal(classifyConfigFile('/etc/docker/daemon.json', content('{}')), 'daemonJson');
    assert.equal(reads, 0);
    assert.equal(classifyConfigFile('/proj/docker-config.json', content('{ "cluster-store": "etcd://a:2379" }')), 'daemonJson');
    assert.equal(reads, 1);
  });

  it("diagnoses one host's files together: a unit flag and the same daemon.json key are linked", () => {
    const findings = diagnoseFiles([
      { path: '/h/etc/docker/daemon.json', text: '{\n  "cluster-store": "etcd://192.168.77.1:2379"\n}\n' },
      {
        path: '/h/etc/systemd/system/docker.service.d/20-b.conf',
        text: '[Service]\nExecStart=\nExecStart=/usr/bin/dockerd --cluster-store=etcd://192.168.77.1:2379 --cluster-advertise=eth0:2376\n',
      },
      { path: '/h/etc/systemd/system/docker.service.d/10-a.conf', text: '[Service]\nEnvironment=X=1\n' },
      { path: '/h/README.md', text: '# not ours' },
    ]);
    const conflict = findings.filter((finding) => finding.code === 'DNE120');
    assert.ok(conflict.length >= 1, JSON.stringify(findings, null, 1));
    assert.ok(conflict.some((finding) => finding.related?.some((related) => related.file !== finding.file)));
  });

  it('reads an env file opened from any folder as the host path the unit names', () => {
    const findings = diagnoseFiles([
      {
        path: '/copy/lib/systemd/system/docker.service',
        text: '[Service]\nEnvironmentFile=-/etc/sysconfig/docker\nExecStart=/usr/bin/dockerd $OPTIONS\n',
      },
      { path: '/copy/etc/sysconfig/docker', text: 'OPTIONS="-H tcp://0.0.0.0:2375"\n' },
    ]);
    // Read through $OPTIONS, so the tcp-without-TLS rule sees it; not reported as unread (DNE130).
    assert.ok(codes(findings).includes('DNE140'), JSON.stringify(codes(findings)));
    assert.ok(!codes(findings).includes('DNE130'));
  });
});

describe('compose files that run the store', () => {
  it('a lone consul server without -bootstrap: error at -server, fix adds -bootstrap (string command)', () => {
    const text = 'services:\n  consul:\n    image: consul:1.15\n    command: agent -server -ui -client=0.0.0.0\n    ports: ["8500:8500"]\n';
    const [finding] = compose(text);
    assert.equal(finding.code, 'DNE191');
    assert.equal(finding.severity, 'error');
    assert.equal(at(finding, text), '-server');
    assert.match(finding.message, /status 500/);
    const fixed = apply(text, finding.fix!.edits);
    assert.match(fixed, /command: agent -server -bootstrap -ui/);
    assert.deepEqual(compose(fixed), []);
  });

  it('the same fix in a flow list and a block list keeps their form', () => {
    const flow =
      'services:\n  kv:\n    image: progrium/consul\n    command: ["-server", "-advertise", "10.0.0.2"]\n    ports: ["8500:8500"]\n';
    const flowFixed = apply(flow, compose(flow)[0].fix!.edits);
    assert.match(flowFixed, /command: \["-server", "-bootstrap", "-advertise", "10.0.0.2"\]/);
    assert.deepEqual(compose(flowFixed), []);
    const block = 'services:\n  kv:\n    image: consul\n    command:\n      - agent\n      - -server\n    network_mode: host\n';
    const blockFixed = apply(block, compose(block)[0].fix!.edits);
    // eslint-disable-next-line no-regex-spaces -- the six spaces are the YAML indentation the fix must keep
    assert.match(blockFixed, /      - -server\n      - -bootstrap\n/);
    assert.deepEqual(compose(blockFixed), []);
  });

  it('bootstrap-expect larger than the servers in the file is a warning; matching is fine', () => {
    const text = (n: number) =>
      `services:\n  c1:\n    image: consul\n    command: agent -server -client=0.0.0.0 -bootstrap-expect=${n}\n    ports: ["8500:8500"]\n  c2:\n    image: consul\n    command: agent -server -client=0.0.0.0 -bootstrap-expect ${n}\n    ports: ["8501:8500"]\n`;
    assert.deepEqual(codes(compose(text(3))), ['DNE192', 'DNE192']);
    assert.match(compose(text(3))[0].message, /waits for 3 servers, but this file starts 2/);
    assert.deepEqual(compose(text(2)), []);
  });

  it('etcd 3.4+ without --enable-v2 is an error with a fix; ETCD_ENABLE_V2 or an old tag is fine', () => {
    const text =
      'services:\n  etcd:\n    image: quay.io/coreos/etcd:v3.5.9\n    command: etcd --listen-client-urls http://0.0.0.0:2379 --advertise-client-urls http://10.0.0.2:2379\n    ports: ["2379:2379"]\n';
    const [finding] = compose(text);
    assert.equal(finding.code, 'DNE193');
    assert.match(finding.message, /--enable-v2=true/);
    assert.deepEqual(compose(apply(text, finding.fix!.edits)), []);
    assert.deepEqual(compose(text.replace('    ports', '    environment:\n      ETCD_ENABLE_V2: "true"\n    ports')), []);
    assert.deepEqual(compose(text.replace('v3.5.9', 'v3.3.25')), []);
  });

  it('etcd listening on loopback only, and a store publishing no port', () => {
    const text =
      'services:\n  etcd:\n    image: bitnami/etcd:3.4\n    environment:\n      - ETCD_ENABLE_V2=true\n      - ETCD_LISTEN_CLIENT_URLS=http://127.0.0.1:2379\n';
    const findings = compose(text);
    assert.deepEqual(codes(findings), ['DNE194', 'DNE195']);
    assert.equal(at(findings[0], text), 'ETCD_LISTEN_CLIENT_URLS=http://127.0.0.1:2379');
    assert.match(findings[1].message, /publishes no port.*2379/);
  });

  describe('ZooKeeper whitelists without srvr (information: the probe falls back)', () => {
    const zk = (settings: string) => `services:\n  zk:\n    image: zookeeper:3.8\n    ports: ["2181:2181"]\n${settings}`;
    const cases: Array<[string, string, string | undefined]> = [
      ['env map leaves srvr out', '    environment:\n      ZOO_4LW_COMMANDS_WHITELIST: ruok,stat\n', 'ruok,stat'],
      ['env list leaves srvr out', '    environment:\n      - ZOO_4LW_COMMANDS_WHITELIST=ruok\n', 'ZOO_4LW_COMMANDS_WHITELIST=ruok'],
      [
        'JVM flag leaves srvr out',
        '    environment:\n      SERVER_JVMFLAGS: "-Xmx512m -Dzookeeper.4lw.commands.whitelist=mntr"\n',
        '"-Xmx512m -Dzookeeper.4lw.commands.whitelist=mntr"',
      ],
      ['srvr listed', '    environment:\n      ZOO_4LW_COMMANDS_WHITELIST: "ruok, srvr"\n', undefined],
      ['everything allowed', '    environment:\n      ZOO_4LW_COMMANDS_WHITELIST: "*"\n', undefined],
      ['no whitelist set (3.5+ default allows srvr)', '', undefined],
    ];
    for (const [name, settings, flagged] of cases) {
      it(name, () => {
        const text = zk(settings);
        const findings = compose(text);
        if (flagged === undefined) return assert.deepEqual(findings, []);
        assert.deepEqual(codes(findings), ['DNE196']);
        assert.equal(findings[0].severity, 'information');
        assert.equal(at(findings[0], text), flagged);
        assert.match(findings[0].message, /not in the whitelist/);
      });
    }
  });

  it('ignores services that are not a store, and says when the YAML is broken', () => {
    assert.deepEqual(compose('services:\n  web:\n    image: nginx\n    command: nginx -g "daemon off;"\n'), []);
    const broken = compose('services:\n  consul: [\n    image: consul\n');
    assert.ok(broken.length >= 1);
    assert.equal(broken[0].code, 'DNE190');
  });

  it('never throws on mutated and binary input', () => {
    for (const text of inputs(1500)) {
      try {
        compose(text);
        compose(`services:\n  s:\n    image: consul\n    command: ${text.slice(0, 200)}\n`);
      } catch (error) {
        assert.fail(`threw on ${JSON.stringify(text)}: ${String(error)}`);
      }
    }
  });
});

describe("--cluster-advertise against the host's interfaces", () => {
  const interfaces = interfacesFromNode({
    lo: [
      { address: '127.0.0.1', family: 'IPv4' },
      { address: '::1', family: 'IPv6' },
    ],
    eth0: [
      { address: '192.168.77.12', family: 'IPv4' },
      { address: 'fe80::1', family: 'IPv6' },
    ],
    dummy0: [{ address: 'fe80::2', family: 'IPv6' }],
  });
  const json = (advertise: string) => `{\n  "cluster-store": "etcd://192.168.77.1:2379",\n  "cluster-advertise": "${advertise}"\n}\n`;
  const run = (advertise: string, withInterfaces = true) =>
    diagnoseFiles([{ path: '/etc/docker/daemon.json', text: json(advertise) }], withInterfaces ? { interfaces } : {}).filter((finding) =>
      /^DNE11[678]$/.test(finding.code),
    );

  it('a missing interface stops the daemon: error quoting dockerd, fix picks the one usable interface', () => {
    const [finding] = run('eth9:2376');
    assert.equal(finding.code, 'DNE116');
    assert.match(finding.message, /no such network interface".*eth0 \(192\.168\.77\.12\)/);
    assert.equal(at(finding, json('eth9:2376')), '"eth9:2376"');
    const fixed = apply(json('eth9:2376'), finding.fix!.edits);
    assert.match(fixed, /"cluster-advertise": "eth0:2376"/);
    assert.deepEqual(
      diagnoseFiles([{ path: '/etc/docker/daemon.json', text: fixed }], { interfaces }).filter((entry) => /^DNE11[678]$/.test(entry.code)),
      [],
    );
  });

  it('an interface without IPv4, and an address the host does not own', () => {
    assert.deepEqual(codes(run('dummy0:2376')), ['DNE117']);
    assert.deepEqual(codes(run('10.9.9.9:2376')), ['DNE118']);
    assert.equal(run('10.9.9.9:2376')[0].fix?.edits[0].newText, '"192.168.77.12:2376"');
    assert.deepEqual(run('192.168.77.12:2376'), []);
    assert.deepEqual(run('eth0:2376'), []);
  });

  it("says nothing without the host's interfaces (a file opened from elsewhere)", () => {
    assert.deepEqual(run('eth9:2376', false), []);
  });

  it('a flag keeps its unquoted form when fixed', () => {
    const unit = '[Service]\nExecStart=/usr/bin/dockerd --cluster-store=etcd://192.168.77.1:2379 --cluster-advertise=eth9:2376\n';
    const [finding] = diagnoseFiles([{ path: '/lib/systemd/system/docker.service', text: unit }], { interfaces }).filter(
      (entry) => entry.code === 'DNE116',
    );
    assert.match(apply(unit, finding.fix!.edits), /--cluster-advertise=eth0:2376\n/);
  });
});
