import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { containerLogsArgs, containerShellArgs, dockerCliHost } from '../../../src/core/hosts/dockerCliArgs';
import type { DockerHost, HostEndpoint } from '../../../src/core/hosts/dockerHost';

const ID = 'f'.repeat(64);
const host = (endpoint: HostEndpoint | undefined, problem?: string): DockerHost => ({
  id: 'h',
  name: 'h1',
  source: 'setting',
  url: 'x',
  endpoint,
  problem,
  warnings: [],
});

describe('docker CLI arguments for a host', () => {
  it('a unix socket', () => {
    assert.deepEqual(containerLogsArgs(host({ kind: 'unix', socketPath: '/run/dne x/docker.sock' }), ID), [
      '--host=unix:///run/dne x/docker.sock',
      'logs',
      '--follow',
      ID,
    ]);
  });

  it('plain tcp, and IPv6 in brackets', () => {
    assert.deepEqual(dockerCliHost(host({ kind: 'tcp', host: '10.0.0.5', port: 2375 })).args, ['--host=tcp://10.0.0.5:2375']);
    assert.deepEqual(dockerCliHost(host({ kind: 'tcp', host: 'fd00::5', port: 2376 })).args, ['--host=tcp://[fd00::5]:2376']);
  });

  it('TLS verified: --tlsverify with the CA, certificate and key; not verified: --tls, no CA', () => {
    const tls = { ca: '/c/ca.pem', cert: '/c/cert.pem', key: '/c/-key.pem' };
    assert.deepEqual(dockerCliHost(host({ kind: 'tcp', host: 'd', port: 2376, tls: { verify: true, ...tls } })).args, [
      '--tlsverify',
      '--tlscacert=/c/ca.pem',
      '--tlscert=/c/cert.pem',
      '--tlskey=/c/-key.pem',
      '--host=tcp://d:2376',
    ]);
    assert.deepEqual(dockerCliHost(host({ kind: 'tcp', host: 'd', port: 2376, tls: { verify: false, ...tls } })).args, [
      '--tls',
      '--tlscert=/c/cert.pem',
      '--tlskey=/c/-key.pem',
      '--host=tcp://d:2376',
    ]);
  });

  it('ssh with user and port; an identity file the CLI cannot be given is said, not hidden', () => {
    const cli = dockerCliHost(host({ kind: 'ssh', host: 'docker2', port: 2222, username: 'ops', auth: { identityFile: '/k/id' } }));
    assert.deepEqual(cli.args, ['--host=ssh://ops@docker2:2222']);
    assert.match(cli.notes.join(), /not with \/k\/id/);
    assert.deepEqual(dockerCliHost(host({ kind: 'ssh', host: 'docker2', port: 22 })).notes, []);
  });

  it('exec -it <id> sh and logs --follow <id>: an argv, the ID last but the program', () => {
    const unix = host({ kind: 'unix', socketPath: '/var/run/docker.sock' });
    assert.deepEqual(containerShellArgs(unix, ID), ['--host=unix:///var/run/docker.sock', 'exec', '--interactive', '--tty', ID, 'sh']);
  });

  it('refuses anything but a hex ID (a hostile daemon cannot add options), and a host without endpoint', () => {
    const unix = host({ kind: 'unix', socketPath: '/var/run/docker.sock' });
    for (const id of ['--privileged', 'web1', `${ID}; rm -rf /`, 'abc'])
      assert.throws(() => containerShellArgs(unix, id), /not a container ID/);
    assert.throws(() => containerLogsArgs(host(undefined, 'bad url'), ID), /cannot be used: bad url/);
  });
});
