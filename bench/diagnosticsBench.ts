/**
 * `npm run bench -- diagnostics` (root): the cluster-store doctor on the three-host lab
 * (tools/lab). Each host's "files" are its real configuration: the daemon.json it reads and
 * its dockerd command line as a unit's ExecStart (read from /proc). Measures (a) a full pass —
 * files of 3 hosts + live probes of 3 daemons and their etcd — when healthy (goal ≤ 1 s);
 * (b) the same when the files name a store address that drops packets (goal: about one probe
 * timeout, not one per host). Brings the lab up if it is not, and down again if it did.
 * Writes test-results/bench-diagnostics.json.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { diagnoseFiles } from '../src/core/diagnostics/configFiles';
import type { Finding } from '../src/core/diagnostics/finding';
import { diagnoseLive, type LiveHost } from '../src/core/diagnostics/live';
import { loadLab, type LabHostName } from '../test/support/lab';

const HOSTS: LabHostName[] = ['docker1', 'docker2', 'docker3'];
const RUNS = 15;
const TIMEOUT_MS = 1000;
/** On the lab LAN, owned by nobody: connections to it hang until the probe's timeout. */
const BLACKHOLE_STORE = 'etcd://192.168.77.250:2379';

interface HostFiles {
  name: LabHostName;
  url: string;
  files: Array<{ path: string; text: string }>;
}

/** The daemon's configuration as it really runs: its daemon.json and its command line. */
function hostFiles(name: LabHostName, storeOverride?: string): HostFiles {
  const dir = `/run/dnelab/${name}`;
  const pid = Number(fs.readFileSync(path.join(dir, 'docker.pid'), 'utf8'));
  let words = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
  if (storeOverride) words = words.map((word) => (word.startsWith('--cluster-store=') ? `--cluster-store=${storeOverride}` : word));
  const unit = `[Service]\nExecStart=${words.join(' ')}\n`;
  return {
    name,
    url: `unix://${dir}/docker.sock`,
    files: [
      { path: path.join(dir, 'daemon.json'), text: fs.readFileSync(path.join(dir, 'daemon.json'), 'utf8') },
      { path: path.join(dir, 'docker.service'), text: unit },
    ],
  };
}

async function fullPass(hosts: HostFiles[]): Promise<Finding[]> {
  const fileFindings = hosts.flatMap((host) => diagnoseFiles(host.files));
  const live: LiveHost[] = hosts.map((host) => ({
    name: host.name,
    url: host.url,
    files: {
      daemonJson: { file: host.files[0].path, text: host.files[0].text },
      serviceUnit: { file: host.files[1].path, text: host.files[1].text },
    },
  }));
  return [...fileFindings, ...(await diagnoseLive(live, { timeoutMs: TIMEOUT_MS }))];
}

async function measure(
  label: string,
  hosts: () => HostFiles[],
): Promise<{ label: string; medianMs: number; worstMs: number; findings: string[] }> {
  const times: number[] = [];
  let findings: Finding[] = [];
  for (let run = 0; run < RUNS; run++) {
    const started = performance.now();
    findings = await fullPass(hosts());
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  return {
    label,
    medianMs: times[Math.floor(times.length / 2)],
    worstMs: times[times.length - 1],
    findings: findings.map((finding) => `${finding.code} ${finding.file}`),
  };
}

async function main(): Promise<void> {
  if (process.getuid?.() !== 0) throw new Error('the diagnostics bench runs on the lab, which needs root');
  const lab = await loadLab();
  const started = !(await lab.labStatus()).up;
  if (started) await lab.labUp({ log: (line) => console.error(`[lab] ${line}`) });
  try {
    const healthy = await measure('healthy: 3 hosts, files + live (daemons and etcd)', () => HOSTS.map((name) => hostFiles(name)));
    const dead = await measure(`files name a store that drops packets (probe timeout ${TIMEOUT_MS} ms)`, () =>
      HOSTS.map((name) => hostFiles(name, BLACKHOLE_STORE)),
    );
    const rows = [
      [healthy.label, healthy, healthy.worstMs <= 1000 ? '≤ 1 s ✔' : '≤ 1 s ✘'],
      [dead.label, dead, dead.worstMs <= TIMEOUT_MS * 1.5 ? `≈ 1 timeout ✔` : `≈ 1 timeout ✘`],
    ] as const;
    console.log('| measurement | median | worst | goal |\n|---|---:|---:|---|');
    for (const [label, result, goal] of rows)
      console.log(`| ${label} | ${result.medianMs.toFixed(0)} ms | ${result.worstMs.toFixed(0)} ms | ${goal} |`);
    console.log(`\nhealthy findings: ${healthy.findings.length ? healthy.findings.join('; ') : 'none'}`);
    console.log(`dead-store findings: ${dead.findings.join('; ')}`);
    fs.mkdirSync('test-results', { recursive: true });
    fs.writeFileSync(
      path.join('test-results', 'bench-diagnostics.json'),
      JSON.stringify({ date: new Date().toISOString(), runs: RUNS, timeoutMs: TIMEOUT_MS, healthy, dead }, null, 2),
    );
  } finally {
    if (started) await lab.labDown({ log: (line) => console.error(`[lab] ${line}`) });
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.stack : error);
  process.exitCode = 1;
});
