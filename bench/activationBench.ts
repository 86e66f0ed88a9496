/**
 * `npm run bench -- activation [--runs N] [--cold] [BUNDLE]`: what activating the extension costs
 * on a JSON file that is not Docker's (issue #17). Each run is a fresh Node process
 * (activationProbe.ts): dist/extension.js `require`d with a stubbed `vscode` (code loading),
 * a plain package.json open, `activate` called, then 200 keystrokes in a 2.9 MB JSON file.
 * Goals: code loading ≤ 20 ms, activate ≤ 5 ms (medians), no Docker client or YAML bundle
 * loaded, the large file's text never read while typing, no quick-fix provider registered.
 * `--code-server` also measures it as the issue did, in VS Code itself: 3 fresh code-server
 * instances each open a plain package.json and read the extension's row in Developer: Startup
 * Performance (bench/activationHost). Writes test-results/activation-bench.json.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { runExtensionHostSuite } from '../test/support/codeServerSuite';

interface Sample {
  loadMs: number;
  activateMs: number;
  loadCpuMs: number;
  activateCpuMs: number;
  keystrokeMs: number;
  bigFileReadsOnOpen: number;
  bigFileReadsWhileTyping: number;
  loadedBundles: string[];
  codeActionSelectors: unknown[];
}

const repo = path.resolve(__dirname, '..', '..');
const args = process.argv.slice(2);
const runsAt = args.indexOf('--runs');
const runs = runsAt >= 0 ? Number(args.splice(runsAt, 2)[1]) : 15;
const cold = args.includes('--cold');
const inCodeServer = args.includes('--code-server');
/** Must match ROW_MARKER in activationHost/index.ts (not imported: that module needs `vscode`). */
const ROW_MARKER = 'activation-bench-row';
const bundle = path.resolve(repo, args.find((arg) => !arg.startsWith('--')) ?? 'dist/extension.js');
const probe = path.join(__dirname, 'activationProbe.js');

const samples: Sample[] = [];
for (let run = 0; run < runs; run += 1) {
  const result = spawnSync(process.execPath, [probe, bundle, ...(cold ? ['--cold'] : [])], { cwd: repo, encoding: 'utf8' });
  if (result.status !== 0) {
    process.stderr.write(result.stderr);
    throw new Error(`activation probe failed (exit ${result.status})`);
  }
  samples.push(JSON.parse(result.stdout.trim().split('\n').pop() ?? '{}') as Sample);
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};
const ms = (value: number) => `${value.toFixed(1)} ms`;
const load = samples.map((sample) => sample.loadMs);
const activate = samples.map((sample) => sample.activateMs);
const loadCpu = samples.map((sample) => sample.loadCpuMs);
const activateCpu = samples.map((sample) => sample.activateCpuMs);
const keystroke = samples.map((sample) => sample.keystrokeMs * 1000);
const bundles = [...new Set(samples.flatMap((sample) => sample.loadedBundles))];
const readsWhileTyping = Math.max(...samples.map((sample) => sample.bigFileReadsWhileTyping));
const selectors = Math.max(...samples.map((sample) => sample.codeActionSelectors.length));

const goals = [
  {
    name: 'code loading (require of the bundle), median',
    value: median(load),
    shown: `${ms(median(load))} (min ${ms(Math.min(...load))}, max ${ms(Math.max(...load))})`,
    ok: median(load) <= 20,
    goal: '≤ 20 ms',
  },
  {
    name: 'activate call, median',
    value: median(activate),
    shown: `${ms(median(activate))} (min ${ms(Math.min(...activate))}, max ${ms(Math.max(...activate))})`,
    ok: median(activate) <= 5,
    goal: '≤ 5 ms',
  },
  {
    name: 'CPU time of the two (the work, without waits for a core), median',
    shown: `${ms(median(loadCpu))} + ${ms(median(activateCpu))}`,
    ok: true,
    goal: 'information',
  },
  {
    name: 'bundles loaded besides extension.js',
    shown: bundles.filter((name) => name !== 'extension.js').join(', ') || 'none',
    ok: bundles.every((name) => name === 'extension.js'),
    goal: 'none',
  },
  {
    name: 'keystroke in a 2.9 MB non-Docker JSON file, median',
    shown: `${median(keystroke).toFixed(1)} µs, text read ${readsWhileTyping} times while typing`,
    ok: readsWhileTyping === 0,
    goal: 'text never read',
  },
  { name: 'quick-fix providers registered', shown: String(selectors), ok: selectors === 0, goal: '0' },
];
console.log(
  `activation of ${path.relative(repo, bundle)} (${(fs.statSync(bundle).size / 1024).toFixed(0)} KB), ${runs} fresh Node processes${cold ? ', Node built-ins not preloaded' : ''}:`,
);
for (const goal of goals) console.log(`  ${goal.ok ? '✔' : '✘'} ${goal.name}: ${goal.shown} (goal ${goal.goal})`);

/** VS Code's Startup Performance row for the extension, from fresh code-server instances. */
async function codeServerRows(count: number): Promise<Array<Record<string, unknown>>> {
  const rows: Array<Record<string, unknown>> = [];
  for (let run = 0; run < count; run += 1) {
    await runExtensionHostSuite({
      repo,
      extensionDevelopmentPath: path.dirname(path.dirname(bundle)),
      extensionTestsPath: path.join(__dirname, 'activationHost'),
      failureScreenshot: 'activation-bench-failure',
      log: (line) => {
        if (line.startsWith(ROW_MARKER)) rows.push(JSON.parse(line.slice(ROW_MARKER.length)) as Record<string, unknown>);
      },
    });
  }
  return rows;
}

async function main(): Promise<void> {
  const rows = inCodeServer ? await codeServerRows(3) : [];
  for (const row of rows) {
    console.log(
      `  code-server 4.96.4, Developer: Startup Performance: load code ${row.loadCodeMs} ms, call activate ${row.callActivateMs} ms, finish activate ${row.finishActivateMs} ms (${row.event}); loaded ${(row.loaded as string[]).join(', ')}`,
    );
  }
  fs.mkdirSync(path.join(repo, 'test-results'), { recursive: true });
  fs.writeFileSync(
    path.join(repo, 'test-results', 'activation-bench.json'),
    `${JSON.stringify({ bundle, cold, samples, codeServer: rows }, null, 2)}\n`,
  );
  process.exitCode = goals.every((goal) => goal.ok) ? 0 : 1;
}

void main();
