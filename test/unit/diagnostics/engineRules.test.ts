/** The engine selects the rules: the cluster store on 23+ (DNE161, DNE165) and the upgrade check (DNE166). */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { diagnoseHost, type DockerdFiles } from '../../../src/core/diagnostics/diagnoseHost';
import { clusterStoreSupport, REMOVED_23 } from '../../../src/core/diagnostics/engine';
import type { Finding } from '../../../src/core/diagnostics/finding';
import { clusterSettings } from '../../../src/core/diagnostics/live/anchor';
import { isInterfaceSysctl, type ContainerFacts, type DockerFacts } from '../../../src/core/diagnostics/live/docker';
import { upgradeFindings } from '../../../src/core/diagnostics/live/upgradeRules';
import type { LiveHost } from '../../../src/core/diagnostics/live/types';
import { applyEdits } from '../../support/applyEdits';
import { inputs } from './fuzz.test';

const DAEMON_JSON = '/etc/docker/daemon.json';
const UNIT = '/lib/systemd/system/docker.service';
const STORE_JSON =
  '{\n  "debug": true,\n  "cluster-store": "etcd://10.0.0.9:2379",\n  "cluster-advertise": "10.0.0.1:2376",\n  "cluster-store-opts": { "kv.path": "/x" }\n}\n';
const unit = (execStart: string) => `[Service]\nType=notify\nExecStart=${execStart}\n`;
const codes = (findings: readonly Finding[]) => findings.map((finding) => `${finding.code}:${finding.severity}`);
const text = (findings: readonly Finding[], code: string) =>
  findings.filter((finding) => finding.code === code).map((finding) => finding.message);

describe('which engine', () => {
  const cases: Array<[string | undefined, ReturnType<typeof clusterStoreSupport>]> = [
    ['20.10.24', 'supported'],
    ['20.10', 'supported'],
    ['22.06.0-beta.0', 'supported'],
    ['23', 'removed-23'],
    ['23.0.18', 'removed-23'],
    ['24.0.0', 'removed-24'],
    ['26', 'removed-24'],
    ['26.1.5+dfsg1', 'removed-24'],
    ['v29.0.0', 'removed-24'],
    [undefined, undefined],
    ['latest', undefined],
  ];
  for (const [engine, support] of cases)
    it(`${engine ?? 'unknown'} → ${support ?? 'unknown'}`, () => assert.equal(clusterStoreSupport(engine), support));
});

describe('cluster-store settings on the engine the files are for', () => {
  it('unknown or 20.10: the rules of a working store, no DNE161', () => {
    for (const engine of [undefined, '20.10.24']) {
      const findings = diagnoseHost({ daemonJson: { file: DAEMON_JSON, text: '{ "cluster-advertise": "eth0:2376" }' } }, { engine });
      assert.deepEqual(codes(findings), ['DNE112:error'], String(engine));
    }
  });

  it("26: each daemon.json key stops dockerd in 24+'s words, naming every dead key; one fix removes them all", () => {
    const findings = diagnoseHost({ daemonJson: { file: DAEMON_JSON, text: STORE_JSON } }, { engine: '26.1.5' });
    assert.deepEqual(codes(findings), ['DNE161:error', 'DNE161:error', 'DNE161:error', 'DNE165:information']);
    assert.deepEqual(
      findings.slice(0, 3).map((finding) => finding.range.startLine),
      [2, 3, 4],
    );
    assert.match(
      findings[0].message,
      /^Docker 26\.1\.5 does not start with "cluster-store" in daemon\.json: "unable to configure the Docker daemon with file \/etc\/docker\/daemon\.json: the following directives don't match any configuration option: cluster-store, cluster-advertise, cluster-store-opts" \(exit status 1\)/,
    );
    const fixed = applyEdits(STORE_JSON, findings[0].fix!.edits);
    assert.deepEqual(JSON.parse(fixed), { debug: true });
    assert.equal(fixed, '{\n  "debug": true\n}\n');
  });

  it('the fix keeps the other keys wherever the dead ones sit (first, middle, last, all)', () => {
    const cases: Array<[string, unknown]> = [
      ['{"cluster-store":"etcd://x","debug":true}', { debug: true }],
      ['{"a":1,"cluster-store":"etcd://x","b":2,"cluster-advertise":"e:1"}', { a: 1, b: 2 }],
      ['{\n  "cluster-advertise": "e:1",\n  "cluster-store": "etcd://x"\n}', {}],
      ['{"a":1,"cluster-store":"etcd://x","cluster-advertise":"e:1"}', { a: 1 }],
      ['{"cluster-store":"etcd://x","cluster-store":"zk://y","a":[1]}', { a: [1] }],
    ];
    for (const [input, expected] of cases) {
      const [finding] = diagnoseHost({ daemonJson: { file: DAEMON_JSON, text: input } }, { engine: '24' });
      assert.deepEqual(JSON.parse(applyEdits(input, finding.fix!.edits)), expected, input);
    }
  });

  it('23.0: the words of checkDeprecatedOptions, for keys and flags', () => {
    const findings = diagnoseHost(
      {
        daemonJson: { file: DAEMON_JSON, text: STORE_JSON },
        serviceUnit: { file: UNIT, text: unit('/usr/bin/dockerd --cluster-store=etcd://10.0.0.9:2379') },
      },
      { engine: '23.0.6' },
    );
    // On 23.0 the flags still exist: the same option twice is still the conflict dockerd reports first (DNE120).
    assert.deepEqual(codes(findings), [
      'DNE120:error',
      'DNE120:error',
      'DNE161:error',
      'DNE161:error',
      'DNE161:error',
      'DNE161:error',
      'DNE165:information',
    ]);
    for (const message of text(findings, 'DNE161')) assert.ok(message.includes(`"${REMOVED_23}"`), message);
    assert.match(
      text(findings, 'DNE161')[3],
      /it prints "Flag --cluster-store has been deprecated, Swarm classic is deprecated\. Please use Swarm-mode \(docker swarm init\)", then "Host-discovery/,
    );
  });

  it('24+: a flag is an unknown flag; its fix drops it from ExecStart; no DNE120 (dockerd never gets that far)', () => {
    const exec =
      '/usr/bin/dockerd -H fd:// --cluster-store etcd://10.0.0.9:2379 --cluster-advertise=eth0:2376 --containerd=/run/containerd/containerd.sock';
    const service = unit(exec);
    const findings = diagnoseHost(
      {
        daemonJson: { file: DAEMON_JSON, text: '{ "cluster-store": "etcd://10.0.0.9:2379" }' },
        serviceUnit: { file: UNIT, text: service },
      },
      { engine: '29.0.0' },
    );
    assert.deepEqual(codes(findings), ['DNE161:error', 'DNE161:error', 'DNE161:error', 'DNE165:information']);
    const [, store, advertise] = findings;
    assert.match(
      store.message,
      /^Docker 29\.0\.0 does not start with --cluster-store: it prints "Status: unknown flag: --cluster-store" and "See 'dockerd --help'\., Code: 125" \(exit status 1\), naming only the first such flag/,
    );
    assert.match(advertise.message, /"Status: unknown flag: --cluster-advertise"/);
    assert.equal(
      applyEdits(service, store.fix!.edits),
      unit('/usr/bin/dockerd -H fd:// --cluster-advertise=eth0:2376 --containerd=/run/containerd/containerd.sock'),
    );
    assert.equal(
      applyEdits(service, advertise.fix!.edits),
      unit('/usr/bin/dockerd -H fd:// --cluster-store etcd://10.0.0.9:2379 --containerd=/run/containerd/containerd.sock'),
    );
  });

  it("a flag last on its line, and one in an env file's OPTIONS, go with the blanks before them", () => {
    const service = unit('/usr/bin/dockerd -H fd:// \\\n  --cluster-store-opt kv.cacertfile=/ca.pem');
    const [finding] = diagnoseHost({ serviceUnit: { file: UNIT, text: service } }, { engine: '26' });
    assert.match(finding.message, /unknown flag: --cluster-store-opt"/);
    assert.equal(applyEdits(service, finding.fix!.edits), unit('/usr/bin/dockerd -H fd:// \\\n'));
    const env = 'OPTIONS="--selinux-enabled --cluster-advertise=eth0:2376"\n';
    const files: DockerdFiles = { envFiles: [{ file: '/etc/sysconfig/docker', text: env }] };
    const [fromEnv] = diagnoseHost(files, { engine: '26' });
    assert.equal(applyEdits(env, fromEnv.fix!.edits), 'OPTIONS="--selinux-enabled"\n');
  });

  it('DNE165 names the advertise address in the swarm commands, and the doc page', () => {
    const findings = diagnoseHost({ daemonJson: { file: DAEMON_JSON, text: STORE_JSON } }, { engine: '26' });
    const [migration] = text(findings, 'DNE165');
    const [byInterface] = text(
      diagnoseHost({ daemonJson: { file: DAEMON_JSON, text: '{"cluster-advertise":"eth0:2376"}' } }, { engine: '26' }),
      'DNE165',
    );
    assert.match(
      byInterface,
      /docker swarm init --advertise-addr eth0; on each other host: the "docker swarm join --token … <eth0's address>:2377"/,
    );
    assert.match(
      migration,
      /docker swarm init --advertise-addr 10\.0\.0\.1;.*docker swarm join --token … 10\.0\.0\.1:2377.*docker network create -d overlay --attachable <network>.*docker network connect <network> <container>.*docs\/swarm-migration\.md/,
    );
  });

  it('mutated and random files on 23 and 26: no throw, every range and fix inside its file', () => {
    for (const input of inputs(400)) {
      const lines = input.split('\n');
      const inside = (range: Finding['range']) =>
        range.startLine <= range.endLine && range.endLine < lines.length && range.endColumn <= lines[range.endLine].length;
      for (const engine of ['23.0.0', '26']) {
        const file = { file: 'f', text: input };
        for (const finding of diagnoseHost(
          { daemonJson: file, serviceUnit: file, envFiles: [{ ...file, hostPath: '/etc/sysconfig/docker' }] },
          { engine },
        )) {
          assert.ok(inside(finding.range), JSON.stringify({ input, finding }));
          for (const edit of finding.fix?.edits ?? []) assert.ok(inside(edit.range), JSON.stringify({ input, edit }));
        }
      }
    }
  });

  it('a file without cluster-store settings has nothing to say on any engine', () => {
    for (const engine of ['20.10', '23.0.0', '26'])
      assert.deepEqual(diagnoseHost({ daemonJson: { file: DAEMON_JSON, text: '{"debug":true}' } }, { engine }), []);
  });
});

describe('upgrade check (DNE166)', () => {
  const container = (overrides: Partial<ContainerFacts>): ContainerFacts => ({
    name: 'c',
    networks: [],
    unpublishedPorts: [],
    interfaceSysctls: [],
    ...overrides,
  });
  const facts = (overrides: Partial<DockerFacts> = {}): DockerFacts => ({
    kind: 'ok',
    name: 'node1',
    serverVersion: '20.10.24',
    kernelVersion: '6.1.0',
    clusterStore: '',
    clusterAdvertise: '',
    swarmState: 'inactive',
    networks: [],
    apiVersion: '1.41',
    containers: [],
    ...overrides,
  });
  const host: LiveHost = { name: 'docker1', url: 'unix:///var/run/docker.sock' };
  const check = (given: DockerFacts) => upgradeFindings(host, clusterSettings(host), given);

  it('a 20.10 host with a store, eth0 sysctls and unpublished ports: one warning, each change with its release note', () => {
    const [finding, ...rest] = check(
      facts({
        clusterStore: 'etcd://10.0.0.9:2379',
        networks: [{ name: 'multihost', driver: 'overlay', scope: 'global', subnets: ['10.10.10.0/24'] }],
        containers: [
          container({
            name: 'router',
            interfaceSysctls: ['net.ipv4.conf.eth0.rp_filter'],
            networks: [{ name: 'bridge', driver: 'bridge', ipv4: '172.17.0.2' }],
          }),
          container({
            name: 'web',
            unpublishedPorts: ['80/tcp'],
            networks: [
              { name: 'front', driver: 'bridge', ipv4: '172.18.0.3' },
              { name: 'multihost', driver: 'overlay', ipv4: '10.10.10.2' },
            ],
          }),
        ],
      }),
    );
    assert.deepEqual(rest, []);
    assert.deepEqual([finding.code, finding.severity, finding.file], ['DNE166', 'warning', host.url]);
    assert.match(
      finding.message,
      /^Moving "docker1" from Docker 20\.10\.24 to 28\/29 breaks: \(1\) Engine 23\.0 removed host discovery .*the cluster-store networks multihost are gone/,
    );
    assert.match(
      finding.message,
      /\(2\) Engine 28\.0 \(API 1\.48\) .*router \(net\.ipv4\.conf\.eth0\.rp_filter\) cannot be created again that way by a client speaking API 1\.48\+ \(docker CLI 28\+\): "interface specific sysctl setting \\"net\.ipv4\.conf\.eth0\.rp_filter\\" must be supplied using driver option 'com\.docker\.network\.endpoint\.sysctls'".*com\.docker\.network\.endpoint\.sysctls=net\.ipv4\.conf\.IFNAME\.rp_filter=<value>/,
    );
    assert.match(
      finding.message,
      /\(3\) Engine 28\.0 release notes: "Direct routed access .*" \(moby\/moby#48724\): web \(172\.18\.0\.3: 80\/tcp\) expose/,
    );
    assert.match(
      finding.message,
      /\(4\) Engine 29\.0 release notes, breaking changes: "The daemon now requires API version v1\.44 or later \(Docker v25\.0\+\)": .*"client version 1\.41 is too old\. Minimum supported API version is 1\.44, please upgrade your client to a newer version"/,
    );
  });

  it('what cannot be known is information; what a host has passed is not repeated; 29 has nothing to move to', () => {
    const web = container({
      name: 'web',
      unpublishedPorts: ['80/tcp'],
      networks: [{ name: 'bridge', driver: 'bridge', ipv4: '172.17.0.2' }],
    });
    assert.deepEqual(
      check(facts({ serverVersion: '26.1.5', apiVersion: '1.45', containers: [web] })).map((finding) => [
        finding.severity,
        (finding.message.match(/\(\d\)/g) ?? []).length,
      ]),
      [['information', 1]],
    );
    assert.deepEqual(check(facts({ serverVersion: '28.0.0', apiVersion: '1.48', containers: [web] })), []);
    assert.deepEqual(check(facts({ serverVersion: '29.0.0', apiVersion: '1.52', clusterStore: 'x' })), []);
    const apiOnly = check(facts());
    assert.deepEqual(
      apiOnly.map((finding) => finding.severity),
      ['information'],
    );
    assert.match(apiOnly[0].message, /breaks: \(1\) Engine 29\.0/);
  });

  it('per-interface sysctls as moby reads them (net.*.*.eth*.*)', () => {
    assert.deepEqual(
      [
        'net.ipv4.conf.eth0.log_martians',
        'net.ipv6.conf.eth1.accept_ra',
        'net.ipv4.ip_forward',
        'net.ipv4.conf.all.forwarding',
        'kernel.msgmax',
      ].filter(isInterfaceSysctl),
      ['net.ipv4.conf.eth0.log_martians', 'net.ipv6.conf.eth1.accept_ra'],
    );
  });
});
