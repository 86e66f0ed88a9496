/**
 * A Docker host over ssh:// for real: an sshd of the test's own on loopback (its own host key,
 * config and authorized key), and our client logging in with a key from the hosts setting and
 * running `docker system dial-stdio` there, as the docker CLI does. The daemon behind it is the
 * shared local one, so the snapshot must list its networks.
 */
import assert from 'node:assert/strict';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { HostMonitor } from '../../src/core/docker/hostMonitor';
import { transportSecurity } from '../../src/core/hosts/hostConfig';
import { resolveHosts } from '../../src/core/hosts/resolveHosts';
import { freePort } from '../support/clusterStores';
import { DockerFixture } from '../support/dockerFixture';
import { connectedWith, isSettled, waitForState } from '../support/hostStates';

const SSHD = '/usr/sbin/sshd';

async function listening(port: number, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const open = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, '127.0.0.1', () => (socket.end(), resolve(true)));
      socket.on('error', () => resolve(false));
    });
    if (open) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`sshd is not listening on ${port}`);
}

describe('a Docker host over ssh://', { timeout: 90_000, skip: fs.existsSync(SSHD) ? false : `no ${SSHD}: apt-get install openssh-server` }, () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dne-ssh-'));
  let sshd: ChildProcess | undefined;
  let port = 0;
  const monitors: HostMonitor[] = [];
  const fixture = new DockerFixture();

  before(async () => {
    port = await freePort();
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', path.join(dir, 'host_key')]);
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', path.join(dir, 'user_key')]);
    fs.copyFileSync(path.join(dir, 'user_key.pub'), path.join(dir, 'authorized_keys'));
    fs.writeFileSync(path.join(dir, 'sshd_config'), [
      `Port ${port}`, 'ListenAddress 127.0.0.1', `HostKey ${dir}/host_key`, `PidFile ${dir}/sshd.pid`,
      `AuthorizedKeysFile ${dir}/authorized_keys`, 'PasswordAuthentication no', 'KbdInteractiveAuthentication no',
      'PermitRootLogin prohibit-password', 'UsePAM no', 'StrictModes no',
    ].join('\n'));
    fs.mkdirSync('/run/sshd', { recursive: true }); // its privilege-separation directory
    sshd = spawn(SSHD, ['-D', '-e', '-f', path.join(dir, 'sshd_config')], { stdio: ['ignore', 'ignore', fs.openSync(path.join(dir, 'sshd.log'), 'a')] });
    await listening(port);
  });
  after(async () => {
    for (const monitor of monitors) monitor.dispose();
    await fixture.cleanup();
    sshd?.kill('SIGTERM');
    fs.rmSync(dir, { recursive: true, force: true });
  });

  function follow(entry: Record<string, unknown>): { monitor: HostMonitor; warnings: string[] } {
    const [, host] = resolveHosts({ env: {}, homeDir: dir, settingHosts: [{ name: 'over-ssh', url: `ssh://${os.userInfo().username}@127.0.0.1:${port}`, ...entry }] });
    assert.equal(host.problem, undefined, host.problem);
    assert.equal(transportSecurity(host.endpoint!), 'SSH');
    const monitor = new HostMonitor(host, { timeoutMs: 10_000, retryInitialMs: 60_000, retryMaxMs: 60_000 });
    monitors.push(monitor);
    void monitor.start();
    return { monitor, warnings: host.warnings };
  }

  it('logs in with the key from the setting and shows the daemon behind it', async () => {
    const { monitor, warnings } = follow({ identityFile: path.join(dir, 'user_key') });
    assert.deepEqual(warnings, []);
    const state = await waitForState(monitor, isSettled, 'connection or a reason', 30_000);
    assert.equal(state.kind, 'connected', 'reason' in state ? state.reason : '');
    const names = state.kind === 'connected' ? state.snapshot.networks.map((network) => network.name) : [];
    assert.ok(['bridge', 'host', 'none'].every((name) => names.includes(name)), JSON.stringify(names));
    // Live over ssh too: a network created on the daemon arrives through the event stream.
    const network = await fixture.createNetwork({ name: 'over-ssh' });
    const seen = await waitForState(monitor, connectedWith((current) => current.snapshot.networks.some((entry) => entry.name === network.name)), 'the new network', 10_000).then(() => true, () => false);
    assert.ok(seen, 'the network created on the daemon never reached the ssh host\'s snapshot');
  });

  it('without a key it cannot, and says why', async () => {
    const { monitor, warnings } = follow({});
    assert.match(warnings.join(' '), /No ssh agent/);
    const state = await waitForState(monitor, isSettled, 'connection or a reason', 30_000);
    assert.equal(state.kind, 'unreachable');
    assert.match('reason' in state ? state.reason : '', /authentication|auth/i);
  });
});
