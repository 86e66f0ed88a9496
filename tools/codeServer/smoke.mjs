// Proves the real-VS-Code test rig end to end with a throwaway extension, independent of the
// project's own extension (which may be half-written): `node tools/codeServer/smoke.mjs`.
//
// 1. writes a tiny JS extension to .cache/rig-smoke/ext: an activity-bar view container
//    "Rig Smoke" with a tree view whose rows include one read from the Docker socket;
// 2. type-checks the rig's TypeScript alone (others' files may not compile right now) and
//    transpiles it with esbuild into .cache/rig-smoke/, so this uses the same runner code as
//    `npm test`: test/vscode/index.ts becomes the smoke extension's tests index;
// 3. runs its 1-test mocha suite in the extension host through runExtensionHostSuite();
// 4. opens the workbench in Chromium, opens the view, reads the rows, runs a command from the
//    palette, checks its notification and saves test-results/screenshots/rig-smoke.png.
// Prints the time of each part and the peak memory of everything it started; the last line is
// "rig-smoke: N passed, N failed" and the exit code is 1 on any failure.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';
import { ensureCodeServer, sampleTreeRss } from './install.mjs';
import { groupAlive, newRunDir, startCodeServer } from './launch.mjs';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const smokeDir = path.join(repo, '.cache', 'rig-smoke');
const extDir = path.join(smokeDir, 'ext');
const supportDir = path.join(smokeDir, 'support');
const testsDir = path.join(extDir, 'out', 'test', 'vscode');
const log = (message) => console.log(`[rig-smoke] ${message}`);
const seconds = (ms) => `${(ms / 1000).toFixed(1)} s`;

const checks = { passed: 0, failed: 0 };
function check(name, ok, detail = '') {
  checks[ok ? 'passed' : 'failed']++;
  log(`${ok ? 'ok  ' : 'FAIL'} ${name}${detail ? `: ${detail}` : ''}`);
}

function writeExtension() {
  fs.rmSync(extDir, { recursive: true, force: true });
  fs.mkdirSync(path.join(extDir, 'media'), { recursive: true });
  fs.mkdirSync(testsDir, { recursive: true });
  const manifest = {
    name: 'rig-smoke',
    displayName: 'Rig Smoke',
    publisher: 'rig',
    version: '0.0.1',
    private: true,
    engines: { vscode: '^1.96.0' },
    main: './extension.js',
    activationEvents: [],
    contributes: {
      viewsContainers: { activitybar: [{ id: 'rigSmoke', title: 'Rig Smoke', icon: 'media/icon.svg' }] },
      views: { rigSmoke: [{ id: 'rigSmoke.items', name: 'Items' }] },
      commands: [
        { command: 'rigSmoke.hello', title: 'Say Hello', category: 'Rig Smoke' },
        { command: 'rigSmoke.rows', title: 'Rows', category: 'Rig Smoke' },
      ],
    },
  };
  fs.writeFileSync(path.join(extDir, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  fs.writeFileSync(
    path.join(extDir, 'media', 'icon.svg'),
    '<svg xmlns="http://www.w3.org/2000/svg" width="24" height="24" viewBox="0 0 24 24"><rect x="4" y="4" width="16" height="16" rx="3" fill="none" stroke="currentColor" stroke-width="2"/></svg>\n',
  );
  // Reads the Docker daemon's version over the socket, as the real extension will, to show the
  // extension host (server side) reaches the machine's dockerd.
  fs.writeFileSync(
    path.join(extDir, 'extension.js'),
    `const http = require('node:http');
const vscode = require('vscode');

function dockerVersion() {
  return new Promise((resolve) => {
    const request = http.get({ socketPath: '/var/run/docker.sock', path: '/version', timeout: 5000 }, (response) => {
      let body = '';
      response.on('data', (chunk) => (body += chunk));
      response.on('end', () => {
        try { resolve('Docker ' + JSON.parse(body).Version); } catch { resolve('no answer'); }
      });
    });
    request.on('error', (error) => resolve('unreachable: ' + error.code));
    request.on('timeout', () => request.destroy());
  });
}

async function rows() {
  return [
    { label: 'alpha', description: 'first row' },
    { label: 'docker', description: await dockerVersion() },
    { label: 'node', description: process.version },
  ];
}

exports.activate = (context) => {
  context.subscriptions.push(
    vscode.window.registerTreeDataProvider('rigSmoke.items', {
      getChildren: async (element) => (element ? [] : rows()),
      getTreeItem: (row) => Object.assign(new vscode.TreeItem(row.label), { description: row.description }),
    }),
    vscode.commands.registerCommand('rigSmoke.rows', rows),
    vscode.commands.registerCommand('rigSmoke.hello', () => vscode.window.showInformationMessage('Hello from the rig smoke extension')),
  );
};
exports.deactivate = () => {};
`,
  );
  fs.writeFileSync(
    path.join(testsDir, 'smoke.test.js'),
    `const assert = require('node:assert');
const vscode = require('vscode');

describe('rig smoke', () => {
  it('activates and lists its rows, one of them from the Docker daemon', async () => {
    const extension = vscode.extensions.getExtension('rig.rig-smoke');
    assert.ok(extension, 'the extension under development is loaded');
    await extension.activate();
    const rows = await vscode.commands.executeCommand('rigSmoke.rows');
    assert.deepStrictEqual(rows.map((row) => row.label), ['alpha', 'docker', 'node']);
    assert.match(rows[1].description, /^Docker \\d+\\./);
    console.log('rows seen by the test: ' + JSON.stringify(rows));
  });
});
`,
  );
}

async function buildRig() {
  const tsc = spawnSync(
    process.execPath,
    [path.join(repo, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', path.join(smokeDir, 'tsconfig.json')],
    {
      encoding: 'utf8',
    },
  );
  check('the rig type-checks (strict)', tsc.status === 0, tsc.status === 0 ? '' : tsc.stdout + tsc.stderr);
  fs.rmSync(supportDir, { recursive: true, force: true });
  // Transpile only: relative imports between the support files stay requires, and
  // playwright-core/mocha resolve from the repository's node_modules above .cache/.
  await esbuild.build({
    entryPoints: ['codeServer', 'codeServerSuite', 'playwrightBrowser'].map((name) => path.join(repo, 'test', 'support', `${name}.ts`)),
    outdir: supportDir,
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    logLevel: 'warning',
  });
  await esbuild.build({
    entryPoints: [path.join(repo, 'test', 'vscode', 'index.ts')],
    outfile: path.join(testsDir, 'index.js'),
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    logLevel: 'warning',
  });
}

// The tsconfig that type-checks only the rig's files with the project's compiler options.
function writeTsconfig() {
  fs.mkdirSync(smokeDir, { recursive: true });
  const tsconfig = {
    extends: '../../tsconfig.json',
    compilerOptions: { noEmit: true },
    include: ['../../test/support/codeServer*.ts', '../../test/support/playwright*.ts', '../../test/vscode/index.ts'],
  };
  fs.writeFileSync(path.join(smokeDir, 'tsconfig.json'), `${JSON.stringify(tsconfig, null, 2)}\n`);
}

async function uiCheck(pw, runDir) {
  const server = await startCodeServer({ runDir, extensionDir: extDir });
  const browser = await pw.launchBrowser({ runDir });
  const pageErrors = [];
  browser.page.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warning') pageErrors.push(`${message.type()}: ${message.text().slice(0, 500)}`);
  });
  try {
    const { page } = browser;
    let t = Date.now();
    await pw.openWorkbench(page, server.devUrl, { server });
    log(`workbench drawn in ${seconds(Date.now() - t)}`);
    t = Date.now();
    await pw.openViewContainer(page, 'Rig Smoke');
    const rows = await pw.readTreeRows(page, 'rigSmoke');
    log(`tree rows after ${seconds(Date.now() - t)}: ${JSON.stringify(rows)}`);
    check('the view shows the first row', rows[0]?.label === 'alpha' && rows[0]?.description === 'first row', JSON.stringify(rows[0]));
    check('the view shows the Docker row', /^Docker \d+\./.test(rows.find((row) => row.label === 'docker')?.description ?? ''));
    await pw.runCommand(page, 'Rig Smoke: Say Hello');
    await page
      .locator('.notifications-toasts .notification-list-item-message', { hasText: 'Hello from the rig smoke extension' })
      .waitFor({ timeout: 15_000 });
    const messages = await pw.notificationMessages(page);
    check('a palette command shows its notification', messages.includes('Hello from the rig smoke extension'), JSON.stringify(messages));
    // Nothing leaves the machine: an outside fetch from the page fails and is recorded. (It never
    // reaches the network: the route aborts it and the resolver rules would not resolve it.)
    const outside = await page.evaluate(() =>
      fetch('https://example.com/rig-smoke').then(
        () => 'reached',
        () => 'failed',
      ),
    );
    check(
      'an outside request from the page is blocked',
      outside === 'failed' && browser.blockedRequests.includes('https://example.com/rig-smoke'),
      outside,
    );
    const file = await pw.screenshot(page, 'rig-smoke');
    log(`screenshot: ${file}`);
    const others = browser.blockedRequests.filter((url) => url !== 'https://example.com/rig-smoke');
    check('the workbench itself asked for nothing outside', others.length === 0, others.slice(0, 5).join(', '));
  } catch (error) {
    // What the page showed, to tell a wrong selector from an extension that did not load.
    const labels = await browser.page
      .locator('.activitybar .action-item a.action-label')
      .evaluateAll((links) => links.map((link) => link.getAttribute('aria-label')));
    log(`activity bar entries: ${JSON.stringify(labels)}`);
    log(`page console errors and warnings:\n  ${pageErrors.join('\n  ')}`);
    log(`server processes:\n${spawnSync('ps', ['-o', 'pid,etime,rss,args', '-g', String(server.pid)], { encoding: 'utf8' }).stdout}`);
    log(`server logs: ${server.runDir}/user-data/logs`);
    log(`blocked outside requests: ${JSON.stringify(browser.blockedRequests)}`);
    log(`screenshot of the failure: ${await pw.screenshot(browser.page, 'rig-smoke-failure')}`);
    throw error;
  } finally {
    await browser.close();
    await server.stop();
  }
  check('code-server process group is gone after stop()', !groupAlive(server.pid));
}

const memory = sampleTreeRss(250);
const started = Date.now();
try {
  let t = Date.now();
  await ensureCodeServer();
  log(`code-server ready in ${seconds(Date.now() - t)}`);
  writeTsconfig();
  writeExtension();
  await buildRig();

  const require = createRequire(import.meta.url);
  const suite = require(path.join(supportDir, 'codeServerSuite.js'));
  const pw = require(path.join(supportDir, 'playwrightBrowser.js'));

  t = Date.now();
  const result = await suite.runExtensionHostSuite({ repo, extensionDevelopmentPath: extDir, extensionTestsPath: testsDir });
  const suiteMs = Date.now() - t;
  log(
    `extension-host suite: ${result.passed} passed, ${result.failed} failed (exit ${result.exitCode}) in ${seconds(suiteMs)}; run folder ${result.runDir}`,
  );
  check('extension-host suite ran one passing test', result.passed === 1 && result.failed === 0 && result.exitCode === 0);

  t = Date.now();
  await uiCheck(pw, newRunDir('rig-smoke-ui'));
  log(`UI check in ${seconds(Date.now() - t)}`);
} catch (error) {
  check('the smoke run finished', false, error instanceof Error ? error.stack : String(error));
}
log(`total ${seconds(Date.now() - started)}; peak memory of this process and all it started: ${Math.round(memory.stop() / 2 ** 20)} MB`);
console.log(`rig-smoke: ${checks.passed} passed, ${checks.failed} failed`);
process.exit(checks.failed === 0 ? 0 : 1);
