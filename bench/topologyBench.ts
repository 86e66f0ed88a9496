/**
 * `npm run bench -- topology`: the topology webview on ~2,000 elements (3 hosts, 100 networks,
 * 600 containers; bench/topologyData.ts, built by the real model) in headless Chromium. The page
 * is the panel's own (topologyPage.ts) with the real bundle (dist/webview.js), served from
 * 127.0.0.1 under the same CSP; VS Code's part is played by an init script: `acquireVsCodeApi`
 * (state in memory, messages to the page's `__toHost`) and a few dark-theme variables. Each run
 * loads a fresh page (as opening the panel does), waits for `ready`, posts the snapshot with
 * window.postMessage (VS Code's webview host also delivers a message event) and reads the
 * webview's performance marks: laid out, then drawn. Then it posts attaches as diffs.
 * Not included: VS Code's own hop from the extension host to the webview (JSON over its IPC).
 * Flags: --runs N (7), --attaches N (5), --profile (the last run's CPU profiles in test-results/topology-bench-*.cpuprofile),
 * --large (~10,000 elements: 15 hosts, 505 networks, 3,000 containers; goal for the first frame 2 s;
 * test-results/topology-bench-large.json).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import { graphMeasureScript, type GraphMeasure } from '../test/support/graphMeasure';
import { launchBrowser } from '../test/support/playwrightBrowser';
import { DEFAULT_SIZE, LARGE_SIZE, syntheticTopology } from './topologyData';
import { browserMemory, fakeVsCode, serveTopologyPage, type MemoryReading } from './topologyHarness';

const repo = path.resolve(__dirname, '../..');
const GOAL_SNAPSHOT_MS = { normal: 1500, large: 2000 };
const GOAL_DIFF_MS = 50;

function parseArgs(argv: string[]): { runs: number; attaches: number; profile: boolean; large: boolean } {
  const options = { runs: 7, attaches: 5, profile: false, large: false };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--profile') options.profile = true;
    else if (argv[i] === '--large') options.large = true;
    else if (argv[i] === '--runs' || argv[i] === '--attaches') options[argv[i] === '--runs' ? 'runs' : 'attaches'] = Number(argv[++i]);
    else throw new Error(`bad argument ${argv[i]} (flags: --runs N, --attaches N, --profile, --large)`);
  }
  return options;
}

/** Posts a message into the page and times it to the webview's `-applied` and `-drawn` marks. */
async function timeMessage(page: Page, message: unknown): Promise<{ applied: number; drawn: number }> {
  // Handed over first, so the timing holds no CDP transfer: only the page's own work.
  await page.evaluate((value: unknown) => {
    (globalThis as Record<string, unknown>).__next = value;
  }, message);
  return page.evaluate(`(async () => {
    const next = window.__next;
    performance.clearMarks();
    const start = performance.now();
    window.postMessage(next, '*');
    const mark = (name) => performance.getEntriesByName('dne:' + next.type + '-' + name)[0]?.startTime;
    while (mark('drawn') === undefined && performance.now() < start + 60000) await new Promise((resolve) => setTimeout(resolve, 5));
    return { applied: (mark('applied') ?? NaN) - start, drawn: (mark('drawn') ?? NaN) - start };
  })()`) as Promise<{ applied: number; drawn: number }>;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor((values.length - 1) / 2)];
const worst = (values: number[]) => Math.max(...values);
const ms = (value: number) => `${value.toFixed(value < 100 ? 1 : 0)} ms`;
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;

async function main(): Promise<void> {
  const options = parseArgs(process.argv.slice(2));
  const { elements, attaches } = syntheticTopology(options.attaches, options.large ? LARGE_SIZE : DEFAULT_SIZE);
  const goalSnapshotMs = GOAL_SNAPSHOT_MS[options.large ? 'large' : 'normal'];
  const suffix = options.large ? '-large' : '';
  const counts = elements.reduce<Record<string, number>>(
    (acc, element) => ((acc[element.data.kind] = (acc[element.data.kind] ?? 0) + 1), acc),
    {},
  );
  console.log(
    `[topology bench] ${elements.length} elements: ${Object.entries(counts)
      .map(([kind, n]) => `${n} ${kind}`)
      .join(', ')}`,
  );
  console.log(
    `[topology bench] each attach diff: ${attaches.map((diff) => `+${diff.added.length}/-${diff.removed.length}/~${diff.updated.length}`).join(' ')}`,
  );
  // .test-runs/ exists only after a test run: a fresh clone's first bench makes it.
  fs.mkdirSync(path.join(repo, '.test-runs'), { recursive: true });
  const runDir = fs.mkdtempSync(path.join(repo, '.test-runs', 'topology-bench-'));
  const site = await serveTopologyPage(repo);
  const browser = await launchBrowser({ runDir, viewport: { width: 1400, height: 900 } });
  const snapshot: Array<{ applied: number; drawn: number }> = [];
  const diffs: Array<{ applied: number; drawn: number }> = [];
  const memory: MemoryReading[] = [];
  const empty: MemoryReading[] = [];
  const problems: string[] = [];
  const overlaps: Array<GraphMeasure & { allLabels: boolean }> = [];
  try {
    const page = browser.page;
    page.on('console', (message) => /Content Security Policy|Refused to/i.test(message.text()) && problems.push(message.text()));
    page.on('pageerror', (error) => problems.push(String(error)));
    await browser.context.addInitScript({ content: fakeVsCode() });
    const cdp = await browser.context.newCDPSession(page);
    for (let run = 0; run < options.runs; run++) {
      await page.goto(site.url);
      await page.waitForFunction(`window.__toHost.some((message) => message.type === 'ready')`);
      empty.push(await browserMemory(cdp, browser.profileDir));
      const profiling = options.profile && run === options.runs - 1;
      if (profiling) await cdp.send('Profiler.enable').then(() => cdp.send('Profiler.start'));
      snapshot.push(await timeMessage(page, { type: 'snapshot', elements, positions: {} }));
      const saveProfile = async (name: string) => {
        const { profile } = await cdp.send('Profiler.stop');
        fs.writeFileSync(path.join(repo, 'test-results', `topology-bench${suffix}-${name}.cpuprofile`), JSON.stringify(profile));
      };
      if (profiling) await saveProfile('snapshot').then(() => cdp.send('Profiler.start'));
      for (const diff of attaches) {
        // A `docker network connect` comes while the panel is idle, not in the same frame as
        // the snapshot: Cytoscape finishes caching the first frame's textures first.
        await page.waitForTimeout(300);
        diffs.push(await timeMessage(page, { type: 'diff', diff }));
      }
      if (profiling) await saveProfile('diffs');
      memory.push(await browserMemory(cdp, browser.profileDir));
      if (run === 0) {
        await page.screenshot({ path: path.join(repo, 'test-results', 'screenshots', `topology-bench${suffix}.png`) });
        // What the first frame shows (at Fit), and every label as if zoomed in far enough to draw it.
        for (const allLabels of [false, true]) {
          const measured = (await page.evaluate(graphMeasureScript({ allLabels }))) as GraphMeasure;
          overlaps.push({ allLabels, ...measured });
        }
      }
      console.log(
        `[topology bench] run ${run + 1}: snapshot drawn ${ms(snapshot[run].drawn)}, attaches ${diffs
          .slice(-attaches.length)
          .map((d) => ms(d.drawn))
          .join(', ')}`,
      );
    }
  } finally {
    await browser.close();
    await site.close();
    fs.rmSync(runDir, { recursive: true, force: true });
  }
  const drawn = snapshot.map((entry) => entry.drawn);
  const diffDrawn = diffs.map((entry) => entry.drawn);
  const mark = (ok: boolean) => (ok ? '✔' : '✘');
  const rows = [
    ['full snapshot → laid out', ms(median(snapshot.map((e) => e.applied))), ms(worst(snapshot.map((e) => e.applied))), ''],
    [
      'full snapshot → laid out and first frame drawn',
      ms(median(drawn)),
      ms(worst(drawn)),
      `≤ ${goalSnapshotMs} ms ${mark(worst(drawn) <= goalSnapshotMs)}`,
    ],
    [
      'one attach as a diff → applied (graph and list updated)',
      ms(median(diffs.map((e) => e.applied))),
      ms(worst(diffs.map((e) => e.applied))),
      '',
    ],
    [
      'one attach as a diff → applied and drawn',
      ms(median(diffDrawn)),
      ms(worst(diffDrawn)),
      `≤ ${GOAL_DIFF_MS} ms ${mark(worst(diffDrawn) <= GOAL_DIFF_MS)}`,
    ],
    ['JS heap used (page), before the snapshot', mb(median(empty.map((m) => m.jsHeapUsed))), mb(worst(empty.map((m) => m.jsHeapUsed))), ''],
    ['JS heap used (page), graph drawn', mb(median(memory.map((m) => m.jsHeapUsed))), mb(worst(memory.map((m) => m.jsHeapUsed))), ''],
    [
      'renderer process RSS, before the snapshot',
      mb(median(empty.map((m) => m.rendererRss))),
      mb(worst(empty.map((m) => m.rendererRss))),
      '',
    ],
    ['renderer process RSS, graph drawn', mb(median(memory.map((m) => m.rendererRss))), mb(worst(memory.map((m) => m.rendererRss))), ''],
    ['all Chromium processes, PSS', mb(median(memory.map((m) => m.chromiumPss))), mb(worst(memory.map((m) => m.chromiumPss))), ''],
  ];
  const [atFit, all] = overlaps;
  const covered = (m: GraphMeasure) => m.nodeOverlaps.length + m.labelOnNode.length + m.labelOnLabel.length;
  const clean = covered(atFit) === 0 && covered(all) === 0;
  console.log(`\n${elements.length} elements, ${options.runs} runs (${diffs.length} attaches); goals on the worst run\n`);
  console.log(
    `drawn at Fit (zoom ${atFit.zoom.toFixed(2)}): ${atFit.nodes} nodes, ${atFit.drawnLabels} labels drawn; ` +
      `${atFit.nodeOverlaps.length} nodes overlapping, ${atFit.labelOnNode.length} labels on a node, ${atFit.labelOnLabel.length} on a label`,
  );
  console.log(
    `every label as if drawn: ${all.drawnLabels} labels, ${all.labelOnNode.length} on a node, ${all.labelOnLabel.length} on a label, ` +
      `${all.hiddenAddresses} addresses with no room (shown when their edge is selected) ${mark(clean)}\n`,
  );
  console.log('| measurement | median | worst | goal |\n|---|---:|---:|---|');
  for (const row of rows) console.log(`| ${row.join(' | ')} |`);
  if (problems.length) console.log(`\npage problems:\n${problems.join('\n')}`);
  fs.mkdirSync(path.join(repo, 'test-results'), { recursive: true });
  fs.writeFileSync(
    path.join(repo, 'test-results', `topology-bench${suffix}.json`),
    JSON.stringify({ loadAverage: os.loadavg(), elements: elements.length, counts, snapshot, diffs, memory, empty, overlaps }, null, 2),
  );
  if (problems.length || !clean) process.exitCode = 1;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
