import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { buildExplorerTree } from '../../../src/core/explorer/explorerTree';
import { listContextNames } from '../../../src/core/hosts/dockerContexts';
import { transportSecurity, type DockerHost } from '../../../src/core/hosts/dockerHost';
import { entryDisplayName, suggestHostName, validateHostName, validateHostUrl, withoutHost } from '../../../src/core/hosts/hostSettings';
import { resolveHosts } from '../../../src/core/hosts/resolveHosts';

let home = '';
beforeEach(() => (home = fs.mkdtempSync(path.join(os.tmpdir(), 'dne-hostsettings-'))));
afterEach(() => fs.rmSync(home, { recursive: true, force: true }));

function write(file: string, text: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
}
function writeContext(name: string, host: string): void {
  const digest = createHash('sha256').update(name).digest('hex');
  write(
    path.join(home, '.docker', 'contexts', 'meta', digest, 'meta.json'),
    JSON.stringify({ Name: name, Endpoints: { docker: { Host: host } } }),
  );
}
const settingHosts = (entries: unknown[]) => resolveHosts({ env: {}, homeDir: home, settingHosts: entries }).slice(1);

describe('hosts setting: Docker contexts and TLS', () => {
  it('lists every Docker context, default first, for Add Host', () => {
    writeContext('docker3', 'unix:///run/d3.sock');
    writeContext('docker2', 'tcp://192.168.77.12:2376');
    assert.deepEqual(listContextNames(path.join(home, '.docker')), ['default', 'docker2', 'docker3']);
    assert.deepEqual(listContextNames(path.join(home, 'nowhere')), ['default']);
  });

  it("takes any context by name, not only the current one, under the name given or the context's", () => {
    writeContext('docker2', 'unix:///run/d2.sock');
    const [plain, renamed] = settingHosts([{ context: 'docker2' }, { context: 'docker2', name: 'second' }]);
    assert.deepEqual([plain.id, plain.name, plain.source, plain.url], ['setting:docker2', 'docker2', 'setting', 'unix:///run/d2.sock']);
    assert.deepEqual(plain.endpoint, { kind: 'unix', socketPath: '/run/d2.sock' });
    // Same socket twice: the second is folded into the first with a word, as for any duplicate.
    assert.equal(renamed, undefined);
    const [missing] = settingHosts([{ context: 'ghost' }]);
    assert.match(missing.problem ?? '', /Docker context "ghost" \(from setting #1\) does not exist/);
  });

  it('reads TLS files from tlsCertPath and states verification explicitly', () => {
    const certs = path.join(home, 'certs');
    for (const file of ['ca.pem', 'cert.pem', 'key.pem']) write(path.join(certs, file), 'x');
    const [verified, unverified] = settingHosts([
      { name: 'd2', url: 'tcp://192.168.77.12:2376', tlsCertPath: certs },
      { name: 'd3', url: 'tcp://192.168.77.13', tlsCertPath: certs, tlsVerify: false },
    ]);
    assert.deepEqual(verified.endpoint, {
      kind: 'tcp',
      host: '192.168.77.12',
      port: 2376,
      tls: { verify: true, ca: path.join(certs, 'ca.pem'), cert: path.join(certs, 'cert.pem'), key: path.join(certs, 'key.pem') },
    });
    assert.equal(transportSecurity(verified.endpoint!), 'TLS, certificate verified');
    assert.equal(unverified.endpoint?.kind === 'tcp' && unverified.endpoint.port, 2376);
    assert.equal(transportSecurity(unverified.endpoint!), 'TLS, certificate NOT verified');
    assert.match(unverified.warnings.join(' '), /does not verify the daemon certificate/);
  });

  const broken: Array<[string, Record<string, unknown>, RegExp]> = [
    ['missing files', { tlsCertPath: '/nonexistent/certs' }, /ca\.pem, cert\.pem, key\.pem missing from \/nonexistent\/certs/],
    ['verify without a path', { tlsVerify: true }, /"tlsVerify" needs "tlsCertPath"/],
    ['verify not a boolean', { tlsCertPath: '/x', tlsVerify: 'yes' }, /"tlsVerify" must be true or false, got "yes"/],
  ];
  for (const [what, extra, says] of broken) {
    it(`says what is wrong with TLS settings: ${what}`, () => {
      const [host] = settingHosts([{ name: 'd2', url: 'tcp://192.168.77.12:2376', ...extra }]);
      assert.equal(host.endpoint, undefined);
      assert.match(host.problem ?? '', says);
    });
  }

  it("shows on a remote host's row how its connection is protected, and lets setting hosts be removed", () => {
    const [local, plain] = resolveHosts({ env: {}, homeDir: home, settingHosts: [{ name: 'd2', url: 'tcp://192.168.77.12:2375' }] });
    const rows = buildExplorerTree(
      'networks',
      [local, plain].map((host: DockerHost) => ({
        host,
        state: { kind: 'connected' as const, snapshot: { hostId: host.id, networks: [], containers: [], endpoints: [] } },
      })),
    );
    assert.equal(rows[0].description, '0 networks, 0 containers · unix:///var/run/docker.sock');
    assert.equal(rows[0].contextValue, 'hostConnected');
    assert.equal(rows[1].description, '0 networks, 0 containers · tcp://192.168.77.12:2375 · plain TCP, unencrypted');
    assert.equal(rows[1].contextValue, 'hostConnected.removable');
    assert.equal(rows[1].hostId, 'setting:d2');
    assert.match(rows[1].tooltip ?? '', /Security: plain TCP, unencrypted/);
  });
});

describe('ssh hosts: how they log in', () => {
  const ssh = (env: Record<string, string>, entry: Record<string, unknown> = {}) =>
    resolveHosts({ env, homeDir: home, settingHosts: [{ name: 'b', url: 'ssh://me@build:2222', ...entry }] })[1];

  it("uses the agent, and ssh's default key when there is one", () => {
    assert.deepEqual(ssh({ SSH_AUTH_SOCK: '/tmp/agent.sock' }).endpoint, {
      kind: 'ssh',
      host: 'build',
      port: 2222,
      username: 'me',
      auth: { agentSocket: '/tmp/agent.sock' },
      // The host key is checked where ssh checks it: this home's known_hosts, then the machine's.
      knownHostsFiles: [path.join(home, '.ssh', 'known_hosts'), '/etc/ssh/ssh_known_hosts'],
    });
    write(path.join(home, '.ssh', 'id_ecdsa'), 'key');
    write(path.join(home, '.ssh', 'id_rsa'), 'key');
    const host = ssh({});
    assert.deepEqual(host.endpoint?.kind === 'ssh' && host.endpoint.auth, { identityFile: path.join(home, '.ssh', 'id_ecdsa') });
    assert.deepEqual(host.warnings, []);
  });

  it('takes identityFile from the setting, and says when there is no way to log in', () => {
    const host = ssh({ SSH_AUTH_SOCK: '/tmp/agent.sock' }, { identityFile: '/keys/build' });
    assert.deepEqual(host.endpoint?.kind === 'ssh' && host.endpoint.auth, { identityFile: '/keys/build' });
    assert.match(ssh({}).warnings.join(' '), /No ssh agent \(SSH_AUTH_SOCK\) and no key in .*set "identityFile"/);
    const wrong = resolveHosts({ env: {}, homeDir: home, settingHosts: [{ name: 't', url: 'tcp://h:2375', identityFile: '/k' }] })[1];
    assert.match(wrong.problem ?? '', /"identityFile" must be a key file path, for ssh:\/\/ hosts only/);
  });
});

describe('hosts setting: editing helpers', () => {
  it('checks names and addresses as the input boxes do', () => {
    assert.equal(validateHostName(' docker2 ', ['local']), undefined);
    assert.match(validateHostName('local', ['local']) ?? '', /already shown/);
    assert.match(validateHostName('  ', []) ?? '', /Give the host a name/);
    assert.equal(validateHostUrl('tcp://192.168.77.12:2376'), undefined);
    assert.match(validateHostUrl('http://x') ?? '', /unsupported scheme/);
  });

  it('suggests a name from the address', () => {
    assert.equal(suggestHostName('tcp://192.168.77.12:2376'), '192.168.77.12');
    assert.equal(suggestHostName('ssh://me@docker2'), 'docker2');
    assert.equal(suggestHostName('unix:///tmp/dnelab/docker2/docker.sock'), 'docker2');
    assert.equal(suggestHostName('bogus://'), '');
  });

  it('removes an entry by the name it shows under, leaving malformed ones alone', () => {
    const entries = [{ name: 'd2', url: 'unix:///a' }, { context: 'docker3' }, 'junk', { context: 'x', name: 'renamed' }];
    assert.deepEqual(withoutHost(entries, 'docker3'), [entries[0], 'junk', entries[3]]);
    assert.deepEqual(withoutHost(entries, 'renamed'), [entries[0], entries[1], 'junk']);
    assert.equal(entryDisplayName('junk'), undefined);
  });
});
