/**
 * A Docker host over ssh:// for real: an sshd of the test's own on loopback (its own host key,
 * config and authorized key), and our client logging in with a key from the hosts setting and
 * running `docker system dial-stdio` there, as the docker CLI does. The daemon behind it is the
 * shared local one, so the snapshot must list its networks. The host key is checked as ssh
 * checks it: against known_hosts in the test's home (plain or hashed by ssh-keygen -H); a changed
 * or unknown key never reaches the daemon unless the user trusts it.
 */
import assert from 'node:assert/strict';
import { execFileSync, spawnSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { HostMonitor, type HostMonitorOptions } from '../../src/core/docker/hostMonitor';
import { HostKeyTrust, type UnknownHostKey } from '../../src/core/ssh/hostKeyTrust';
import { transportSecurity } from '../../src/core/hosts/dockerHost';
import { resolveHosts } from '../../src/core/hosts/resolveHosts';
import { freePort } from '../support/clusterStores';
import { findRepoRoot } from '../support/codeServer';
import { DockerFixture } from '../support/dockerFixture';
import { connectedWith, isSettled, waitForState } from '../support/hostStates';
import { publicKey, SSHD, sshKeygen, startSshd, writeSshdConfig } from '../support/sshServer';

describe(
  'a Docker host over ssh://',
  { timeout: 90_000, skip: fs.existsSync(SSHD) ? false : `no ${SSHD}: apt-get install openssh-server` },
  () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dne-ssh-'));
    let sshd: ChildProcess | undefined;
    let port = 0;
    const monitors: HostMonitor[] = [];
    const fixture = new DockerFixture();
    const knownHosts = path.join(dir, '.ssh', 'known_hosts');
    /** The ssh server's key as known_hosts holds it, and as `ssh-keygen -lf` prints its fingerprint. */
    let hostKeyLine = '';
    let hostFingerprint = '';
    let otherKeyLine = '';
    let otherFingerprint = '';
    const sha256Of = (file: string) => execFileSync('ssh-keygen', ['-lf', file], { encoding: 'utf8' }).split(' ')[1];

    before(async () => {
      port = await freePort();
      // A second host key, so the server offers two types (the tests below check which one is asked for).
      writeSshdConfig(dir, port, [
        `HostKey ${sshKeygen(dir, 'host_key_ecdsa', 'ecdsa')}`,
        // Every call is its own ssh connection (docker-modem): a shared daemon with ~200 containers
        // inspected at once went past sshd's default MaxStartups 10:30:100 ("Connection lost before handshake").
        'MaxStartups 500',
        'MaxSessions 500',
      ]);
      sshKeygen(dir, 'other_key');
      hostKeyLine = `[127.0.0.1]:${port} ${publicKey(path.join(dir, 'host_key.pub'))}`;
      otherKeyLine = `[127.0.0.1]:${port} ${publicKey(path.join(dir, 'other_key.pub'))}`;
      hostFingerprint = sha256Of(path.join(dir, 'host_key.pub'));
      otherFingerprint = sha256Of(path.join(dir, 'other_key.pub'));
      fs.mkdirSync(path.dirname(knownHosts), { mode: 0o700 });
      sshd = await startSshd(dir, port);
    });
    after(async () => {
      for (const monitor of monitors) monitor.dispose();
      await fixture.cleanup();
      sshd?.kill('SIGTERM');
      fs.rmSync(dir, { recursive: true, force: true });
    });

    function follow(
      entry: Record<string, unknown>,
      options: Partial<HostMonitorOptions> = {},
    ): { monitor: HostMonitor; warnings: string[] } {
      const [, host] = resolveHosts({
        env: {},
        homeDir: dir,
        settingHosts: [{ name: 'over-ssh', url: `ssh://${os.userInfo().username}@127.0.0.1:${port}`, ...entry }],
      });
      assert.equal(host.problem, undefined, host.problem);
      assert.equal(transportSecurity(host.endpoint!), 'SSH');
      const monitor = new HostMonitor(host, { timeoutMs: 10_000, retryInitialMs: 60_000, retryMaxMs: 60_000, ...options });
      monitors.push(monitor);
      void monitor.start();
      return { monitor, warnings: host.warnings };
    }

    async function settled(monitor: HostMonitor) {
      return waitForState(monitor, isSettled, 'connection or a reason', 30_000);
    }
    const reasonOf = (state: Awaited<ReturnType<typeof settled>>) => ('reason' in state ? state.reason : '');
    const userKey = () => ({ identityFile: path.join(dir, 'user_key') });

    it('logs in with the key from the setting and shows the daemon behind it (host key in known_hosts)', async () => {
      fs.writeFileSync(knownHosts, `${hostKeyLine}\n`);
      const { monitor, warnings } = follow({ identityFile: path.join(dir, 'user_key') });
      assert.deepEqual(warnings, []);
      const state = await waitForState(monitor, isSettled, 'connection or a reason', 30_000);
      assert.equal(state.kind, 'connected', 'reason' in state ? state.reason : '');
      const names = state.kind === 'connected' ? state.snapshot.networks.map((network) => network.name) : [];
      assert.ok(
        ['bridge', 'host', 'none'].every((name) => names.includes(name)),
        JSON.stringify(names),
      );
      // Live over ssh too: a network created on the daemon arrives through the event stream.
      const network = await fixture.createNetwork({ name: 'over-ssh' });
      const seen = await waitForState(
        monitor,
        connectedWith((current) => current.snapshot.networks.some((entry) => entry.name === network.name)),
        'the new network',
        10_000,
      ).then(
        () => true,
        () => false,
      );
      assert.ok(seen, "the network created on the daemon never reached the ssh host's snapshot");
    });

    it('refuses a changed host key with both fingerprints, before logging in', async () => {
      fs.writeFileSync(knownHosts, `${otherKeyLine}\n`);
      const asked: UnknownHostKey[] = [];
      const { monitor } = follow(userKey(), {
        hostKeys: new HostKeyTrust({ askUnknown: async (question) => (asked.push(question), true) }),
      });
      const state = await settled(monitor);
      assert.equal(state.kind, 'unreachable', 'a server with another key than known_hosts holds was trusted');
      const reason = reasonOf(state);
      assert.ok(reason.includes(`has CHANGED: ${knownHosts}:1 has ED25519 key ${otherFingerprint}`), reason);
      assert.ok(reason.includes(`the host now presents ED25519 key ${hostFingerprint}`), reason);
      assert.ok(reason.includes(`ssh-keygen -R "[127.0.0.1]:${port}"`), reason);
      assert.deepEqual(asked, [], 'a changed key is refused, never asked about');
      assert.equal(fs.readFileSync(knownHosts, 'utf8'), `${otherKeyLine}\n`);
    });

    it('refuses an unknown host key when nobody can be asked', async () => {
      fs.writeFileSync(knownHosts, '');
      const { monitor } = follow(userKey());
      const state = await settled(monitor);
      assert.equal(state.kind, 'unreachable', 'a server nobody vouched for was trusted');
      assert.match(
        reasonOf(state),
        new RegExp(`\\[127\\.0\\.0\\.1\\]:${port} is not known: ED25519 key ${hostFingerprint.replace(/[+/]/g, '\\$&')}\\. Refused`),
      );
    });

    it('connects to an unknown host once the user trusts its key, and records it in known_hosts', async () => {
      fs.writeFileSync(knownHosts, '');
      const asked: UnknownHostKey[] = [];
      // The user takes longer than the call timeout to answer: the call waits for them.
      const trust = new HostKeyTrust({
        askUnknown: (question) => (asked.push(question), new Promise((resolve) => setTimeout(() => resolve(true), 3500))),
      });
      const { monitor } = follow(userKey(), { timeoutMs: 3000, hostKeys: trust });
      const state = await settled(monitor);
      assert.equal(state.kind, 'connected', reasonOf(state));
      assert.equal(asked.length, 1, 'asked once for all the calls of a connection');
      assert.equal(asked[0].fingerprint, hostFingerprint);
      assert.equal(fs.readFileSync(knownHosts, 'utf8'), `${hostKeyLine}\n`);
      // Recorded where ssh itself finds it.
      const found = execFileSync('ssh-keygen', ['-F', `[127.0.0.1]:${port}`, '-f', knownHosts], { encoding: 'utf8' });
      assert.ok(found.includes(hostKeyLine), found);
    });

    it('reads a known_hosts hashed by ssh-keygen -H', async () => {
      fs.writeFileSync(knownHosts, `${hostKeyLine}\n`);
      execFileSync('ssh-keygen', ['-H', '-f', knownHosts], { stdio: 'ignore' });
      assert.match(fs.readFileSync(knownHosts, 'utf8'), /^\|1\|/);
      const { monitor } = follow(userKey());
      const state = await settled(monitor);
      assert.equal(state.kind, 'connected', reasonOf(state));
    });

    it('asks the server for the key type known_hosts holds, as ssh does (ECDSA here, though ED25519 comes first)', async () => {
      fs.writeFileSync(knownHosts, `[127.0.0.1]:${port} ${publicKey(path.join(dir, 'host_key_ecdsa.pub'))}\n`);
      const { monitor } = follow(userKey());
      const state = await settled(monitor);
      assert.equal(state.kind, 'connected', reasonOf(state));
    });

    it('diagnose --host ssh://… (the headless doctor) refuses an unknown host key', () => {
      const home = path.join(dir, 'cli-home');
      fs.mkdirSync(home, { recursive: true });
      const cli = path.join(findRepoRoot(), 'dist', 'cli.js');
      const result = spawnSync(
        process.execPath,
        [cli, 'diagnose', '--json', '--host', `ssh://${os.userInfo().username}@127.0.0.1:${port}`],
        {
          encoding: 'utf8',
          timeout: 30_000,
          env: { ...process.env, HOME: home, SSH_AUTH_SOCK: '' },
        },
      );
      const messages = (JSON.parse(result.stdout) as { findings: Array<{ message: string }> }).findings
        .map((finding) => finding.message)
        .join('\n');
      assert.ok(messages.includes(`is not known: ED25519 key ${hostFingerprint}. Refused`), `${messages}\n${result.stderr}`);
      assert.equal(fs.existsSync(path.join(home, '.ssh', 'known_hosts')), false, 'the doctor recorded a key nobody checked');
    });

    /** The built CLI with a home of its own holding the user's key and, if given, a known_hosts. */
    function cliOverSsh(name: string, knownHostsText: string | undefined, ...flags: string[]) {
      const home = path.join(dir, name);
      fs.mkdirSync(path.join(home, '.ssh'), { recursive: true, mode: 0o700 });
      fs.copyFileSync(path.join(dir, 'user_key'), path.join(home, '.ssh', 'id_ed25519'));
      fs.chmodSync(path.join(home, '.ssh', 'id_ed25519'), 0o600);
      if (knownHostsText !== undefined) fs.writeFileSync(path.join(home, '.ssh', 'known_hosts'), knownHostsText);
      const cli = path.join(findRepoRoot(), 'dist', 'cli.js');
      const result = spawnSync(
        process.execPath,
        [cli, 'diagnose', '--json', '--timeout', '20000', ...flags, '--host', `ssh://${os.userInfo().username}@127.0.0.1:${port}`],
        {
          encoding: 'utf8',
          timeout: 60_000,
          env: { ...process.env, HOME: home, SSH_AUTH_SOCK: '' },
        },
      );
      const findings = (JSON.parse(result.stdout) as { findings: Array<{ code: string; message: string }> }).findings;
      return { ...result, home, unreachable: findings.filter((finding) => finding.code === 'DNE160').map((finding) => finding.message) };
    }

    // #14.7: the live doctor used the URL alone: no key, no known_hosts, "does not answer".
    it('diagnose --host ssh://… logs in with ~/.ssh/id_ed25519 and reaches the daemon, the host key known', () => {
      const run = cliOverSsh('cli-known', `${hostKeyLine}\n`);
      assert.deepEqual(run.unreachable, [], run.stderr);
      assert.equal(run.status, 0, run.stdout + run.stderr);
    });

    it('diagnose --accept-new-host-key trusts an unknown key, records it, and says so as ssh does', () => {
      const run = cliOverSsh('cli-accept-new', undefined, '--accept-new-host-key');
      assert.deepEqual(run.unreachable, [], run.stderr);
      assert.equal(run.status, 0, run.stdout + run.stderr);
      assert.match(
        run.stderr,
        new RegExp(
          `^Warning: Permanently added '\\[127\\.0\\.0\\.1\\]:${port}' \\(ED25519 ${hostFingerprint.replace(/[+/]/g, '\\$&')}\\) to `,
          'm',
        ),
      );
      assert.equal(fs.readFileSync(path.join(run.home, '.ssh', 'known_hosts'), 'utf8').trim(), hostKeyLine);
    });

    it('--accept-new-host-key still refuses a CHANGED key', () => {
      const run = cliOverSsh('cli-changed', `${otherKeyLine}\n`, '--accept-new-host-key');
      assert.match(run.unreachable.join(' '), /has CHANGED/);
      assert.equal(fs.readFileSync(path.join(run.home, '.ssh', 'known_hosts'), 'utf8').trim(), otherKeyLine);
    });

    it('without a key it cannot, and says why', async () => {
      fs.writeFileSync(knownHosts, `${hostKeyLine}\n`);
      const { monitor, warnings } = follow({});
      assert.match(warnings.join(' '), /No ssh agent/);
      const state = await waitForState(monitor, isSettled, 'connection or a reason', 30_000);
      assert.equal(state.kind, 'unreachable');
      assert.match('reason' in state ? state.reason : '', /authentication|auth/i);
    });
  },
);
