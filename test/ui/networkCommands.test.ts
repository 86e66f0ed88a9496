/**
 * The network commands as a user runs them: code-server in Chromium, the command palette, the
 * real multi-step InputBox with its live validation (a bad gateway typed, its message read off
 * the input box), the network and the connected container appearing in the tree by themselves.
 */
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { openExtensionWorkbench, type WorkbenchSession } from '../support/workbenchSession';
import { cidrsOverlap, parseCidr } from '../../src/core/net/cidr';
import { validateGateway } from '../../src/core/operations/validateNetwork';
import { validateParent } from '../../src/core/operations/validateDrivers';
import { DockerFixture, PID_LABEL, TEST_LABEL, ensureTestImage } from '../support/dockerFixture';
import { openViewContainer, revealNetworksRow, screenshot, widenSideBar, viewRows } from '../support/playwrightBrowser';

/**
 * The macvlan's parent: one end of a veth pair this file makes (and deletes), so no frame reaches
 * a real LAN. (This machine's kernel has neither dummy links nor 802.1q VLANs.)
 */
const PARENT = `drv5v${process.pid % 10000}`;

/** The quick input (palette, InputBox and QuickPick share it) and its parts. */
function quickInput(page: Page) {
  const widget = page.locator('.quick-input-widget');
  return {
    widget,
    title: widget.locator('.quick-input-title'),
    input: widget.locator('.quick-input-box input'),
    /** The validation message, or the prompt while the text is valid. */
    message: widget.locator('.quick-input-message'),
    rows: widget.locator('.quick-input-list .monaco-list-row'),
  };
}

function exactly(text: string): RegExp {
  return new RegExp(`^${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);
}

/** Waits until the quick input shows the step titled `title` ("Create Bridge Network (3/11)"). */
async function waitForStep(page: Page, title: string): Promise<void> {
  await quickInput(page)
    .title.filter({ hasText: exactly(title) })
    .waitFor({ state: 'visible', timeout: 15_000 });
}

/**
 * Starts a command from the palette and waits for its first question. Not runCommand: that
 * waits for the quick input to close, and here the command's own input opens in its place.
 */
async function startFromPalette(page: Page, command: string, firstStep: string): Promise<void> {
  const { input, rows } = quickInput(page);
  await page.keyboard.press('F1');
  await input.waitFor({ state: 'visible', timeout: 15_000 });
  await input.fill(`>${command}`);
  await rows
    .filter({ has: page.locator('.label-name', { hasText: exactly(command) }) })
    .first()
    .click();
  await waitForStep(page, firstStep);
}

/** Types the answer of one step and presses Enter. */
async function answer(page: Page, step: string, text: string): Promise<void> {
  await waitForStep(page, step);
  await quickInput(page).input.fill(text);
  await page.keyboard.press('Enter');
}

/** Filters a pick by `label` and clicks exactly that item. */
async function choose(page: Page, step: string, label: string): Promise<void> {
  const { input, rows } = quickInput(page);
  await waitForStep(page, step);
  await input.fill(label);
  await rows
    .filter({ has: page.locator('.label-name', { hasText: exactly(label) }) })
    .first()
    .click();
}

/** A row of the Networks view (not of Containers, where a container shows too) by its label. */
function networksRow(page: Page, label: string) {
  return viewRows(page, 'Networks')
    .filter({ has: page.locator('.label-name', { hasText: exactly(label) }) })
    .first();
}

/** The entries of the context menu on screen (a closed one may linger, hidden, in the DOM). */
function contextMenu(page: Page) {
  return page.locator('.context-view .action-label:visible');
}

/** Opens the context menu of a Networks row; returns its entries (separators as ''). */
async function openContextMenu(page: Page, label: string): Promise<string[]> {
  const row = await revealNetworksRow(page, label);
  const menu = contextMenu(page);
  // A tree update can redraw the row under the pointer and swallow the menu: open it again.
  for (let attempt = 0; attempt < 3 && !(await menu.first().isVisible()); attempt++) {
    await row.click({ button: 'right' });
    await menu
      .first()
      .waitFor({ state: 'visible', timeout: 5_000 })
      .catch(() => {});
  }
  return (await menu.allInnerTexts()).map((text) => text.trim());
}

/** Lets the progress notification of the last operation go, so a screenshot shows the result. */
async function progressGone(page: Page): Promise<void> {
  await page
    .locator('.notifications-toasts .notification-list-item')
    .first()
    .waitFor({ state: 'hidden', timeout: 10_000 })
    .catch(() => {});
}

describe('Network commands in the browser', { timeout: 240_000 }, () => {
  const fixture = new DockerFixture();
  const networkName = fixture.name('uinet');
  let session: WorkbenchSession | undefined;
  let page: Page;
  let base = '';
  let macvlanBase = '';
  let web1 = '';

  before(async () => {
    await ensureTestImage(fixture.docker);
    base = await freeBlock(fixture);
    macvlanBase = await freeBlock(fixture, [base]);
    execFileSync('ip', ['link', 'add', PARENT, 'type', 'veth', 'peer', 'name', `${PARENT}p`]);
    web1 = (await fixture.runContainer({ name: 'web1', cmd: ['httpd', '-f', '-p', '80', '-h', '/www'] })).name;
    session = await openExtensionWorkbench();
    page = session.page;
    await openViewContainer(page, 'Docker Networks');
    await widenSideBar(page, 640);
    await revealNetworksRow(page, 'bridge').catch(async (error: unknown) => {
      await screenshot(page, 'network-commands-start-failure');
      throw error;
    });
  });

  after(async () => {
    await session?.close();
    await fixture.cleanup();
    spawnSync('ip', ['link', 'del', PARENT]);
  });

  it('creates a bridge network from the palette; a bad gateway is refused in the input box', async () => {
    const title = 'Create Bridge Network';
    const subnet = `${base}.0/24`;
    const badGateway = `10.15.${Number(base.split('.')[2]) + 1}.1`;
    const { input, message } = quickInput(page);
    await startFromPalette(page, `Docker Networks: ${title}`, `${title} (1/11)`);
    assert.equal(await input.getAttribute('placeholder'), 'e.g. testbridge');
    await answer(page, `${title} (1/11)`, networkName);
    await answer(page, `${title} (2/11)`, subnet);

    await waitForStep(page, `${title} (3/11)`);
    await input.fill(badGateway);
    const expected = validateGateway(badGateway, subnet)!;
    await message.filter({ hasText: expected }).waitFor({ timeout: 5_000 });
    assert.equal((await message.innerText()).trim(), expected);
    // Enter does not get past a message: the step stays, with its text.
    await page.keyboard.press('Enter');
    await waitForStep(page, `${title} (3/11)`);
    assert.equal(await input.inputValue(), badGateway);
    await screenshot(page, 'network-create-bad-gateway');

    await input.fill(`${base}.1`);
    await message.filter({ hasText: /^Gateway inside / }).waitFor({ timeout: 5_000 });
    await page.keyboard.press('Enter');
    // The example fits the subnet chosen two steps before.
    await waitForStep(page, `${title} (4/11)`);
    assert.equal(await input.getAttribute('placeholder'), `optional, e.g. ${base}.128/25`);
    await answer(page, `${title} (4/11)`, `${base}.128/25`);
    await answer(page, `${title} (5/11)`, ''); // bridge name: Docker's br-<id>
    await answer(page, `${title} (6/11)`, ''); // MTU: the daemon's default
    // The fixture's labels, so that its cleanup removes the network whatever happens.
    await answer(page, `${title} (7/11)`, `${TEST_LABEL}=${fixture.runId},${PID_LABEL}=${process.pid}`);
    await answer(page, `${title} (8/11)`, '');
    await waitForStep(page, `${title} (11/11)`);
    // Untick ICC: the summary at the end must say so.
    const icc = quickInput(page).rows.filter({ hasText: 'Inter-container communication' }).first();
    await icc.locator('input[type=checkbox]').uncheck();
    await screenshot(page, 'network-create-options');
    await page.keyboard.press('Enter');

    // The last step: the whole network in a dialog, wrapped, nothing cut off.
    const dialog = page.locator('.monaco-dialog-box');
    await dialog.waitFor({ timeout: 10_000 });
    assert.equal((await dialog.locator('.dialog-message-text').innerText()).trim(), `Create bridge network ${networkName} on local?`);
    const detail = (await dialog.locator('.dialog-message-detail').innerText()).trim();
    assert.equal(detail.split('\n')[0], `Subnet ${subnet}, gateway ${base}.1, ip-range ${base}.128/25`);
    assert.equal(detail.split('\n')[1], 'Internal: no · Inter-container communication: no');
    await screenshot(page, 'network-create-confirm');
    await dialog.locator('.dialog-buttons .monaco-button', { hasText: exactly('Create') }).click();

    const row = await revealNetworksRow(page, networkName);
    assert.equal(
      (await row.locator('.label-description').innerText()).trim(),
      `bridge · local · ${subnet} gw ${base}.1 range ${base}.128/25 · ICC off`,
    );
    await progressGone(page);
    await screenshot(page, 'network-create-done');
  });

  it('creates a dual-stack macvlan from the palette; a VLAN id out of range is refused in the input box', async () => {
    const title = 'Create Macvlan Network';
    const name = fixture.name('uimv');
    const subnet = `${macvlanBase}.0/24`;
    const v6 = `fd00:5:${macvlanBase.split('.')[2]}::/64`;
    const { input, message } = quickInput(page);
    await startFromPalette(page, `Docker Networks: ${title}`, `${title} (1/13)`);
    await choose(page, `${title} (1/13)`, 'A macvlan network');
    await answer(page, `${title} (2/13)`, name);
    await waitForStep(page, `${title} (3/13)`);
    assert.equal(await input.getAttribute('placeholder'), 'e.g. eth0 or eth0.10');
    await input.fill(`${PARENT}.5000`);
    const expected = validateParent(`${PARENT}.5000`, 'macvlan', { hostId: 'local', networks: [], containers: [], endpoints: [] })!;
    await message.filter({ hasText: expected }).waitFor({ timeout: 5_000 });
    assert.match((await message.innerText()).trim(), /vlan id must be between 1-4094, received: 5000/);
    await page.keyboard.press('Enter');
    await waitForStep(page, `${title} (3/13)`);
    await screenshot(page, 'network-create-macvlan-bad-vlan');
    await input.fill(`${PARENT}`);
    await message.filter({ hasText: /^Host interface the macvlan network sits on/ }).waitFor({ timeout: 5_000 });
    await page.keyboard.press('Enter');
    await choose(page, `${title} (4/13)`, 'private');
    await answer(page, `${title} (5/13)`, subnet);
    await answer(page, `${title} (6/13)`, `${macvlanBase}.1`);
    await answer(page, `${title} (7/13)`, '');
    await answer(page, `${title} (8/13)`, '');
    await answer(page, `${title} (9/13)`, `${TEST_LABEL}=${fixture.runId},${PID_LABEL}=${process.pid}`);
    await answer(page, `${title} (10/13)`, v6);
    await answer(page, `${title} (11/13)`, '');
    await answer(page, `${title} (12/13)`, '');
    await waitForStep(page, `${title} (13/13)`);
    await page.keyboard.press('Enter');

    const dialog = page.locator('.monaco-dialog-box');
    await dialog.waitFor({ timeout: 10_000 });
    const detail = (await dialog.locator('.dialog-message-detail').innerText()).trim().split('\n');
    assert.deepEqual(detail.slice(0, 3), [
      `parent ${PARENT}, mode private`,
      `Subnet ${subnet}, gateway ${macvlanBase}.1, ip-range the whole subnet`,
      `IPv6 ${v6}, gateway the first address, ip-range the whole subnet`,
    ]);
    await screenshot(page, 'network-create-macvlan-confirm');
    await dialog.locator('.dialog-buttons .monaco-button', { hasText: exactly('Create') }).click();

    const row = await revealNetworksRow(page, name);
    assert.match(
      (await row.locator('.label-description').innerText()).trim(),
      new RegExp(`^macvlan · local · parent ${PARENT}, mode private · ${subnet.replace(/\./g, '\\.')} gw `),
    );
    const inspected = await fixture.docker.getNetwork(name).inspect();
    assert.deepEqual([inspected.Options, inspected.EnableIPv6], [{ parent: `${PARENT}`, macvlan_mode: 'private' }, true]);
    await progressGone(page);
    await screenshot(page, 'network-create-macvlan-done');
  });

  it('connects a container from the palette, with an alias and a static address outside the ip-range', async () => {
    const title = 'Connect Container to Network';
    await startFromPalette(page, `Docker Networks: ${title}`, `${title} (1/5)`);
    await choose(page, `${title} (1/5)`, web1);
    await choose(page, `${title} (2/5)`, networkName);
    await answer(page, `${title} (3/5)`, 'webone');
    await answer(page, `${title} (4/5)`, '');
    await waitForStep(page, `${title} (5/5)`);
    // Nothing is filled in: Enter would let Docker choose. Typed: an address outside the
    // ip-range (.128/25), which Docker accepts.
    assert.equal(await quickInput(page).input.inputValue(), '');
    await quickInput(page).input.fill(`${base}.5`);
    await screenshot(page, 'network-connect-address');
    await page.keyboard.press('Enter');

    // The row becomes expandable when the event stream brings the endpoint; then open it.
    const network = await revealNetworksRow(page, networkName);
    await network.and(page.locator('[aria-expanded]')).waitFor({ timeout: 15_000 });
    if ((await network.getAttribute('aria-expanded')) === 'false') await network.click();
    const endpoint = networksRow(page, web1);
    await endpoint.waitFor({ timeout: 15_000 });
    assert.equal((await endpoint.locator('.label-description').innerText()).trim(), `${base}.5/24 · aliases webone`);
    await progressGone(page);
    const inspected = await fixture.docker.getContainer(web1).inspect();
    assert.equal(inspected.NetworkSettings.Networks[networkName]?.IPAddress, `${base}.5`);
    await screenshot(page, 'network-connect-done');
  });

  it('offers Remove Network on our network only, and asks first, naming the attached container', async () => {
    const predefined = await openContextMenu(page, 'bridge');
    assert.ok(predefined.includes('Connect Container to Network'), JSON.stringify(predefined));
    assert.ok(!predefined.includes('Remove Network'), JSON.stringify(predefined));
    await page.keyboard.press('Escape');

    const dialog = page.locator('.monaco-dialog-box');
    // The shared daemon's events redraw the tree now and then; a redraw closes an open context
    // menu, and the click then lands on nothing. Only a confirmation follows the click, so
    // trying again is safe.
    for (let attempt = 1; !(await dialog.isVisible()); attempt++) {
      const custom = await openContextMenu(page, networkName);
      assert.ok(custom.includes('Remove Network') && custom.includes('Connect Container to Network'), JSON.stringify(custom));
      await contextMenu(page)
        .filter({ hasText: exactly('Remove Network') })
        .click();
      await dialog.waitFor({ timeout: 5_000 }).catch((error: unknown) => {
        if (attempt === 3) throw error;
      });
    }
    const text = (await dialog.locator('.dialog-message-container').innerText()).trim();
    assert.equal(text, `Remove network ${networkName}? These containers will be disconnected from it: ${web1} (running, ${base}.5).`);
    await screenshot(page, 'network-remove-confirm');
    await dialog.locator('.dialog-buttons .monaco-button', { hasText: exactly('Remove') }).click();
    await networksRow(page, networkName).waitFor({ state: 'detached', timeout: 15_000 });
    await progressGone(page);
    await screenshot(page, 'network-remove-done');
    const container = await fixture.docker.getContainer(web1).inspect();
    assert.deepEqual(Object.keys(container.NetworkSettings.Networks), ['bridge']);
  });
});

/** A random 10.15.x.0/24 (x from 100 to 248, so x+1 is a block too) that no network overlaps. */
async function freeBlock(fixture: DockerFixture, taken: string[] = []): Promise<string> {
  const used = (await fixture.docker.listNetworks()).flatMap((network) =>
    (network.IPAM?.Config ?? []).flatMap((config) => {
      const parsed = config.Subnet ? parseCidr(config.Subnet, false) : undefined;
      return parsed?.ok ? [parsed.cidr] : [];
    }),
  );
  for (let tries = 0; tries < 500; tries++) {
    const base = `10.15.${100 + Math.floor(Math.random() * 149)}`;
    const block = parseCidr(`${base}.0/24`);
    if (block.ok && !taken.includes(base) && !used.some((other) => cidrsOverlap(block.cidr, other))) return base;
  }
  throw new Error('no free 10.15.x.0/24 block on this daemon');
}
