/**
 * Reachability as a user asks it: code-server in Chromium, "Check Reachability To…" from a
 * container's context menu in the Networks view, a name typed in the quick pick, a port, the
 * answer panel; then "Show Reachability Matrix" on the network; then, with the topology open, the
 * answer's path lit on the graph (the ICC-off bridge marked as what blocks it), cleared with
 * Escape; and "Prove It" from the answer's notification, run inside FROM on the real daemon.
 * Screenshots to look at.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Frame, Page } from 'playwright-core';
import { DockerFixture, PID_LABEL, TEST_LABEL, ensureTestImage } from '../support/dockerFixture';
import { graphFrame } from '../support/graphMeasure';
import { openViewContainer, revealNetworksRow, runCommand, screenshot, widenSideBar } from '../support/playwrightBrowser';
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

/** Asks "Check Reachability To…" from FROM's row under NETWORK: TARGET typed, PORT ('' for none). */
async function checkFromTree(page: Page, network: string, from: string, target: string, port: string): Promise<void> {
  const networkRow = await revealNetworksRow(page, network);
  if ((await networkRow.getAttribute('aria-expanded')) !== 'true') await networkRow.click();
  await revealNetworksRow(page, from);
  const quick = page.locator('.quick-input-widget');
  await runFromMenu(page, from, 'Check Reachability To…', () => quick.isVisible());
  await quick.locator('.quick-input-title', { hasText: `Check Reachability from ${from} to…` }).waitFor({ timeout: 15_000 });
  await quick.locator('.quick-input-box input').fill(target);
  // A container's own name is its row in the list (no "as typed" row beside it).
  const typed = quick
    .locator('.quick-input-list .monaco-list-row', { has: page.locator('.label-name', { hasText: exactly(target) }) })
    .first();
  await typed.waitFor({ timeout: 5_000 });
  await typed.click();
  await quick.locator('.quick-input-title', { hasText: 'Check Reachability: port' }).waitFor({ timeout: 10_000 });
  await quick.locator('.quick-input-box input').fill(port);
  await page.keyboard.press('Enter');
}

/** The classes the path put on the graph's elements (pathLights.ts), read from Cytoscape itself. */
async function pathState(frame: Frame): Promise<{ lit: string[]; blocked: string[]; off: string[]; bar: string | null }> {
  return (await frame.evaluate(`(() => {
    const cy = document.getElementById('graph')._cyreg.cy;
    const ids = (selector) => cy.elements(selector).map((element) => element.id());
    const bar = document.getElementById('path-bar');
    return { lit: ids('.path-lit'), blocked: ids('.path-blocked'), off: ids('.path-off'), bar: bar.hidden ? null : bar.textContent };
  })()`)) as { lit: string[]; blocked: string[]; off: string[]; bar: string | null };
}

describe('Reachability in the browser', { timeout: 240_000 }, () => {
  const fixture = new DockerFixture({ runId: `reachui${process.pid}` });
  let session: WorkbenchSession | undefined;
  let page: Page;
  let app = '';
  let web1 = '';
  let quiet = '';
  let quietId = '';
  let q1 = '';
  let q2 = '';

  before(async () => {
    await ensureTestImage(fixture.docker);
    app = (await fixture.createNetwork({ name: 'app' })).name;
    const httpd = ['httpd', '-f', '-p', '80', '-h', '/www'];
    web1 = (await fixture.runContainer({ name: 'web1', cmd: httpd, networks: [app] })).name;
    await fixture.runContainer({ name: 'web2', cmd: httpd, networks: [{ network: app, aliases: ['api'] }] });
    await fixture.runContainer({ name: 'web3', cmd: httpd, networks: [app, 'bridge'] });
    // A user-defined bridge with ICC off: Docker drops traffic between its containers.
    quiet = fixture.name('quiet');
    quietId = (
      await fixture.docker.createNetwork({
        Name: quiet,
        CheckDuplicate: true,
        Driver: 'bridge',
        Options: { 'com.docker.network.bridge.enable_icc': 'false' },
        Labels: { [TEST_LABEL]: fixture.runId, [PID_LABEL]: String(process.pid) },
      })
    ).id;
    q1 = (await fixture.runContainer({ name: 'q1', cmd: httpd, networks: [quiet] })).name;
    q2 = (await fixture.runContainer({ name: 'q2', cmd: httpd, networks: [quiet] })).name;
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

  it('with the topology open, the answer lights the path and marks the ICC-off bridge; Escape clears it', async () => {
    await runCommand(page, 'Docker Networks: Show Network Topology');
    const graph = await graphFrame(page);
    await graph
      .locator('#summary li', { hasText: new RegExp(`^Network ${escapeRe(quiet)} on local`) })
      .first()
      .waitFor({ state: 'attached', timeout: 30_000 });
    await checkFromTree(page, quiet, q1, q2, '');
    let state = await pathState(graph);
    for (let waited = 0; waited < 20_000 && state.bar === null; waited += 250) {
      await page.waitForTimeout(250);
      state = await pathState(graph);
    }
    // Still the same page: the answer did not hide the graph (a hidden webview is torn down).
    assert.equal(graph.isDetached(), false, 'the topology page was torn down: the answer hid it');
    const ids = (await graph.evaluate(`(() => {
      const cy = document.getElementById('graph')._cyreg.cy;
      const byLabel = (label) => cy.nodes().filter((node) => node.data('label') === label).map((node) => node.id());
      return { q1: byLabel(${JSON.stringify(q1)}), q2: byLabel(${JSON.stringify(q2)}), web1: byLabel(${JSON.stringify(web1)}), quiet: byLabel(${JSON.stringify(quiet)}) };
    })()`)) as { q1: string[]; q2: string[]; web1: string[]; quiet: string[] };
    assert.equal(state.bar?.trim().startsWith(`${q1} → ${q2}: unreachable (icc-disabled)`), true, String(state.bar));
    assert.deepEqual(state.blocked, ids.quiet);
    assert.ok(ids.quiet[0]?.endsWith(`:${quietId}`), JSON.stringify(ids));
    assert.ok(state.lit.includes(ids.q1[0]) && state.lit.includes(ids.q2[0]), JSON.stringify(state));
    // The two endpoint edges onto the bridge.
    assert.equal(state.lit.filter((id) => id.startsWith('ep:') && id.endsWith(`:${quietId}`)).length, 2, JSON.stringify(state));
    assert.ok(state.off.includes(ids.web1[0]), 'a container off the path is not dimmed');
    // The answer panel opened beside the graph: both in sight.
    assert.equal(await page.locator('.tabs-container .tab', { hasText: `Reach: ${q1} → ${q2}` }).count(), 1);
    // Room for the graph in the picture: the side bar away, the graph fitted; then back.
    await runCommand(page, 'View: Close Primary Side Bar');
    await graph.locator('#fit').click();
    await page.waitForTimeout(500);
    await screenshot(page, 'reachability-path');
    await openViewContainer(page, 'Docker Networks');
    await graph.locator('#path-caption').click();
    await page.keyboard.press('Escape');
    const cleared = await pathState(graph);
    assert.deepEqual(cleared, { lit: [], blocked: [], off: [], bar: null });
  });

  it('Prove It from the answer: the checks run inside FROM on the daemon and agree (ICC off drops port 80)', async () => {
    await runCommand(page, 'Notifications: Clear All Notifications');
    await checkFromTree(page, quiet, q1, q2, '80');
    const toast = page.locator('.notifications-toasts .notification-toast', { hasText: `${q1} → ${q2} port 80: unreachable` });
    await toast.waitFor({ timeout: 20_000 });
    await toast.locator('.monaco-button', { hasText: 'Prove It' }).click();
    // The page is replaced when the probe is done: wait for the one that shows it.
    const frame = await answerFrame(page, q1, q2, /Probe: /);
    const text = await frame.locator('body').innerText();
    assert.match(text, /Probe: unreachable/);
    assert.match(text, /The probe agrees with the explanation\./);
    // The evidence names the command as a user would type it, run in q1 itself (its busybox has nc).
    assert.match(text, new RegExp(`docker exec ${escapeRe(q1)} sh -c '[^']*${escapeRe(q2)}[^']*80`));
    await screenshot(page, 'reachability-proof');
  });
});

const escapeRe = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The answer panel's page (the webview whose heading names FROM → TARGET) once its text matches `shows`. */
async function answerFrame(page: Page, from: string, target: string, shows: RegExp): Promise<Frame> {
  for (let waited = 0; waited < 40_000; waited += 250) {
    for (const frame of page.frames()) {
      const text = await frame
        .locator('body')
        .innerText({ timeout: 100 })
        .catch(() => '');
      if (text.startsWith(`${from} → ${target}`) && shows.test(text)) return frame;
    }
    await page.waitForTimeout(250);
  }
  throw new Error(`no answer page for ${from} → ${target} showing ${shows}`);
}
