/**
 * `diagnose --host/--context` with the docker CLI's TLS flags, resolved to full connection
 * settings (#14.7), and the CLI reading what it is given within its bounds (#14.2, #14.8).
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { captureMain } from './captureCli';
import { resolveCliHosts } from '../../../src/core/hosts/resolveHosts';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dne-clihosts-'));
after(() => fs.rmSync(dir, { recursive: true, force: true }));
const certs = (folder: string, names = ['ca.pem', 'cert.pem', 'key.pem']) => {
  fs.mkdirSync(folder, { recursive: true });
  for (const name of names) fs.writeFileSync(path.join(folder, name), name);
  return folder;
};

describe("resolveCliHosts: the docker CLI's flags and variables", () => {
  const home = path.join(dir, 'home');
  const docker = certs(path.join(home, '.docker'));

  it('no TLS flag and no DOCKER_TLS_VERIFY: tcp is plain (port 2375)', () => {
    const [host] = resolveCliHosts({ env: {}, homeDir: home, urls: ['tcp://h'] });
    assert.deepEqual(host.endpoint, { kind: 'tcp', host: 'h', port: 2375 });
  });

  it('--tlsverify: TLS on port 2376, verified, the files from ~/.docker by default', () => {
    const [host] = resolveCliHosts({ env: {}, homeDir: home, urls: ['tcp://h'], tls: { tlsVerify: true } });
    assert.deepEqual(host.endpoint, {
      kind: 'tcp',
      host: 'h',
      port: 2376,
      tls: { verify: true, ca: path.join(docker, 'ca.pem'), cert: path.join(docker, 'cert.pem'), key: path.join(docker, 'key.pem') },
    });
  });

  it('--tls alone: TLS without verification (and a warning); explicit files win over the defaults', () => {
    const other = certs(path.join(dir, 'other'));
    const [host] = resolveCliHosts({
      env: {},
      homeDir: home,
      urls: ['tcp://h:9'],
      tls: { tls: true, cert: path.join(other, 'cert.pem'), key: path.join(other, 'key.pem') },
    });
    assert.deepEqual(host.endpoint, {
      kind: 'tcp',
      host: 'h',
      port: 9,
      tls: { verify: false, ca: path.join(docker, 'ca.pem'), cert: path.join(other, 'cert.pem'), key: path.join(other, 'key.pem') },
    });
    assert.match(host.warnings.join(' '), /does not verify the daemon certificate/);
  });

  it('DOCKER_TLS_VERIFY and DOCKER_CERT_PATH as the docker CLI reads them; --tlsverify=false turns verification off', () => {
    const certPath = certs(path.join(dir, 'env-certs'));
    const [host] = resolveCliHosts({ env: { DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: certPath }, homeDir: home, urls: ['tcp://h'] });
    assert.equal(host.endpoint?.kind === 'tcp' ? host.endpoint.tls?.ca : undefined, path.join(certPath, 'ca.pem'));
    const [off] = resolveCliHosts({ env: { DOCKER_TLS_VERIFY: '1' }, homeDir: home, urls: ['tcp://h'], tls: { tlsVerify: false } });
    assert.equal(off.endpoint?.kind === 'tcp' ? off.endpoint.tls?.verify : 'no tls', false);
  });

  it('problems: a missing file, --tlsverify without a CA, a certificate without its key', () => {
    const bare = path.join(dir, 'bare-home');
    fs.mkdirSync(bare, { recursive: true });
    assert.match(
      resolveCliHosts({ env: {}, homeDir: bare, urls: ['tcp://h'], tls: { tlsVerify: true } })[0].problem ?? '',
      /--tlsverify needs the CA certificate/,
    );
    assert.match(
      resolveCliHosts({ env: {}, homeDir: home, urls: ['tcp://h'], tls: { tlsVerify: true, ca: '/nowhere/ca.pem' } })[0].problem ?? '',
      /--tlscacert \/nowhere\/ca\.pem: no such file/,
    );
    assert.match(
      resolveCliHosts({ env: {}, homeDir: bare, urls: ['tcp://h'], tls: { tls: true, cert: path.join(docker, 'cert.pem') } })[0].problem ??
        '',
      /needs its key/,
    );
  });

  it('TLS flags leave unix and ssh hosts alone; ssh gets known_hosts and its login defaults', () => {
    const [unix, ssh] = resolveCliHosts({ env: {}, homeDir: home, urls: ['unix:///x.sock', 'ssh://me@h:2222'], tls: { tlsVerify: true } });
    assert.deepEqual(unix.endpoint, { kind: 'unix', socketPath: '/x.sock' });
    assert.equal(ssh.endpoint?.kind, 'ssh');
    assert.deepEqual(ssh.endpoint?.kind === 'ssh' ? ssh.endpoint.knownHostsFiles : [], [
      path.join(home, '.ssh', 'known_hosts'),
      '/etc/ssh/ssh_known_hosts',
    ]);
  });

  it("--context NAME: the context store's host and TLS files; an unknown context is a problem", () => {
    const config = path.join(dir, 'ctx-config');
    const digest = createHash('sha256').update('remote').digest('hex');
    fs.mkdirSync(path.join(config, 'contexts', 'meta', digest), { recursive: true });
    fs.writeFileSync(
      path.join(config, 'contexts', 'meta', digest, 'meta.json'),
      JSON.stringify({ Name: 'remote', Endpoints: { docker: { Host: 'tcp://10.0.0.2:2376', SkipTLSVerify: false } } }),
    );
    const tlsDir = certs(path.join(config, 'contexts', 'tls', digest, 'docker'));
    const [host] = resolveCliHosts({ env: { DOCKER_CONFIG: config }, homeDir: home, urls: [], context: 'remote' });
    assert.equal(host.url, 'tcp://10.0.0.2:2376');
    assert.deepEqual(host.endpoint, {
      kind: 'tcp',
      host: '10.0.0.2',
      port: 2376,
      tls: { verify: true, ca: path.join(tlsDir, 'ca.pem'), cert: path.join(tlsDir, 'cert.pem'), key: path.join(tlsDir, 'key.pem') },
    });
    assert.match(
      resolveCliHosts({ env: { DOCKER_CONFIG: config }, homeDir: home, urls: [], context: 'nope' })[0].problem ?? '',
      /Docker context "nope" \(from --context\) does not exist/,
    );
  });
});

describe('diagnose reads within its bounds', () => {
  const capture = captureMain;

  it('a device that never ends (/dev/zero) is read up to the cap, not forever', async () => {
    const result = await capture(['diagnose', '--json', '/dev/zero']);
    assert.equal(result.status, 0, result.stderr);
    const [finding] = (JSON.parse(result.stdout) as { findings: Array<{ code: string; message: string }> }).findings;
    assert.equal(finding.code, 'DNE138');
  });

  it('a UTF-16 compose file with its byte-order mark is checked (it passed silently before)', async () => {
    const compose = path.join(dir, 'docker-compose.yml');
    const text = 'services:\n  consul:\n    image: consul:1.15\n    command: agent -server -client=0.0.0.0\n    ports: ["8500:8500"]\n';
    fs.writeFileSync(compose, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]));
    const result = await capture(['diagnose', compose]);
    assert.equal(result.status, 1, result.stdout);
    assert.match(result.stdout, /:4:20: error DNE191 A lone Consul server/);
  });

  it('a 150k-flag env file: a diagnosis (exit 0), not an internal error', async () => {
    const root = path.join(dir, 'flags');
    fs.mkdirSync(path.join(root, 'etc', 'sysconfig'), { recursive: true });
    fs.writeFileSync(path.join(root, 'etc', 'sysconfig', 'docker'), `OPTIONS="${'-D '.repeat(150_000)}"\n`);
    fs.writeFileSync(
      path.join(root, 'docker.service'),
      '[Service]\nEnvironmentFile=/etc/sysconfig/docker\nExecStart=/usr/bin/dockerd $OPTIONS\n',
    );
    const result = await capture(['diagnose', '--json', path.join(root, 'etc', 'sysconfig', 'docker'), path.join(root, 'docker.service')]);
    assert.equal(result.status, 0, result.stderr);
    assert.deepEqual(JSON.parse(result.stdout), { findings: [] });
  });

  it('a clamped --timeout is said on stderr; stdout stays JSON', async () => {
    const file = path.join(dir, 'daemon.json');
    fs.writeFileSync(file, '{}\n');
    const result = await capture(['diagnose', '--json', '--timeout', '4000000000', file]);
    assert.equal(result.status, 0);
    assert.deepEqual(JSON.parse(result.stdout), { findings: [] });
    assert.match(result.stderr, /--timeout 4000000000 is longer than a timer can wait: using 2147483647 ms/);
  });

  it('--json=false prints text; a file name with an escape is printed escaped in the usage error', async () => {
    const file = path.join(dir, 'daemon.json');
    assert.equal((await capture(['diagnose', '--json=false', file])).stdout, 'No problems found.\n');
    const missing = await capture(['diagnose', path.join(dir, 'a\u001b]0;x\u0007.json')]);
    assert.equal(missing.status, 2);
    assert.doesNotMatch(missing.stderr, /\u001b|\u0007/);
    assert.match(missing.stderr, /a\\u\{1b\}\]0;x\\u\{7\}\.json/);
  });
});
