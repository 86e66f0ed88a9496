/**
 * Reachability as a user asks it: code-server in Chromium, "Check Reachability To…" from a
 * container's context menu in the Networks view, a name typed in the quick pick, a port, the
 * answer panel; then "Show Reachability Matrix" on the network. Screenshots to look at.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { DockerFixture, ensureTestImage } from '../support/dockerFixture';
import { openViewContainer, revealNetworksRow, screenshot, widenSideBar } from '../support/playwrightBrowser';
import { openExtensionWorkbench, type WorkbenchSession } from '../support/workbenchSession';

function exactly(text: string): RegExp {
  return new RegExp(`^${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);
}

/** Runs a context-menu entry of a row: hover + Enter (a mouse click on a menu item is sometimes dropped). */
async function runFromMenu(page: Page, label: string, entry: string, done: () => Promise<boolean>): Promise<void> {
  const menu = page.locator('.context-view .monaco-menu');
  const item = menu.locator('.action-label', { hasText: exactly(entry) });
  for (let attempt = 0; attempt < 3 && !(await done()); attempt++) {
    if (await menu.isVisible()) await page.keyboard.press('Escape');
    await (await revealNetworksRow(page, label)).click({ button: 'right' });
    await item.waitFor({ state: 'visible', timeout: 5_000 });
    await item.hover();
    await page.keyboard.press('Enter');
    // The command may take a moment to show anything: running it twice would ask twice.
    for (let waited = 0; waited < 8_000 && !(await done()); waited += 250) await page.waitForTimeout(250);
  }
}

function webviewFrame(page: Page) {
  return page.frameLocator('iframe.webview.ready').last().frameLocator('iframe#active-frame');
}

describe('Reachability in the browser', { timeout: 240_000 }, () => {
  const fixture = new DockerFixture({ runId: `reachui${process.pid}` });
  let session: WorkbenchSession | undefined;
  let page: Page;
  let app = '';
  let web1 = '';

  before(async () => {
    await ensureTestImage(fixture.docker);
    app = (await fixture.createNetwork({ name: 'app' })).name;
    const httpd = ['httpd', '-f', '-p', '80', '-h', '/www'];
    web1 = (await fixture.runContainer({ name: 'web1', cmd: httpd, networks: [app] })).name;
    await fixture.runContainer({ name: 'web2', cmd: httpd, networks: [{ network: app, aliases: ['api'] }] });
    await fixture.runContainer({ name: 'web3', cmd: httpd, networks: [app, 'bridge'] });
    session = await openExtensionWorkbench();
    page = session.page;
    await openViewContainer(page, 'Docker Networks');
    await widenSideBar(page, 560);
  });

  after(async () => {
    await session?.close();
    await fixture.cleanup();
  });

  it("Check Reachability To… from a container's context menu: a typed alias, port 80, the answer panel", async () => {
    await (await revealNetworksRow(page, app)).click();
    await revealNetworksRow(page, web1);
    const quick = page.locator('.quick-input-widget');
    await runFromMenu(page, web1, 'Check Reachability To…', () => quick.isVisible());
    await quick.locator('.quick-input-title', { hasText: `Check Reachability from ${web1} to…` }).waitFor({ timeout: 15_000 });
    await quick.locator('.quick-input-box input').fill('api');
    const typed = quick.locator('.quick-input-list .monaco-list-row', { has: page.locator('.label-name', { hasText: /^api$/ }) }).first();
    await typed.waitFor({ timeout: 5_000 });
    assert.match(await typed.innerText(), /as typed/);
    await typed.click();
    await quick.locator('.quick-input-title', { hasText: 'Check Reachability: port' }).waitFor({ timeout: 10_000 });
    await quick.locator('.quick-input-box input').fill('80');
    await page.keyboard.press('Enter');
    const frame = webviewFrame(page);
    const heading = frame.locator('h1');
    await heading.waitFor({ timeout: 20_000 });
    assert.equal((await heading.innerText()).trim(), `${web1} → api port 80 reachable`);
    const text = await frame.locator('body').innerText();
    assert.match(text, /shared-network/);
    assert.match(text, new RegExp(`api\\s+alias\\s+${app}\\s+\\d+\\.\\d+\\.\\d+\\.\\d+`));
    assert.match(text, /Explained from what the daemons report; nothing was sent\./);
    await screenshot(page, 'reachability-answer');
  });

  it('Show Reachability Matrix on the network: every ordered pair ✓, the reason on hover', async () => {
    const title = page.locator('.tabs-container .tab', { hasText: `Reachability: ${app}` });
    await runFromMenu(page, app, 'Show Reachability Matrix', () => title.isVisible());
    await title.waitFor({ timeout: 20_000 });
    const frame = webviewFrame(page);
    await frame.locator('table.matrix').waitFor({ timeout: 20_000 });
    const cells = frame.locator('table.matrix td.ok, table.matrix td.no');
    assert.equal(await cells.count(), 6);
    assert.equal(await frame.locator('table.matrix td.ok').count(), 6);
    const tip = await frame.locator('table.matrix td.ok').first().getAttribute('title');
    assert.match(tip ?? '', /reachable\. .* are both on /);
    assert.equal(
      await page.locator('.quick-input-widget').isVisible(),
      false,
      'the matrix asked for a scope although started on a network',
    );
    await screenshot(page, 'reachability-matrix');
  });
});
