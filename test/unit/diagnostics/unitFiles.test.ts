import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseShellEnvFile } from '../../../src/core/diagnostics/parsers/shellEnvFile';
import { classifyListen, parseSocketUnit } from '../../../src/core/diagnostics/parsers/socketUnit';
import { resolveService } from '../../../src/core/diagnostics/parsers/systemdUnit';

const r = (startLine: number, startColumn: number, endLine: number, endColumn: number) => ({ startLine, startColumn, endLine, endColumn });

const UBUNTU_UNIT = `[Unit]
Description=Docker Application Container Engine
After=network-online.target docker.socket

[Service]
Type=notify
ExecStart=/usr/bin/dockerd -H fd:// --containerd=/run/containerd/containerd.sock
ExecReload=/bin/kill -s HUP $MAINPID
`;

const CENTOS_UNIT = `[Service]
Type=notify
EnvironmentFile=-/etc/sysconfig/docker
EnvironmentFile=-/etc/sysconfig/docker-storage
ExecStart=/usr/bin/dockerd-current \\
          --add-runtime docker-runc=/usr/libexec/docker/docker-runc-current \\
          --exec-opt native.cgroupdriver=systemd \\
          $OPTIONS \\
          \${DOCKER_STORAGE_OPTIONS}
`;

describe('systemd service unit', () => {
  it('parses flags of the Ubuntu unit with ranges', () => {
    const service = resolveService({ file: 'docker.service', text: UBUNTU_UNIT });
    assert.equal(service.execStarts.length, 1);
    const [exec] = service.execStarts;
    assert.equal(exec.executable, '/usr/bin/dockerd');
    assert.deepEqual(exec.range, r(6, 0, 6, 80));
    assert.deepEqual(
      exec.command.flags.map((flag) => [flag.key, flag.written, flag.value, flag.range]),
      [
        ['hosts', '-H', 'fd://', r(6, 27, 6, 35)],
        ['containerd', '--containerd', '/run/containerd/containerd.sock', r(6, 36, 6, 80)],
      ],
    );
    assert.deepEqual(exec.command.flags[0].valueRange, r(6, 30, 6, 35));
  });

  it('follows backslash continuations and expansion references (CentOS unit)', () => {
    const service = resolveService({ file: 'docker.service', text: CENTOS_UNIT });
    assert.deepEqual(
      service.environmentFiles.map((ref) => [ref.path, ref.optional, ref.range]),
      [
        ['/etc/sysconfig/docker', true, r(2, 16, 2, 38)],
        ['/etc/sysconfig/docker-storage', true, r(3, 16, 3, 46)],
      ],
    );
    const [exec] = service.execStarts;
    assert.deepEqual(exec.range, r(4, 0, 8, 35));
    assert.deepEqual(
      exec.command.flags.map((flag) => [flag.key, flag.value, flag.range]),
      [
        ['runtimes', 'docker-runc=/usr/libexec/docker/docker-runc-current', r(5, 10, 5, 75)],
        ['exec-opts', 'native.cgroupdriver=systemd', r(6, 10, 6, 48)],
      ],
    );
    assert.deepEqual(
      exec.command.references.map((ref) => [ref.name, ref.braced, ref.range]),
      [
        ['OPTIONS', false, r(7, 10, 7, 18)],
        ['DOCKER_STORAGE_OPTIONS', true, r(8, 10, 8, 35)],
      ],
    );
  });

  it('an empty ExecStart= in a drop-in resets the command', () => {
    const dropIn = {
      file: 'override.conf',
      text: '[Service]\nExecStart=\nExecStart=/usr/bin/dockerd --cluster-store etcd://10.0.0.5:2379 --cluster-advertise=eth0:2376\n',
    };
    const service = resolveService({ file: 'docker.service', text: UBUNTU_UNIT }, [dropIn]);
    assert.equal(service.execStarts.length, 1);
    assert.equal(service.execStarts[0].file, 'override.conf');
    assert.deepEqual(
      service.execStarts[0].command.flags.map((flag) => [flag.key, flag.value, flag.range, flag.valueRange]),
      [
        ['cluster-store', 'etcd://10.0.0.5:2379', r(2, 27, 2, 63), r(2, 43, 2, 63)],
        ['cluster-advertise', 'eth0:2376', r(2, 64, 2, 93), r(2, 84, 2, 93)],
      ],
    );
  });

  it('a drop-in without reset adds a second ExecStart', () => {
    const dropIn = { file: 'override.conf', text: '[Service]\nExecStart=/usr/bin/dockerd\n' };
    assert.equal(resolveService({ file: 'docker.service', text: UBUNTU_UNIT }, [dropIn]).execStarts.length, 2);
  });

  it('ignores ExecStart outside [Service] and comment lines', () => {
    const service = resolveService({ file: 'u', text: '[Unit]\nExecStart=/x\n[Service]\n# ExecStart=/y\n;ExecStart=/z\n' });
    assert.equal(service.execStarts.length, 0);
  });

  it('reads -Hvalue, -H=value and quoted values', () => {
    const service = resolveService({
      file: 'u',
      text: '[Service]\nExecStart=/usr/bin/dockerd -Htcp://0.0.0.0:2375 -H=unix:// "--label=a b" --tlsverify --debug\n',
    });
    assert.deepEqual(
      service.execStarts[0].command.flags.map((flag) => [flag.key, flag.written, flag.value]),
      [
        ['hosts', '-H', 'tcp://0.0.0.0:2375'],
        ['hosts', '-H', 'unix://'],
        ['labels', '--label', 'a b'],
        ['tlsverify', '--tlsverify', undefined],
        ['debug', '--debug', undefined],
      ],
    );
  });
});

describe('word splitting edge cases', () => {
  it('terminates on a backslash before a lone CR, and on CRLF continuations', () => {
    const lone = resolveService({ file: 'u', text: '[Service]\nExecStart=/usr/bin/dockerd -D \\\r--tls\n' });
    assert.deepEqual(
      lone.execStarts[0].command.flags.map((flag) => flag.key),
      ['debug'],
    );
    const crlf = resolveService({ file: 'u', text: '[Service]\r\nExecStart=/usr/bin/dockerd \\\r\n  --tlsverify\r\n' });
    assert.deepEqual(
      crlf.execStarts[0].command.flags.map((flag) => [flag.key, flag.range]),
      [['tlsverify', r(2, 2, 2, 13)]],
    );
  });
});

describe('shell environment files', () => {
  it('gives ranges per flag inside the quotes (/etc/default/docker)', () => {
    const env = parseShellEnvFile({
      file: '/etc/default/docker',
      text: '# Docker Upstart and SysVinit configuration file\n#DOCKER_OPTS="--dns 8.8.8.8"\nDOCKER_OPTS="-H tcp://0.0.0.0:2375 --cluster-store=consul://10.0.0.5:8500"\n',
    });
    assert.equal(env.assignments.length, 1);
    const [assignment] = env.assignments;
    assert.equal(assignment.name, 'DOCKER_OPTS');
    assert.deepEqual(assignment.nameRange, r(2, 0, 2, 11));
    assert.deepEqual(
      assignment.command.flags.map((flag) => [flag.key, flag.value, flag.range, flag.valueRange]),
      [
        ['hosts', 'tcp://0.0.0.0:2375', r(2, 13, 2, 34), r(2, 16, 2, 34)],
        ['cluster-store', 'consul://10.0.0.5:8500', r(2, 35, 2, 73), r(2, 51, 2, 73)],
      ],
    );
  });

  it('reads single quotes, export, and multi-line values (/etc/sysconfig/docker)', () => {
    const env = parseShellEnvFile({
      file: 'sysconfig-docker',
      hostPath: '/etc/sysconfig/docker',
      text: 'OPTIONS=\'--selinux-enabled --log-driver=journald\'\nexport OTHER_ARGS="--cluster-advertise eth0:2376\n  --tlsverify"  # comment\n',
    });
    assert.equal(env.hostPath, '/etc/sysconfig/docker');
    assert.deepEqual(
      env.assignments.map((assignment) => assignment.name),
      ['OPTIONS', 'OTHER_ARGS'],
    );
    assert.deepEqual(
      env.assignments[0].command.flags.map((flag) => [flag.key, flag.range]),
      [
        ['selinux-enabled', r(0, 9, 0, 26)],
        ['log-driver', r(0, 27, 0, 48)],
      ],
    );
    assert.deepEqual(
      env.assignments[1].command.flags.map((flag) => [flag.key, flag.value, flag.range]),
      [
        ['cluster-advertise', 'eth0:2376', r(1, 19, 1, 48)],
        ['tlsverify', undefined, r(2, 2, 2, 13)],
      ],
    );
  });
});

describe('socket unit', () => {
  it('classifies ListenStream values', () => {
    assert.deepEqual(classifyListen('/var/run/docker.sock'), { value: '/var/run/docker.sock', kind: 'unix' });
    assert.deepEqual(classifyListen('2375'), { value: '2375', kind: 'tcp', host: '', port: 2375 });
    assert.deepEqual(classifyListen('0.0.0.0:2375'), { value: '0.0.0.0:2375', kind: 'tcp', host: '0.0.0.0', port: 2375 });
    assert.deepEqual(classifyListen('[::1]:2375'), { value: '[::1]:2375', kind: 'tcp', host: '::1', port: 2375 });
    assert.equal(classifyListen('99999').kind, 'other');
  });

  it('keeps ranges and resets on empty ListenStream=', () => {
    const unit = { file: 'docker.socket', text: '[Socket]\nListenStream=/var/run/docker.sock\nSocketMode=0660\n' };
    const dropIn = { file: 'tcp.conf', text: '[Socket]\nListenStream=\nListenStream=0.0.0.0:2375\n' };
    assert.deepEqual(
      parseSocketUnit(unit).map((listen) => [listen.kind, listen.range]),
      [['unix', r(1, 0, 1, 33)]],
    );
    assert.deepEqual(
      parseSocketUnit(unit, [dropIn]).map((listen) => [listen.file, listen.kind, listen.range]),
      [['tcp.conf', 'tcp', r(2, 0, 2, 25)]],
    );
  });
});
