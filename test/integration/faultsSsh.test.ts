/**
 * Fault injection over ssh://: an sshd of this test's own on loopback (own host key, config and
 * authorized key, as sshHost.test.ts), whose sessions reach a PRIVATE dockerd (SetEnv
 * DOCKER_HOST in its config, so `docker system dial-stdio` there dials the private socket). The
 * connection is dropped by killing that sshd's whole process group (listener and the session's
 * handler); a network is created on the daemon while the host is cut off; sshd comes back.
 * What the user sees: the host unreachable, with the reason; then, by itself, the daemon's truth
 * (the network made meanwhile included) within 30 s. Nothing thrown unhandled.
 */
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import Dockerode from 'dockerode';
import { DockerClient } from '../../src/core/docker/dockerClient';
import { HostMonitor } from '../../src/core/docker/hostMonitor';
import { SnapshotLoader } from '../../src/core/docker/snapshotLoader';
import { resolveHosts } from '../../src/core/hosts/resolveHosts';
import { freePort } from '../support/clusterStores';
import { PrivateDockerd, unixEndpoint } from '../support/dockerFixture';
import { connectedWith, isUnreachable, waitForState } from '../support/hostStates';
import { publicKey, SSHD, startSshd, writeSshdConfig } from '../support/sshServer';

/** Every process below `pid` (sshd's connection handlers call setsid: the group is not enough). */
function descendants(pid: number): number[] {
  const children = fs
    .readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .flatMap((entry) => {
      try {
        // Field 4 of /proc/PID/stat, after the parenthesised command name, is the parent's PID.
        const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
        return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === pid ? [Number(entry)] : [];
      } catch {
        return [];
      }
    });
  return children.flatMap((child) => [child, ...descendants(child)]);
}

describe(
  'fault injection: the ssh connection to a host dropped',
  { timeout: 180_000, skip: fs.existsSync(SSHD) ? false : `no ${SSHD}` },
  () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dne-dr-ssh-'));
    const unhandled: unknown[] = [];
    const record = (reason: unknown) => unhandled.push(reason);
    let port = 0;
    let sshd: ChildProcess | undefined;
    let daemon: PrivateDockerd | undefined;
    let monitor: HostMonitor | undefined;

    before(async () => {
      process.on('unhandledRejection', record);
      daemon = new PrivateDockerd();
      await daemon.start();
      port = await freePort();
      writeSshdConfig(dir, port, [`SetEnv DOCKER_HOST=unix://${daemon.socketPath}`]);
      fs.mkdirSync(path.join(dir, '.ssh'), { mode: 0o700 });
      fs.writeFileSync(path.join(dir, '.ssh', 'known_hosts'), `[127.0.0.1]:${port} ${publicKey(path.join(dir, 'host_key.pub'))}\n`);
      sshd = await startSshd(dir, port, { detached: true });
      const [, host] = resolveHosts({
        env: {},
        homeDir: dir,
        settingHosts: [
          { name: 'over-ssh', url: `ssh://${os.userInfo().username}@127.0.0.1:${port}`, identityFile: path.join(dir, 'user_key') },
        ],
      });
      assert.equal(host.problem, undefined, host.problem);
      monitor = new HostMonitor(host, { timeoutMs: 10_000, retryInitialMs: 200, retryMaxMs: 1000 });
      await monitor.start();
    });

    after(async () => {
      monitor?.dispose();
      if (sshd?.pid)
        for (const pid of [sshd.pid, ...descendants(sshd.pid)])
          try {
            process.kill(pid, 'SIGTERM');
          } catch {
            /* gone */
          }
      await daemon?.dispose();
      fs.rmSync(dir, { recursive: true, force: true });
      process.off('unhandledRejection', record);
    });

    it('dropped: unreachable with the reason; back by itself, showing what changed meanwhile', async (t) => {
      const direct = new Dockerode({ socketPath: daemon!.socketPath });
      const truth = new SnapshotLoader(new DockerClient(unixEndpoint(daemon!.socketPath), 'truth', { timeoutMs: 10_000 }), 'truth');
      const names = (networks: Array<{ name: string }>) => JSON.stringify(networks.map((network) => network.name).sort());
      // It is the private daemon behind ssh: the same networks, bridge-less (--bridge=none).
      const first = await waitForState(
        monitor!,
        connectedWith(() => true),
        'connected over ssh',
        30_000,
      );
      assert.equal(names(first.snapshot.networks), names((await truth.load()).networks));

      // Our sshd and what it forked (the session's handler and its dial-stdio): the connection drops.
      const doomed = [sshd!.pid!, ...descendants(sshd!.pid!)];
      t.diagnostic(`killing sshd and its ${doomed.length - 1} descendant(s)`);
      for (const pid of doomed)
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          /* gone already */
        }
      const down = await waitForState(monitor!, isUnreachable, 'unreachable once ssh dropped', 30_000);
      t.diagnostic(`the user is told: ${down.reason}`);
      assert.ok(down.reason.length > 0);
      const made = `dne-dr-fault-ssh-${process.pid}`;
      await direct.createNetwork({ Name: made });

      sshd = await startSshd(dir, port, { detached: true });
      const started = Date.now();
      const back = await waitForState(
        monitor!,
        connectedWith((state) => state.snapshot.networks.some((network) => network.name === made)),
        'the network made meanwhile',
        30_000,
      );
      assert.equal(names(back.snapshot.networks), names((await truth.load()).networks));
      t.diagnostic(`converged ${Date.now() - started} ms after sshd was back`);
      assert.deepEqual(unhandled.map(String), []);
    });
  },
);
