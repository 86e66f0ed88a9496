// `npm test`: every test of the project, in order of cost. Stages: lint (ESLint with the layering
// rules, then Prettier's check: `npm run lint`), unit (plain Node), then, once
// per Docker Engine (20.10 and 26, see tools/docker/engines.mjs), integration (a real dockerd),
// extension host (mocha inside code-server's Node extension host) and UI (Playwright in Chromium
// against code-server). Before each engine's pass the daemon on /var/run/docker.sock is switched to
// that engine (tools/docker/ensureDockerd.sh: root, and only a daemon it started itself), and the
// engine's bin dir goes first on PATH, so tests' private daemons and the lab run it too.
// `npm test -- unit integration` runs a subset (`npm test -- lint` only the lint); `--engine 26` one engine. The fuzz stage
// (after unit, no Docker) runs every parser, the webview message check and the diagnose CLI on seeded inputs.
// `npm test -- desktop` (only when named) runs the extension-host suite in desktop VS Code instead
// (test/support/desktopSuite.ts).
// The last line is the total, "N passed, N failed", and the exit code is 1 on any failure.
// On a bare Debian 12 machine, as root, it first sets up what the stages need: the Debian
// packages (tools/setup/debianPackages.sh, the list .ci/run uses too), `npm ci`, and a dockerd on
// /var/run/docker.sock when none answers (started for the run and stopped after it).
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ENGINES, answeringEngine, engineEnv, normalizeEngine, useDefaultDaemon } from './docker/engines.mjs';
import { tapFailures } from './lib/tapFailures.mjs';
import { ensureDebianPackages } from './setup/systemPackages.mjs';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const allStages = ['lint', 'unit', 'fuzz', 'integration', 'vscode', 'ui'];
// Only when named: desktop VS Code must be installed (VSCODE_EXECUTABLE) or downloadable.
const namedOnly = ['desktop'];
const argv = process.argv.slice(2);
const wanted = argv.filter((arg) => allStages.includes(arg) || namedOnly.includes(arg));
const stages = wanted.length ? wanted : allStages;
const engineAt = argv.indexOf('--engine');
const engines = engineAt >= 0 ? [normalizeEngine(argv[engineAt + 1])] : ENGINES;
const totals = { passed: 0, failed: 0 };
/** Every failed test of the run, by stage: printed last (CI shows the tail) and kept in test-results/failures.txt. */
const failures = [];

// What `npm run lint` runs (package.json), each through its package's own bin script.
const LINT_CHECKS = [
  ['eslint', [path.join(repo, 'node_modules/eslint/bin/eslint.js'), '.']],
  ['prettier --check', [path.join(repo, 'node_modules/prettier/bin/prettier.cjs'), '--check', '.']],
];

function run(command, args, options = {}) {
  const result = spawnSync(command, args, { cwd: repo, stdio: 'inherit', ...options });
  return result.status ?? 1;
}

function testFiles(folder) {
  const root = path.join(repo, 'out', 'test', folder);
  if (!fs.existsSync(root)) return [];
  return fs
    .readdirSync(root, { recursive: true })
    .map(String)
    .filter((file) => file.endsWith('.test.js'))
    .map((file) => path.join(root, file))
    .sort();
}

/** Runs node's test runner on compiled files; counts come from its TAP summary. */
function nodeTestStage(name, files, extraArgs = []) {
  if (files.length === 0) {
    console.error(`[test] ${name}: no test files found`);
    totals.failed++;
    return;
  }
  const tapFile = path.join(repo, 'test-results', `${name.replace(/[^\w.-]+/g, '-').replace(/-+$/, '')}.tap`);
  fs.mkdirSync(path.dirname(tapFile), { recursive: true });
  const status = run(process.execPath, [
    '--test',
    ...extraArgs,
    '--test-reporter=spec',
    '--test-reporter-destination=stdout',
    '--test-reporter=tap',
    `--test-reporter-destination=${tapFile}`,
    ...files,
  ]);
  const tap = fs.readFileSync(tapFile, 'utf8');
  const count = (label) => Number(tap.match(new RegExp(`^# ${label} (\\d+)$`, 'm'))?.[1] ?? 0);
  for (const failure of tapFailures(tap)) failures.push({ stage: name, ...failure });
  const passed = count('pass');
  const failed = count('fail') + count('cancelled') + (status !== 0 && count('fail') === 0 ? 1 : 0);
  console.log(`[test] ${name}: ${passed} passed, ${failed} failed`);
  totals.passed += passed;
  totals.failed += failed;
}

/**
 * The extension-host mocha suite (test/vscode), in code-server's extension host (`vscode`:
 * test/support/codeServerSuite.ts) or in desktop VS Code through @vscode/test-electron
 * (`desktop`: test/support/desktopSuite.ts).
 */
async function extensionHostStage(label, where) {
  const began = Date.now();
  const [file, runner, host] =
    where === 'desktop'
      ? ['desktopSuite.js', 'runDesktopSuite', 'desktop VS Code']
      : ['codeServerSuite.js', 'runExtensionHostSuite', 'code-server'];
  const run = (await import(path.join(repo, 'out/test/support', file)))[runner];
  try {
    const { passed, failed } = await run({ repo });
    console.log(`[test] ${label}: ${passed} passed, ${failed} failed`);
    totals.passed += passed;
    totals.failed += failed;
  } catch (error) {
    const detail = where === 'desktop' ? (error?.message ?? error) : (error?.stack ?? error);
    console.error(
      `[test] ${label}: the extension-host suite could not run in ${host} (${((Date.now() - began) / 1000).toFixed(1)} s): ${detail}`,
    );
    totals.failed++;
  }
}

// Lint, unit tests and the fuzz stage need nothing from the system; every other stage needs Docker (and more).
const withoutSystem = ['lint', 'unit', 'fuzz'];
const needsSystem = stages.some((stage) => !withoutSystem.includes(stage));
if (needsSystem) ensureDebianPackages('test', 'test');
if (!fs.existsSync(path.join(repo, 'node_modules'))) {
  console.log('[test] node_modules is missing: npm ci');
  if (run('npm', ['ci', '--no-audit', '--no-fund']) !== 0) {
    console.log('0 passed, 1 failed');
    process.exit(1);
  }
}
const ensureDockerd = path.join(repo, 'tools/docker/ensureDockerd.sh');
const dockerStages = stages.filter((stage) => !withoutSystem.includes(stage));
// A DOCKER_HOST is the user's daemon to run, as it is: one pass on it, no engine switched.
const userDaemon = process.env.DOCKER_HOST;
// The engine on /var/run/docker.sock before the run: put back afterwards; none: stop ours.
const initialEngine = dockerStages.length && !userDaemon ? answeringEngine() : undefined;
process.on('exit', () => {
  if (!dockerStages.length || userDaemon) return;
  // Only a daemon ensureDockerd.sh started itself is stopped or switched.
  if (!initialEngine) spawnSync(ensureDockerd, ['stop'], { stdio: 'inherit' });
  else if (answeringEngine() !== initialEngine) useDefaultDaemon(initialEngine);
});
// Ctrl-C: through 'exit', so the default daemon is left as it was found.
process.on('SIGINT', () => process.exit(130));
process.on('SIGTERM', () => process.exit(143));

if (stages.includes('lint')) {
  console.log('\n[test] ===== lint =====');
  // Two checks, counted apart: a file Prettier would reformat does not hide a layering error.
  for (const [name, args] of LINT_CHECKS) {
    const ok = run(process.execPath, args) === 0;
    console.log(`[test] lint: ${name} ${ok ? 'passed' : 'failed'}`);
    totals[ok ? 'passed' : 'failed']++;
  }
}

if (stages.every((stage) => stage === 'lint')) {
  console.log(`\n${totals.passed} passed, ${totals.failed} failed`);
  process.exit(totals.failed === 0 ? 0 : 1);
}
console.log('[test] compiling (tsc) and bundling (esbuild)');
if (run('npx', ['tsc', '-p', '.']) !== 0 || run(process.execPath, ['tools/build.mjs']) !== 0) {
  console.log('0 passed, 1 failed');
  process.exit(1);
}

if (stages.includes('unit')) {
  console.log('\n[test] ===== unit =====');
  nodeTestStage('unit', testFiles('unit'));
}

// Bounded, seeded, reproducible (test/fuzz/fuzz.test.ts): FUZZ_SEED, FUZZ_ITERATIONS, FUZZ_REPLAY.
if (stages.includes('fuzz')) {
  console.log('\n[test] ===== fuzz =====');
  nodeTestStage('fuzz', testFiles('fuzz'));
}

const timings = [];
const baseEnv = { ...process.env };
for (const engine of dockerStages.length ? (userDaemon ? ['DOCKER_HOST'] : engines) : []) {
  const began = Date.now();
  console.log(`\n[test] ===== engine ${engine} =====`);
  let env = baseEnv;
  try {
    if (!userDaemon) env = engineEnv(engine, baseEnv, (line) => console.log(`[engines] ${line}`));
  } catch (error) {
    console.error(`[test] engine ${engine}: cannot be had: ${error.message}`);
    totals.failed++;
    continue;
  }
  if (!userDaemon && !useDefaultDaemon(engine)) {
    console.error(`[test] engine ${engine}: no daemon of that engine on /var/run/docker.sock (above); its pass is counted as failed`);
    totals.failed++;
    continue;
  }
  // Children (node --test, code-server and so the extension host) inherit the engine's PATH.
  Object.assign(process.env, env);
  for (const stage of dockerStages) {
    const label = `${stage} (engine ${engine})`;
    console.log(`\n[test] ===== ${label} =====`);
    // Integration tests share one daemon: run files one after another.
    if (stage === 'integration') nodeTestStage(label, testFiles('integration'), ['--test-concurrency=1']);
    if (stage === 'vscode' || stage === 'desktop') await extensionHostStage(label, stage);
    if (stage === 'ui') nodeTestStage(label, testFiles('ui'), ['--test-concurrency=1']);
  }
  timings.push(`engine ${engine}: ${((Date.now() - began) / 1000).toFixed(0)} s`);
}
process.env = baseEnv;
if (timings.length) console.log(`\n[test] pass durations: ${timings.join(', ')}`);

reportFailures();
console.log(`\n${totals.passed} passed, ${totals.failed} failed`);
process.exit(totals.failed === 0 && totals.passed > 0 ? 0 : 1);

function reportFailures() {
  const file = path.join(repo, 'test-results', 'failures.txt');
  if (!failures.length) return fs.rmSync(file, { force: true });
  const text = failures.map(failureText).join('\n');
  fs.writeFileSync(file, `${text}\n`);
  console.log(`\n[test] ${failures.length} failed test(s), also in test-results/failures.txt:\n${text}`);
}

/** One failure as CI's tail shows it (tools/lib/tapFailures.mjs gathers the parts). */
function failureText(f) {
  const indent = (text) => text.replace(/^/gm, '    ');
  return [
    `✖ [${f.stage}] ${f.name}`,
    `    at ${f.location}`,
    ...f.thrownAt.map((frame) => `    thrown at ${frame}`),
    indent(f.error),
    ...f.diagnostics.map((line) => `    # ${line}`),
  ].join('\n');
}
