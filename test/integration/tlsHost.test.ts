/**
 * A Docker host over tcp:// with TLS, for real: a private dockerd with `--tlsverify` on a
 * namespace address, certificates made here with openssl, and hosts taken from the hosts setting
 * exactly as a user writes them (tlsCertPath, tlsVerify) through resolveHosts and HostMonitor.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { diagnoseLiveReport } from '../../src/core/diagnostics/live/index';
import { HostMonitor, type HostState } from '../../src/core/docker/hostMonitor';
import { transportSecurity, type DockerHost } from '../../src/core/hosts/dockerHost';
import { resolveHosts } from '../../src/core/hosts/resolveHosts';
import { VethNamespace } from '../support/clusterStores';
import { findRepoRoot } from '../support/codeServer';
import { PrivateDockerd } from '../support/dockerFixture';
import { isSettled, waitForState } from '../support/hostStates';
import { selfSigned, signedBy, type KeyPair } from '../support/pki';

/** A folder as the docker CLI reads one (DOCKER_CERT_PATH): ca.pem, and cert.pem/key.pem for `name` signed by that CA. */
function certFolder(ca: KeyPair, out: string, name: string, extensions: string): void {
  const pair = signedBy(path.dirname(ca.cert), ca, name, extensions);
  fs.mkdirSync(out, { recursive: true });
  fs.copyFileSync(ca.cert, path.join(out, 'ca.pem'));
  fs.copyFileSync(pair.cert, path.join(out, 'cert.pem'));
  fs.copyFileSync(pair.key, path.join(out, 'key.pem'));
}

describe('a Docker host over tcp:// with TLS', { timeout: 120_000 }, () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dne-tls-'));
  const namespace = new VethNamespace();
  let daemon: PrivateDockerd | undefined;
  let url = '';
  const monitors: HostMonitor[] = [];

  /** The host a setting entry resolves to, followed by a HostMonitor until it settles. */
  async function connect(entry: Record<string, unknown>): Promise<{ host: DockerHost; state: HostState }> {
    const [, host] = resolveHosts({ env: {}, homeDir: dir, settingHosts: [{ name: 'tls-host', url, ...entry }] });
    assert.equal(host.problem, undefined, host.problem);
    const monitor = new HostMonitor(host, { timeoutMs: 5000, retryInitialMs: 60_000, retryMaxMs: 60_000 });
    monitors.push(monitor);
    void monitor.start();
    return { host, state: await waitForState(monitor, isSettled, 'connection or a reason') };
  }

  before(async () => {
    await namespace.create();
    url = `tcp://${namespace.namespaceAddress}:2376`;
    const ca = selfSigned(path.join(dir, 'ca'), 'ca', '/CN=dne test CA');
    certFolder(ca, path.join(dir, 'server'), 'server', `subjectAltName=IP:${namespace.namespaceAddress}\nextendedKeyUsage=serverAuth\n`);
    certFolder(ca, path.join(dir, 'client'), 'client', 'extendedKeyUsage=clientAuth\n');
    // The same client certificate, but trusting another CA: the daemon's certificate cannot be verified.
    selfSigned(path.join(dir, 'other-ca'), 'ca', '/CN=dne test CA');
    fs.mkdirSync(path.join(dir, 'client-other-ca'));
    for (const file of ['cert.pem', 'key.pem']) fs.copyFileSync(path.join(dir, 'client', file), path.join(dir, 'client-other-ca', file));
    fs.copyFileSync(path.join(dir, 'other-ca', 'ca.pem'), path.join(dir, 'client-other-ca', 'ca.pem'));
    const server = path.join(dir, 'server');
    daemon = new PrivateDockerd(undefined, namespace.path, [
      `--host=${url}`,
      '--tlsverify',
      `--tlscacert=${server}/ca.pem`,
      `--tlscert=${server}/cert.pem`,
      `--tlskey=${server}/key.pem`,
    ]);
    await daemon.start();
  });
  after(async () => {
    for (const monitor of monitors) monitor.dispose();
    await daemon?.dispose();
    await namespace.dispose();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("connects with the client certificate, verifying the daemon's", async () => {
    const { host, state } = await connect({ tlsCertPath: path.join(dir, 'client'), tlsVerify: true });
    assert.equal(state.kind, 'connected', 'reason' in state ? state.reason : '');
    assert.equal(transportSecurity(host.endpoint!), 'TLS, certificate verified');
    assert.deepEqual(host.warnings, []);
    assert.ok(state.kind === 'connected' && state.snapshot.networks.some((network) => network.name === 'host'));
  });

  it('refuses a daemon whose certificate another CA signed, and says so', async () => {
    const { state } = await connect({ tlsCertPath: path.join(dir, 'client-other-ca'), tlsVerify: true });
    assert.equal(state.kind, 'unreachable');
    assert.match('reason' in state ? state.reason : '', /not signed by the ca.pem given/);
  });

  it('connects anyway when verification is turned off explicitly, with a warning on the host', async () => {
    const { host, state } = await connect({ tlsCertPath: path.join(dir, 'client-other-ca'), tlsVerify: false });
    assert.equal(state.kind, 'connected', 'reason' in state ? state.reason : '');
    assert.equal(transportSecurity(host.endpoint!), 'TLS, certificate NOT verified');
    assert.match(host.warnings.join(' '), /does not verify the daemon certificate/);
  });

  it('plain tcp to a TLS daemon is unreachable, with the reason', async () => {
    const { state } = await connect({});
    assert.equal(state.kind, 'unreachable');
    assert.match('reason' in state ? state.reason : '', /The daemon expects TLS: give the host its certificates/);
  });

  // #14.7: the live doctor used the URL alone, so a TLS host was asked over plain HTTP.
  it("the live doctor (Scan Host Configuration's core) asks a TLS host over TLS, with the host's own settings", async () => {
    const [, host] = resolveHosts({
      env: {},
      homeDir: dir,
      settingHosts: [{ name: 'tls-host', url, tlsCertPath: path.join(dir, 'client'), tlsVerify: true }],
    });
    const withSettings = await diagnoseLiveReport([{ name: host.name, url: host.url, config: host }], { timeoutMs: 5000 });
    assert.deepEqual(
      withSettings.findings.filter((finding) => finding.code === 'DNE160'),
      [],
    );
    assert.match(withSettings.engines.get(url) ?? '', /^\d+\./);
    const urlOnly = await diagnoseLiveReport([{ name: host.name, url: host.url }], { timeoutMs: 5000 });
    assert.match(urlOnly.findings.find((finding) => finding.code === 'DNE160')?.message ?? '', /The daemon expects TLS/);
  });

  describe('diagnose --host over TLS (the built CLI)', () => {
    const cli = path.join(findRepoRoot(), 'dist', 'cli.js');
    const client = () => path.join(dir, 'client');
    /** Run with a home of the test's own: no ~/.docker of the machine's user is read. */
    const diagnose = (args: string[], env: Record<string, string> = {}) => {
      const home = path.join(dir, 'cli-home');
      fs.mkdirSync(home, { recursive: true });
      const result = spawnSync(process.execPath, [cli, 'diagnose', '--json', '--timeout', '5000', ...args], {
        encoding: 'utf8',
        timeout: 60_000,
        env: { PATH: process.env.PATH ?? '', HOME: home, ...env },
      });
      const findings =
        result.status === 2
          ? []
          : (JSON.parse(result.stdout) as { findings: Array<{ code: string; message: string; severity: string }> }).findings;
      return { status: result.status, findings, stdout: result.stdout, stderr: result.stderr };
    };
    const unreachable = (findings: Array<{ code: string; message: string }>) =>
      findings.filter((finding) => finding.code === 'DNE160').map((finding) => finding.message);

    it('--tlsverify --tlscacert --tlscert --tlskey: the daemon answers', () => {
      const run = diagnose([
        '--host',
        url,
        '--tlsverify',
        '--tlscacert',
        path.join(client(), 'ca.pem'),
        '--tlscert',
        path.join(client(), 'cert.pem'),
        '--tlskey',
        path.join(client(), 'key.pem'),
      ]);
      assert.equal(run.status, 0, run.stdout + run.stderr);
      assert.deepEqual(unreachable(run.findings), []);
    });

    it('DOCKER_TLS_VERIFY=1 and DOCKER_CERT_PATH, as the docker CLI reads them', () => {
      const run = diagnose(['--host', url], { DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: client() });
      assert.equal(run.status, 0, run.stdout + run.stderr);
      assert.deepEqual(unreachable(run.findings), []);
    });

    it("--context NAME: the context store's host and certificates", () => {
      const config = path.join(dir, 'docker-config');
      const digest = createHash('sha256').update('tls-ctx').digest('hex');
      fs.mkdirSync(path.join(config, 'contexts', 'meta', digest), { recursive: true });
      fs.writeFileSync(
        path.join(config, 'contexts', 'meta', digest, 'meta.json'),
        JSON.stringify({ Name: 'tls-ctx', Metadata: {}, Endpoints: { docker: { Host: url, SkipTLSVerify: false } } }),
      );
      const tls = path.join(config, 'contexts', 'tls', digest, 'docker');
      fs.mkdirSync(tls, { recursive: true });
      for (const file of ['ca.pem', 'cert.pem', 'key.pem']) fs.copyFileSync(path.join(client(), file), path.join(tls, file));
      const run = diagnose(['--context', 'tls-ctx'], { DOCKER_CONFIG: config });
      assert.equal(run.status, 0, run.stdout + run.stderr);
      assert.deepEqual(unreachable(run.findings), []);
    });

    it('a certificate another CA signed is refused, and without TLS flags the daemon is said to expect TLS', () => {
      const other = path.join(dir, 'client-other-ca');
      const refused = diagnose([
        '--host',
        url,
        '--tlsverify',
        '--tlscacert',
        path.join(other, 'ca.pem'),
        '--tlscert',
        path.join(other, 'cert.pem'),
        '--tlskey',
        path.join(other, 'key.pem'),
      ]);
      assert.equal(refused.status, 1);
      assert.match(unreachable(refused.findings).join(' '), /not signed by the ca\.pem given/);
      const plain = diagnose(['--host', url]);
      assert.equal(plain.status, 1);
      assert.match(unreachable(plain.findings).join(' '), /The daemon expects TLS/);
    });

    it('a TLS file that does not exist is bad usage (exit 2)', () => {
      const run = diagnose(['--host', url, '--tlsverify', '--tlscacert', path.join(dir, 'nope.pem')]);
      assert.equal(run.status, 2);
      assert.match(run.stderr, /--tlscacert .*nope\.pem: no such file/);
    });
  });
});
