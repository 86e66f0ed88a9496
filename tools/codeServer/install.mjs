// Installs code-server 4.96.4 (a real VS Code 1.96.4 served to a browser) into a cache folder
// outside the extension's own dependencies, so the extension's tests and `npm start` can run it
// on a machine without a desktop VS Code and without access to GitHub.
//
//   node tools/codeServer/install.mjs      # prints the path of the code-server bin
//   import { ensureCodeServer } from './install.mjs'; const bin = await ensureCodeServer();
//
// A plain `npm install code-server@4.96.4` fails here and npm rolls everything back. The fixes,
// applied in this order (see shared/notes/vscode-in-a-browser.md):
//   1. install with --ignore-scripts, so nothing runs before the tree can be patched;
//   2. lib/vscode/npm-shrinkwrap.json pins @vscode/proxy-agent to a git+ssh GitHub URL: point it
//      at the registry tarball, which has the same sha512;
//   3. @vscode/ripgrep downloads `rg` from GitHub but accepts a tarball in its cache folder under
//      $TMPDIR: build that tarball from the `rg` on PATH (Debian's ripgrep);
//   4. `npm rebuild --foreground-scripts` with npm_config_unsafe_perm=true (code-server's
//      postinstall refuses to run as root without it). That postinstall runs nested
//      `npm install`s in lib/vscode and lib/vscode/extensions, which build the native modules.
// npm 11 has an install-script policy (`allowScripts` in package.json): it only warns today but
// is documented to block unreviewed scripts, so the scripts we rely on are approved by name in
// each package.json that npm reads (their versions are checked against code-server's
// shrinkwraps), and strict mode is switched on where npm knows it, so a missing approval fails
// loudly instead of silently skipping a native build.
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { alive } from '../lib/processes.mjs';

export const CODE_SERVER_VERSION = '4.96.4';

const PROXY_AGENT_KEY = 'node_modules/@vscode/proxy-agent';
const PROXY_AGENT_TARBALL = 'https://registry.npmjs.org/@vscode/proxy-agent/-/proxy-agent-0.27.0.tgz';
const PROXY_AGENT_SHA512 = 'sha512-ID1MOlynRkVN121n85Hs1enjW16B5Z1O6bMDkSPqvAMVD6eHUOqmgPZuEkBbRI43PfA6boUEY9Ndjp+0wPKtsg==';
const RIPGREP_PACKAGE_VERSION = '1.15.9';
const RIPGREP_ASSET_VERSION = 'v13.0.0-10';

// Install scripts that code-server 4.96.4 needs, per package.json that npm reads while
// installing. Checked against the shrinkwraps below, so a drift is an error, not a surprise.
const APPROVED_SCRIPTS = {
  '.': ['code-server@4.96.4', 'argon2@0.31.2'],
  'node_modules/code-server/lib/vscode': [
    '@parcel/watcher@2.1.0',
    '@vscode/deviceid@0.1.1',
    '@vscode/ripgrep@1.15.9',
    '@vscode/spdlog@0.15.1',
    '@vscode/windows-ca-certs@0.3.3',
    '@vscode/windows-process-tree@0.6.0',
    '@vscode/windows-registry@1.1.0',
    'kerberos@2.1.1',
    'native-watchdog@1.4.2',
    'node-pty@1.1.0-beta22',
  ],
  // Only dev dependencies have scripts there, and code-server installs it with --omit=dev.
  'node_modules/code-server/lib/vscode/extensions': ['@parcel/watcher@2.1.0', 'esbuild@0.23.0'],
};

// Files the postinstall makes that code-server needs at run time.
const REQUIRED_FILES = [
  'node_modules/code-server/lib/vscode/node_modules/@vscode/ripgrep/bin/rg',
  'node_modules/code-server/lib/vscode/node_modules.asar',
  'node_modules/code-server/out/node/entry.js',
];
// Native addons that must load: code-server starts without some of them and fails later
// (terminals, file watching, logging, login), so one that does not load means a broken install.
const NATIVE_MODULES = {
  'node_modules/code-server': ['argon2'],
  'node_modules/code-server/lib/vscode': [
    '@vscode/spdlog',
    'node-pty',
    'kerberos',
    'native-watchdog',
    '@parcel/watcher',
    '@vscode/deviceid',
  ],
};

const log = (message) => console.log(`[code-server] ${message}`);

/** `${XDG_CACHE_HOME:-$HOME/.cache}/docker-network-explorer/code-server-4.96.4` */
export function codeServerCacheDir() {
  const cacheHome = process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
  return path.join(cacheHome, 'docker-network-explorer', `code-server-${CODE_SERVER_VERSION}`);
}

/** The code-server entry script inside an install dir; run it with `node` (see launch.mjs). */
export function codeServerBin(dir = codeServerCacheDir()) {
  return path.join(dir, 'node_modules', '.bin', 'code-server');
}

const markerFile = (dir) => path.join(dir, '.installed.json');

function readMarker(dir) {
  try {
    const marker = JSON.parse(fs.readFileSync(markerFile(dir), 'utf8'));
    return marker.version === CODE_SERVER_VERSION && fs.existsSync(codeServerBin(dir)) ? marker : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Installs code-server once and returns the path of its bin. A second call (or a call after a
 * finished install by another process) only reads the marker file.
 * @param {{ dir?: string, verbose?: boolean }} [options]
 *   dir: install folder (default codeServerCacheDir()); verbose: stream npm's output.
 * @returns {Promise<string>}
 */
export async function ensureCodeServer(options = {}) {
  const dir = path.resolve(options.dir ?? codeServerCacheDir());
  if (readMarker(dir)) return codeServerBin(dir);

  fs.mkdirSync(path.dirname(dir), { recursive: true });
  const release = await acquireLock(`${dir}.lock`);
  try {
    // Another process may have finished the install while we waited for the lock.
    if (readMarker(dir)) return codeServerBin(dir);
    await install(dir, { verbose: options.verbose ?? process.env.CODE_SERVER_INSTALL_VERBOSE === '1' });
    return codeServerBin(dir);
  } finally {
    release();
  }
}

async function install(dir, { verbose }) {
  const started = Date.now();
  const logFile = `${dir}.install.log`;
  log(`installing code-server ${CODE_SERVER_VERSION} into ${dir} (about 1-2 minutes; log: ${logFile})`);
  preflight();

  // A folder without the marker is a failed or interrupted install: start over, since npm's own
  // rollback leaves half-patched trees behind.
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(logFile, '');
  const tmp = path.join(dir, '.tmp');
  fs.mkdirSync(tmp);

  writeJson(path.join(dir, 'package.json'), {
    name: 'docker-network-explorer-code-server',
    private: true,
    description: 'code-server for the tests of Docker Network Explorer; made by tools/codeServer/install.mjs',
    dependencies: { 'code-server': CODE_SERVER_VERSION },
    allowScripts: approvals('.'),
  });

  const env = installEnv(tmp);
  const npmArgs = ['--no-audit', '--no-fund', '--no-update-notifier'];

  log('step 1/4: npm install --ignore-scripts (code-server and its own dependencies, from the registry)');
  await runLogged('npm', ['install', '--ignore-scripts', ...npmArgs], { cwd: dir, env, logFile, verbose });

  log('step 2/4: patching the shrinkwrap (@vscode/proxy-agent from the registry) and approving install scripts');
  patchShrinkwrap(dir);
  // The root's packages come from code-server's own shrinkwrap.
  checkApprovals(dir, 'node_modules/code-server', APPROVED_SCRIPTS['.']);
  for (const [where, list] of Object.entries(APPROVED_SCRIPTS)) {
    if (where === '.') continue;
    checkApprovals(dir, where, list);
    const file = path.join(dir, where, 'package.json');
    writeJson(file, { ...JSON.parse(fs.readFileSync(file, 'utf8')), allowScripts: approvals(where) });
  }

  log('step 3/4: seeding the ripgrep download cache from the local rg');
  seedRipgrepCache(tmp);

  log('step 4/4: npm rebuild --foreground-scripts (code-server postinstall: installs VS Code dependencies, compiles native modules)');
  await runLogged('npm', ['rebuild', '--foreground-scripts', ...npmArgs], { cwd: dir, env, logFile, verbose, progress: true });

  let version;
  try {
    version = verifyCodeServer(dir);
  } catch (error) {
    throw new Error(`${error.message}\nsee ${logFile}`);
  }
  fs.rmSync(tmp, { recursive: true, force: true });
  const seconds = Math.round((Date.now() - started) / 100) / 10;
  // Written last: its presence is what makes the next call return at once.
  writeJson(markerFile(dir), {
    version: CODE_SERVER_VERSION,
    vscode: version,
    node: process.version,
    installedAt: new Date().toISOString(),
    seconds,
  });
  log(`installed in ${seconds} s: ${version}`);
}

/**
 * Checks an install: the files the postinstall makes, every native addon loads, and
 * `code-server --version` answers. Returns that version line; throws what is wrong.
 */
export function verifyCodeServer(dir = codeServerCacheDir()) {
  const missing = REQUIRED_FILES.filter((file) => !fs.existsSync(path.join(dir, file)));
  if (missing.length) throw new Error(`code-server install is incomplete, missing:\n  ${missing.join('\n  ')}`);
  for (const [where, modules] of Object.entries(NATIVE_MODULES)) {
    // Each addon is loaded the way VS Code resolves it: from that folder's node_modules.
    const script = `const r = require('node:module').createRequire(process.argv[1] + '/package.json');
      for (const name of process.argv.slice(2)) r(name);`;
    const result = spawnSync(process.execPath, ['-e', script, path.join(dir, where), ...modules], { encoding: 'utf8' });
    if (result.status !== 0) throw new Error(`a native module of code-server does not load (${modules.join(', ')}):\n${result.stderr}`);
  }
  // Even --version writes a default config and a log folder under XDG_CONFIG_HOME and
  // XDG_DATA_HOME: give it a throwaway home instead of the user's.
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'code-server-version-'));
  const env = { ...process.env, HOME: scratch, XDG_CONFIG_HOME: scratch, XDG_DATA_HOME: scratch, XDG_CACHE_HOME: scratch };
  const version = spawnSync(process.execPath, [codeServerBin(dir), '--version'], { encoding: 'utf8', env });
  fs.rmSync(scratch, { recursive: true, force: true });
  const line = version.stdout.split('\n').find((text) => text.startsWith(`${CODE_SERVER_VERSION} `));
  if (version.status !== 0 || !line) {
    throw new Error(`code-server --version failed (${version.status}): ${version.stdout}${version.stderr}`);
  }
  return line.trim();
}

/** Fails early, with the apt command to run, instead of deep inside a native build. */
function preflight() {
  const problems = [];
  const major = Number(process.versions.node.split('.')[0]);
  // code-server's postinstall refuses any other major version, and its native modules are
  // built for the Node that runs the server.
  if (major !== 20) problems.push(`code-server ${CODE_SERVER_VERSION} needs Node 20 (this is ${process.version})`);
  const missing = ['rg', 'make', 'g++', 'python3', 'tar'].filter((tool) => !which(tool));
  if (missing.length) problems.push(`missing tools on PATH: ${missing.join(', ')}`);
  // kerberos compiles against the MIT Kerberos headers.
  if (!fs.existsSync('/usr/include/krb5.h') && !fs.existsSync('/usr/include/gssapi/gssapi.h')) {
    problems.push('missing Kerberos headers (/usr/include/krb5.h)');
  }
  if (problems.length) {
    throw new Error(
      `cannot install code-server:\n  ${problems.join('\n  ')}\n` +
        // The package list lives in one place (npm start installs it by itself as root).
        'on Debian: sudo tools/setup/debianPackages.sh install start',
    );
  }
}

function installEnv(tmp) {
  const env = {
    ...process.env,
    // The ripgrep postinstall looks for its cached tarball under os.tmpdir().
    TMPDIR: tmp,
    npm_config_unsafe_perm: 'true',
    npm_config_update_notifier: 'false',
  };
  // node-gyp downloads Node's headers from nodejs.org unless told where they are; the running
  // Node's own headers are the right ones when they are installed next to it.
  const prefix = path.resolve(path.dirname(process.execPath), '..');
  if (!process.env.npm_config_nodedir && nodeHeadersMatch(prefix)) env.npm_config_nodedir = prefix;
  // Turn the install-script policy's warning into an error, only where this npm knows it.
  const strict = spawnSync('npm', ['config', 'get', 'strict-allow-scripts'], { encoding: 'utf8' });
  if (strict.status === 0 && /^(true|false)$/.test(strict.stdout.trim())) env.npm_config_strict_allow_scripts = 'true';
  return env;
}

function nodeHeadersMatch(prefix) {
  try {
    const header = fs.readFileSync(path.join(prefix, 'include', 'node', 'node_version.h'), 'utf8');
    const part = (name) => header.match(new RegExp(`#define NODE_${name}_VERSION (\\d+)`))?.[1];
    return `v${part('MAJOR')}.${part('MINOR')}.${part('PATCH')}` === process.version;
  } catch {
    return false;
  }
}

// Name-only entries: npm matches a pinned `name@version` entry against the `resolved` URL in
// the lockfile, and a machine with `omit-lockfile-registry-resolved=true` (this one has it in
// its global npmrc) has none, so pinned entries never match there. The versions are fixed by
// code-server's shrinkwraps anyway, and checkApprovals() compares them with our list.
function approvals(where) {
  return Object.fromEntries(APPROVED_SCRIPTS[where].map((spec) => [spec.slice(0, spec.lastIndexOf('@')), true]));
}

/** Every package with an install script in the shrinkwrap must be in our approved list. */
function checkApprovals(dir, where, list) {
  const shrinkwrap = JSON.parse(fs.readFileSync(path.join(dir, where, 'npm-shrinkwrap.json'), 'utf8'));
  const wanted = Object.entries(shrinkwrap.packages ?? {})
    .filter(([key, entry]) => key !== '' && entry.hasInstallScript)
    .map(([key, entry]) => `${key.slice(key.lastIndexOf('node_modules/') + 'node_modules/'.length)}@${entry.version}`);
  const unexpected = wanted.filter((spec) => !list.includes(spec));
  if (unexpected.length) throw new Error(`${where}: install scripts not reviewed: ${unexpected.join(', ')}`);
}

function patchShrinkwrap(dir) {
  const file = path.join(dir, 'node_modules/code-server/lib/vscode/npm-shrinkwrap.json');
  const shrinkwrap = JSON.parse(fs.readFileSync(file, 'utf8'));
  const entry = shrinkwrap.packages?.[PROXY_AGENT_KEY];
  if (!entry) throw new Error(`${file}: no ${PROXY_AGENT_KEY} entry`);
  // The registry tarball is only a substitute if it is the same bytes the lock asked for.
  if (entry.integrity !== PROXY_AGENT_SHA512) throw new Error(`${file}: unexpected integrity for ${PROXY_AGENT_KEY}`);
  if (entry.resolved !== PROXY_AGENT_TARBALL) {
    entry.resolved = PROXY_AGENT_TARBALL;
    writeJson(file, shrinkwrap, '\t');
  }
}

function seedRipgrepCache(tmp) {
  const targets = { x64: 'x86_64-unknown-linux-musl', arm64: 'aarch64-unknown-linux-musl' };
  const target = targets[process.arch];
  if (process.platform !== 'linux' || !target) throw new Error(`no ripgrep cache recipe for ${process.platform}/${process.arch}`);
  const rg = which('rg');
  const cacheDir = path.join(tmp, `vscode-ripgrep-cache-${RIPGREP_PACKAGE_VERSION}`);
  fs.mkdirSync(cacheDir, { recursive: true });
  const tarball = path.join(cacheDir, `ripgrep-${RIPGREP_ASSET_VERSION}-${target}.tar.gz`);
  // -h: the archive must hold the binary itself even if `rg` on PATH is a symlink.
  const result = spawnSync('tar', ['czhf', tarball, '-C', path.dirname(rg), path.basename(rg)], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`tar failed: ${result.stderr}`);
}

/**
 * Runs a command in its own process group (so an interrupt or a failure can stop the nested
 * npm installs too), appends its output to logFile and, with `progress`, reports each install
 * script as npm starts it plus a heartbeat, so a long native build does not look hung.
 */
function runLogged(command, args, { cwd, env, logFile, verbose, progress = false }) {
  return new Promise((resolve, reject) => {
    const out = fs.openSync(logFile, 'a');
    fs.writeSync(out, `\n$ ${command} ${args.join(' ')}   (cwd ${cwd})\n`);
    const child = spawn(command, args, { cwd, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    const started = Date.now();
    let pending = '';
    const onData = (chunk) => {
      fs.writeSync(out, chunk);
      if (verbose) process.stdout.write(chunk);
      if (!progress) return;
      pending += chunk.toString('utf8');
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) {
        const script = line.match(/^> (\S+@\S+) (preinstall|install|postinstall)$/);
        if (script) log(`  ${script[2]} script of ${script[1]}`);
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    const heartbeat = setInterval(() => log(`  ... ${Math.round((Date.now() - started) / 1000)} s`), 20_000);
    // Leaving the nested npm installs running after Ctrl-C would keep writing into the cache.
    const onSignal = (signal) => {
      try {
        process.kill(-child.pid, 'SIGTERM');
      } catch {}
      process.exit(signal === 'SIGINT' ? 130 : 143);
    };
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
    child.on('error', (error) => finish(error));
    child.on('exit', (code, signal) => {
      finish(
        code === 0
          ? undefined
          : new Error(`${command} ${args[0]} failed (${signal ?? code}); last lines of ${logFile}:\n${tail(logFile, 30)}`),
      );
    });
    function finish(error) {
      clearInterval(heartbeat);
      process.removeListener('SIGINT', onSignal);
      process.removeListener('SIGTERM', onSignal);
      fs.closeSync(out);
      if (error) {
        // Whatever npm spawned (node-gyp, nested npm) goes with it.
        try {
          process.kill(-child.pid, 'SIGKILL');
        } catch {}
        reject(error);
      } else resolve();
    }
  });
}

function tail(file, lines) {
  return fs.readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
}

function which(name) {
  for (const folder of (process.env.PATH ?? '').split(path.delimiter)) {
    const candidate = path.join(folder, name);
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      return candidate;
    } catch {}
  }
  return undefined;
}

function writeJson(file, value, indent = '  ') {
  fs.writeFileSync(file, `${JSON.stringify(value, null, indent)}\n`);
}

/**
 * A lock folder, so `npm start` and `npm test` started together do not install twice into the
 * same place. A lock whose owner process is gone is taken over.
 */
async function acquireLock(lockDir) {
  const ownerFile = path.join(lockDir, 'pid');
  for (let waited = 0; ; waited += 500) {
    try {
      fs.mkdirSync(lockDir);
      fs.writeFileSync(ownerFile, String(process.pid));
      // Also on process.exit() (Ctrl-C during the install), which skips `finally` blocks.
      const release = () => {
        process.removeListener('exit', release);
        fs.rmSync(lockDir, { recursive: true, force: true });
      };
      process.on('exit', release);
      return release;
    } catch (error) {
      if (error.code !== 'EEXIST') throw error;
    }
    const owner = Number(fs.existsSync(ownerFile) ? fs.readFileSync(ownerFile, 'utf8') : NaN);
    if (Number.isInteger(owner) && !alive(owner)) {
      fs.rmSync(lockDir, { recursive: true, force: true });
      continue;
    }
    if (waited % 10_000 === 0) log(`waiting for another install (pid ${owner}) to finish`);
    if (waited > 15 * 60_000) throw new Error(`gave up waiting for ${lockDir}`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

/** Sum of the resident memory of this process and all its descendants, in bytes (Linux /proc). */
export function treeRss(rootPid = process.pid) {
  const children = new Map();
  const rss = new Map();
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      // Fields after the command name, which is in parentheses and may hold spaces.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const ppid = Number(fields[1]);
      rss.set(Number(entry), Number(fields[21]) * 4096);
      if (!children.has(ppid)) children.set(ppid, []);
      children.get(ppid).push(Number(entry));
    } catch {}
  }
  let total = 0;
  const stack = [rootPid];
  while (stack.length) {
    const pid = stack.pop();
    total += rss.get(pid) ?? 0;
    stack.push(...(children.get(pid) ?? []));
  }
  return total;
}

/** Samples treeRss() until stopped; returns the peak in bytes. */
export function sampleTreeRss(intervalMs = 250) {
  let peak = 0;
  const timer = setInterval(() => {
    peak = Math.max(peak, treeRss());
  }, intervalMs);
  timer.unref();
  return {
    stop() {
      clearInterval(timer);
      return Math.max(peak, treeRss());
    },
  };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const started = Date.now();
  const memory = sampleTreeRss();
  try {
    const bin = await ensureCodeServer({ verbose: process.argv.includes('--verbose') });
    const peak = memory.stop();
    log(`ready after ${((Date.now() - started) / 1000).toFixed(1)} s (peak memory of the install: ${Math.round(peak / 2 ** 20)} MB)`);
    console.log(bin);
  } catch (error) {
    console.error(`[code-server] ${error instanceof Error ? error.message : error}`);
    process.exit(1);
  }
}
