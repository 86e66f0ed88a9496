/**
 * #14: when the ssh layer refuses (nothing listens on the ssh port, the login is denied, the host
 * key changed), the tree and the live doctor say what really failed, in OpenSSH's words — not
 * "is dockerd running?" / "Start it (systemctl start docker)" about a daemon nobody reached.
 * Against a real openssh-server of the test's own (test/support/sshServer.ts); OpenSSH's client
 * is run on the same input to prove the words quoted.
 */
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { HostMonitor } from '../../src/core/docker/hostMonitor';
import { diagnoseLive } from '../../src/core/diagnostics/live';
import { resolveHosts } from '../../src/core/hosts/resolveHosts';
import type { DockerHost } from '../../src/core/hosts/dockerHost';
import { freePort } from '../support/clusterStores';
import { isSettled, waitForState } from '../support/hostStates';
import { SSHD, SshServer } from '../support/sshServer';

const USER = os.userInfo().username;

describe('ssh refusals are said as ssh says them', { timeout: 90_000, skip: fs.existsSync(SSHD) ? false : `no ${SSHD}` }, () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dne-faults-sshref-'));
  const server = new SshServer(dir);
  const knownHosts = path.join(dir, '.ssh', 'known_hosts');
  const wrongKey = path.join(dir, 'wrong_key');
  const monitors: HostMonitor[] = [];

  before(async () => {
    await server.start();
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', wrongKey]);
    fs.mkdirSync(path.dirname(knownHosts), { mode: 0o700 });
  });
  after(() => {
    for (const monitor of monitors) monitor.dispose();
    server.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  function host(port: number, identityFile: string): DockerHost {
    const [, resolved] = resolveHosts({
      env: {},
      homeDir: dir,
      settingHosts: [{ name: 'faults-ssh', url: `ssh://${USER}@127.0.0.1:${port}`, identityFile }],
    });
    assert.equal(resolved.problem, undefined, resolved.problem);
    return resolved;
  }

  /** The last line OpenSSH's client prints for the same address, key and known_hosts. */
  function openSsh(port: number, identityFile: string): string {
    const result = spawnSync(
      'ssh',
      ['-p', String(port), '-i', identityFile, '-o', 'IdentitiesOnly=yes', '-o', 'BatchMode=yes', '-o', 'StrictHostKeyChecking=yes'].concat(
        ['-o', `UserKnownHostsFile=${knownHosts}`, '-o', 'GlobalKnownHostsFile=/dev/null', `${USER}@127.0.0.1`, 'true'],
      ),
      { encoding: 'utf8', timeout: 20_000 },
    );
    assert.equal(result.status, 255, `ssh itself logged in: ${result.stderr}`);
    return result.stderr.trim().split('\n').at(-1) ?? '';
  }

  /** What the tree shows (the monitor's reason) and the live doctor's DNE160 for that host. */
  async function seen(port: number, identityFile: string): Promise<{ tree: string; doctor: string }> {
    const resolved = host(port, identityFile);
    const monitor = new HostMonitor(resolved, { timeoutMs: 10_000, retryInitialMs: 60_000, retryMaxMs: 60_000 });
    monitors.push(monitor);
    void monitor.start();
    const state = await waitForState(monitor, isSettled, 'a verdict', 30_000);
    assert.equal(state.kind, 'unreachable');
    const findings = await diagnoseLive([{ name: resolved.name, url: resolved.url, config: resolved }], { timeoutMs: 10_000 });
    const doctor = findings.filter((finding) => finding.code === 'DNE160').map((finding) => finding.message);
    assert.equal(doctor.length, 1, JSON.stringify(findings));
    return { tree: 'reason' in state ? state.reason : '', doctor: doctor[0] };
  }

  function notAboutDockerd(text: string): void {
    assert.doesNotMatch(text, /is dockerd running|systemctl start docker/, text);
  }

  it('nothing listens on the ssh port: "ssh: connect to host … port …: Connection refused"', async () => {
    fs.writeFileSync(knownHosts, `${server.knownHostsLine}\n`);
    const closed = await freePort();
    const words = openSsh(closed, server.userKey);
    assert.equal(words, `ssh: connect to host 127.0.0.1 port ${closed}: Connection refused`);
    const { tree, doctor } = await seen(closed, server.userKey);
    for (const text of [tree, doctor]) {
      assert.ok(text.includes(words), text);
      assert.match(text, /is sshd running on that host/);
      notAboutDockerd(text);
    }
    assert.match(doctor, /^Docker host "faults-ssh" \(ssh:\/\/[^)]+\) cannot be reached over ssh: .*Connection refused/);
  });

  it('the login refused: "USER@127.0.0.1: Permission denied"', async () => {
    fs.writeFileSync(knownHosts, `${server.knownHostsLine}\n`);
    const words = openSsh(server.port, wrongKey);
    assert.equal(words, `${USER}@127.0.0.1: Permission denied (publickey).`);
    const { tree, doctor } = await seen(server.port, wrongKey);
    for (const text of [tree, doctor]) {
      assert.ok(text.includes(`ssh: ${USER}@127.0.0.1: Permission denied`), text);
      assert.ok(text.includes(`the key ${wrongKey}`), text);
      assert.match(text, /authorized_keys/);
      notAboutDockerd(text);
    }
  });

  it('the host key changed: refused with the fingerprints, and the doctor does not send the user to dockerd', async () => {
    fs.writeFileSync(knownHosts, `[127.0.0.1]:${server.port} ${fs.readFileSync(`${wrongKey}.pub`, 'utf8').trim()}\n`);
    assert.equal(openSsh(server.port, server.userKey), 'Host key verification failed.');
    const { tree, doctor } = await seen(server.port, server.userKey);
    for (const text of [tree, doctor]) {
      assert.match(text, /has CHANGED/);
      notAboutDockerd(text);
    }
    assert.match(doctor, /^Docker host "faults-ssh" \(ssh:\/\/[^)]+\) cannot be reached over ssh: .*has CHANGED/);
  });
});
