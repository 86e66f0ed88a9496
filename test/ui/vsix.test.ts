/**
 * The packaged extension, not the development folder: `npm run package` makes the .vsix, code-server
 * (VS Code 1.96) installs it like a user would, and the Docker Networks views work from it. This is
 * the only test of the production bundle (minified, BuildKit stub, .vscodeignore).
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { codeServerTools, findRepoRoot, type CodeServer } from '../support/codeServer';
import {
  launchBrowser,
  openViewContainer,
  openWorkbench,
  screenshot,
  settledHostRow,
  type BrowserSession,
} from '../support/playwrightBrowser';

describe('the packaged .vsix', { timeout: 240_000 }, () => {
  const repo = findRepoRoot();
  const vsix = path.join(repo, 'docker-network-explorer.vsix');
  let server: CodeServer | undefined;
  let browser: BrowserSession | undefined;

  before(() => fs.rmSync(vsix, { force: true }));
  after(async () => {
    await browser?.close();
    await server?.stop();
    // The development bundle (with source maps) is what the other tests and `npm start` use.
    execFileSync(process.execPath, ['tools/build.mjs'], { cwd: repo });
  });

  it('packages to a small .vsix holding only the bundles, media and metadata', () => {
    execFileSync('npm', ['run', 'package'], { cwd: repo, stdio: 'pipe' });
    const listing = execFileSync('unzip', ['-Z1', vsix], { encoding: 'utf8' }).trim().split('\n').sort();
    assert.deepEqual(
      listing.filter((entry) => entry.startsWith('extension/')),
      [
        'extension/LICENSE.txt',
        // docker.js (dockerode, docker-modem, ssh2) and yaml.js load on first use (tools/build.mjs).
        'extension/dist/docker.js',
        'extension/dist/extension.js',
        'extension/dist/webview.js',
        'extension/dist/yaml.js',
        'extension/docs/swarm-migration.md',
        'extension/media/activity-bar.svg',
        'extension/media/topology.css',
        'extension/package.json',
        'extension/readme.md',
        'extension/schemas/daemon-json.schema.json',
      ],
    );
    assert.ok(fs.statSync(vsix).size < 2_000_000, `the .vsix is ${fs.statSync(vsix).size} bytes`);
  });

  it('installs into VS Code 1.96 and shows the local Docker host', async () => {
    const tools = await codeServerTools(repo);
    const bin = await tools.ensureCodeServer();
    const runDir = tools.newRunDir('vsix');
    const extensionsDir = path.join(runDir, 'extensions');
    const installed = execFileSync(process.execPath, [bin, '--extensions-dir', extensionsDir, '--install-extension', vsix], {
      encoding: 'utf8',
      env: { ...process.env, HOME: runDir, XDG_CONFIG_HOME: path.join(runDir, 'config'), XDG_DATA_HOME: path.join(runDir, 'data') },
    });
    assert.match(installed, /docker-network-explorer.*was successfully installed/);
    server = await tools.startCodeServer({ runDir, extensionsDir });
    browser = await launchBrowser({ runDir });
    await openWorkbench(browser.page, server.folderUrl, { server });
    await openViewContainer(browser.page, 'Docker Networks');
    const { row: host, rows } = await settledHostRow(browser.page, 'local');
    assert.ok(host, `no host row in ${JSON.stringify(rows)}`);
    assert.match(host.description, /^\d+ networks?, \d+ containers? · unix:\/\/\/var\/run\/docker\.sock$/);
    await screenshot(browser.page, 'vsix-installed');
  });
});
