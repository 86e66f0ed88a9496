/**
 * The topology as drawn, in Chromium, without VS Code: the panel's own page and bundle (served
 * as the bench serves them, bench/topologyHarness.ts) given the seed lab's shape
 * (bench/seedTopology.ts) and the bench's 2,000-element graph. Measured in the page from
 * Cytoscape's rendered boxes (test/support/graphMeasure.ts): at Fit no node overlaps another, no
 * label covers a node or another label, names are at least 11 px on the webview of a 1600×1000
 * window, and the picture reads as the seed's diagrams draw it. Screenshots in both themes.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { seedTopology } from '../../bench/seedTopology';
import { syntheticTopology } from '../../bench/topologyData';
import { fakeVsCode, serveTopologyPage } from '../../bench/topologyHarness';
import type { TopologyElement } from '../../src/core/topology/topologyElements';
import { diffElements } from '../../src/core/topology/topologyModel';
import { findRepoRoot } from '../support/codeServer';
import { graphMeasureScript, type GraphMeasure } from '../support/graphMeasure';
import { launchBrowser, type BrowserSession } from '../support/playwrightBrowser';

const repo = findRepoRoot();
/** The editor area of a 1600×1000 code-server window with the side bar hidden (the webview's size). */
const WEBVIEW = { width: 1552, height: 908 };

interface Placed {
  x: number;
  y: number;
}

describe('the topology as drawn (page test)', { timeout: 180_000 }, () => {
  let site: Awaited<ReturnType<typeof serveTopologyPage>>;
  const browsers: BrowserSession[] = [];
  const problems: string[] = [];

  before(async () => {
    site = await serveTopologyPage(repo);
  });
  after(async () => {
    for (const browser of browsers) await browser.close();
    await site?.close();
  });

  async function open(theme: 'dark' | 'light', elements: TopologyElement[]): Promise<Page> {
    const runDir = fs.mkdtempSync(path.join(repo, '.test-runs', 'topology-layout-'));
    const browser = await launchBrowser({ runDir, viewport: WEBVIEW });
    browsers.push(browser);
    const page = browser.page;
    page.on('pageerror', (error) => problems.push(String(error)));
    page.on('console', (message) => /Content Security Policy|Refused to|error/i.test(message.text()) && problems.push(message.text()));
    await browser.context.addInitScript({ content: fakeVsCode(theme) });
    await page.goto(site.url);
    await page.waitForFunction(`window.__toHost.some((message) => message.type === 'ready')`);
    await post(page, { type: 'snapshot', elements, positions: {} });
    await fit(page);
    return page;
  }

  /** Posts a message as VS Code would and waits until the webview has drawn it. */
  async function post(page: Page, message: { type: 'snapshot' | 'diff' } & Record<string, unknown>): Promise<void> {
    await page.evaluate((value: unknown) => void ((globalThis as Record<string, unknown>).__next = value), message);
    await page.evaluate(`(async () => {
      performance.clearMarks();
      window.postMessage(window.__next, '*');
      while (!performance.getEntriesByName('dne:${message.type}-drawn').length) await new Promise((resolve) => setTimeout(resolve, 10));
    })()`);
  }

  async function fit(page: Page): Promise<void> {
    await page.locator('#fit').click();
    await page.waitForTimeout(300);
  }

  const measure = (page: Page, allLabels = false) => page.evaluate(graphMeasureScript({ allLabels })) as Promise<GraphMeasure>;
  const positions = (page: Page) =>
    page.evaluate(`(() => {
    const cy = document.getElementById('graph')._cyreg.cy;
    const out = {};
    cy.nodes().forEach((node) => { out[node.data('label') + '@' + (node.data('host') || '')] = { ...node.position() }; });
    return out;
  })()`) as Promise<Record<string, Placed>>;

  const assertClean = (what: string, measured: GraphMeasure) => {
    assert.deepEqual(measured.nodeOverlaps, [], `${what}: nodes overlap`);
    assert.deepEqual(measured.labelOnNode, [], `${what}: labels cover nodes`);
    assert.deepEqual(measured.labelOnLabel, [], `${what}: labels cover labels`);
  };

  for (const theme of ['dark', 'light'] as const) {
    it(`draws the seed's lab with nothing covered and names ≥ 11 px (${theme})`, async (t) => {
      const page = await open(theme, seedTopology());
      const drawn = await measure(page);
      t.diagnostic(
        `zoom ${drawn.zoom.toFixed(2)}, names ${drawn.smallestName.toFixed(1)} px, ${drawn.drawnLabels} labels drawn, ${drawn.hiddenAddresses} addresses hidden`,
      );
      await page.screenshot({ path: path.join(repo, 'test-results', 'screenshots', `topology-seed-${theme}.png`) });
      assertClean('at Fit', drawn);
      assert.equal(drawn.hiddenAddresses, 0, 'every address is shown');
      assert.ok(drawn.smallestName >= 11, `names are ${drawn.smallestName.toFixed(1)} px at Fit`);
      // Relayout gives the same picture.
      await page.locator('#relayout').click();
      await fit(page);
      assertClean('after Relayout', await measure(page));
    });
  }

  it('draws the seed as its diagrams do: front between multihost and the bridge, web1/web2 under the overlays', async () => {
    const page = await open('dark', seedTopology());
    const at = await positions(page);
    const find = (prefix: string) => Object.entries(at).find(([key]) => key.startsWith(prefix))![1];
    const bridge = find('bridge@host:docker1');
    const front = find('front@');
    const c1 = find('c1@');
    const multihost = find('multihost@');
    const internal = find('multihost-internal@');
    assert.ok(
      multihost.y < front.y && front.y < bridge.y,
      `front (${front.y}) is not between multihost (${multihost.y}) and bridge (${bridge.y})`,
    );
    assert.ok(c1.y > bridge.y, 'c1 (only on the bridge) hangs below it');
    // Close to the networks they join: each member nearer its network than the width of a host.
    for (const [name, network] of [
      ['front@', bridge],
      ['c1@', bridge],
    ] as const) {
      const member = find(name);
      assert.ok(Math.hypot(member.x - network.x, member.y - network.y) < 120, `${name} is far from its network`);
    }
    for (const name of ['web1@', 'web2@']) assert.ok(find(name).y > Math.max(multihost.y, internal.y), `${name} is not under the overlays`);
  });

  it('keeps labels clear when each overlay member is on its docker_gwbridge too', async () => {
    const page = await open('dark', seedTopology({ gateways: true }));
    const drawn = await measure(page);
    await page.screenshot({ path: path.join(repo, 'test-results', 'screenshots', 'topology-seed-gateways.png') });
    assertClean('at Fit', drawn);
    assert.ok(drawn.smallestName >= 11, `names are ${drawn.smallestName.toFixed(1)} px at Fit`);
  });

  it('keeps labels clear after a container joins another network (a diff, placed next to its neighbours)', async () => {
    const before = seedTopology();
    const after = seedTopology({ c1On: 'multihost' });
    const page = await open('dark', before);
    await post(page, { type: 'diff', diff: diffElements(before, after) });
    await page.waitForTimeout(300);
    const measured = await measure(page, true);
    await page.screenshot({ path: path.join(repo, 'test-results', 'screenshots', 'topology-seed-diff.png') });
    assertClean('after the diff', measured);
    assert.equal(measured.hiddenAddresses, 0, 'every address is shown');
  });

  it('draws the 2,000-element graph with no node on another, nothing covered at Fit, and after five attaches', async (t) => {
    const synthetic = syntheticTopology(5);
    const page = await open('dark', synthetic.elements);
    const drawn = await measure(page);
    const all = await measure(page, true);
    t.diagnostic(
      `zoom ${drawn.zoom.toFixed(2)}; at Fit ${drawn.drawnLabels} labels drawn; every label as if drawn: ${all.drawnLabels} labels, ` +
        `${all.labelOnNode.length} on a node, ${all.labelOnLabel.length} on a label, ${all.hiddenAddresses} addresses hidden`,
    );
    await page.screenshot({ path: path.join(repo, 'test-results', 'screenshots', 'topology-2000.png') });
    assertClean('at Fit', drawn);
    // Zoomed in, where the labels are drawn, they stay clear too.
    assertClean('all labels', all);
    for (const diff of synthetic.attaches) await post(page, { type: 'diff', diff });
    await page.waitForTimeout(300);
    assertClean('after the attaches', await measure(page, true));
    assert.deepEqual(problems, []);
  });
});
