// Runs the extension-host mocha suite (test/vscode/index.ts) inside a real VS Code 1.96.4:
// code-server serves the workbench, Chromium opens it with a payload URL that names the
// extension under development and the tests module, and the workbench runs run() in the
// server-side Node extension host (real `vscode` API, real Docker socket). When run() settles,
// the workbench calls window.codeAutomationExit(code); the extension host's console arrives
// through window.codeAutomationLog. Both hooks must exist before the page loads.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { format } from 'node:util';
import { codeServerTools, findRepoRoot, type CodeServer } from './codeServer';
import { launchBrowser, screenshot, waitUntil, type BrowserSession } from './playwrightBrowser';

/** Must match RESULT_MARKER in test/vscode/index.ts (not imported: that file needs `mocha`). */
const RESULT_MARKER = 'vscode-suite-result';

// The same hook also carries the workbench's own info lines on every start; they say nothing
// about the tests.
const WORKBENCH_NOISE = [
  /^Ignoring fetching additional builtin extensions from gallery/,
  /^Updating additional builtin extensions cache/,
  /^Resolv(ing|ed) connection token/,
  /^Creating a socket \(/,
  /^\[Service Worker\] registered/,
];

export interface ExtensionHostSuiteOptions {
  /** Repository root; default: found from this file's location. */
  repo?: string;
  /** Default: the repository root. */
  extensionDevelopmentPath?: string;
  /** Folder of the compiled index.js with run(); default <repo>/out/test/vscode. */
  extensionTestsPath?: string;
  /** Folder the workbench opens; default: an empty folder of the run. */
  workspaceFolder?: string;
  /** Limit of the whole cycle; default $VSCODE_SUITE_CYCLE_TIMEOUT_MS or 5 minutes. */
  timeoutMs?: number;
  /** More environment for code-server and so for the extension host. */
  env?: Record<string, string>;
  /** Where the extension host's console goes; default: stdout, one line per message. */
  log?: (line: string) => void;
  /** Also pass on the workbench's own start-up chatter (default: $VSCODE_SUITE_VERBOSE=1). */
  verbose?: boolean;
  /** Screenshot name taken when the suite fails or times out; default 'vscode-suite-failure'. */
  failureScreenshot?: string;
}

export interface ExtensionHostSuiteResult {
  passed: number;
  failed: number;
  pending: number;
  /** The workbench's exit code: 0 when run() resolved. */
  exitCode: number;
  durationMs: number;
  /** <repo>/.test-runs/<run>/ with code-server.log, user data and extension-host logs. */
  runDir: string;
}

/**
 * Starts code-server and Chromium, runs the suite, stops both (also on failure) and returns
 * mocha's counts. Throws when the suite could not run at all (no compiled tests, server or
 * browser did not start, timeout, no result line), so a caller counts that as a failure.
 */
export async function runExtensionHostSuite(options: ExtensionHostSuiteOptions = {}): Promise<ExtensionHostSuiteResult> {
  const started = Date.now();
  const repo = options.repo ?? findRepoRoot();
  const extensionDevelopmentPath = path.resolve(options.extensionDevelopmentPath ?? repo);
  const extensionTestsPath = path.resolve(options.extensionTestsPath ?? path.join(repo, 'out', 'test', 'vscode'));
  const timeoutMs = options.timeoutMs ?? Number(process.env.VSCODE_SUITE_CYCLE_TIMEOUT_MS ?? 5 * 60_000);
  const log = options.log ?? ((line: string) => process.stdout.write(`${line}\n`));
  const verbose = options.verbose ?? process.env.VSCODE_SUITE_VERBOSE === '1';
  if (!fs.existsSync(path.join(extensionTestsPath, 'index.js'))) {
    throw new Error(`${extensionTestsPath}/index.js does not exist: compile the tests first (npx tsc -p .)`);
  }

  const tools = await codeServerTools(repo);
  const runDir = tools.newRunDir('vscode-suite');
  let server: CodeServer | undefined;
  let browser: BrowserSession | undefined;
  let timer: NodeJS.Timeout | undefined;
  let result: { passed: number; failed: number; pending: number } | undefined;
  let exitCode = -1;
  try {
    // DNE_EXTENSION_TESTS: activate() returns the test API (src/vscode/loadTestApi.ts).
    server = await tools.startCodeServer({
      runDir,
      workspaceFolder: options.workspaceFolder,
      env: { DNE_EXTENSION_TESTS: '1', ...options.env },
    });
    browser = await launchBrowser({ runDir });
    const page = browser.page;

    let onExit: (code: number) => void = () => {};
    const exited = new Promise<number>((resolve) => (onExit = resolve));
    await page.exposeFunction('codeAutomationLog', (type: unknown, args: unknown) => {
      const line = Array.isArray(args) ? format(...args) : format(args);
      if (line.startsWith(RESULT_MARKER)) result = parseResult(line.slice(RESULT_MARKER.length));
      if (!verbose && WORKBENCH_NOISE.some((pattern) => pattern.test(line))) return;
      log(type === 'error' || type === 'warn' ? `[${type}] ${line}` : line);
    });
    await page.exposeFunction('codeAutomationExit', (code: unknown) => {
      onExit(typeof code === 'number' ? code : Number(code) || 1);
    });
    // The page or the server going away would leave us waiting for an exit that never comes.
    page.once('crash', () => onExit(-2));
    page.once('close', () => onExit(-3));
    void server.exited.then(() => onExit(-5));
    const timedOut = new Promise<number>((resolve) => {
      timer = setTimeout(() => resolve(-4), timeoutMs - (Date.now() - started));
    });

    const url = tools.workbenchUrl({
      url: server.url,
      workspaceFolder: server.workspaceFolder,
      extensionDevelopmentPath,
      extensionTestsPath,
    });
    log(`[vscode-suite] code-server ${server.url} (run folder ${runDir})`);
    // The suite runs in the remote extension host. If that host does not start (see
    // openWorkbench in playwrightBrowser.ts), no test has run yet and a reload is safe.
    const running = server;
    for (let attempt = 0; ; attempt++) {
      const since = Date.now();
      if (attempt === 0) await page.goto(url, { waitUntil: 'domcontentloaded' });
      else await page.reload({ waitUntil: 'domcontentloaded' });
      const hostStarted = waitUntil(() => running.extensionHostStartedSince(since), 30_000);
      const first = await Promise.race([exited, timedOut, hostStarted.then((ok) => (ok ? 'started' : 'stuck'))]);
      if (first !== 'stuck') break;
      if (attempt >= 2) throw new Error('the remote extension host did not start after 3 page loads');
      log(`[vscode-suite] the remote extension host did not start; reloading the page (${attempt + 1}/2)`);
    }
    exitCode = await Promise.race([exited, timedOut]);

    if (exitCode === -4) throw new Error(`the extension-host suite did not finish within ${timeoutMs} ms`);
    if (exitCode === -2 || exitCode === -3) throw new Error('the workbench page crashed or closed during the suite');
    if (exitCode === -5) throw new Error(`code-server ended during the suite; its log: ${server.logFile}`);
    if (!result) {
      // run() was not reached or threw before mocha ran: a wrong path or a module that fails to load.
      throw new Error(`the suite exited with ${exitCode} without a result line; see ${server.logFile} and the log above`);
    }
    if ((exitCode === 0) !== (result.failed === 0)) {
      throw new Error(`exit code ${exitCode} disagrees with the counts ${JSON.stringify(result)}`);
    }
    return { ...result, exitCode, durationMs: Date.now() - started, runDir };
  } catch (error) {
    if (browser) {
      await screenshot(browser.page, options.failureScreenshot ?? 'vscode-suite-failure').then(
        (file) => log(`[vscode-suite] screenshot of the failure: ${file}`),
        () => {},
      );
    }
    throw error;
  } finally {
    clearTimeout(timer);
    await browser?.close().catch(() => {});
    await server?.stop();
  }
}

function parseResult(json: string): { passed: number; failed: number; pending: number } | undefined {
  try {
    const value: unknown = JSON.parse(json);
    if (typeof value !== 'object' || value === null) return undefined;
    const record = value as Record<string, unknown>;
    const count = (key: string) => (typeof record[key] === 'number' ? (record[key] as number) : 0);
    return { passed: count('passed'), failed: count('failed'), pending: count('pending') };
  } catch {
    return undefined;
  }
}
