/**
 * A Docker host over tcp:// with TLS, for real: a private dockerd with `--tlsverify` on a
 * namespace address, certificates made here with openssl, and hosts taken from the hosts setting
 * exactly as a user writes them (tlsCertPath, tlsVerify) through resolveHosts and HostMonitor.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { HostMonitor, type HostState } from '../../src/core/docker/hostMonitor';
import { transportSecurity, type DockerHost } from '../../src/core/hosts/dockerHost';
import { resolveHosts } from '../../src/core/hosts/resolveHosts';
import { VethNamespace } from '../support/clusterStores';
import { PrivateDockerd } from '../support/dockerFixture';
import { isSettled, waitForState } from '../support/hostStates';

const openssl = (dir: string, ...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });

/** A CA, and a certificate signed by it for `name` with the given extensions. */
function makeCa(dir: string): void {
  fs.mkdirSync(dir, { recursive: true });
  openssl(dir, 'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-days', '1', '-subj', '/CN=dne test CA', '-keyout', 'ca-key.pem', '-out', 'ca.pem');
}
function makeCert(caDir: string, out: string, name: string, extensions: string): void {
  openssl(caDir, 'req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-subj', `/CN=${name}`, '-keyout', `${name}-key.pem`, '-out', `${name}.csr`);
  fs.writeFileSync(path.join(caDir, `${name}.ext`), extensions);
  openssl(caDir, 'x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.pem', '-CAkey', 'ca-key.pem', '-CAcreateserial', '-days', '1', '-extfile', `${name}.ext`, '-out', `${name}-cert.pem`);
  fs.mkdirSync(out, { recursive: true });
  fs.copyFileSync(path.join(caDir, 'ca.pem'), path.join(out, 'ca.pem'));
  fs.copyFileSync(path.join(caDir, `${name}-cert.pem`), path.join(out, 'cert.pem'));
  fs.copyFileSync(path.join(caDir, `${name}-key.pem`), path.join(out, 'key.pem'));
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
    makeCa(path.join(dir, 'ca'));
    makeCert(path.join(dir, 'ca'), path.join(dir, 'server'), 'server', `subjectAltName=IP:${namespace.namespaceAddress}\nextendedKeyUsage=serverAuth\n`);
    makeCert(path.join(dir, 'ca'), path.join(dir, 'client'), 'client', 'extendedKeyUsage=clientAuth\n');
    // The same client certificate, but trusting another CA: the daemon's certificate cannot be verified.
    makeCa(path.join(dir, 'other-ca'));
    fs.mkdirSync(path.join(dir, 'client-other-ca'));
    for (const file of ['cert.pem', 'key.pem']) fs.copyFileSync(path.join(dir, 'client', file), path.join(dir, 'client-other-ca', file));
    fs.copyFileSync(path.join(dir, 'other-ca', 'ca.pem'), path.join(dir, 'client-other-ca', 'ca.pem'));
    const server = path.join(dir, 'server');
    daemon = new PrivateDockerd(undefined, namespace.path, [
      `--host=${url}`, '--tlsverify', `--tlscacert=${server}/ca.pem`, `--tlscert=${server}/cert.pem`, `--tlskey=${server}/key.pem`,
    ]);
    await daemon.start();
  });
  after(async () => {
    for (const monitor of monitors) monitor.dispose();
    await daemon?.dispose();
    await namespace.dispose();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('connects with the client certificate, verifying the daemon\'s', async () => {
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
});
