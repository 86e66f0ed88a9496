/**
 * The swarm doctor's node-side probe (DNE220) on the three-host lab in swarm mode, the engine
 * DNE_ENGINE names: each node dials the others' 2377/tcp and 7946/tcp from a helper container on
 * its own network, made from the lab's image (dne-busybox:lab, Debian's static busybox: no `nc -z`).
 * Broken for real: docker2's namespace drops TCP 2377 and 7946 from docker1's lab address only,
 * so this machine still finds them open, docker3 too, and only docker1's side shows the firewall.
 * Rule removed: the finding gone. No helper is ever left behind, and an absent image is said,
 * never pulled. The built CLI's --probe-from-nodes is the same path (one run).
 */
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import Dockerode from 'dockerode';
import { Codes } from '../../src/core/diagnostics/codes';
import type { Finding } from '../../src/core/diagnostics/finding';
import { diagnoseLive } from '../../src/core/diagnostics/live';
import { NODE_PROBE_LABEL } from '../../src/core/diagnostics/live/swarmNodeProbeRun';
import { HELPER_LABEL } from '../../src/core/docker/helperContainer';
import { findRepoRoot } from '../support/codeServer';
import { claimLab, labLayout, labUpOrExplain, type Lab, type LabHostName } from '../support/lab';
import { LAB_HOSTS, labUrlOf, undoRulesAndLabDown, within } from '../support/labFaults';

const LAYOUT = labLayout();
const IMAGE = 'dne-busybox:lab';
const CUT: LabHostName = 'docker2';
const FROM: LabHostName = 'docker1';
/** In CUT's namespace only: TCP 2377 and 7946 from FROM's lab address, nothing else. */
const RULES = ['2377', '7946'].map((port) => [
  'INPUT',
  '-p',
  'tcp',
  '-s',
  LAYOUT.hostIp(FROM),
  '--dport',
  port,
  '-m',
  'comment',
  '--comment',
  'dne-node-probe',
  '-j',
  'DROP',
]);
const iptables = (...args: string[]) =>
  execFileSync('ip', ['netns', 'exec', LAYOUT.netns(CUT), 'iptables', ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
const docker = (name: LabHostName) => new Dockerode({ socketPath: LAYOUT.socket(name), timeout: 15_000 });
const cli = path.join(findRepoRoot(), 'dist', 'cli.js');

/** The doctor as the extension runs it, from the root namespace; the probe from the nodes on unless told. */
function diagnose(options: { probeFromNodes?: boolean; helperImages?: string[] } = {}): Promise<Finding[]> {
  return diagnoseLive(
    LAB_HOSTS.map((name) => ({ name, url: labUrlOf(name) })),
    // Generous: 2 cores shared by several engineers.
    { timeoutMs: 5000, probeFromNodes: options.probeFromNodes ?? true, helperImages: options.helperImages ?? [IMAGE] },
  );
}

const describeFindings = (findings: Finding[]) => findings.map((f) => `${f.code} ${f.severity} ${f.file}: ${f.message}`).join('\n');
const only = (findings: Finding[], code: string) => findings.filter((f) => f.code === code);
const notChecked = (findings: Finding[]) => {
  const said = only(findings, Codes.swarmPortsNotChecked);
  assert.equal(said.length, 1, describeFindings(findings));
  return said[0].message;
};

/** Helpers of the node probe still on any node (there must be none once a run is over). */
async function leftHelpers(): Promise<string[]> {
  const left = await Promise.all(
    LAB_HOSTS.map(async (name) =>
      (await docker(name).listContainers({ all: true, filters: JSON.stringify({ label: [`${HELPER_LABEL}=${NODE_PROBE_LABEL}`] }) })).map(
        (container) => `${name}: ${container.Id.slice(0, 12)} ${container.State}`,
      ),
    ),
  );
  return left.flat();
}

async function everyNodeReady(): Promise<boolean> {
  const nodes = (await docker('docker1').listNodes()) as Array<{ Status?: { State?: string } }>;
  return nodes.length === 3 && nodes.every((node) => node.Status?.State === 'ready');
}

describe(
  'swarm ports measured from each node (a helper container on its network)',
  { skip: process.getuid?.() !== 0 && 'needs root (the lab makes network namespaces and runs dockerd)', timeout: 480_000 },
  () => {
    let lab: Lab | undefined;

    before(async () => {
      lab = await claimLab();
      await labUpOrExplain(lab, { store: 'swarm' });
      await within(60_000, 'every node Ready', everyNodeReady);
    });
    after(() => undoRulesAndLabDown(lab, RULES, iptables));

    it('off: DNE218 says node-to-node TCP was not checked, and how to ask for it; no container is made', async () => {
      const findings = await diagnose({ probeFromNodes: false });
      assert.match(
        notChecked(findings),
        /node-to-node TCP was not checked; the dockerNetworkExplorer\.diagnostics\.probeFromNodes setting or diagnose --probe-from-nodes/,
      );
      assert.deepEqual(await leftHelpers(), []);
    });

    it('healthy: every node opens every other node’s ports, said in DNE218; no DNE220; no helper left', async (t) => {
      t.diagnostic(`engine: ${(await docker('docker1').version()).Version}`);
      const findings = await diagnose();
      t.diagnostic(describeFindings(findings));
      assert.deepEqual(only(findings, Codes.swarmPortClosedBetweenNodes), []);
      const said = notChecked(findings);
      for (const name of LAB_HOSTS) assert.ok(said.includes(`${name}: 4 TCP ports on 2 nodes, 4 open`), said);
      assert.doesNotMatch(said, /Not checked from/);
      assert.deepEqual(await leftHelpers(), []);
    });

    it('no helper image on the nodes: not checked from there, said, and nothing pulled', async () => {
      const absent = 'dne-no-such-image:none';
      const said = notChecked(await diagnose({ helperImages: [absent] }));
      for (const name of LAB_HOSTS) assert.ok(said.includes(`${name} (no helper image there: looked for ${absent}; none is pulled)`), said);
      for (const name of LAB_HOSTS)
        await assert.rejects(docker(name).getImage(absent).inspect(), (error: { statusCode?: number }) => error.statusCode === 404);
      assert.deepEqual(await leftHelpers(), []);
    });

    it(`${CUT} drops 2377 and 7946 from ${FROM} only: open from here and from docker3, DNE220 from ${FROM}; rule removed, gone`, async (t) => {
      for (const rule of RULES) iptables('-I', ...rule);
      const findings = await diagnose();
      t.diagnostic(describeFindings(findings));
      // This machine's own probe still finds every port of CUT open.
      for (const code of [Codes.swarmPortClosed, Codes.swarmAdvertiseUnreachable])
        assert.deepEqual(only(findings, code), [], describeFindings(findings));
      const between = only(findings, Codes.swarmPortClosedBetweenNodes);
      assert.equal(between.length, 1, describeFindings(findings));
      assert.equal(between[0].file, labUrlOf(CUT));
      assert.equal(between[0].severity, 'error');
      const cutIp = LAYOUT.hostIp(CUT).replace(/\./g, '\\.');
      assert.match(
        between[0].message,
        new RegExp(
          `^Swarm node "${FROM}" cannot open 2377/tcp and 7946/tcp of node "${CUT}" at ${cutIp}: from ${FROM}, ${CUT}'s 2377/tcp: timed out \\(nc: "timed out"\\); 7946/tcp: timed out \\(nc: "timed out"\\)`,
        ),
      );
      assert.match(between[0].message, /From this machine they are open, and from docker3 too: the path from docker1 is what is closed/);
      const said = notChecked(findings);
      assert.ok(said.includes(`${FROM}: 4 TCP ports on 2 nodes, 2 open`), said);
      assert.ok(said.includes('docker3: 4 TCP ports on 2 nodes, 4 open'), said);
      assert.deepEqual(await leftHelpers(), []);

      for (const rule of RULES) iptables('-D', ...rule);
      const healed = await diagnose();
      assert.deepEqual(only(healed, Codes.swarmPortClosedBetweenNodes), [], describeFindings(healed));
      assert.ok(notChecked(healed).includes(`${FROM}: 4 TCP ports on 2 nodes, 4 open`), notChecked(healed));
      assert.deepEqual(await leftHelpers(), []);
    });

    it(
      'the built CLI: diagnose --probe-from-nodes --helper-image measures from the nodes',
      { skip: !fs.existsSync(cli) && `${cli} missing: run node tools/build.mjs` },
      () => {
        const hosts = LAB_HOSTS.flatMap((name) => ['--host', labUrlOf(name)]);
        const result = spawnSync(
          process.execPath,
          [cli, 'diagnose', '--json', '--timeout', '5000', '--probe-from-nodes', '--helper-image', IMAGE, ...hosts],
          { encoding: 'utf8', timeout: 120_000 },
        );
        const findings = (JSON.parse(result.stdout || '{}') as { findings?: Array<{ code: string; message: string }> }).findings ?? [];
        const said = findings.find((f) => f.code === Codes.swarmPortsNotChecked)?.message ?? `nothing; stderr: ${result.stderr}`;
        for (const name of LAB_HOSTS) assert.ok(said.includes(`${name}: 4 TCP ports on 2 nodes, 4 open`), said);
      },
    );
  },
);
