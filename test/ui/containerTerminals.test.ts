/**
 * What a user sees of #11's container additions, in code-server: the Containers view grouped by
 * Compose project (the setting on), and Show Logs from a container's context menu opening a
 * terminal where the container's own output appears (the DOM renderer, so the text is readable).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { DockerFixture, ensureTestImage, PID_LABEL, TEST_IMAGE, TEST_LABEL } from '../support/dockerFixture';
import { openViewContainer, readTreeRows, screenshot, treeRows, widenSideBar } from '../support/playwrightBrowser';
import { openExtensionWorkbench, type WorkbenchSession } from '../support/workbenchSession';

const CONTAINER_ID = 'dockerNetworkExplorer';

function section(page: Page, title: string) {
  return page.locator(`[id="workbench.view.extension.${CONTAINER_ID}"] .pane`, { has: page.locator('.pane-header', { hasText: title }) });
}

async function waitForRow(page: Page, label: string, timeoutMs = 30_000) {
  const row = treeRows(page, CONTAINER_ID).filter({
    has: page.locator('.label-name', { hasText: new RegExp(`^${label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`) }),
  });
  await row.first().waitFor({ state: 'visible', timeout: timeoutMs });
  return row.first();
}

describe('Container terminals and Compose groups in the browser', { timeout: 240_000 }, () => {
  const fixture = new DockerFixture();
  const project = fixture.name('shop');
  let session: WorkbenchSession | undefined;
  let page: Page;
  let name = '';

  before(async () => {
    await ensureTestImage(fixture.docker);
    name = fixture.name('logs-web');
    // As `docker compose up` would label it; the output is computed, so no echo of a command line can fake it.
    const container = await fixture.docker.createContainer({
      name,
      Image: TEST_IMAGE,
      Cmd: ['sh', '-c', 'echo dne-ui-logs-$((6*7)); exec sleep 600'],
      Labels: { [TEST_LABEL]: fixture.runId, [PID_LABEL]: String(process.pid), 'com.docker.compose.project': project },
    });
    await container.start();
    session = await openExtensionWorkbench({
      settings: { 'dockerNetworkExplorer.containers.groupByComposeProject': true, 'terminal.integrated.gpuAcceleration': 'off' },
    });
    page = session.page;
  });

  after(async () => {
    await session?.close();
    await fixture.cleanup();
  });

  it('groups the container under its Compose project', async () => {
    await openViewContainer(page, 'Docker Networks');
    await widenSideBar(page, 640);
    await section(page, 'Networks').locator('.pane-header').click();
    await waitForRow(page, name).catch(async (error: unknown) => {
      await screenshot(page, 'containers-compose-group-failure');
      throw error;
    });
    const rows = await readTreeRows(page, CONTAINER_ID);
    const group = rows.find((row) => row.label === project);
    assert.ok(group, `no row for project ${project} in ${JSON.stringify(rows.map((row) => row.label))}`);
    assert.equal(group.description, '1 container, 1 running');
    await screenshot(page, 'containers-compose-group');
  });

  it('Show Logs from the context menu: the container’s output appears in a terminal', async () => {
    const row = await waitForRow(page, name);
    const menu = page.locator('.context-view .monaco-menu');
    const showLogs = menu.locator('.action-label', { hasText: /^Show Logs$/ });
    const output = page.locator('.terminal-wrapper .xterm-rows', { hasText: 'dne-ui-logs-42' });
    // As in explorer.test.ts: a menu click is sometimes dropped; hover + Enter, a few times.
    for (let attempt = 0; attempt < 3 && !(await output.isVisible()); attempt++) {
      if (await menu.isVisible()) await page.keyboard.press('Escape');
      await row.click({ button: 'right' });
      await showLogs.waitFor({ state: 'visible', timeout: 5_000 });
      await showLogs.hover();
      await page.keyboard.press('Enter');
      await output.waitFor({ state: 'visible', timeout: 15_000 }).catch(() => undefined);
    }
    await output.waitFor({ state: 'visible', timeout: 5_000 }).catch(async (error: unknown) => {
      await screenshot(page, 'container-show-logs-failure');
      throw error;
    });
    await screenshot(page, 'container-show-logs');
  });
});
