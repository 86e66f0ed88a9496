/**
 * The cluster-store doctor as a user sees it in code-server: a workspace that mirrors a host
 * (etc/docker/daemon.json + a docker.service drop-in), its problems read from the Problems
 * panel's rows, a quick fix applied with Ctrl+. and its row gone, and the scan command's toast.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { openExtensionWorkbench, type WorkbenchSession } from '../support/workbenchSession';
import { findRepoRoot } from '../support/codeServer';
import { engineHasClusterStore } from '../support/engine';
import { notificationMessages, openViewContainer, runCommand, screenshot } from '../support/playwrightBrowser';

interface ProblemRow {
  /** Who reported it: ours say "Docker Network Explorer" (VS Code's JSON support reports too). */
  source: string;
  message: string;
  code: string;
  /** As the row shows it: "[Ln 3, Col 35]". */
  position: string;
}

const ours = (rows: ProblemRow[]) => rows.filter((row) => row.source === 'Docker Network Explorer');
const problemRows = (page: Page) => page.locator('.markers-panel .monaco-list-row');

/**
 * The marker rows (not the file rows) drawn in the Problems panel now, read in one pass in the
 * page: the list re-renders its rows as markers change, so a row read piece by piece can vanish.
 */
function readProblems(page: Page): Promise<ProblemRow[]> {
  return problemRows(page).evaluateAll((rows) =>
    rows.flatMap((row) => {
      const text = (selector: string) => (row.querySelector(selector)?.textContent ?? '').trim();
      if (!row.querySelector('.marker-message')) return [];
      return [
        { source: text('.marker-source'), message: text('.marker-message'), code: text('.marker-code'), position: text('.marker-line') },
      ];
    }),
  );
}

async function waitForProblems(page: Page, predicate: (rows: ProblemRow[]) => boolean, timeoutMs = 20_000): Promise<ProblemRow[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const rows = await readProblems(page);
    if (predicate(rows)) return rows;
    if (Date.now() > deadline) assert.fail(`the Problems panel never matched; it shows ${JSON.stringify(rows, null, 1)}`);
    await page.waitForTimeout(200);
  }
}

/** Quick Open (Ctrl+P) a file of the workspace by name, as a user would. */
async function quickOpen(page: Page, name: string, tabTitle: string): Promise<void> {
  const input = page.locator('.quick-input-widget input.input');
  await page.keyboard.press('Control+P');
  await input.waitFor({ state: 'visible', timeout: 10_000 });
  await input.fill(name);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: tabTitle }).first().waitFor({ timeout: 15_000 });
  await page.keyboard.press('Enter');
  await page.locator('.tabs-container .tab.active', { hasText: tabTitle }).waitFor({ timeout: 10_000 });
}

describe('Cluster-store doctor in the browser', { timeout: 240_000 }, () => {
  let workspace = '';
  let session: WorkbenchSession | undefined;
  let page: Page;

  before(async () => {
    const repo = findRepoRoot();
    workspace = fs.mkdtempSync(path.join(repo, '.test-runs', 'doctor-ws-'));
    fs.cpSync(path.join(repo, 'test', 'fixtures', 'diagnostics', 'host'), workspace, { recursive: true });
    session = await openExtensionWorkbench({
      workspaceFolder: workspace,
      // The scan reads the workspace as this machine's root, not the real /etc.
      settings: { 'dockerNetworkExplorer.diagnostics.hostConfigRoot': workspace },
    });
    page = session.page;
  });

  after(async () => {
    await session?.close();
    if (workspace) fs.rmSync(workspace, { recursive: true, force: true });
  });

  it('lists the problems of daemon.json and the drop-in in the Problems panel', async () => {
    // Opening our view activates the extension.
    await openViewContainer(page, 'Docker Networks');
    await quickOpen(page, 'daemon.json', 'daemon.json');
    await quickOpen(page, 'cluster.conf', 'cluster.conf');
    await runCommand(page, 'View: Focus Problems (Errors, Warnings, Infos)');
    const rows = await waitForProblems(page, (found) => ours(found).length === 5);
    assert.deepEqual(
      ours(rows)
        .map((row) => `${row.code} ${row.position}`)
        .sort(),
      ['DNE102 [Ln 3, Col 35]', 'DNE112 [Ln 3, Col 24]', 'DNE112 [Ln 3, Col 57]', 'DNE120 [Ln 3, Col 3]', 'DNE120 [Ln 3, Col 37]'].sort(),
    );
    const comma = rows.find((row) => row.code === 'DNE102');
    assert.match(comma?.message ?? '', /^Trailing comma in daemon\.json\./);
    // One fault, one problem: VS Code's JSON service, which checks daemon.json against our
    // schema, leaves the comma to DNE102 (without the schema its "Trailing comma" row shows here).
    await page.waitForTimeout(2_000);
    const others = (await readProblems(page)).filter((row) => row.source !== 'Docker Network Explorer');
    assert.deepEqual(others, [], 'another extension reports daemon.json too');
    await screenshot(page, 'diagnostics-problems');
  });

  it('fixes the trailing comma with Ctrl+. and its row goes', async () => {
    const comma = problemRows(page).filter({ hasText: 'Trailing comma' });
    // Clicking a problem opens its file with the cursor on it.
    await comma.first().click();
    await page.locator('.tabs-container .tab.active', { hasText: 'daemon.json' }).waitFor({ timeout: 10_000 });
    await page.locator('.monaco-editor textarea').first().focus();
    const fix = page.locator('.action-widget .monaco-list-row', { hasText: 'Remove the trailing comma' });
    for (let attempt = 0; attempt < 3 && !(await fix.isVisible()); attempt++) {
      await page.keyboard.press('Control+.');
      await fix.waitFor({ state: 'visible', timeout: 5_000 }).catch(() => undefined);
    }
    await fix.waitFor({ state: 'visible', timeout: 5_000 });
    await screenshot(page, 'diagnostics-quick-fix');
    await fix.click();
    const rows = await waitForProblems(page, (found) => ours(found).length === 4);
    assert.deepEqual(
      ours(rows)
        .map((row) => row.code)
        .sort(),
      ['DNE112', 'DNE112', 'DNE120', 'DNE120'],
    );
    await page.locator('.monaco-editor .view-lines', { hasText: '"cluster-advertise": "eth0:2376"' }).waitFor();
    assert.ok(!(await page.locator('.monaco-editor .view-lines').first().innerText()).includes('"eth0:2376",'));
    await screenshot(page, 'diagnostics-fixed');
  });

  it('clears the problems when the files are closed', async () => {
    await page.keyboard.press('Control+S');
    await page.locator('.tabs-container .tab.active.dirty').waitFor({ state: 'detached', timeout: 10_000 });
    await runCommand(page, 'View: Close All Editors');
    await waitForProblems(page, (found) => ours(found).length === 0);
  });

  it('Scan Host Configuration publishes the problems of files that are not open, and says how many', async () => {
    // From the Networks view's title overflow menu (the palette has it too).
    const networks = page.locator('.pane', { has: page.locator('.pane-header[aria-label="Networks Section"]') });
    await networks.locator('.pane-header').hover();
    await networks.locator('.pane-header .codicon-toolbar-more').click();
    const item = page.locator('.context-view .monaco-menu .action-label', { hasText: /^Scan Host Configuration$/ });
    await item.waitFor({ state: 'visible', timeout: 10_000 });
    // A click on a menu item is sometimes dropped (see explorer.test.ts): hover and Enter, as a keyboard user would.
    await item.hover();
    await page.keyboard.press('Enter');
    const filesRead = 'Read 2 files: etc/docker/daemon.json, etc/systemd/system/docker.service.d/cluster.conf.';
    const said = await waitUntilMessage(page, /^Docker host configuration: \d+ problems? found\. Read 2 files: /);
    // The files are diagnosed for the engine this machine's daemon runs: 20.10 still has the
    // cluster store (its rules); 23+ removed it, so 26 refuses the key and the flag (DNE161) and
    // the doctor shows the way to swarm (DNE165).
    const expected = engineHasClusterStore()
      ? ['DNE112 [Ln 3, Col 24]', 'DNE112 [Ln 3, Col 57]', 'DNE120 [Ln 3, Col 3]', 'DNE120 [Ln 3, Col 37]']
      : ['DNE161 [Ln 3, Col 3]', 'DNE161 [Ln 3, Col 37]', 'DNE165 [Ln 3, Col 57]'];
    const rows = await waitForProblems(page, (found) => ours(found).length >= expected.length);
    assert.equal(await page.locator('.tabs-container .tab').count(), 0, 'the scan opened an editor');
    // The live check on this machine's daemon may add its own (e.g. DNE163: the files differ from what it runs with).
    const fromFiles = ours(rows).filter(
      (row) => /^DNE1[0-5]\d$/.test(row.code) || (!engineHasClusterStore() && /^DNE16[15]$/.test(row.code)),
    );
    assert.deepEqual(fromFiles.map((row) => `${row.code} ${row.position}`).sort(), expected.sort());
    assert.equal(said, `Docker host configuration: ${ours(rows).length} problems found. ${filesRead}`);
    // The progress toast closes as the summary appears: wait for it so the picture shows the result.
    await page
      .locator('.notifications-toasts .notification-list-item-message', { hasText: 'Scanning Docker host configuration' })
      .waitFor({ state: 'hidden', timeout: 10_000 });
    await screenshot(page, 'diagnostics-scan');
  });
});

async function waitUntilMessage(page: Page, pattern: RegExp): Promise<string> {
  let found = '';
  const ok = await waitUntilAsync(async () => {
    found = (await notificationMessages(page)).find((message) => pattern.test(message)) ?? '';
    return found !== '';
  }, 30_000);
  assert.ok(ok, `no notification matching ${pattern}; shown: ${JSON.stringify(await notificationMessages(page))}`);
  return found;
}

async function waitUntilAsync(condition: () => Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await condition()) return true;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return false;
}
