// Drives the VS Code workbench served by code-server with playwright-core and Debian's
// chromium (Playwright's own browser download cannot be had here). Every request that is not
// to this machine is aborted: the workbench must never reach a marketplace, a CDN or telemetry.
// HTTP(S) goes through context.route; WebSockets are stopped by Chromium's host resolver
// instead (see CHROMIUM_ARGS): Playwright's routeWebSocket replaces the page's WebSocket class
// with a wrapper even for sockets it lets through, and VS Code's remote protocol then now and
// then receives its binary frames corrupted (JSON.parse errors in the workbench's IPC, and a
// workbench whose remote extension host never starts).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { chromium, type BrowserContext, type Locator, type Page } from 'playwright-core';
import { codeServerTools, findRepoRoot } from './codeServer';

export interface LaunchBrowserOptions {
  /** Folder for the profile, HOME and XDG folders; default: a new <repo>/.test-runs/ folder. */
  runDir?: string;
  /** Default true; `HEADED=1` in the environment shows the window (needs a display). */
  headless?: boolean;
  /** Default 1400x900: room for the side bar, an editor and the panel in screenshots. */
  viewport?: { width: number; height: number };
  /** Default $CHROMIUM_PATH or /usr/bin/chromium. */
  executablePath?: string;
}

export interface BrowserSession {
  context: BrowserContext;
  page: Page;
  profileDir: string;
  /** URLs that were aborted because they were not to 127.0.0.1/localhost. */
  blockedRequests: string[];
  close(): Promise<void>;
}

// The flags from shared/notes/vscode-in-a-browser.md: no sandbox (root), no GPU (none here),
// and nothing of Chromium's own that phones home.
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  // Nothing but this machine resolves, so no request (WebSockets included) can reach another
  // host. The rules apply to IP literals too, hence the explicit loopback addresses.
  '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1, EXCLUDE [::1]',
];

const LOCAL_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** Whether a URL stays on this machine (or in the page: data:, blob:, about:). */
export function isLocalUrl(url: string): boolean {
  try {
    const parsed = new URL(url);
    if (parsed.protocol === 'http:' || parsed.protocol === 'https:' || parsed.protocol === 'ws:' || parsed.protocol === 'wss:') {
      return LOCAL_HOSTS.has(parsed.hostname);
    }
    return true;
  } catch {
    return false;
  }
}

/**
 * Aborts every HTTP request that would leave the machine and records it; also records any
 * WebSocket to another host (the resolver rules in CHROMIUM_ARGS make those fail).
 */
export async function blockOutsideRequests(context: BrowserContext, blocked: string[] = []): Promise<string[]> {
  await context.route(
    (url) => !isLocalUrl(url.href),
    async (route) => {
      blocked.push(route.request().url());
      await route.abort('blockedbyclient');
    },
  );
  const watchSockets = (page: Page) =>
    page.on('websocket', (socket) => {
      if (!isLocalUrl(socket.url())) blocked.push(socket.url());
    });
  context.pages().forEach(watchSockets);
  context.on('page', watchSockets);
  return blocked;
}

export async function launchBrowser(options: LaunchBrowserOptions = {}): Promise<BrowserSession> {
  const runDir = options.runDir ?? (await codeServerTools()).newRunDir('browser');
  const profileDir = path.join(runDir, 'chromium-profile');
  const home = path.join(runDir, 'chromium-home');
  for (const dir of [profileDir, home]) fs.mkdirSync(dir, { recursive: true });
  const context = await chromium.launchPersistentContext(profileDir, {
    executablePath: options.executablePath ?? process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: options.headless ?? process.env.HEADED !== '1',
    args: CHROMIUM_ARGS,
    viewport: options.viewport ?? { width: 1400, height: 900 },
    // Chromium writes caches and crash reports under HOME and XDG folders: keep them in the run.
    env: {
      ...process.env,
      HOME: home,
      XDG_CONFIG_HOME: path.join(home, '.config'),
      XDG_CACHE_HOME: path.join(home, '.cache'),
      XDG_DATA_HOME: path.join(home, '.local', 'share'),
    },
  });
  const blockedRequests = await blockOutsideRequests(context);
  const page = context.pages()[0] ?? (await context.newPage());
  let closed = false;
  return {
    context,
    page,
    profileDir,
    blockedRequests,
    async close() {
      if (closed) return;
      closed = true;
      await context.close();
    },
  };
}

export interface OpenWorkbenchOptions {
  /** Limit for the page and the workbench to be drawn; default 60 s. */
  timeoutMs?: number;
  /**
   * The server (startCodeServer's result): then openWorkbench also waits for the server-side
   * extension host, and reloads the page if it does not start (see below).
   */
  server?: { extensionHostStartedSince(sinceMs: number): boolean };
  /** How long to wait for the extension host before reloading; default 20 s (it takes 1-3 s). */
  extensionHostTimeoutMs?: number;
  /** Reloads allowed; default 2. */
  reloads?: number;
}

/**
 * Opens a workbench URL and waits until the workbench and its activity bar are drawn and,
 * given the server, until the remote extension host runs (the extension under development
 * lives there). If that host does not start, the page is reloaded: a workbench that lost a
 * message of its remote protocol waits forever ("The customer named _initialize has been
 * holding on to the lock for 30s" in its console, no extension view ever appears), and only a
 * reload recovers. That happened in 4 of 17 runs while Playwright's WebSocket routing wrapped
 * the page's sockets (see blockOutsideRequests) and in none of the 25 runs since, some under
 * full CPU load; the reload stays as a guard, and says so on stderr when it fires.
 */
export async function openWorkbench(page: Page, url: string, options: OpenWorkbenchOptions = {}): Promise<void> {
  const timeoutMs = options.timeoutMs ?? 60_000;
  const reloads = options.reloads ?? 2;
  for (let attempt = 0; ; attempt++) {
    const since = Date.now();
    if (attempt === 0) await page.goto(url, { waitUntil: 'domcontentloaded', timeout: timeoutMs });
    else await page.reload({ waitUntil: 'domcontentloaded', timeout: timeoutMs });
    await page.locator('.monaco-workbench').waitFor({ state: 'visible', timeout: timeoutMs });
    await page.locator('.activitybar .action-item').first().waitFor({ state: 'visible', timeout: timeoutMs });
    const server = options.server;
    if (!server) return;
    if (await waitUntil(() => server.extensionHostStartedSince(since), options.extensionHostTimeoutMs ?? 20_000)) return;
    if (attempt >= reloads) throw new Error(`the remote extension host did not start after ${reloads + 1} page loads`);
    console.warn(`[workbench] the remote extension host did not start; reloading the page (${attempt + 1}/${reloads})`);
  }
}

/** Polls a condition every 100 ms; true as soon as it holds, false after timeoutMs. */
export async function waitUntil(condition: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (condition()) return true;
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * Runs a command from the command palette by its title as the palette shows it
 * ("Category: Title"): F1, type, click the row with that text.
 */
export async function runCommand(page: Page, title: string, timeoutMs = 15_000): Promise<void> {
  const input = page.locator('.quick-input-widget input.input');
  // F1 can be lost while a webview's frame holds the focus (a drag in the topology just before):
  // then the focus goes back to the workbench and F1 is pressed again, until the timeout.
  const deadline = Date.now() + timeoutMs;
  for (let attempt = 0; ; attempt++) {
    if (attempt > 0) await page.evaluate('document.activeElement?.blur?.()');
    await page.keyboard.press('F1');
    try {
      await input.waitFor({ state: 'visible', timeout: Math.max(1, Math.min(3_000, deadline - Date.now())) });
      break;
    } catch (error) {
      if (Date.now() >= deadline) throw error;
    }
  }
  await input.fill(`>${title}`);
  // The palette matches fuzzily: pick the row whose label is exactly the title, not the first.
  const row = page
    .locator('.quick-input-list .monaco-list-row')
    .filter({ has: page.locator('.label-name', { hasText: new RegExp(`^${escapeRegExp(title)}$`) }) })
    .first();
  await row.waitFor({ state: 'visible', timeout: timeoutMs });
  await row.click();
  await input.waitFor({ state: 'hidden', timeout: timeoutMs });
}

/** Clicks a view container's activity-bar entry (by its title) unless it is already open. */
export async function openViewContainer(page: Page, title: string, timeoutMs = 30_000): Promise<void> {
  const label = `a.action-label[aria-label^="${cssString(title)}"]`;
  const entry = page.locator(`.activitybar .action-item ${label}`);
  await entry.waitFor({ state: 'visible', timeout: timeoutMs });
  // `has` is relative to the item, so it takes the inner selector only.
  const item = page.locator('.activitybar .action-item', { has: page.locator(label) });
  if ((await item.getAttribute('class'))?.split(/\s+/).includes('checked')) return;
  await entry.click();
}

/** The rows of the tree views in a view container, by the container's id. */
export function treeRows(page: Page, containerId: string): Locator {
  return page.locator(`[id="workbench.view.extension.${cssString(containerId)}"] .monaco-list-row`);
}

/** Drags the side bar's sash so descriptions are readable in the screenshots. */
export async function widenSideBar(page: Page, width: number): Promise<void> {
  const box = await page.locator('.part.sidebar').boundingBox();
  if (!box) return;
  const y = box.y + box.height / 2;
  await page.mouse.move(box.x + box.width - 1, y);
  await page.mouse.down();
  await page.mouse.move(box.x + width, y, { steps: 5 });
  await page.mouse.up();
}

export interface TreeRowText {
  label: string;
  description: string;
}

/** The rows of one view, by the view's name as its header shows it ("Networks"). */
export function viewRows(page: Page, viewName: string): Locator {
  // The header's aria-label is "<name> Section"; the pane holds the header and the tree.
  return page
    .locator('.pane', { has: page.locator(`.pane-header[aria-label="${cssString(viewName)} Section"]`) })
    .locator('.monaco-list-row');
}

/** A view's row labelled exactly `label` (the first, where several hosts show one). */
export function viewRow(page: Page, viewName: string, label: string): Locator {
  return viewRows(page, viewName)
    .filter({ has: page.locator('.label-name', { hasText: new RegExp(`^${escapeRegExp(label)}$`) }) })
    .first();
}

/**
 * Folds those of the rows labelled `labels` that are drawn and open (host rows, so what follows
 * them fits on screen). `waitFor`: rows that must be drawn first (a host folded before its row
 * appears opens below later); the others (the local daemon's, absent when none answers) are
 * folded only if there.
 */
export async function foldRows(page: Page, viewName: string, labels: readonly string[], waitFor: readonly string[] = []): Promise<void> {
  for (const label of waitFor) await viewRow(page, viewName, label).waitFor({ state: 'visible', timeout: 60_000 });
  for (const label of labels) {
    const row = viewRow(page, viewName, label);
    if ((await row.count()) && (await row.getAttribute('aria-expanded')) === 'true') await row.locator('.monaco-tl-twistie').click();
  }
}

/** Waits for the row labelled `label` and opens it. */
export async function unfoldRow(page: Page, viewName: string, label: string, timeoutMs = 30_000): Promise<Locator> {
  const row = viewRow(page, viewName, label);
  await row.waitFor({ state: 'visible', timeout: timeoutMs });
  if ((await row.getAttribute('aria-expanded')) !== 'true') await row.locator('.monaco-tl-twistie').click();
  return row;
}

/**
 * The Networks row labelled `label`, scrolled into view. The tree draws only the rows that fit,
 * and the shared daemon may hold a hundred networks of other runs; a host row that came up
 * collapsed is opened first.
 */
export async function revealNetworksRow(page: Page, label: string, timeoutMs = 30_000): Promise<Locator> {
  const exactly = (text: string) => new RegExp(`^${escapeRegExp(text)}$`);
  const host = viewRows(page, 'Networks')
    .filter({ has: page.locator('.label-name', { hasText: /^local$/ }) })
    .first();
  const row = viewRows(page, 'Networks')
    .filter({ has: page.locator('.label-name', { hasText: exactly(label) }) })
    .first();
  const list = page.locator('.pane', { has: page.locator('.pane-header[aria-label="Networks Section"]') }).locator('.monaco-list');
  const deadline = Date.now() + timeoutMs;
  // Sorted by name, so one pass from the top finds it; the row may also still be on its way.
  for (let down = 0; !(await row.isVisible()); down++) {
    if (Date.now() > deadline) throw new Error(`no row ${label} in the Networks view`);
    // The host row can turn collapsed when it first showed while connecting (no children yet).
    if ((await host.isVisible()) && (await host.getAttribute('aria-expanded')) === 'false') await host.click();
    const box = await list.boundingBox();
    if (box) {
      await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
      await page.mouse.wheel(0, down % 40 === 0 ? -100_000 : 200);
    }
    await row.waitFor({ state: 'visible', timeout: 200 }).catch(() => {});
  }
  return row;
}

/**
 * Waits for at least one row of a view container, then reads the label and description of
 * each row drawn at that moment (a tree draws only what fits, and fills in as data arrives).
 */
export async function readTreeRows(page: Page, containerId: string, timeoutMs = 30_000): Promise<TreeRowText[]> {
  return readRows(treeRows(page, containerId), timeoutMs);
}

/**
 * The Docker Networks view's row of a host once it has stopped saying "connecting…" (hosts are
 * dialled when the view is first shown), or undefined with the rows drawn when it never appears.
 */
export async function settledHostRow(
  page: Page,
  host: string,
  timeoutMs = 30_000,
): Promise<{ row: TreeRowText | undefined; rows: TreeRowText[] }> {
  let rows = await readTreeRows(page, 'dockerNetworkExplorer');
  for (const deadline = Date.now() + timeoutMs; Date.now() < deadline;) {
    if (rows.find((row) => row.label === host)?.description !== 'connecting…') break;
    await page.waitForTimeout(200);
    rows = await readTreeRows(page, 'dockerNetworkExplorer');
  }
  return { row: rows.find((row) => row.label === host), rows };
}

/** readTreeRows for one view, by its name. */
export async function readViewRows(page: Page, viewName: string, timeoutMs = 30_000): Promise<TreeRowText[]> {
  return readRows(viewRows(page, viewName), timeoutMs);
}

async function readRows(rows: Locator, timeoutMs: number): Promise<TreeRowText[]> {
  await rows.first().waitFor({ state: 'visible', timeout: timeoutMs });
  const result: TreeRowText[] = [];
  for (const row of await rows.all()) {
    const label = row.locator('.label-name');
    const description = row.locator('.label-description');
    result.push({
      label: ((await label.count()) ? await label.first().innerText() : await row.innerText()).trim(),
      description: ((await description.count()) ? await description.first().innerText() : '').trim(),
    });
  }
  return result;
}

/** The messages of the notification toasts on screen now. */
export async function notificationMessages(page: Page): Promise<string[]> {
  const messages = await page.locator('.notifications-toasts .notification-list-item-message').allInnerTexts();
  return messages.map((text) => text.trim());
}

/**
 * Saves a full-window screenshot as <repo>/test-results/screenshots/<name>.png; returns its path.
 * First lets the window settle, so the picture shows the state rather than an animation: the
 * mouse leaves whatever it hovered (an activity-bar tooltip would cover the side bar), hovers
 * close, and notification toasts finish fading in (half-transparent until then).
 */
export async function screenshot(page: Page, name: string, options: { keepHover?: boolean } = {}): Promise<string> {
  const file = path.join(findRepoRoot(), 'test-results', 'screenshots', `${name.replace(/[^\w.-]+/g, '-')}.png`);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  // A hover that is the point of the picture stays.
  if (options.keepHover) return page.screenshot({ path: file }).then(() => file);
  const size = page.viewportSize() ?? { width: 1400, height: 900 };
  // The editor area's middle: nothing there shows a hover.
  await page.mouse.move(Math.round(size.width * 0.6), Math.round(size.height / 2));
  const settled = (locator: Locator, state: 'hidden') => locator.waitFor({ state, timeout: 3_000 }).catch(() => {});
  await settled(page.locator('.workbench-hover-container'), 'hidden');
  // A toast carries .notification-fade-in from its creation until its transition ends.
  await settled(page.locator('.notifications-toasts .notification-fade-in').first(), 'hidden');
  await page.screenshot({ path: file });
  return file;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function cssString(text: string): string {
  return text.replace(/["\\]/g, '\\$&');
}
