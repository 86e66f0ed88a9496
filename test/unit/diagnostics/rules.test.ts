import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { diagnoseHost, type DockerdFiles } from '../../../src/core/diagnostics/diagnoseHost';
import type { Finding, Range } from '../../../src/core/diagnostics/finding';
import { rangeOf } from './rangeOf';

const DAEMON_JSON = '/etc/docker/daemon.json';
const json = (text: string): DockerdFiles['daemonJson'] => ({ file: DAEMON_JSON, text });
const UBUNTU_UNIT = `[Service]
Type=notify
ExecStart=/usr/bin/dockerd -H fd:// --containerd=/run/containerd/containerd.sock
`;
const CENTOS_UNIT = `[Service]
EnvironmentFile=-/etc/sysconfig/docker
ExecStart=/usr/bin/dockerd-current \\
          --exec-opt native.cgroupdriver=systemd \\
          $OPTIONS
`;

type Expected = [code: string, severity: Finding['severity'], file: string, range: Range];
interface Case {
  name: string;
  files: DockerdFiles;
  expected: Expected[];
}

const summary = (findings: Finding[]): Expected[] =>
  findings.map((finding) => [finding.code, finding.severity, finding.file, finding.range]);

const storeJson = (store: string, advertise = 'eth0:2376') =>
  `{\n  "cluster-store": "${store}",\n  "cluster-advertise": "${advertise}"\n}\n`;

const cases: Case[] = [];
function add(name: string, files: DockerdFiles, expected: Expected[]): void {
  cases.push({ name, files, expected });
}

{
  const text = storeJson('etcd://10.0.0.5:2379');
  add(
    'healthy daemon.json with the Ubuntu unit',
    { daemonJson: json(text), serviceUnit: { file: 'docker.service', text: UBUNTU_UNIT } },
    [],
  );
}
{
  const text = '{\n  // overlay\n  "cluster-store": "consul://10.0.0.5:8500",\n  "cluster-advertise": "eth0:2376",\n}\n';
  add('comment and trailing comma still yield other findings', { daemonJson: json(text) }, [
    ['DNE101', 'error', DAEMON_JSON, rangeOf(text, '// overlay')],
    ['DNE102', 'error', DAEMON_JSON, { startLine: 3, startColumn: 34, endLine: 3, endColumn: 35 }],
  ]);
}
for (const store of ['10.0.0.5:2379', 'etcdx://10.0.0.5:2379', 'consul://', 'zk://a:99999', 'http://consul:8500']) {
  const text = storeJson(store);
  add(`store "${store}" is invalid`, { daemonJson: json(text) }, [['DNE110', 'error', DAEMON_JSON, rangeOf(text, `"${store}"`)]]);
}
for (const store of ['consul://127.0.0.1:8500', 'etcd://localhost:2379', 'zk://10.0.0.4:2181,[::1]:2181']) {
  const text = storeJson(store);
  add(`store "${store}" is on loopback`, { daemonJson: json(text) }, [['DNE111', 'warning', DAEMON_JSON, rangeOf(text, `"${store}"`)]]);
}
{
  const text = '{ "cluster-advertise": "eth0:2376" }';
  add('advertise without store', { daemonJson: json(text) }, [['DNE112', 'error', DAEMON_JSON, rangeOf(text, '"eth0:2376"')]]);
}
{
  const unit = '[Service]\nExecStart=/usr/bin/dockerd -H fd:// --cluster-store=etcd://10.0.0.5:2379\n';
  add('store without advertise (flag)', { serviceUnit: { file: 'docker.service', text: unit } }, [
    ['DNE113', 'warning', 'docker.service', rangeOf(unit, 'etcd://10.0.0.5:2379')],
  ]);
}
for (const advertise of ['eth0', '10.0.0.7', 'eth0:', 'eth0:70000']) {
  const text = storeJson('etcd://10.0.0.5:2379', advertise);
  add(`advertise "${advertise}" has no valid port`, { daemonJson: json(text) }, [
    ['DNE114', 'error', DAEMON_JSON, rangeOf(text, `"${advertise}"`)],
  ]);
}
{
  const text = '{\n  "hosts": ["unix:///var/run/docker.sock"],\n  "debug": true\n}\n';
  add(
    '-H fd:// in the unit and hosts in daemon.json',
    {
      daemonJson: json(text),
      serviceUnit: { file: 'docker.service', text: UBUNTU_UNIT },
    },
    [
      ['DNE120', 'error', DAEMON_JSON, rangeOf(text, '"hosts"')],
      ['DNE120', 'error', 'docker.service', rangeOf(UBUNTU_UNIT, '-H fd://')],
    ],
  );
}
{
  const env = 'DOCKER_OPTS="-H tcp://0.0.0.0:2375 --cluster-store=consul://10.0.0.5:8500"\n';
  add(
    '/etc/default/docker never read by the Ubuntu unit',
    {
      serviceUnit: { file: 'docker.service', text: UBUNTU_UNIT },
      envFiles: [{ file: '/etc/default/docker', text: env }],
    },
    [['DNE130', 'warning', '/etc/default/docker', rangeOf(env, 'DOCKER_OPTS')]],
  );
}
{
  const env = "OPTIONS='-H tcp://0.0.0.0:2375 --cluster-store=consul://10.0.0.5:8500 --cluster-advertise=eth0:2375'\n";
  add(
    'CentOS unit reads OPTIONS: tcp without tlsverify',
    {
      serviceUnit: { file: 'docker.service', text: CENTOS_UNIT },
      envFiles: [{ file: 'sysconfig', hostPath: '/etc/sysconfig/docker', text: env }],
    },
    [['DNE140', 'error', 'sysconfig', rangeOf(env, '-H tcp://0.0.0.0:2375')]],
  );
}
{
  const env = 'DOCKER_OPTS="--cluster-store=consul://10.0.0.5:8500 --cluster-advertise=eth0:2376"\n';
  const unit = '[Service]\nEnvironmentFile=-/etc/default/docker\nExecStart=/usr/bin/dockerd -H fd://\n';
  add(
    'env file read but variable never expanded',
    {
      serviceUnit: { file: 'docker.service', text: unit },
      envFiles: [{ file: '/etc/default/docker', text: env }],
    },
    [['DNE130', 'warning', '/etc/default/docker', rangeOf(env, 'DOCKER_OPTS')]],
  );
}
{
  const env = 'DOCKER_OPTS="--cluster-store=consul://10.0.0.5:8500 --cluster-advertise=eth0:2376"\n';
  const unit = '[Service]\nEnvironmentFile=-/etc/default/docker\nExecStart=/usr/bin/dockerd -H fd:// ${DOCKER_OPTS}\n';
  add(
    'braced ${DOCKER_OPTS} is one argument',
    {
      serviceUnit: { file: 'docker.service', text: unit },
      envFiles: [{ file: '/etc/default/docker', text: env }],
    },
    [['DNE131', 'warning', 'docker.service', rangeOf(unit, '${DOCKER_OPTS}')]],
  );
}
{
  const unit = '[Service]\nExecStart=/usr/bin/dockerd -H unix:// -H tcp://0.0.0.0:2376 --tlsverify --tlscacert=/etc/docker/ca.pem\n';
  add('tcp with --tlsverify is fine', { serviceUnit: { file: 'docker.service', text: unit } }, []);
}
{
  const unit = '[Service]\nExecStart=/usr/bin/dockerd -H tcp://127.0.0.1:2375 -H 0.0.0.0:2376 --tls\n';
  add('tcp on loopback warns, bare host:port is tcp, --tls alone is not enough', { serviceUnit: { file: 'docker.service', text: unit } }, [
    ['DNE140', 'warning', 'docker.service', rangeOf(unit, '-H tcp://127.0.0.1:2375')],
    ['DNE140', 'error', 'docker.service', rangeOf(unit, '-H 0.0.0.0:2376')],
  ]);
}
{
  const text = '{ "hosts": ["tcp://0.0.0.0:2375", "unix:///var/run/docker.sock"] }';
  add('daemon.json tcp host without tlsverify', { daemonJson: json(text) }, [
    ['DNE140', 'error', DAEMON_JSON, rangeOf(text, '"tcp://0.0.0.0:2375"')],
  ]);
  const verified = '{ "hosts": ["tcp://0.0.0.0:2376"], "tlsverify": true }';
  add('daemon.json tcp host with tlsverify', { daemonJson: json(verified) }, []);
}
{
  const socket = '[Socket]\nListenStream=/var/run/docker.sock\nListenStream=2375\n';
  add('docker.socket listening on TCP', { socketUnit: { file: 'docker.socket', text: socket } }, [
    ['DNE140', 'error', 'docker.socket', rangeOf(socket, 'ListenStream=2375')],
  ]);
}
{
  const dropIn = '[Service]\nExecStart=/usr/bin/dockerd -H fd:// --cluster-store=etcd://10.0.0.5:2379 --cluster-advertise=eth0:2376\n';
  add(
    'drop-in without an empty ExecStart=',
    {
      serviceUnit: { file: 'docker.service', text: UBUNTU_UNIT },
      serviceDropIns: [{ file: 'override.conf', text: dropIn }],
    },
    [['DNE150', 'error', 'override.conf', rangeOf(dropIn, dropIn.split('\n')[1])]],
  );
  const resetting = dropIn.replace('[Service]\n', '[Service]\nExecStart=\n');
  add(
    'drop-in that resets ExecStart=',
    {
      serviceUnit: { file: 'docker.service', text: UBUNTU_UNIT },
      serviceDropIns: [{ file: 'override.conf', text: resetting }],
    },
    [],
  );
}

{
  // Docker 1.9-era Ubuntu unit, the setup most multi-host overlay tutorials posted.
  const unit = '[Service]\nEnvironmentFile=-/etc/default/docker\nExecStart=/usr/bin/docker daemon -H fd:// $DOCKER_OPTS\n';
  const env =
    '# Use DOCKER_OPTS to modify the daemon startup options.\n' +
    'DOCKER_OPTS="-H tcp://0.0.0.0:2375 -H unix:///var/run/docker.sock --cluster-store=consul://127.0.0.1:8500 --cluster-advertise=eth0:2375"\n';
  add(
    'docker daemon with $DOCKER_OPTS: open TCP and store on loopback',
    {
      serviceUnit: { file: 'docker.service', text: unit },
      envFiles: [{ file: '/etc/default/docker', text: env }],
    },
    [
      ['DNE111', 'warning', '/etc/default/docker', rangeOf(env, 'consul://127.0.0.1:8500')],
      ['DNE140', 'error', '/etc/default/docker', rangeOf(env, '-H tcp://0.0.0.0:2375')],
    ],
  );
}
{
  const dropIn = '[Service]\nExecStart=\nExecStart=/usr/bin/dockerd -H tcp://0.0.0.0:2375 -H unix:///var/run/docker.sock\n';
  const text = '{\n  "hosts": ["tcp://0.0.0.0:2375"],\n  "cluster-store": "etcd://10.0.0.5:2379",\n  "cluster-advertise": "eth0:2375"\n}\n';
  add(
    'hosts in a drop-in and in daemon.json',
    {
      daemonJson: json(text),
      serviceUnit: { file: 'docker.service', text: UBUNTU_UNIT },
      serviceDropIns: [{ file: 'override.conf', text: dropIn }],
    },
    [
      ['DNE120', 'error', DAEMON_JSON, rangeOf(text, '"hosts"')],
      ['DNE120', 'error', 'override.conf', rangeOf(dropIn, '-H tcp://0.0.0.0:2375')],
      ['DNE120', 'error', 'override.conf', rangeOf(dropIn, '-H unix:///var/run/docker.sock')],
      ['DNE140', 'error', 'override.conf', rangeOf(dropIn, '-H tcp://0.0.0.0:2375')],
      ['DNE140', 'error', DAEMON_JSON, rangeOf(text, '"tcp://0.0.0.0:2375"')],
    ],
  );
}
{
  const unit =
    '[Service]\nExecStart=/usr/bin/dockerd --cluster-store=zk://10.0.0.9:2181 --cluster-advertise eth0:2376 --cluster-store-opt kv.path=/docker\n';
  const text = '{ "cluster-store-opts": { "kv.path": "/docker" } }';
  add(
    'cluster-store-opt flag and cluster-store-opts key',
    { daemonJson: json(text), serviceUnit: { file: 'docker.service', text: unit } },
    [
      ['DNE120', 'error', DAEMON_JSON, rangeOf(text, '"cluster-store-opts"')],
      ['DNE120', 'error', 'docker.service', rangeOf(unit, '--cluster-store-opt kv.path=/docker')],
    ],
  );
}
{
  const unit = '[Service]\nExecStart=/usr/bin/dockerd -H fd:// --cluster-advertise=eth0:2376\n';
  const text = '{ "cluster-store": "consul://10.0.0.5:8500" }';
  add(
    'store in daemon.json, advertise as a flag: both count',
    { daemonJson: json(text), serviceUnit: { file: 'docker.service', text: unit } },
    [],
  );
}
{
  const env = 'OPTIONS="--cluster-store=etcd://10.0.0.5:2379 --cluster-advertise=eth0:2376"\n';
  add('env file alone is checked as if read', { envFiles: [{ file: '/etc/sysconfig/docker', text: env }] }, []);
  const open = 'OPTIONS="-H tcp://10.0.0.7:2375 --cluster-advertise=eth0:2375"\n';
  add('env file alone: open TCP, advertise without store', { envFiles: [{ file: '/etc/sysconfig/docker', text: open }] }, [
    ['DNE112', 'error', '/etc/sysconfig/docker', rangeOf(open, 'eth0:2375')],
    ['DNE140', 'error', '/etc/sysconfig/docker', rangeOf(open, '-H tcp://10.0.0.7:2375')],
  ]);
}

{
  const unit =
    '[Service]\nExecStart=/usr/bin/dockerd -H unix:// -H tcp://0.0.0.0:2376 --tlsverify --cluster-store=etcd://10.0.0.5:2379 --cluster-advertise=eth0:2375\n';
  add('advertised port is not the daemon TCP port', { serviceUnit: { file: 'docker.service', text: unit } }, [
    ['DNE115', 'warning', 'docker.service', rangeOf(unit, 'eth0:2375')],
  ]);
  const socket = '[Socket]\nListenStream=2376\n';
  add(
    'advertised port matches the docker.socket TCP port',
    {
      serviceUnit: { file: 'docker.service', text: unit.replace('eth0:2375', 'eth0:2376').replace(' -H tcp://0.0.0.0:2376', '') },
      socketUnit: { file: 'docker.socket', text: socket },
    },
    [],
  );
}

describe('host rules (table)', () => {
  for (const testCase of cases) {
    it(testCase.name, () => {
      assert.deepEqual(summary(diagnoseHost(testCase.files)), testCase.expected);
    });
  }
});

describe('host rules (messages, related information, fixes)', () => {
  it('flag/file conflict quotes dockerd, links both places, and removes the key', () => {
    const text = '{\n  "hosts": ["unix:///var/run/docker.sock"],\n  "debug": true\n}\n';
    const [inJson, inUnit] = diagnoseHost({ daemonJson: json(text), serviceUnit: { file: 'docker.service', text: UBUNTU_UNIT } });
    assert.match(
      inJson.message,
      /the following directives are specified both as a flag and in the configuration file: hosts: \(from flag: \[fd:\/\/\], from file: \[unix:\/\/\/var\/run\/docker.sock\]\)/,
    );
    assert.deepEqual(inJson.related, [{ file: 'docker.service', range: rangeOf(UBUNTU_UNIT, '-H fd://'), message: '-H given here' }]);
    assert.deepEqual(inJson.fix?.edits, [{ range: { startLine: 1, startColumn: 0, endLine: 2, endColumn: 0 }, newText: '' }]);
    assert.deepEqual(inUnit.related?.[0].range, rangeOf(text, '"hosts"'));
  });

  it('quotes the daemon for store and advertise errors', () => {
    const messages = (text: string) =>
      diagnoseHost({ daemonJson: json(text) })
        .map((finding) => finding.message)
        .join('\n');
    assert.match(messages(storeJson('etcdx://e:2379')), /discovery initialization failed \(discovery service not supported\)/);
    assert.match(
      messages('{"cluster-advertise": "eth0:2376"}'),
      /--cluster-advertise must be accompanied by --cluster-store configuration/,
    );
    assert.match(messages(storeJson('etcd://e:2379', 'eth0')), /missing port in address/);
  });

  it('tcp fix inserts --tlsverify right after the flag, also inside env-file quotes, when the certificates are given', () => {
    const env = 'OPTIONS="-H tcp://0.0.0.0:2375 --tlscacert=/c/ca.pem --tlscert=/c/cert.pem --tlskey=/c/key.pem"\n';
    const [finding] = diagnoseHost({
      serviceUnit: { file: 'docker.service', text: CENTOS_UNIT },
      envFiles: [{ file: '/etc/sysconfig/docker', text: env }],
    });
    assert.equal(finding.code, 'DNE140');
    assert.deepEqual(finding.fix?.edits, [
      { range: { startLine: 0, startColumn: 30, endLine: 0, endColumn: 30 }, newText: ' --tlsverify' },
    ]);
  });

  it('no --tlsverify fix without CA, certificate and key: dockerd would look for ~/.docker/*.pem and not start', () => {
    const unit = '[Service]\nExecStart=/usr/bin/dockerd -H tcp://0.0.0.0:2375 --tlscert=/c/cert.pem --tlskey=/c/key.pem\n';
    const [finding] = diagnoseHost({ serviceUnit: { file: 'docker.service', text: unit } });
    assert.equal(finding.code, 'DNE140');
    assert.equal(finding.fix, undefined);
  });

  it('drop-in fix inserts an empty ExecStart= before the second one', () => {
    const dropIn = '[Service]\nExecStart=/usr/bin/dockerd\n';
    const [finding] = diagnoseHost({
      serviceUnit: { file: 'docker.service', text: UBUNTU_UNIT },
      serviceDropIns: [{ file: 'o.conf', text: dropIn }],
    });
    assert.match(finding.message, /Service has more than one ExecStart= setting/);
    assert.deepEqual(finding.fix?.edits, [{ range: { startLine: 1, startColumn: 0, endLine: 1, endColumn: 0 }, newText: 'ExecStart=\n' }]);
  });

  it('comment fix deletes the comment', () => {
    const [finding] = diagnoseHost({ daemonJson: json('{ /* x */ "debug": true }') });
    assert.equal(finding.code, 'DNE101');
    assert.deepEqual(finding.fix?.edits, [{ range: { startLine: 0, startColumn: 2, endLine: 0, endColumn: 9 }, newText: '' }]);
  });
});
