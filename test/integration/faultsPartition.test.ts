/**
 * Fault injection on the three-host lab (tools/lab, DNELAB_ID picks the lab): the cluster store
 * partitioned from ONE host by iptables inside that host's network namespace only (DROP to the
 * store's port in its OUTPUT chain; the root namespace's tables are never touched). What really
 * happens, on dockerd 20.10: that daemon lists only its local networks (the store's overlays are
 * gone from `docker network ls`) and logs "Registering as "…" in discovery failed: client: etcd
 * cluster is unavailable or misconfigured; …". What the user sees: the live doctor's DNE168 for
 * that host alone, quoting that line; the other hosts unaffected. Rule removed: the host lists
 * the overlays again, and the doctor is quiet, within 60 s; the host's view equals the daemon's.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import { after, before, describe, it } from 'node:test';
import Dockerode from 'dockerode';
import { Codes } from '../../src/core/diagnostics/codes';
import { DockerClient } from '../../src/core/docker/dockerClient';
import { HostMonitor } from '../../src/core/docker/hostMonitor';
import { SnapshotLoader } from '../../src/core/docker/snapshotLoader';
import { unixEndpoint, unixHost } from '../support/dockerFixture';
import { skipWithoutClusterStore } from '../support/engine';
import { isConnected, waitForState } from '../support/hostStates';
import { LAB_HOSTS, labProblemsPerHost, within } from '../support/labFaults';
import { claimLab, labLayout, labUpOrExplain, type Lab, type LabHostName } from '../support/lab';

const LAYOUT = labLayout();
const CUT: LabHostName = 'docker2';
/** The rule, as iptables -I/-D take it, inside the cut host's namespace. */
const RULE = [
  'OUTPUT',
  '-d',
  LAYOUT.storeIp,
  '-p',
  'tcp',
  '--dport',
  '2379',
  '-m',
  'comment',
  '--comment',
  'dne-faults-partition',
  '-j',
  'DROP',
];
const iptables = (...args: string[]) =>
  execFileSync('ip', ['netns', 'exec', LAYOUT.netns(CUT), 'iptables', ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

async function globalNetworks(name: LabHostName): Promise<string[]> {
  const networks = await new Dockerode({ socketPath: LAYOUT.socket(name) }).listNetworks();
  return networks
    .filter((network) => network.Scope === 'global')
    .map((network) => network.Name)
    .sort();
}

describe(
  'fault injection: the store partitioned from one lab host (iptables in its namespace)',
  {
    skip:
      (process.getuid?.() !== 0 && 'needs root (the lab makes network namespaces and runs dockerd)') ||
      skipWithoutClusterStore('a lab on a cluster store'),
    timeout: 300_000,
  },
  () => {
    let lab: Lab | undefined;
    let monitor: HostMonitor | undefined;

    before(async () => {
      lab = await claimLab();
      await labUpOrExplain(lab, { store: 'etcd' });
      monitor = new HostMonitor(unixHost(LAYOUT.socket(CUT), CUT), { timeoutMs: 10_000, retryInitialMs: 500, retryMaxMs: 2000 });
      await monitor.start();
    });
    after(async () => {
      monitor?.dispose();
      try {
        iptables('-D', ...RULE);
      } catch {
        // not there: the test removed it
      }
      const left = await lab?.labDown();
      if (left) assert.deepEqual(left, { processes: [], namespaces: [], links: [], cgroups: [], labDir: false });
    });

    it("cut off: DNE168 for that host alone, in dockerd's words; healed: overlays back and the doctor quiet within 60 s", async (t) => {
      t.diagnostic(iptables('-V').trim());
      assert.deepEqual((await labProblemsPerHost(5000)).byHost, {}, 'the healthy lab has findings');
      const overlays = await globalNetworks('docker1');
      assert.ok(overlays.includes('multihost'), JSON.stringify(overlays));
      await waitForState(monitor!, isConnected, 'connected');

      const log = `${LAYOUT.dir}/${CUT}/dockerd.log`;
      const logBefore = fs.readFileSync(log, 'utf8').length;
      iptables('-I', ...RULE);
      // Only that namespace's table holds the rule.
      assert.match(iptables('-S', 'OUTPUT'), /dne-faults-partition/);
      const gone = await within(60_000, `${CUT} dropping the store's overlays`, async () => (await globalNetworks(CUT)).length === 0);
      t.diagnostic(`${CUT} lists no overlay ${gone} ms after the rule`);
      for (const other of LAB_HOSTS.filter((name) => name !== CUT)) assert.deepEqual(await globalNetworks(other), overlays, other);

      const { byHost, findings } = await labProblemsPerHost(5000);
      t.diagnostic(findings.map((f) => `${f.code} ${f.file}: ${f.message}`).join('\n'));
      assert.deepEqual(byHost, { [CUT]: [Codes.storeCutOff] });
      const cutOff = findings.find((f) => f.code === Codes.storeCutOff)!;
      assert.ok(
        cutOff.message.startsWith(`"${CUT}" lists none of the overlay networks that "docker1", "docker3" see on the same store`),
        cutOff.message,
      );
      assert.ok(cutOff.message.includes(overlays.join(', ')), cutOff.message);
      // The line quoted is what this dockerd really logged.
      const quoted = /says "(Registering as .*); …"/.exec(cutOff.message)?.[1];
      assert.ok(quoted, cutOff.message);
      await within(60_000, `${CUT}'s dockerd logging the quoted line`, async () =>
        fs.readFileSync(log, 'utf8').slice(logBefore).includes(quoted),
      );
      t.diagnostic(`${CUT}'s dockerd: ${quoted}`);

      iptables('-D', ...RULE);
      const back = await within(
        60_000,
        `${CUT} listing the overlays again`,
        async () => JSON.stringify(await globalNetworks(CUT)) === JSON.stringify(overlays),
      );
      const quiet = await within(
        60_000,
        'the doctor quiet again',
        async () => Object.keys((await labProblemsPerHost(5000)).byHost).length === 0,
      );
      t.diagnostic(`healed: overlays back on ${CUT} after ${back} ms, the doctor quiet ${quiet} ms later`);

      // The host's view (the tree) equals what its daemon lists, and stayed connected throughout.
      const truth = new SnapshotLoader(new DockerClient(unixEndpoint(LAYOUT.socket(CUT)), CUT, { timeoutMs: 10_000 }), CUT);
      const names = (networks: Array<{ name: string }>) => JSON.stringify(networks.map((network) => network.name).sort());
      await within(30_000, "the host's view equal to its daemon's", async () => {
        const state = monitor!.state;
        return state.kind === 'connected' && names(state.snapshot.networks) === names((await truth.load()).networks);
      });
    });
  },
);
