// Starts code-server (VS Code 1.96.4 in a browser) for one run: fresh user data, extensions,
// XDG and temp folders under <repo>/.test-runs/<timestamp>/, bound to 127.0.0.1 only, and
// stopped as a whole process group.
//
//   const server = await startCodeServer({ workspaceFolder, extensionDir: repo });
//   page.goto(server.devUrl);   // the workbench with the extension under development loaded
//   await server.stop();
//
// code-server rejects --extensionDevelopmentPath on its command line; the extension under
// development (and its extension-host test suite) are passed in the page URL's `payload`
// instead: see workbenchUrl().
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { ensureCodeServer } from './install.mjs';
import { alive } from '../lib/processes.mjs';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

const THEMES = { dark: 'Default Dark Modern', light: 'Default Light Modern' };

/**
 * A new, empty folder for one run: <repo>/.test-runs/<timestamp>-<pid>[-label]. The pid keeps
 * two runs started in the same millisecond (npm start and npm test) apart.
 */
export function newRunDir(label) {
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const dir = path.join(repoRoot, '.test-runs', `${stamp}-${process.pid}${label ? `-${label}` : ''}`);
  fs.mkdirSync(dir, { recursive: true });
  pruneRunDirs(path.dirname(dir));
  return dir;
}

const RUN_DIR_NAME = /^\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d-\d{3}Z-(\d+)(-[\w-]+)?$/;

/**
 * Each run leaves 5-10 MB (logs, user data, browser profile) to look at afterwards. Keeps the
 * newest $KEEP_TEST_RUNS (default 30) and removes older ones whose process has ended, so a
 * run still going on in another terminal keeps its folder.
 */
function pruneRunDirs(root) {
  const keep = Number(process.env.KEEP_TEST_RUNS ?? 30);
  const runs = fs
    .readdirSync(root)
    .filter((name) => RUN_DIR_NAME.test(name))
    .sort()
    .reverse();
  for (const name of runs.slice(keep)) {
    const pid = Number(RUN_DIR_NAME.exec(name)[1]);
    if (pid === process.pid || alive(pid)) continue;
    fs.rmSync(path.join(root, name), { recursive: true, force: true });
  }
}

/** Whether nothing listens on host:port (checked by binding it for a moment). */
export function isPortFree(port, host = '127.0.0.1') {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen({ port, host, exclusive: true }, () => server.close(() => resolve(true)));
  });
}

/** A port the system considers free right now (bind to port 0, read it, release it). */
export function findFreePort(host = '127.0.0.1') {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen({ port: 0, host, exclusive: true }, () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/**
 * The workbench URL for a running server. `extensionDevelopmentPath` loads an extension from
 * its folder as F5 would; with `extensionTestsPath` the workbench also runs that folder's
 * `run()` in the server-side extension host and then calls window.codeAutomationExit(code).
 * Both are vscode-remote:// URIs on the server's own authority: the paths are on the server.
 * @param {{ url: string, workspaceFolder?: string, extensionDevelopmentPath?: string, extensionTestsPath?: string }} options
 */
export function workbenchUrl({ url, workspaceFolder, extensionDevelopmentPath, extensionTestsPath }) {
  const base = new URL(url);
  const remote = (folder) => `vscode-remote://${base.host}${pathToFileURL(path.resolve(folder)).pathname}`;
  const payload = [];
  if (extensionDevelopmentPath) payload.push(['extensionDevelopmentPath', remote(extensionDevelopmentPath)]);
  if (extensionTestsPath) payload.push(['extensionTestsPath', remote(extensionTestsPath)]);
  // encodeURIComponent rather than URLSearchParams: the workbench decodes the query with
  // decodeURIComponent, which does not turn URLSearchParams' '+' back into a space.
  const query = [];
  if (workspaceFolder) query.push(`folder=${encodeURIComponent(path.resolve(workspaceFolder)).replace(/%2F/g, '/')}`);
  if (payload.length) query.push(`payload=${encodeURIComponent(JSON.stringify(payload))}`);
  return `${base.origin}/${query.length ? `?${query.join('&')}` : ''}`;
}

/**
 * @typedef {object} StartOptions
 * @property {string} [workspaceFolder] folder the workbench opens; default <runDir>/workspace (made empty)
 * @property {string} [extensionDir] folder of the extension under development: the result's
 *   `devUrl` opens the workbench with it loaded (through the payload URL)
 * @property {number} [port] default: a free port; a busy port is an error here
 * @property {string} [host] default 127.0.0.1; never bind anything wider in tests
 * @property {'dark'|'light'|string} [colorTheme] 'dark' (default), 'light' or a theme's label
 * @property {Record<string, unknown>} [settings] more user settings, merged over ours
 * @property {string} [runDir] default newRunDir()
 * @property {string} [extensionsDir] --extensions-dir; default <runDir>/extensions (empty)
 * @property {Record<string, string>} [env] more environment for the server and its extension host
 * @property {string} [bin] code-server entry; default: await ensureCodeServer()
 * @property {number} [startTimeoutMs] default 60 s
 * @property {boolean} [echo] also copy the server's output to this process's stderr
 *
 * @typedef {object} CodeServer
 * @property {string} url http://127.0.0.1:PORT/
 * @property {number} port
 * @property {string} runDir
 * @property {string} workspaceFolder
 * @property {string} userDataDir
 * @property {string} extensionsDir
 * @property {string} logFile the server's stdout and stderr
 * @property {number} pid also the process group id
 * @property {string} folderUrl the workbench on workspaceFolder, no extension under development
 * @property {string | undefined} devUrl the workbench on workspaceFolder with extensionDir loaded
 * @property {(sinceMs: number) => boolean} extensionHostStartedSince whether a remote extension
 *   host has started since that time (Date.now() value): see extensionHostStartedSince()
 * @property {Promise<number | string>} exited settles when the server's main process ends, with
 *   its exit code or the signal that ended it
 * @property {() => Promise<void>} stop stops the whole process group; safe to call twice
 */

/**
 * @param {StartOptions} [options]
 * @returns {Promise<CodeServer>}
 */
export async function startCodeServer(options = {}) {
  const host = options.host ?? '127.0.0.1';
  const bin = options.bin ?? (await ensureCodeServer());
  const port = options.port ?? (await findFreePort(host));
  const runDir = options.runDir ?? newRunDir();
  const dirs = {
    userData: path.join(runDir, 'user-data'),
    extensions: options.extensionsDir ?? path.join(runDir, 'extensions'),
    config: path.join(runDir, 'xdg-config'),
    data: path.join(runDir, 'xdg-data'),
    cache: path.join(runDir, 'xdg-cache'),
    tmp: path.join(runDir, 'tmp'),
  };
  for (const dir of Object.values(dirs)) fs.mkdirSync(dir, { recursive: true });
  const tmpDir = shortTmpDir(dirs.tmp);
  const workspaceFolder = path.resolve(options.workspaceFolder ?? path.join(runDir, 'workspace'));
  fs.mkdirSync(workspaceFolder, { recursive: true });

  writeUserSettings(dirs.userData, options);
  // A config file of the run's own: without --config, code-server reads (and on first start
  // writes) config.yaml under XDG_CONFIG_HOME, and anything in it (a password, another port)
  // would mix with our flags.
  const configFile = path.join(runDir, 'code-server.yaml');
  fs.writeFileSync(configFile, `bind-addr: ${host}:${port}\nauth: none\ncert: false\n`);

  const args = [
    bin,
    '--auth',
    'none',
    '--bind-addr',
    `${host}:${port}`,
    '--config',
    configFile,
    '--user-data-dir',
    dirs.userData,
    '--extensions-dir',
    dirs.extensions,
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--disable-getting-started-override',
    workspaceFolder,
  ];
  const env = { ...process.env };
  // Variables of a VS Code this process may be running in would make code-server's CLI talk to
  // that VS Code instead of starting a server; code-server's own variables would override our
  // flags ($PORT wins over --bind-addr, $PASSWORD turns auth back on, and so on).
  for (const key of Object.keys(env)) {
    if (key.startsWith('VSCODE_') || key.startsWith('CODE_SERVER_') || key.startsWith('CS_')) delete env[key];
  }
  for (const key of ['ELECTRON_RUN_AS_NODE', 'PORT', 'PASSWORD', 'HASHED_PASSWORD', 'GITHUB_TOKEN']) delete env[key];
  Object.assign(env, {
    XDG_CONFIG_HOME: dirs.config,
    XDG_DATA_HOME: dirs.data,
    XDG_CACHE_HOME: dirs.cache,
    TMPDIR: tmpDir,
    // '{}' = no extension gallery, so the page never calls the marketplace.
    EXTENSIONS_GALLERY: '{}',
    ...options.env,
  });

  const logFile = path.join(runDir, 'code-server.log');
  // detached = setsid(): the server, its extension hosts, file watchers and terminals share one
  // new process group, which stop() signals as a whole. Killing only the main pid leaves a
  // watcher behind.
  const child = spawn(process.execPath, args, { cwd: runDir, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  const pid = child.pid;
  if (pid === undefined) throw new Error('code-server did not start');
  fs.writeFileSync(path.join(runDir, 'code-server.pgid'), `${pid}\n`);
  const logStream = fs.createWriteStream(logFile, { flags: 'a' });
  for (const stream of [child.stdout, child.stderr]) {
    stream.pipe(logStream, { end: false });
    if (options.echo) stream.pipe(process.stderr, { end: false });
  }
  let exited = false;
  const exitedPromise = new Promise((resolve) => {
    child.once('exit', (code, signal) => {
      exited = true;
      resolve(code ?? signal);
    });
  });
  live.set(pid, tmpDir !== dirs.tmp ? tmpDir : undefined);
  guardProcessExit();

  let stopping;
  const stop = () => {
    stopping ??= (async () => {
      await killGroup(pid);
      live.delete(pid);
      if (tmpDir !== dirs.tmp) fs.rmSync(tmpDir, { force: true });
      logStream.end();
    })();
    return stopping;
  };

  const url = `http://${host}:${port}/`;
  try {
    await waitForHealth(url, () => exited, options.startTimeoutMs ?? 60_000, logFile);
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    url,
    port,
    runDir,
    workspaceFolder,
    userDataDir: dirs.userData,
    extensionsDir: dirs.extensions,
    logFile,
    pid,
    folderUrl: workbenchUrl({ url, workspaceFolder }),
    devUrl: options.extensionDir ? workbenchUrl({ url, workspaceFolder, extensionDevelopmentPath: options.extensionDir }) : undefined,
    extensionHostStartedSince: (sinceMs) => extensionHostStartedSince(dirs.tmp, sinceMs),
    exited: exitedPromise,
    stop,
  };
}

/**
 * Whether a server-side extension host started since `sinceMs`: each one opens its CLI socket
 * TMPDIR/vscode-ipc-<uuid>.sock as it starts. A workbench whose remote extension host never
 * starts ("The customer named _initialize has been holding on to the lock for 30s" in the
 * page's console) recovers only by a page reload: this is how the browser helpers notice it
 * (see openWorkbench in test/support/playwrightBrowser.ts).
 */
function extensionHostStartedSince(tmp, sinceMs) {
  try {
    return (
      fs
        .readdirSync(tmp)
        .filter((name) => /^vscode-ipc-.*\.sock$/.test(name))
        // 1 s of slack: file times can lag the clock we compare with.
        .some((name) => fs.statSync(path.join(tmp, name)).mtimeMs >= sinceMs - 1_000)
    );
  } catch {
    return false;
  }
}

/**
 * VS Code binds unix sockets in TMPDIR (vscode-ipc-<uuid>.sock, 52 characters), and a socket
 * path longer than 107 bytes cannot be bound: the `code` CLI in terminals and some extension
 * IPC then fail. A run folder deep inside a checkout is too long for that, so TMPDIR becomes a
 * short symlink in /tmp to the run's tmp folder (removed by stop()).
 */
function shortTmpDir(dir) {
  if (dir.length + '/vscode-ipc-00000000-0000-0000-0000-000000000000.sock'.length <= 100) return dir;
  const base = fs.existsSync('/tmp') ? '/tmp' : os.tmpdir();
  const alias = path.join(base, `dne-cs-${process.pid}-${Math.random().toString(36).slice(2, 8)}`);
  fs.symlinkSync(dir, alias);
  return alias;
}

function writeUserSettings(userDataDir, options) {
  const theme = options.colorTheme ?? 'dark';
  const settings = {
    'workbench.colorTheme': THEMES[theme] ?? theme,
    'workbench.startupEditor': 'none',
    'security.workspace.trust.enabled': false,
    'telemetry.telemetryLevel': 'off',
    // Popups that would cover the views a test or a screenshot looks at.
    'workbench.tips.enabled': false,
    'workbench.welcomePage.walkthroughs.openOnInstall': false,
    'extensions.ignoreRecommendations': true,
    'extensions.autoCheckUpdates': false,
    'extensions.autoUpdate': false,
    'update.mode': 'none',
    'workbench.enableExperiments': false,
    // Run folders live inside the project's checkout: do not offer to open its repository.
    'git.openRepositoryInParentFolders': 'never',
    ...options.settings,
  };
  const userDir = path.join(userDataDir, 'User');
  fs.mkdirSync(userDir, { recursive: true });
  fs.writeFileSync(path.join(userDir, 'settings.json'), `${JSON.stringify(settings, null, 2)}\n`);
}

async function waitForHealth(url, hasExited, timeoutMs, logFile) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (hasExited()) throw new Error(`code-server exited while starting; its log (${logFile}):\n${readTail(logFile)}`);
    try {
      const response = await fetch(new URL('healthz', url), { signal: AbortSignal.timeout(2_000) });
      if (response.ok) return;
    } catch {}
    if (Date.now() > deadline)
      throw new Error(`code-server did not answer ${url}healthz within ${timeoutMs} ms; log:\n${readTail(logFile)}`);
    await sleep(200);
  }
}

function readTail(file, lines = 30) {
  try {
    return fs.readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Whether any process of the group still exists (EPERM: it exists, we may not signal it). */
export function groupAlive(pgid) {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch (error) {
    return error.code === 'EPERM';
  }
}

function signalGroup(pgid, signal) {
  try {
    process.kill(-pgid, signal);
  } catch {}
}

/** SIGTERM the group, give it 5 s to close (it flushes user data), then SIGKILL what is left. */
async function killGroup(pgid) {
  signalGroup(pgid, 'SIGTERM');
  for (let waited = 0; waited < 5_000 && groupAlive(pgid); waited += 100) await sleep(100);
  if (!groupAlive(pgid)) return;
  signalGroup(pgid, 'SIGKILL');
  for (let waited = 0; waited < 2_000 && groupAlive(pgid); waited += 100) await sleep(100);
}

// Process groups of servers not stopped yet. The server runs in its own session, so a Ctrl-C
// in the terminal does not reach it: if this process ends without stop(), take them along.
const live = new Map(); // process group id -> TMPDIR alias to remove, if any
let guarded = false;
function killAllLive() {
  for (const [pgid, alias] of live) {
    signalGroup(pgid, 'SIGKILL');
    if (alias) fs.rmSync(alias, { force: true });
  }
  live.clear();
}
function guardProcessExit() {
  if (guarded) return;
  guarded = true;
  process.on('exit', killAllLive);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    const onSignal = () => {
      // A program with its own handler (tools/start.mjs) stops its servers itself; otherwise
      // this signal would end the process without running 'exit' handlers: kill the servers
      // and end the way the signal would have.
      if (process.listenerCount(signal) > 1) return;
      killAllLive();
      process.removeListener(signal, onSignal);
      process.kill(process.pid, signal);
    };
    process.on(signal, onSignal);
  }
}
