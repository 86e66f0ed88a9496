/**
 * The live doctor on the three-host lab (tools/lab/), from the root namespace as the extension
 * runs it: the store on the lab's LAN (192.168.77.1 in the default lab) is reached through the lab's dnelab-root port. Healthy first,
 * then broken for real — a host advertising a missing interface, a host on another store, the
 * store stopped — and each time mended, with the findings read per host. Brought up once, and
 * taken down even when a test fails.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { diagnoseLive } from '../../src/core/diagnostics/live';
import type { Finding } from '../../src/core/diagnostics/finding';
import { Codes } from '../../src/core/diagnostics/codes';
import { labLayout, labUpOrExplain, loadLab, type Lab, type LabHostName } from '../support/lab';
import { skipWithoutClusterStore } from '../support/engine';

const HOSTS: LabHostName[] = ['docker1', 'docker2', 'docker3'];
const LAYOUT = labLayout();
const urlOf = (name: LabHostName) => `unix://${LAYOUT.socket(name)}`;
const DEAD_STORE = `etcd://${LAYOUT.storeIp}:2399`;

/** Errors and warnings per host (findings without files sit at the host's URL), codes sorted. */
async function problemsPerHost(): Promise<{ byHost: Partial<Record<LabHostName, string[]>>; findings: Finding[] }> {
  const findings = await diagnoseLive(
    HOSTS.map((name) => ({ name, url: urlOf(name) })),
    { timeoutMs: 1500 },
  );
  const byHost: Partial<Record<LabHostName, string[]>> = {};
  for (const finding of findings.filter((f) => f.severity === 'error' || f.severity === 'warning')) {
    const host = HOSTS.find((name) => finding.file === urlOf(name));
    assert.ok(host, `finding on an unknown file ${finding.file}: ${finding.message}`);
    byHost[host] = [...(byHost[host] ?? []), finding.code].sort();
  }
  return { byHost, findings };
}

/**
 * After a test, whatever happened: the host back on the lab's flags (only if it is not already),
 * so one failure does not fail the next tests too.
 */
async function mendHost(lab: Lab, name: LabHostName): Promise<void> {
  const status = await lab.labStatus();
  if (!status.overrides[name] && status.hosts.find((host) => host.name === name)?.answers) return;
  await lab.restartHost(name).catch((error: unknown) => console.error(`mending ${name} failed:`, error));
}

const describeFindings = (findings: Finding[]) => findings.map((f) => `${f.code} ${f.severity} ${f.file}: ${f.message}`).join('\n');

describe(
  'live doctor on the three-host lab',
  {
    skip:
      (process.getuid?.() !== 0 && 'needs root (the lab makes network namespaces and runs dockerd)') ||
      skipWithoutClusterStore('the doctor on the cluster-store lab'),
    timeout: 120_000,
  },
  () => {
    let lab: Lab | undefined;

    before(async () => {
      const loaded = await loadLab();
      // Fixed names: a lab somebody else is using must not be taken down by this test.
      const status = await loaded.labStatus();
      if (status.up || status.namespaces.length) throw new Error('a lab is already up here: `npm run lab -- down` first');
      lab = loaded;
      await labUpOrExplain(lab, { store: 'etcd' });
    });

    after(async () => {
      const left = await lab?.labDown();
      if (left) assert.deepEqual(left, { processes: [], namespaces: [], links: [], cgroups: [], labDir: false });
    });

    it('reaches the store from the root namespace, and finds nothing wrong with the healthy lab', async (t) => {
      assert.equal((await lab!.labStatus()).rootAddress, LAYOUT.rootIp);
      const response = await fetch(`http://${LAYOUT.storeIp}:2379/version`, { signal: AbortSignal.timeout(3000) });
      const version = (await response.json()) as { etcdserver: string };
      t.diagnostic(`etcd ${version.etcdserver} answers at ${LAYOUT.storeIp}:2379 from the root namespace`);
      const { byHost, findings } = await problemsPerHost();
      assert.deepEqual(byHost, {}, describeFindings(findings));
    });

    it('docker2 advertising a missing interface: its dockerd refuses to start, DNE160 for docker2 only', async (t) => {
      t.after(() => mendHost(lab!, 'docker2'));
      const restart = await lab!.restartHost('docker2', { advertise: 'eth9:2376' });
      assert.equal(restart.answers, false);
      const said =
        'failed to start daemon: discovery advertise parsing failed: invalid cluster advertise IP address or interface name (eth9:2376) : route ip+net: no such network interface';
      assert.equal(restart.failure, said);
      // Read again from the daemon's own log, not only through the lab's parsing of it.
      assert.ok(fs.readFileSync(`${LAYOUT.dir}/docker2/dockerd.log`, 'utf8').split('\n').includes(said));
      t.diagnostic(`docker2's dockerd: ${said}`);
      const { byHost, findings } = await problemsPerHost();
      t.diagnostic(describeFindings(findings));
      assert.deepEqual(byHost, { docker2: [Codes.daemonUnreachable] });

      assert.equal((await lab!.restartHost('docker2')).answers, true);
      assert.deepEqual((await problemsPerHost()).byHost, {});
    });

    it('docker1 on another store: store refused and "different stores" for docker1, nothing for the others', async (t) => {
      t.after(() => mendHost(lab!, 'docker1'));
      const restart = await lab!.restartHost('docker1', { store: DEAD_STORE });
      assert.equal(restart.answers, true);
      const { byHost, findings } = await problemsPerHost();
      t.diagnostic(describeFindings(findings));
      assert.deepEqual(byHost, { docker1: [Codes.storeRefused, Codes.storeDiffersAcrossHosts].sort() });
      const differs = findings.find((f) => f.code === Codes.storeDiffersAcrossHosts);
      assert.match(
        differs?.message ?? '',
        /"docker1" uses cluster store etcd:\/\/192\.168\.77\.1:2399, but "docker2" uses etcd:\/\/192\.168\.77\.1:2379/,
      );
      assert.match(findings.find((f) => f.code === Codes.storeRefused)?.message ?? '', /192\.168\.77\.1:2399/);

      assert.equal((await lab!.restartHost('docker1')).answers, true);
      assert.deepEqual((await problemsPerHost()).byHost, {});
    });

    it('the store stopped: every host finds its store refused; started again, the findings go', async (t) => {
      t.after(() =>
        lab!.storeStart().then(
          () => undefined,
          (error: unknown) => console.error('starting the store failed:', error),
        ),
      );
      assert.ok(await lab!.storeStop(), 'no store was running');
      const { byHost, findings } = await problemsPerHost();
      t.diagnostic(describeFindings(findings));
      assert.deepEqual(byHost, { docker1: [Codes.storeRefused], docker2: [Codes.storeRefused], docker3: [Codes.storeRefused] });

      await lab!.storeStart();
      assert.deepEqual((await problemsPerHost()).byHost, {});
    });
  },
);
