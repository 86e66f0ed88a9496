// `npm test`: every test of the project, in order of cost. Stages: unit (plain Node), integration
// (a real dockerd), extension host (mocha inside code-server's Node extension host) and UI
// (Playwright in Chromium against code-server). `npm test -- unit integration` runs a subset.
// The last line is the total, "N passed, N failed", and the exit code is 1 on any failure.
// On a bare Debian 12 machine, as root, it first sets up what the stages need: the Debian
// packages (tools/setup/debianPackages.sh, the list .ci/run uses too), `npm ci`, and a dockerd on
// /var/run/docker.sock when none answers (started for the run and stopped after it).
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureDebianPackages } from './setup/systemPackages.mjs';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const allStages = ['unit', 'integration', 'vscode', 'ui'];
const wanted = process.argv.slice(2).filter((arg) => allStages.includes(arg));
const stages = wanted.length ? wanted : allStages;
const totals = { passed: 0, failed: 0 };

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
  const tapFile = path.join(repo, 'test-results', `${name}.tap`);
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
  const passed = count('pass');
  const failed = count('fail') + count('cancelled') + (status !== 0 && count('fail') === 0 ? 1 : 0);
  console.log(`[test] ${name}: ${passed} passed, ${failed} failed`);
  totals.passed += passed;
  totals.failed += failed;
}

async function vscodeStage() {
  const { runExtensionHostSuite } = await import(path.join(repo, 'out/test/support/codeServerSuite.js'));
  try {
    const { passed, failed } = await runExtensionHostSuite({ repo });
    console.log(`[test] vscode: ${passed} passed, ${failed} failed`);
    totals.passed += passed;
    totals.failed += failed;
  } catch (error) {
    console.error(`[test] vscode: the extension-host suite could not run: ${error?.stack ?? error}`);
    totals.failed++;
  }
}

// Unit tests need nothing from the system; every other stage needs Docker (and more).
const needsSystem = stages.some((stage) => stage !== 'unit');
if (needsSystem) ensureDebianPackages('test', 'test');
if (!fs.existsSync(path.join(repo, 'node_modules'))) {
  console.log('[test] node_modules is missing: npm ci');
  if (run('npm', ['ci', '--no-audit', '--no-fund']) !== 0) {
    console.log('0 passed, 1 failed');
    process.exit(1);
  }
}
const ensureDockerd = path.join(repo, 'tools/docker/ensureDockerd.sh');
const dockerdAnswers = () => spawnSync('docker', ['-H', 'unix:///var/run/docker.sock', 'version'], { stdio: 'ignore', timeout: 10_000 }).status === 0;
// A DOCKER_HOST is the user's daemon to run; without one the tests use /var/run/docker.sock.
const startedDockerd = needsSystem && !process.env.DOCKER_HOST && !dockerdAnswers();
if (startedDockerd && run(ensureDockerd, ['start']) !== 0) {
  console.log('0 passed, 1 failed');
  process.exit(1);
}
process.on('exit', () => {
  // Only a daemon this run started (ensureDockerd.sh also stops only its own).
  if (startedDockerd) spawnSync(ensureDockerd, ['stop'], { stdio: 'inherit' });
});
// Ctrl-C: through 'exit', so a daemon this run started is stopped too.
process.on('SIGINT', () => process.exit(130));
process.on('SIGTERM', () => process.exit(143));

console.log('[test] compiling (tsc) and bundling (esbuild)');
if (run('npx', ['tsc', '-p', '.']) !== 0 || run(process.execPath, ['tools/build.mjs']) !== 0) {
  console.log('0 passed, 1 failed');
  process.exit(1);
}

for (const stage of stages) {
  console.log(`\n[test] ===== ${stage} =====`);
  if (stage === 'unit') nodeTestStage('unit', testFiles('unit'));
  // Integration tests share one daemon: run files one after another.
  if (stage === 'integration') nodeTestStage('integration', testFiles('integration'), ['--test-concurrency=1']);
  if (stage === 'vscode') await vscodeStage();
  if (stage === 'ui') nodeTestStage('ui', testFiles('ui'), ['--test-concurrency=1']);
}

console.log(`\n${totals.passed} passed, ${totals.failed} failed`);
process.exit(totals.failed === 0 && totals.passed > 0 ? 0 : 1);
