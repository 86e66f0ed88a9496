/**
 * `npm start` as a user runs it: tools/start.mjs builds, installs the extension into its
 * code-server and prints the address. Opening another folder by hand (`?folder=…`, none of the
 * start script's extra parameters) still has the extension: its view lists the local daemon.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { codeServerTools, findRepoRoot } from '../support/codeServer';
import {
  launchBrowser,
  openViewContainer,
  openWorkbench,
  screenshot,
  settledHostRow,
  type BrowserSession,
} from '../support/playwrightBrowser';

/** Resolves with everything printed once `pattern` appears; rejects if the process ends first. */
function waitForOutput(child: ChildProcess, pattern: RegExp, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => reject(new Error(`no ${pattern} within ${timeoutMs} ms; printed:\n${output}`)), timeoutMs);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (pattern.test(output)) {
        clearTimeout(timer);
        resolve(output);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`npm start ended (${code ?? signal}) before ${pattern}; printed:\n${output}`));
    });
  });
}

describe('npm start', { timeout: 240_000 }, () => {
  const repo = findRepoRoot();
  let start: ChildProcess | undefined;
  let browser: BrowserSession | undefined;
  let other = '';

  after(async () => {
    await browser?.close();
    if (start?.pid !== undefined && start.exitCode === null) {
      const ended = new Promise((resolve) => start!.once('exit', resolve));
      process.kill(start.pid, 'SIGINT');
      await Promise.race([ended, new Promise((resolve) => setTimeout(resolve, 15_000))]);
    }
    if (other) fs.rmSync(other, { recursive: true, force: true });
  });

  it('installs the extension, so a folder opened by hand has it too', async () => {
    const tools = await codeServerTools(repo);
    const port = await tools.findFreePort();
    // --no-lab: this test looks at the local daemon, never brings the shared lab up.
    start = spawn(process.execPath, ['tools/start.mjs', '--port', String(port), '--no-lab'], {
      cwd: repo,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const printed = await waitForOutput(start, /Press Ctrl-C to stop\./, 180_000);
    const url = /^ {2}(http:\/\/127\.0\.0\.1:\d+\/\S*)$/m.exec(printed)?.[1];
    assert.ok(url, `no URL in:\n${printed}`);
    assert.ok(!url.includes('payload='), `the URL still loads the extension through its payload: ${url}`);
    assert.match(printed, new RegExp(`or http://127\\.0\\.0\\.1:${port}/\\?folder=/path/to/folder`));
    const runDir = path.dirname(/^Logs: +(\S+)$/m.exec(printed)?.[1] ?? '');

    other = fs.mkdtempSync(path.join(repo, '.test-runs', 'start-other-'));
    browser = await launchBrowser({ runDir: tools.newRunDir('start-browser') });
    const extensionHost = {
      // As launch.mjs does: a server-side extension host opens TMPDIR/vscode-ipc-*.sock as it starts.
      extensionHostStartedSince: (since: number) =>
        fs
          .readdirSync(path.join(runDir, 'tmp'))
          .some((name) => /^vscode-ipc-.*\.sock$/.test(name) && fs.statSync(path.join(runDir, 'tmp', name)).mtimeMs >= since - 1_000),
    };
    await openWorkbench(browser.page, `http://127.0.0.1:${port}/?folder=${other}`, { server: extensionHost });
    await openViewContainer(browser.page, 'Docker Networks');
    const { row: host, rows } = await settledHostRow(browser.page, 'local');
    assert.ok(host, `no host row in ${JSON.stringify(rows)}`);
    assert.match(host.description, /^\d+ networks?, \d+ containers? · unix:\/\/\/var\/run\/docker\.sock$/);
    assert.match(await browser.page.title(), new RegExp(path.basename(other)));
    await screenshot(browser.page, 'start-other-folder');
  });
});
