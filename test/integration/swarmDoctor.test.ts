/**
 * The swarm doctor (DNE210–219) on the three-host lab in swarm mode (`up --swarm`, the engine
 * DNE_ENGINE names), from the root namespace as the extension runs it. Healthy first, then
 * broken for real — a manager's dockerd stopped, two of three stopped (no quorum), swarm ports
 * dropped by iptables inside one host's namespace, an encrypted overlay with ESP dropped, an
 * overlay over the LAN — and each time mended, with the findings read per host.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as path from 'node:path';
import Dockerode from 'dockerode';
import { diagnoseLive } from '../../src/core/diagnostics/live';
import type { Finding } from '../../src/core/diagnostics/finding';
import { Codes } from '../../src/core/diagnostics/codes';
import { NO_LEADER } from '../../src/core/diagnostics/live/swarmRules';
import { claimLab, labLayout, labUpOrExplain, type Lab, type LabHostName } from '../support/lab';
import { findRepoRoot } from '../support/codeServer';
import { importTool } from '../support/toolModule';

const HOSTS: LabHostName[] = ['docker1', 'docker2', 'docker3'];
const LAYOUT = labLayout();
const urlOf = (name: LabHostName) => `unix://${LAYOUT.socket(name)}`;
const docker = (name: LabHostName) => new Dockerode({ socketPath: LAYOUT.socket(name) });
const PREFIX = 'sd-';

interface Firewall {
  firewallDrop(name: LabHostName, rule: { protocol: 'tcp' | 'udp' | 'esp'; port?: number }): string[];
  firewallClear(name: LabHostName): void;
}

async function diagnose(): Promise<Finding[]> {
  return diagnoseLive(
    HOSTS.map((name) => ({ name, url: urlOf(name) })),
    // Generous: 2 cores shared by several engineers, and a swarm just mended answers slowly at first.
    { timeoutMs: 4000 },
  );
}

/** Codes per host (findings sit at the host's URL), sorted; information only with `all`. */
function perHost(findings: Finding[], all = false): Partial<Record<LabHostName, string[]>> {
  const byHost: Partial<Record<LabHostName, string[]>> = {};
  for (const finding of findings.filter((f) => all || f.severity === 'error' || f.severity === 'warning')) {
    const host = HOSTS.find((name) => finding.file === urlOf(name));
    assert.ok(host, `finding on an unknown file ${finding.file}: ${finding.message}`);
    byHost[host] = [...(byHost[host] ?? []), finding.code].sort();
  }
  return byHost;
}

/** One GET on a lab daemon's socket, its status and JSON body as the daemon sent them. */
function rawGet(name: LabHostName, path: string): Promise<{ status: number; body: unknown }> {
  return new Promise((resolve, reject) => {
    const request = http.get({ socketPath: LAYOUT.socket(name), path, timeout: 30_000 }, (response) => {
      let text = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (text += chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body: JSON.parse(text) as unknown }));
    });
    request.on('timeout', () => request.destroy(new Error(`GET ${path} on ${name}: no answer within 30 s`)));
    request.on('error', reject);
  });
}

/** One POST of JSON on a lab daemon's socket: its status and body text. */
function rawPost(name: LabHostName, path: string, body: unknown): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const request = http.request(
      { socketPath: LAYOUT.socket(name), path, method: 'POST', headers: { 'Content-Type': 'application/json' }, timeout: 30_000 },
      (response) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (text += chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, text }));
      },
    );
    request.on('timeout', () => request.destroy(new Error(`POST ${path} on ${name}: no answer within 30 s`)));
    request.on('error', reject);
    request.end(JSON.stringify(body));
  });
}

/** `docker swarm update --autolock=<on>` through the API, on `name` (a manager). */
async function setAutolock(name: LabHostName, on: boolean): Promise<void> {
  const swarm = (await rawGet(name, '/swarm')).body as { Version: { Index: number }; Spec: { EncryptionConfig?: Record<string, unknown> } };
  const spec = { ...swarm.Spec, EncryptionConfig: { ...swarm.Spec.EncryptionConfig, AutoLockManagers: on } };
  const updated = await rawPost(name, `/swarm/update?version=${swarm.Version.Index}`, spec);
  assert.equal(updated.status, 200, updated.text);
}

const describeFindings = (findings: Finding[]) => findings.map((f) => `${f.code} ${f.severity} ${f.file}: ${f.message}`).join('\n');

/** Polls the doctor until `done` holds (a swarm takes seconds to notice a node gone or back). */
async function until(done: (findings: Finding[]) => boolean, what: string, timeoutMs = 90_000): Promise<Finding[]> {
  const deadline = Date.now() + timeoutMs;
  let findings = await diagnose();
  while (!done(findings)) {
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms; last findings:\n${describeFindings(findings)}`);
    await new Promise((resolve) => setTimeout(resolve, 2000));
    findings = await diagnose();
  }
  return findings;
}

const healthy = (findings: Finding[]) => Object.keys(perHost(findings)).length === 0;

describe(
  'swarm doctor on the three-host swarm lab',
  { skip: process.getuid?.() !== 0 && 'needs root (the lab makes network namespaces and runs dockerd)', timeout: 900_000 },
  () => {
    let lab: Lab | undefined;
    let firewall: Firewall;

    before(async () => {
      const claimed = await claimLab();
      firewall = await importTool<Firewall>(findRepoRoot(), 'lab', 'firewall.mjs');
      lab = claimed;
      await labUpOrExplain(lab, { store: 'swarm' });
    });

    after(async () => {
      const left = await lab?.labDown();
      if (left) assert.deepEqual(left, { processes: [], namespaces: [], links: [], cgroups: [], labDir: false });
    });

    /**
     * The daemons back, the lab's seed repaired and the swarm healthy again, whatever the test did.
     * On Engine 25+ a restarted host's web2 can stay exited ("could not find a network matching
     * network mode multihost", DNE240: Docker's fault, and the doctor rightly says so): the lab's
     * repair starts it the sure way DNE240 names, or the next test would begin with that warning.
     */
    async function mend(names: LabHostName[]): Promise<void> {
      for (const name of names) firewall.firewallClear(name);
      for (const name of names) await lab!.startHost(name);
      // Right after a cut-off the swarm heals by itself (17–60 s); a repair meanwhile can meet
      // Docker's "context deadline exceeded" or "no leader" (CI on 26, after the 2377/7946 drop):
      // wait and repair again, up to four times.
      for (let attempt = 1; ; attempt++) {
        try {
          await labUpOrExplain(lab!, { store: 'swarm' });
          break;
        } catch (error) {
          if (attempt === 4) throw error;
          await new Promise((resolve) => setTimeout(resolve, 15_000));
        }
      }
      await until(healthy, 'the swarm healthy again');
    }

    it('healthy: no warning or error, and says what it measured and what it could not', async (t) => {
      const findings = await until(healthy, 'a healthy swarm');
      t.diagnostic(describeFindings(findings));
      const said = findings.filter((f) => f.code === Codes.swarmPortsNotChecked);
      assert.equal(said.length, 1, describeFindings(findings));
      assert.match(
        said[0].message,
        /^Measured from this machine only: 6 TCP ports \(2377 on managers, 7946 on every node\) on 3 nodes, 6 open\. Not checked: 7946\/udp and the data port 4789\/udp/,
      );
    });

    it('docker1 stopped: DNE160 for it, the manager that lists the nodes says it is down and unreachable, and quorum has no loss to spare', async (t) => {
      t.after(() => mend(['docker1']));
      assert.ok(await lab!.stopHost('docker1'));
      const findings = await until(
        (all) => all.some((f) => f.code === Codes.swarmManagerUnreachable) && all.some((f) => f.code === Codes.swarmNodeDown),
        'docker1 seen down',
      );
      t.diagnostic(describeFindings(findings));
      const byHost = perHost(findings);
      assert.deepEqual(byHost.docker1, [Codes.daemonUnreachable]);
      // The node list is read once, from the first manager that gave it (docker2 here): one finding each, not one per manager.
      assert.deepEqual(byHost.docker2, [Codes.swarmManagerUnreachable, Codes.swarmNodeDown, Codes.swarmQuorumAtRisk].sort());
      assert.equal(byHost.docker3, undefined);
      const risk = findings.find((f) => f.code === Codes.swarmQuorumAtRisk)!;
      assert.match(risk.message, /^2 of 3 swarm managers are reachable \(not: docker1\); quorum needs 2/);
      assert.match(
        findings.find((f) => f.code === Codes.swarmNodeDown)!.message,
        /Swarm node "docker1" \(192\.168\.\d+\.11\) is down according to manager "docker2"/,
      );
    });

    it("autolock on, docker2 restarted: locked (DNE211) in Docker's words; `docker swarm unlock` with the key brings it back", async (t) => {
      t.after(async () => {
        await rawPost('docker2', '/swarm/unlock', { UnlockKey: key }).catch(() => undefined);
        await setAutolock('docker1', false);
        await mend([]);
      });
      let key = '';
      await setAutolock('docker1', true);
      key = ((await rawGet('docker1', '/swarm/unlockkey')).body as { UnlockKey: string }).UnlockKey;
      assert.match(key, /^SWMKEY-1-/);
      assert.ok(await lab!.stopHost('docker2'));
      await lab!.startHost('docker2');
      const info = (await rawGet('docker2', '/info')).body as { Swarm: { LocalNodeState: string } };
      assert.equal(info.Swarm.LocalNodeState, 'locked');
      // What a locked manager answers `docker node ls` with, as it sent it.
      const refused = await rawGet('docker2', '/nodes');
      t.diagnostic(JSON.stringify(refused));
      const { message } = refused.body as { message: string };
      assert.equal(refused.status, 503);
      assert.match(message, /^Swarm is encrypted and needs to be unlocked before it can be used\./);
      // Once the managers have noticed: docker2 down and unreachable to them (placed with docker2), quorum at risk.
      const findings = await until(
        (all) => [Codes.swarmLocked, Codes.swarmNodeDown, Codes.swarmManagerUnreachable].every((code) => all.some((f) => f.code === code)),
        'docker2 locked, and lost to the managers',
      );
      t.diagnostic(describeFindings(findings));
      const byHost = perHost(findings);
      assert.deepEqual(byHost.docker2, [Codes.swarmLocked, Codes.swarmNodeDown, Codes.swarmManagerUnreachable].sort());
      assert.deepEqual(byHost.docker1, [Codes.swarmQuorumAtRisk]);
      assert.equal(byHost.docker3, undefined);
      const said = (code: string) => findings.find((f) => f.code === code)!.message;
      assert.ok(said(Codes.swarmLocked).includes(`Docker says "${message}"`), said(Codes.swarmLocked));
      assert.match(
        said(Codes.swarmLocked),
        /docker swarm unlock on it with the unlock key \(docker swarm unlock-key on another manager shows it\)/,
      );
      for (const code of [Codes.swarmNodeDown, Codes.swarmManagerUnreachable])
        assert.ok(said(code).includes('It is locked (DNE211): docker swarm unlock on it'), said(code));
      assert.match(said(Codes.swarmQuorumAtRisk), /Unlock docker2 \(docker swarm unlock\)/);
      assert.match(said(Codes.swarmPortsNotChecked), /Not probed: docker2 \(locked: its swarm ports stay closed until it is unlocked\)/);

      // The fix as the finding words it, with the docker CLI of the engine on PATH (else the API it calls).
      const shown = spawnSync('docker', ['-H', urlOf('docker1'), 'swarm', 'unlock-key', '-q'], { encoding: 'utf8' });
      if (!shown.error) assert.equal(shown.stdout.trim(), key, shown.stderr);
      const unlock = spawnSync('docker', ['-H', urlOf('docker2'), 'swarm', 'unlock'], { input: `${key}\n`, encoding: 'utf8' });
      if (unlock.error) assert.equal((await rawPost('docker2', '/swarm/unlock', { UnlockKey: key })).status, 200);
      else assert.equal(unlock.status, 0, unlock.stderr);
      assert.equal(((await rawGet('docker2', '/info')).body as { Swarm: { LocalNodeState: string } }).Swarm.LocalNodeState, 'active');
      await until(healthy, 'healthy once unlocked');
    });

    it("two of three managers stopped: no quorum, in the daemon's and the CLI's own words", async (t) => {
      t.after(() => mend(['docker1', 'docker2']));
      await lab!.stopHost('docker1');
      await lab!.stopHost('docker2');
      // What the daemon answers `docker node ls` (GET /nodes) with, as it sent it, once raft has noticed
      // (before that: the list, then "rpc error: code = DeadlineExceeded desc = context deadline exceeded").
      const deadline = Date.now() + 90_000;
      let nodes = await rawGet('docker3', '/nodes');
      while (!JSON.stringify(nodes.body).includes('does not have a leader') && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 2000));
        nodes = await rawGet('docker3', '/nodes');
      }
      assert.deepEqual(nodes, { status: 500, body: { message: `rpc error: code = Unknown desc = ${NO_LEADER}` } });
      const findings = await until((all) => all.some((f) => f.code === Codes.swarmNoQuorum), 'docker3 without quorum');
      t.diagnostic(describeFindings(findings));
      const info = (await rawGet('docker3', '/info')).body as { Swarm: { Error: string } };
      assert.equal(info.Swarm.Error, `rpc error: code = Unknown desc = ${NO_LEADER}`);
      // The docker CLI of the engine on PATH prints it as it came.
      const cli = spawnSync('docker', ['-H', urlOf('docker3'), 'node', 'ls'], { encoding: 'utf8' });
      if (!cli.error) {
        assert.equal(cli.status, 1);
        assert.equal(cli.stderr.trim(), `Error response from daemon: rpc error: code = Unknown desc = ${NO_LEADER}`);
      }
      assert.deepEqual(perHost(findings), {
        docker1: [Codes.daemonUnreachable],
        docker2: [Codes.daemonUnreachable],
        docker3: [Codes.swarmNoQuorum],
      });
      const quorum = findings.find((f) => f.code === Codes.swarmNoQuorum)!;
      assert.ok(quorum.message.includes(`Docker says "rpc error: code = Unknown desc = ${NO_LEADER}"`), quorum.message);
      assert.match(quorum.message, /It knows 3 managers; 2 must be up/);
      assert.match(quorum.message, /docker swarm init --force-new-cluster --advertise-addr 192\.168\.\d+\.13/);

      // The same through the built CLI, `diagnose --host`.
      const run = spawnSync(
        path.join(findRepoRoot(), 'dist', 'cli.js'),
        ['diagnose', '--json', '--timeout', '1500', ...HOSTS.flatMap((name) => ['--host', urlOf(name)])],
        {
          encoding: 'utf8',
        },
      );
      assert.equal(run.status, 1, run.stderr);
      const printed = (JSON.parse(run.stdout) as { findings: Array<{ code: string; file: string; message: string }> }).findings;
      const cliQuorum = printed.find((f) => f.code === Codes.swarmNoQuorum);
      assert.equal(cliQuorum?.file, urlOf('docker3'));
      assert.ok(cliQuorum?.message.includes(NO_LEADER));
    });

    it('7946/tcp dropped inside docker2: DNE216 for docker2 only; cleared, gone', async (t) => {
      t.after(() => mend(['docker2']));
      assert.deepEqual(firewall.firewallDrop('docker2', { protocol: 'tcp', port: 7946 }), [
        '-A DNELAB-BREAK -p tcp -m tcp --dport 7946 -j DROP',
      ]);
      const only = JSON.stringify({ docker2: [Codes.swarmPortClosed] });
      const findings = await until((all) => JSON.stringify(perHost(all)) === only, 'DNE216 for docker2 alone', 30_000);
      t.diagnostic(describeFindings(findings));
      assert.match(
        findings.find((f) => f.code === Codes.swarmPortClosed)!.message,
        /^Swarm node "docker2" does not accept 7946\/tcp at 192\.168\.\d+\.12 from this machine \(timeout, /,
      );
      firewall.firewallClear('docker2');
      await until(healthy, 'healthy once the rule is gone', 30_000);
    });

    it('2377 and 7946/tcp dropped inside docker2: its advertise address answers nothing (DNE217), and the managers lose it', async (t) => {
      t.after(() => mend(['docker2']));
      firewall.firewallDrop('docker2', { protocol: 'tcp', port: 2377 });
      firewall.firewallDrop('docker2', { protocol: 'tcp', port: 7946 });
      const findings = await until(
        (all) => all.some((f) => f.code === Codes.swarmManagerUnreachable),
        'docker2 unreachable to the managers',
      );
      t.diagnostic(describeFindings(findings));
      const byHost = perHost(findings);
      assert.ok(byHost.docker2?.includes(Codes.swarmAdvertiseUnreachable), describeFindings(findings));
      assert.ok(!byHost.docker2?.includes(Codes.swarmPortClosed));
      // The quorum warning sits with the manager whose node list told (docker1, the first given).
      assert.ok(
        (byHost.docker1 ?? []).every((code) => code === Codes.swarmQuorumAtRisk),
        describeFindings(findings),
      );
      assert.equal(byHost.docker3, undefined);
    });

    it("docker2 joining through a manager nobody answers at: Docker's 503, pending then error (DNE210) in its words; leave and join again: healthy", async (t) => {
      let mended = false;
      t.after(async () => {
        if (mended) return;
        await lab!.rejoinSwarm('docker2');
        await mend([]);
      });
      const nowhere = `${LAYOUT.rootIp.split('.').slice(0, 3).join('.')}.99:2377`;
      // What `docker swarm join` prints after 20 s, as the daemon answered it.
      await assert.rejects(
        lab!.rejoinSwarm('docker2', { manager: nowhere }),
        (error: { statusCode?: number; json?: { message?: string } }) => {
          assert.equal(error.statusCode, 503);
          assert.equal(
            error.json?.message,
            'Timeout was reached before node joined. The attempt to join the swarm will continue in the background. Use the "docker info" command to see the current swarm status of your node.',
          );
          return true;
        },
      );
      const onDocker2 = (all: Finding[]) => all.filter((f) => f.file === urlOf('docker2'));
      const pending = await until(
        (all) => onDocker2(all).some((f) => f.code === Codes.swarmNodeError),
        'docker2 pending or in error',
        30_000,
      );
      t.diagnostic(describeFindings(pending));
      const first = onDocker2(pending).find((f) => f.code === Codes.swarmNodeError)!;
      // Pending for the first seconds, then error: either is what Docker says at that moment.
      if (first.severity === 'warning') {
        assert.ok(first.message.includes(`check that ${nowhere} answer on 2377/tcp from "docker2"`), first.message);
        assert.ok(first.message.includes(`${nowhere} is no manager of the swarm docker1, docker3 are in`), first.message);
      }
      const failed = await until(
        (all) => onDocker2(all).some((f) => f.code === Codes.swarmNodeError && f.severity === 'error'),
        'docker2 in error',
        90_000,
      );
      t.diagnostic(describeFindings(failed));
      const info = (await rawGet('docker2', '/info')).body as { Swarm: { LocalNodeState: string; Error: string } };
      const error = onDocker2(failed).find((f) => f.code === Codes.swarmNodeError)!;
      assert.ok(error.message.includes(`Docker says "${info.Swarm.Error}"`), `${error.message}\n${info.Swarm.Error}`);
      assert.match(info.Swarm.Error, new RegExp(`dial tcp ${nowhere.replace(/\./g, '\\.')}`));
      assert.match(error.message, /docker swarm leave --force on it and join again/);
      // Its ports are closed because it is out of the swarm: not probed, and said so; nothing else on docker2.
      assert.deepEqual(
        onDocker2(failed)
          .map((f) => f.code)
          .sort(),
        [Codes.swarmNodeError, Codes.swarmPortsNotChecked].sort(),
      );
      assert.match(onDocker2(failed).find((f) => f.code === Codes.swarmPortsNotChecked)!.message, /Not probed: docker2 \(error: /);
      // The fix the finding names: leave --force, join again (the lab's rejoin does both): healthy.
      await lab!.rejoinSwarm('docker2');
      await mend([]);
      mended = true;
    });

    it('docker2 joined again advertising an address no host has: DNE217 at that address, though the managers see it at its own', async (t) => {
      t.after(async () => {
        await lab!.rejoinSwarm('docker2');
        await labUpOrExplain(lab!, { store: 'swarm' });
        await until(healthy, 'the swarm healthy again');
      });
      const nowhere = `${LAYOUT.rootIp.split('.').slice(0, 3).join('.')}.99`;
      await lab!.rejoinSwarm('docker2', { advertise: nowhere });
      const info = (await rawGet('docker2', '/info')).body as { Swarm: { NodeAddr: string } };
      assert.equal(info.Swarm.NodeAddr, nowhere);
      const findings = await until((all) => all.some((f) => f.code === Codes.swarmAdvertiseUnreachable), 'the bad advertise address found');
      t.diagnostic(describeFindings(findings));
      const byHost = perHost(findings);
      assert.deepEqual(byHost.docker2, [Codes.swarmAdvertiseUnreachable]);
      const found = findings.find((f) => f.code === Codes.swarmAdvertiseUnreachable)!;
      assert.ok(
        found.message.startsWith(
          `Nothing answers at the advertise address ${nowhere} of swarm node "docker2" from this machine (7946/tcp: `,
        ),
        found.message,
      );
      assert.ok(found.message.includes(`the managers see it connect from ${LAYOUT.hostIp('docker2')}, but its peers gossip to ${nowhere}`));
      // Two managers are left: DNE213 with the manager that listed the nodes, nothing else.
      assert.deepEqual(byHost.docker1, [Codes.swarmQuorumAtRisk]);
      assert.equal(byHost.docker3, undefined);
    });

    it('an encrypted overlay: DNE219 says ESP is needed; ESP dropped inside docker2, its containers reach each other only on one node', async (t) => {
      const network = `${PREFIX}encrypted`;
      t.after(async () => {
        firewall.firewallClear('docker2');
        for (const name of ['docker1', 'docker2'] as const)
          await docker(name)
            .getContainer(`${PREFIX}esp-${name}`)
            .remove({ force: true })
            .catch(() => undefined);
        await docker('docker3')
          .getNetwork(network)
          .remove()
          .catch(() => undefined);
      });
      await docker('docker3').createNetwork({
        Name: network,
        Driver: 'overlay',
        Attachable: true,
        Options: { encrypted: '' },
        IPAM: { Config: [{ Subnet: '10.66.0.0/24' }] },
      });
      const findings = await diagnose();
      const esp = findings.filter((f) => f.code === Codes.swarmEncryptedNeedsEsp);
      assert.equal(esp.length, 1, describeFindings(findings));
      assert.match(esp[0].message, new RegExp(`^Overlay "${network}" is encrypted: between nodes its traffic is ESP \\(IP protocol 50\\)`));
      assert.deepEqual(perHost(findings), {});

      // The claim, proven: a container on docker1 reaches one on docker2 over it, until ESP is dropped on docker2.
      const start = async (name: 'docker1' | 'docker2') => {
        const container = await docker(name).createContainer({
          name: `${PREFIX}esp-${name}`,
          Image: 'dne-busybox:lab',
          Cmd: ['sleep', '600'],
          HostConfig: { NetworkMode: network },
        });
        await container.start();
        return container;
      };
      await start('docker2');
      const from = await start('docker1');
      const ping = async () => {
        const exec = await from.exec({
          Cmd: ['ping', '-c', '2', '-W', '2', `${PREFIX}esp-docker2`],
          AttachStdout: true,
          AttachStderr: true,
        });
        const stream = await exec.start({});
        await new Promise((resolve) => stream.on('end', resolve).resume());
        return (await exec.inspect()).ExitCode;
      };
      if ((await ping()) !== 0) {
        // Some kernels cannot hold the SAs: dockerd only logs it, and the overlay carries nothing at all (this machine's, for one).
        const log = fs.readFileSync(path.join(LAYOUT.dir, 'docker1', 'dockerd.log'), 'utf8');
        const said = log.split('\n').find((line) => /Failed Adding [fr]SA\{.*Proto: esp.*function not implemented/.test(line));
        assert.ok(said, 'the encrypted overlay carries nothing even before ESP is dropped, and dockerd did not say why');
        t.diagnostic(`docker1's dockerd: ${said}`);
        t.skip(
          'this kernel cannot add the overlay\'s ESP SAs ("function not implemented"): whether dropped ESP cuts the overlay is not measurable here',
        );
        return;
      }
      firewall.firewallDrop('docker2', { protocol: 'esp' });
      assert.notEqual(await ping(), 0, 'ESP dropped on docker2, yet the ping came through');
      firewall.firewallClear('docker2');
      assert.equal(await ping(), 0);
    });

    it("an overlay over the lab's LAN: DNE183 on every host, whose swarm advertise address it covers", async (t) => {
      const network = `${PREFIX}over-lan`;
      t.after(() =>
        docker('docker3')
          .getNetwork(network)
          .remove()
          .catch(() => undefined),
      );
      const lan = `${LAYOUT.rootIp.split('.').slice(0, 3).join('.')}.0/24`;
      await docker('docker3').createNetwork({ Name: network, Driver: 'overlay', Attachable: true, IPAM: { Config: [{ Subnet: lan }] } });
      const findings = await diagnose();
      t.diagnostic(describeFindings(findings));
      // Every lab host is a manager, so each lists the overlay; each host's own address is inside it.
      assert.deepEqual(perHost(findings), {
        docker1: [Codes.overlaySubnetOverlap],
        docker2: [Codes.overlaySubnetOverlap],
        docker3: [Codes.overlaySubnetOverlap],
      });
      assert.match(
        findings.find((f) => f.file === urlOf('docker2'))!.message,
        new RegExp(
          `^Overlay "${network}" \\(${lan.replace(/\./g, '\\.')}\\) overlaps its swarm advertise address 192\\.168\\.\\d+\\.12 on "docker2"`,
        ),
      );
    });
  },
);
