/**
 * The topology panel as a user sees it: opened from the palette in code-server, its content read
 * from the accessible Elements list inside the webview (the canvas cannot be read), a container
 * connected from outside appearing as a new edge, an HTML-looking Docker label shown as text.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Frame, FrameLocator, Page } from 'playwright-core';
import { DockerFixture, PID_LABEL, TEST_IMAGE, TEST_LABEL, ensureTestImage } from '../support/dockerFixture';
import { findRepoRoot } from '../support/codeServer';
import { graphFrame, graphMeasureScript, type GraphMeasure } from '../support/graphMeasure';
import { runCommand, screenshot, waitUntil } from '../support/playwrightBrowser';
import { openExtensionWorkbench, type WorkbenchSession } from '../support/workbenchSession';

const XSS = '<img src=x onerror=alert(1)>';

/** The page inside the webview: VS Code nests it in two iframes. */
function webview(page: Page): FrameLocator {
  return page.frameLocator('iframe.webview.ready').frameLocator('iframe#active-frame');
}

interface GraphState {
  /** Model positions of every node but the hosts (host frames follow their members). */
  positions: Record<string, { x: number; y: number }>;
  zoom: number;
}

/**
 * Reads node positions from the Cytoscape instance the page registered on its container
 * (`_cyreg`, Cytoscape's own bookkeeping): the canvas itself cannot be read. Browser code as a
 * string: the tests' tsconfig has no DOM types.
 */
async function readGraph(frame: Frame): Promise<GraphState> {
  return (await frame.evaluate(`(() => {
    const cy = document.getElementById('graph')._cyreg.cy;
    const positions = {};
    cy.nodes().forEach((node) => { if (node.data('kind') !== 'host') positions[node.id()] = { ...node.position() }; });
    return { positions, zoom: cy.zoom() };
  })()`)) as GraphState;
}

/** Where a node is drawn, in page coordinates (what the mouse needs). */
async function nodeOnPage(frame: Frame, id: string): Promise<{ x: number; y: number }> {
  const box = await frame.locator('#graph').boundingBox();
  assert.ok(box, 'the graph has no box');
  const rendered = (await frame.evaluate(
    `document.getElementById('graph')._cyreg.cy.getElementById(${JSON.stringify(id)}).renderedPosition()`,
  )) as { x: number; y: number };
  return { x: box.x + rendered.x, y: box.y + rendered.y };
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

describe('Docker Network Topology in the browser', { timeout: 240_000 }, () => {
  const fixture = new DockerFixture();
  // A random published port: other runs may use the same daemon at the same time.
  const hostPort = 20_000 + Math.floor(Math.random() * 20_000);
  let session: WorkbenchSession | undefined;
  let page: Page;
  let net = '';
  let web1 = '';
  let web2 = '';
  let late = '';
  let xss = '';
  let stopped = '';
  /** Stopped, then removed from outside while the graph's Remove waits for its confirmation. */
  let vanishing = '';
  const dialogs: string[] = [];
  const consoleProblems: string[] = [];

  before(async () => {
    await ensureTestImage(fixture.docker);
    net = (await fixture.createNetwork({ name: 'topo' })).name;
    const httpd = ['httpd', '-f', '-p', '80', '-h', '/www'];
    web1 = (
      await fixture.runContainer({
        name: 'web1',
        cmd: httpd,
        networks: [{ network: net, aliases: ['webone'] }],
        ports: [{ containerPort: 80, hostPort }],
      })
    ).name;
    web2 = (await fixture.runContainer({ name: 'web2', cmd: httpd, networks: [{ network: net, links: [`${web1}:webtwo`] }] })).name;
    late = (await fixture.runContainer({ name: 'late', cmd: httpd })).name;
    // Names cannot hold `<`, labels can: the fixture's own labels keep it in its cleanup.
    xss = fixture.name('xss');
    const created = await fixture.docker.createContainer({
      name: xss,
      Image: TEST_IMAGE,
      Cmd: httpd,
      Labels: { [TEST_LABEL]: fixture.runId, [PID_LABEL]: String(process.pid), title: XSS },
      HostConfig: { NetworkMode: net },
    });
    await created.start();
    stopped = (await fixture.runContainer({ name: 'stopped', cmd: httpd, networks: [{ network: net }] })).name;
    await fixture.docker.getContainer(stopped).stop({ t: 0 });
    vanishing = (await fixture.runContainer({ name: 'vanishing', cmd: httpd })).name;
    await fixture.docker.getContainer(vanishing).stop({ t: 0 });
    session = await openExtensionWorkbench({}, (opened) => {
      opened.on('dialog', (dialog) => {
        dialogs.push(dialog.message());
        void dialog.dismiss();
      });
      opened.on('console', (message) => {
        if (/Content Security Policy|Refused to/i.test(message.text())) consoleProblems.push(message.text());
      });
    });
    page = session.page;
  });

  after(async () => {
    await session?.close();
    await fixture.cleanup();
  });

  const summaryItems = () => webview(page).locator('#summary li');
  const waitForItem = async (pattern: RegExp, timeoutMs = 30_000) => {
    const item = summaryItems().filter({ hasText: pattern });
    await item.first().waitFor({ state: 'attached', timeout: timeoutMs });
    return item.first();
  };

  it('opens from the palette and lists hosts, networks, containers, ports and edges', async () => {
    await runCommand(page, 'Docker Networks: Show Network Topology');
    await waitForItem(new RegExp(`^Network ${escape(net)} on local$`));
    const texts = (await summaryItems().allTextContents()).map((text) => text.trim());
    const has = (pattern: RegExp) =>
      assert.ok(
        texts.some((text) => pattern.test(text)),
        `no ${pattern} in\n${texts.join('\n')}`,
      );
    has(/^Host local$/);
    has(/^Network bridge on local \(predefined\)$/);
    has(new RegExp(`^Container ${escape(web1)} on local$`));
    has(new RegExp(`^Container ${escape(web2)} on local$`));
    has(new RegExp(`^Port ${hostPort}→80 of ${escape(web1)}$`));
    has(new RegExp(`^Edge ${escape(web1)} — ${escape(net)}: \\d+\\.\\d+\\.\\d+\\.\\d+ \\(aliases webone\\)$`));
    has(new RegExp(`^Edge ${escape(web2)} — ${escape(net)}: \\d+\\.\\d+\\.\\d+\\.\\d+$`));
    has(new RegExp(`^Link ${escape(web2)} → ${escape(web1)}: alias webtwo$`));
    has(new RegExp(`^Edge ${escape(late)} — bridge: `));
  });

  it('shows a container connected from outside as a new edge', async () => {
    await fixture.connect(late, net);
    await waitForItem(new RegExp(`^Edge ${escape(late)} — ${escape(net)}: \\d+\\.\\d+\\.\\d+\\.\\d+$`));
  });

  it('shows an HTML-looking Docker label as text and runs nothing', async () => {
    const frame = webview(page);
    await (await waitForItem(new RegExp(`^Container ${escape(xss)} on local$`))).locator('button').click();
    const details = frame.locator('#details');
    await details.getByText(XSS, { exact: true }).waitFor({ timeout: 10_000 });
    assert.equal(await frame.locator('img').count(), 0);
    assert.deepEqual(dialogs, []);
    await page.waitForTimeout(500);
    await screenshot(page, 'topology-dark');
  });

  it('says when the filter matches nothing', async () => {
    const frame = webview(page);
    const hint = frame.locator('#filter-hint');
    await frame.locator('#search input').fill('zz-no-such-thing');
    await hint.waitFor({ state: 'visible', timeout: 5_000 });
    assert.equal((await hint.innerText()).trim(), 'No element matches "zz-no-such-thing"');
    await screenshot(page, 'topology-filter-no-match');
    await frame.locator('#search input').fill(web1);
    await hint.waitFor({ state: 'hidden', timeout: 5_000 });
    await frame.locator('#search input').fill('');
  });

  it('draws it with no node on another and no label covering a node or a label, at Fit', async (t) => {
    await webview(page).locator('#fit').click();
    await page.waitForTimeout(800); // the fit animates
    // Measured from Cytoscape's rendered boxes; the daemon is shared, so the graph also holds
    // whatever other runs have there: the layout's guarantee holds for any graph.
    const measured = (await (await graphFrame(page)).evaluate(graphMeasureScript())) as GraphMeasure;
    t.diagnostic(`at Fit: zoom ${measured.zoom.toFixed(2)}, ${measured.nodes} nodes, ${measured.drawnLabels} labels drawn`);
    await screenshot(page, 'topology-fit');
    assert.deepEqual(measured.nodeOverlaps, [], 'nodes overlap');
    assert.deepEqual(measured.labelOnNode, [], 'labels cover nodes');
    assert.deepEqual(measured.labelOnLabel, [], 'labels cover labels');
  });

  /** The rendered box of the whole graph and the size of its panel, in the panel's pixels. */
  async function graphInView(
    frame: Frame,
  ): Promise<{ box: { x1: number; y1: number; x2: number; y2: number }; width: number; height: number }> {
    return (await frame.evaluate(`(() => {
      const graph = document.getElementById('graph');
      const cy = graph._cyreg.cy;
      return { box: cy.elements().renderedBoundingBox(), width: graph.clientWidth, height: graph.clientHeight };
    })()`)) as { box: { x1: number; y1: number; x2: number; y2: number }; width: number; height: number };
  }

  it('a click only selects; Reveal in Tree (context menu) selects the row, and the graph stays in view as the sidebar opens', async () => {
    const sideBar = page.locator('[id="workbench.view.extension.dockerNetworkExplorer"]');
    await runCommand(page, 'View: Close Primary Side Bar');
    await page.locator('#workbench\\.parts\\.sidebar').waitFor({ state: 'hidden', timeout: 10_000 });
    const frame = await graphFrame(page);
    await webview(page).locator('#fit').click();
    await page.waitForTimeout(300);
    const wide = await graphInView(frame);

    const item = await waitForItem(new RegExp(`^Network ${escape(net)} on local$`));
    await item.locator('button').click();
    await page.waitForTimeout(1_500);
    assert.equal(await page.locator('#workbench\\.parts\\.sidebar').isVisible(), false, 'a click opened the sidebar');

    await item.locator('button').click({ button: 'right' });
    const labels = (await webview(page).locator('#menu button').allInnerTexts()).map((text) => text.trim());
    assert.deepEqual(labels, ['Inspect', 'Connect a Container…', 'Show Reachability Matrix', 'Remove', 'Reveal in Tree']);
    await webview(page)
      .locator('#menu button', { hasText: /^Reveal in Tree$/ })
      .click();
    const selected = sideBar.locator('.monaco-list-row.selected .label-name', { hasText: new RegExp(`^${escape(net)}$`) });
    await selected.waitFor({ state: 'visible', timeout: 15_000 });
    // The panel is narrower now: everything that was in view still is.
    let narrow = await graphInView(frame);
    for (let wait = 0; wait < 20 && narrow.width >= wide.width; wait++) {
      await page.waitForTimeout(100);
      narrow = await graphInView(frame);
    }
    assert.ok(narrow.width < wide.width, `the graph did not get narrower (${wide.width} → ${narrow.width})`);
    await page.waitForTimeout(300);
    narrow = await graphInView(frame);
    const { box } = narrow;
    assert.ok(
      box.x1 >= -1 && box.y1 >= -1 && box.x2 <= narrow.width + 1 && box.y2 <= narrow.height + 1,
      `graph ${JSON.stringify(box)} outside its ${narrow.width}×${narrow.height} panel`,
    );
    await screenshot(page, 'topology-reveal');
  });

  it('offers Disconnect per network and Remove for a stopped container, and runs them after a confirmation', async () => {
    const frame = webview(page);
    const menuLabels = async (pattern: RegExp) => {
      await (await waitForItem(pattern)).locator('button').click({ button: 'right' });
      await frame.locator('#menu button').first().waitFor({ state: 'visible', timeout: 5_000 });
      return (await frame.locator('#menu button').allInnerTexts()).map((text) => text.trim());
    };
    const running = await menuLabels(new RegExp(`^Container ${escape(late)} on local$`));
    assert.deepEqual(running, [
      'Inspect',
      'Open Shell',
      'Show Logs',
      'Connect to a Network…',
      'Disconnect from bridge',
      `Disconnect from ${net}`,
      'Check Reachability To…',
      'Reveal in Tree',
    ]);
    await screenshot(page, 'topology-container-menu');
    const dialog = page.locator('.monaco-dialog-box');
    await frame.locator('#menu button', { hasText: new RegExp(`^Disconnect from ${escape(net)}$`) }).click();
    await dialog.waitFor({ timeout: 10_000 });
    assert.equal((await dialog.locator('.dialog-message-text').innerText()).trim(), `Disconnect ${late} from ${net}?`);
    await dialog.locator('.dialog-buttons .monaco-button', { hasText: /^Disconnect$/ }).click();
    await summaryItems()
      .filter({ hasText: new RegExp(`^Edge ${escape(late)} — ${escape(net)}: `) })
      .first()
      .waitFor({ state: 'detached', timeout: 15_000 });
    assert.equal((await fixture.docker.getContainer(late).inspect()).NetworkSettings.Networks[net], undefined);

    const stoppedMenu = await menuLabels(new RegExp(`^Container ${escape(stopped)} on local \\(stopped\\)$`));
    assert.deepEqual(stoppedMenu, [
      'Inspect',
      'Show Logs',
      'Connect to a Network…',
      `Disconnect from ${net}`,
      'Check Reachability To…',
      'Remove',
      'Reveal in Tree',
    ]);
    await frame.locator('#menu button', { hasText: /^Remove$/ }).click();
    await dialog.waitFor({ timeout: 10_000 });
    // A dialog without detail text shows its message in the container alone.
    assert.match(
      (await dialog.locator('.dialog-message-container').innerText()).trim(),
      new RegExp(`^Remove container ${escape(stopped)} \\(exited, `),
    );
    await screenshot(page, 'topology-remove-container');
    await dialog.locator('.dialog-buttons .monaco-button', { hasText: /^Remove$/ }).click();
    await summaryItems()
      .filter({ hasText: new RegExp(`^Container ${escape(stopped)} `) })
      .first()
      .waitFor({ state: 'detached', timeout: 15_000 });
    await assert.rejects(fixture.docker.getContainer(stopped).inspect(), (error: { statusCode?: number }) => error.statusCode === 404);
  });

  it("shows in the graph why an action failed: Docker's answer for a container removed meanwhile", async () => {
    const frame = webview(page);
    const status = frame.locator('#status');
    await (
      await waitForItem(new RegExp(`^Container ${escape(vanishing)} on local \\(stopped\\)$`))
    )
      .locator('button')
      .click({ button: 'right' });
    await frame.locator('#menu button', { hasText: /^Remove$/ }).click();
    const dialog = page.locator('.monaco-dialog-box');
    await dialog.waitFor({ timeout: 10_000 });
    // Gone from outside while the user reads the confirmation: the removal then reaches Docker,
    // which refuses, and the extension answers the webview's request with why.
    await fixture.docker.getContainer(vanishing).remove({ force: true });
    await dialog.locator('.dialog-buttons .monaco-button', { hasText: /^Remove$/ }).click();
    await status.waitFor({ state: 'visible', timeout: 15_000 });
    const text = (await status.innerText()).trim();
    assert.match(
      text,
      new RegExp(`^Remove failed: Container ${escape(vanishing)} was not removed\\. Docker answered: "[^"]*No such container`, 'i'),
    );
    await screenshot(page, 'topology-action-failed');
    // Dismissed by a click; the next request clears it too.
    await status.click();
    await status.waitFor({ state: 'hidden', timeout: 5_000 });
  });

  it('asks the extension to inspect a network from the context menu', async () => {
    const item = await waitForItem(new RegExp(`^Network ${escape(net)} on local$`));
    await item.locator('button').click({ button: 'right' });
    await webview(page)
      .locator('#menu button', { hasText: /^Inspect$/ })
      .click();
    await page.locator('.tabs-container .tab', { hasText: `${net}.json` }).waitFor({ state: 'visible', timeout: 15_000 });
    // Back to the topology for the theme screenshot.
    await page.locator('.tabs-container .tab', { hasText: 'Docker Network Topology' }).click();
    await waitForItem(new RegExp(`^Network ${escape(net)} on local$`));
  });

  /** Clicks an export button and answers code-server's save dialog (a quick input holding the path). */
  async function exportTo(format: 'png' | 'svg'): Promise<Buffer> {
    await webview(page).locator(`#export-${format}`).click();
    const input = page.locator('.quick-input-widget input.input');
    await input.waitFor({ state: 'visible', timeout: 15_000 });
    const file = path.join(session!.server.workspaceFolder, `docker-topology.${format}`);
    // The dialog proposes <workspace>/docker-topology.<format> (the extension's defaultUri): accept
    // it as a user would. Typing a whole path raced the dialog's own completion, which sometimes
    // spliced the two into a folder that does not exist.
    const proposed = async () => (await input.inputValue()).endsWith(`docker-topology.${format}`);
    for (let wait = 0; wait < 50 && !(await proposed()); wait++) await page.waitForTimeout(100);
    assert.ok(await proposed(), `the save dialog proposed "${await input.inputValue()}"`);
    await page.keyboard.press('Enter');
    const written = () => fs.existsSync(file) && fs.statSync(file).size > 0;
    if (!(await waitUntil(written, 10_000))) {
      await screenshot(page, `topology-export-${format}-failure`);
      assert.fail(`${file} was not written (see test-results/screenshots/topology-export-${format}-failure.png)`);
    }
    await page.waitForTimeout(200);
    // Kept beside the screenshots, to look at.
    fs.copyFileSync(file, path.join(findRepoRoot(), 'test-results', 'screenshots', `topology-export.${format}`));
    return fs.readFileSync(file);
  }

  it('exports the view as PNG and SVG through the save dialog', async () => {
    assert.deepEqual([...(await exportTo('png')).subarray(1, 4)], [...Buffer.from('PNG')]);
    const svg = (await exportTo('svg')).toString('utf8');
    assert.match(svg, /^<svg /);
    assert.ok(svg.includes(`>${web1}</text>`), 'the SVG names the containers');
  });

  /** Where the nodes were after the drag: closing, reopening and reloading must keep them. */
  let dragged: GraphState | undefined;

  /** Nodes on the graph both times that moved more than 2 units (other runs share the daemon). */
  const drifted = (before: GraphState, after: GraphState) => {
    const common = Object.keys(before.positions).filter((key) => after.positions[key]);
    assert.ok(common.length >= 6, `only ${common.length} nodes in common`);
    return common
      .map((key) => ({
        key,
        by: Math.hypot(after.positions[key].x - before.positions[key].x, after.positions[key].y - before.positions[key].y),
      }))
      .filter((entry) => entry.by > 2);
  };

  it('keeps dragged node positions when the panel is closed and opened again', async (t) => {
    // Once in ~30 runs the panel's tab was gone here after the exports (not understood yet): then
    // it is opened again as a user would, with a screenshot and a note, and the test goes on.
    const topologyTab = page.locator('.tabs-container .tab', { hasText: 'Docker Network Topology' });
    const shown = await topologyTab
      .waitFor({ state: 'visible', timeout: 5_000 })
      .then(() => true)
      .catch(() => false);
    if (shown) await topologyTab.click();
    else {
      await screenshot(page, 'topology-tab-missing');
      t.diagnostic('the topology tab was not there after the exports: reopened from the palette (screenshot topology-tab-missing)');
      await runCommand(page, 'Docker Networks: Show Network Topology');
    }
    await waitForItem(new RegExp(`^Network ${escape(net)} on local$`));
    let frame = await graphFrame(page);
    const before = await readGraph(frame);
    const web1Id = await (await waitForItem(new RegExp(`^Container ${escape(web1)} on local$`))).getAttribute('data-id');
    assert.ok(web1Id && before.positions[web1Id], `no node for ${web1}`);
    // Drag web1 with the mouse, as a user would: 80 px right and 50 px down on screen.
    const start = await nodeOnPage(frame, web1Id);
    await page.mouse.move(start.x, start.y);
    await page.mouse.down();
    await page.mouse.move(start.x + 40, start.y + 25, { steps: 5 });
    await page.mouse.move(start.x + 80, start.y + 50, { steps: 5 });
    await page.mouse.up();
    dragged = await readGraph(frame);
    const moved = dragged.positions[web1Id];
    const expected = { x: before.positions[web1Id].x + 80 / before.zoom, y: before.positions[web1Id].y + 50 / before.zoom };
    assert.ok(
      Math.hypot(moved.x - expected.x, moved.y - expected.y) < 3,
      `web1 went to ${JSON.stringify(moved)}, not ${JSON.stringify(expected)}`,
    );
    await screenshot(page, 'topology-before-close');

    // Closed: VS Code drops the webview and its state; the extension keeps the positions.
    const tab = page.locator('.tabs-container .tab', { hasText: 'Docker Network Topology' });
    await tab.click();
    await runCommand(page, 'View: Close Editor');
    await tab.waitFor({ state: 'detached', timeout: 10_000 });
    await runCommand(page, 'Docker Networks: Show Network Topology');
    await waitForItem(new RegExp(`^Container ${escape(web1)} on local$`));
    frame = await graphFrame(page);
    const reopened = await readGraph(frame);
    await screenshot(page, 'topology-after-reopen');
    assert.ok(
      Math.hypot(reopened.positions[web1Id].x - moved.x, reopened.positions[web1Id].y - moved.y) <= 2,
      `web1 came back at ${JSON.stringify(reopened.positions[web1Id])}`,
    );
    assert.deepEqual(drifted(dragged, reopened), [], 'nodes moved across closing and reopening the panel');
  });

  it('keeps them across a window reload', async () => {
    assert.ok(dragged, 'the drag test did not run');
    // A mark on the page that only the old page has: the test must not read the old webview.
    await page.evaluate('window.__beforeReload = true');
    await runCommand(page, 'Developer: Reload Window');
    const reloaded = async () => (await page.evaluate('window.__beforeReload !== true').catch(() => false)) === true;
    for (let wait = 0; wait < 300 && !(await reloaded()); wait++) await page.waitForTimeout(100);
    assert.ok(await reloaded(), 'the window did not reload');
    // The serializer restores the panel and its new webview sends `ready` again.
    await page.locator('.monaco-workbench').waitFor({ state: 'visible', timeout: 60_000 });
    await waitForItem(new RegExp(`^Container ${escape(web1)} on local$`), 90_000);
    const after = await readGraph(await graphFrame(page));
    await screenshot(page, 'topology-after-reload');
    assert.deepEqual(drifted(dragged, after), [], 'nodes moved across the reload');
  });

  it('follows the theme (light, high contrast) without CSP violations', async () => {
    await runCommand(page, 'Preferences: Toggle between Light/Dark Themes');
    await page.locator('.monaco-workbench.vs').waitFor({ timeout: 10_000 });
    await page.waitForTimeout(800);
    await screenshot(page, 'topology-light');
    // High contrast too: the toolbar's components and the graph read the same variables.
    // Not runCommand: this command opens a second quick pick in the same widget.
    const input = page.locator('.quick-input-widget input.input');
    await page.keyboard.press('F1');
    await input.fill('>Preferences: Color Theme');
    await page
      .locator('.quick-input-list .monaco-list-row', { hasText: /^Preferences: Color Theme/ })
      .first()
      .click();
    await page.locator('.quick-input-widget input.input[placeholder^="Select Color Theme"]').waitFor({ timeout: 10_000 });
    await input.fill('Dark High Contrast');
    await page
      .locator('.quick-input-list .monaco-list-row', { hasText: /^Dark High Contrast/ })
      .first()
      .waitFor({ timeout: 10_000 });
    await page.keyboard.press('Enter');
    await page.locator('.monaco-workbench.hc-black').waitFor({ timeout: 10_000 });
    await page.waitForTimeout(800);
    await screenshot(page, 'topology-high-contrast');
    assert.deepEqual(dialogs, []);
    assert.deepEqual(consoleProblems, []);
  });
});
