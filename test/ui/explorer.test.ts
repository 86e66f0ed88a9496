/**
 * What a user sees: code-server (a real VS Code 1.96) in Chromium, the Docker Networks view
 * container opened from the activity bar, rows read from the DOM, Inspect from a context menu,
 * and screenshots to look at.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { openExtensionWorkbench, type WorkbenchSession } from '../support/workbenchSession';
import { DockerFixture, ensureTestImage } from '../support/dockerFixture';
import { openViewContainer, readTreeRows, screenshot, treeRows, widenSideBar } from '../support/playwrightBrowser';

const CONTAINER_ID = 'dockerNetworkExplorer';

/** The view section (Networks or Containers) inside our view container. */
function section(page: Page, title: string) {
  return page.locator(`[id="workbench.view.extension.${CONTAINER_ID}"] .pane`, {
    has: page.locator('.pane-header', { hasText: title }),
  });
}

async function waitForRow(page: Page, label: string, timeoutMs = 30_000) {
  const row = treeRows(page, CONTAINER_ID).filter({ has: page.locator('.label-name', { hasText: new RegExp(`^${label}$`) }) });
  await row.first().waitFor({ state: 'visible', timeout: timeoutMs });
  return row.first();
}

describe('Docker Networks in the browser', { timeout: 240_000 }, () => {
  const fixture = new DockerFixture();
  let session: WorkbenchSession | undefined;
  let page: Page;
  let web1 = '';
  let web2 = '';
  let bridgeName = '';

  before(async () => {
    await ensureTestImage(fixture.docker);
    bridgeName = (
      await fixture.createNetwork({
        name: 'testbridge',
        subnet: '10.15.20.0/24',
        gateway: '10.15.20.1',
        ipRange: '10.15.20.128/25',
      })
    ).name;
    web1 = (
      await fixture.runContainer({
        name: 'web1',
        cmd: ['httpd', '-f', '-p', '80', '-h', '/www'],
        networks: [{ network: bridgeName, aliases: ['webone'] }, 'bridge'],
        ports: [{ containerPort: 80, hostPort: 18081 }],
      })
    ).name;
    web2 = (
      await fixture.runContainer({
        name: 'web2',
        cmd: ['httpd', '-f', '-p', '80', '-h', '/www'],
        networks: [{ network: bridgeName, links: [`${web1}:webtwo`] }],
      })
    ).name;
    session = await openExtensionWorkbench();
    page = session.page;
  });

  after(async () => {
    await session?.close();
    await fixture.cleanup();
  });

  it('opens from the activity bar and lists the host with its networks', async () => {
    await openViewContainer(page, 'Docker Networks');
    await widenSideBar(page, 640);
    await waitForRow(page, bridgeName);
    const rows = await readTreeRows(page, CONTAINER_ID);
    const host = rows.find((row) => row.label === 'local');
    assert.ok(host, `no host row in ${JSON.stringify(rows)}`);
    assert.match(host.description, /^\d+ networks?, \d+ containers? · unix:\/\/\/var\/run\/docker\.sock$/);
    const network = rows.find((row) => row.label === bridgeName)!;
    assert.equal(network.description, 'bridge · local · 10.15.20.0/24 gw 10.15.20.1 range 10.15.20.128/25');
    // The default bridge's IPAM lists its gateway or not depending on the daemon's history
    // (a fresh data-root vs. a restart): expect what this daemon reports.
    const [pool] = ((await fixture.docker.getNetwork('bridge').inspect()).IPAM?.Config ?? []) as Array<{
      Subnet: string;
      Gateway?: string;
    }>;
    assert.ok(pool, 'the default bridge has no IPAM pool');
    const gateway = pool.Gateway ? ` gw ${pool.Gateway}` : '';
    assert.equal(rows.find((row) => row.label === 'bridge')?.description, `bridge · local · ${pool.Subnet}${gateway} · predefined`);
  });

  it("the host row's tooltip names the engine and the API version negotiated with it", async () => {
    const version = await fixture.docker.version();
    const expected = `Engine: Docker ${version.Version} · API ${version.ApiVersion}`;
    const hover = page.locator('.workbench-hover, .monaco-hover').filter({ hasText: 'Engine: Docker' });
    for (let attempt = 0; attempt < 3 && !(await hover.first().isVisible()); attempt++) {
      await page.mouse.move(0, 0);
      await (await waitForRow(page, 'local')).locator('.label-name').hover();
      await hover
        .first()
        .waitFor({ state: 'visible', timeout: 5_000 })
        .catch(() => undefined);
    }
    await screenshot(page, 'explorer-host-tooltip', { keepHover: true });
    assert.ok((await hover.first().innerText()).includes(expected), `${await hover.first().innerText()} lacks "${expected}"`);
    await page.mouse.move(0, 0);
  });

  it('expands a network to its containers, with address, alias and link', async () => {
    await (await waitForRow(page, bridgeName)).click();
    await waitForRow(page, web2);
    const rows = await readTreeRows(page, CONTAINER_ID);
    assert.match(
      rows.find((row) => row.label === web1)?.description ?? '',
      /^10\.15\.20\.(12[89]|1[3-9]\d|2[0-5]\d)\/24 · aliases webone$/,
    );
    assert.match(rows.find((row) => row.label === web2)?.description ?? '', new RegExp(`^10\\.15\\.20\\.\\d+/24 · links ${web1}:webtwo$`));
    await screenshot(page, 'explorer-networks');
  });

  it('the Containers view shows published ports and each network of a container', async () => {
    const containers = section(page, 'Containers');
    // Collapse Networks so Containers has room, then open the container.
    await section(page, 'Networks').locator('.pane-header').click();
    const web1Row = containers.locator('.monaco-list-row', { has: page.locator('.label-name', { hasText: new RegExp(`^${web1}$`) }) });
    await web1Row.waitFor({ state: 'visible', timeout: 30_000 });
    assert.equal((await web1Row.locator('.label-description').innerText()).trim(), 'running · 0.0.0.0:18081→80/tcp');
    await web1Row.click();
    await containers
      .locator('.monaco-list-row', { has: page.locator('.label-name', { hasText: /^bridge$/ }) })
      .waitFor({ timeout: 10_000 });
    const labels = (await containers.locator('.monaco-list-row .label-name').allInnerTexts()).map((text) => text.trim());
    const index = labels.indexOf(web1);
    assert.deepEqual(labels.slice(index + 1, index + 3), ['bridge', bridgeName]);
    await screenshot(page, 'explorer-containers');
  });

  it('Inspect from the context menu opens the JSON', async () => {
    await section(page, 'Networks').locator('.pane-header').click();
    const row = await waitForRow(page, bridgeName);
    // A mouse click on a menu item is sometimes dropped (nothing runs, the menu stays open; seen
    // in about one run in three, in CI too). Hovering focuses the item and Enter runs it, as a
    // keyboard user would; a menu still open after that is closed before trying again.
    const menu = page.locator('.context-view .monaco-menu');
    const inspect = menu.locator('.action-label', { hasText: /^Inspect$/ });
    const tab = page.locator('.tabs-container .tab', { hasText: `${bridgeName}.json` });
    for (let attempt = 0; attempt < 3 && !(await tab.isVisible()); attempt++) {
      if (await menu.isVisible()) await page.keyboard.press('Escape');
      await row.click({ button: 'right' });
      await inspect.waitFor({ state: 'visible', timeout: 5_000 });
      await inspect.hover();
      await page.keyboard.press('Enter');
      await tab.waitFor({ state: 'visible', timeout: 5_000 }).catch(() => undefined);
    }
    await tab.waitFor({ state: 'visible', timeout: 5_000 });
    await page.locator('.monaco-editor .view-lines', { hasText: '"Subnet": "10.15.20.0/24"' }).waitFor({ timeout: 15_000 });
    await screenshot(page, 'explorer-inspect');
  });
});
