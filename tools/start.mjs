// `npm start`: the one command that runs the extension in a real VS Code (1.96.4, served by
// code-server) and prints the URL to open in a browser. Ctrl-C stops it.
//
//   npm start                          # port 8090 (or $PORT), dark theme
//   npm start -- --port 9000 --theme light --folder ~/some/project --watch
//
// Steps: as root, the Debian packages it needs when missing (tools/setup/debianPackages.sh; not
// root: it stops at once with the command to run), `npm install` when node_modules is missing,
// `node tools/build.mjs` (the bundle in dist/), install code-server once into ~/.cache
// (tools/codeServer/install.mjs), install the built extension into the run's extensions folder
// (tools/codeServer/installExtension.mjs: it is then loaded whatever folder is opened), then start
// code-server bound to 127.0.0.1.
// With --watch, esbuild rebuilds on every change; "Developer: Reload Window" picks it up (the
// installed extension's dist/ is the repository's).
// With --lab (root), the three-host lab (tools/lab) comes up first and the hosts setting names
// its three daemons. When no Docker host is configured at all — no daemon answers on the default
// socket and neither DOCKER_HOST nor a Docker context is set — there is nothing to show, so as
// root it brings the lab up itself (saying so, and how to remove it; --no-lab opts out), and a
// newcomer sees the seed's three-host world in one command. Without root it says what to run and
// starts anyway (the view says "no daemon" and looks again by itself).
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { ensureCodeServer, CODE_SERVER_VERSION } from './codeServer/install.mjs';
import { installBuiltExtension } from './codeServer/installExtension.mjs';
import { ensureDebianPackages } from './setup/systemPackages.mjs';
import { isPortFree, newRunDir, repoRoot, startCodeServer } from './codeServer/launch.mjs';
import { startBanner } from './startBanner.mjs';
import { pingSocket } from './lib/pingSocket.mjs';

const log = (message) => console.log(`[start] ${message}`);

const { values: args } = parseArgs({
  options: {
    port: { type: 'string' },
    theme: { type: 'string', default: 'dark' },
    folder: { type: 'string' },
    watch: { type: 'boolean', default: false },
    lab: { type: 'boolean', default: false },
    'no-lab': { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h', default: false },
  },
});
if (args.help) {
  console.log(`usage: npm start -- [--port N] [--theme dark|light|"<theme label>"] [--folder PATH] [--watch] [--lab]
  --port    port on 127.0.0.1 (default: $PORT or 8090; a free one if that is busy)
  --theme   VS Code color theme (default dark)
  --folder  workspace folder to open (default: an empty folder of the run under .test-runs/)
  --watch   rebuild the extension on every change (then run "Developer: Reload Window")
  --lab     bring up the three-host lab (root only; see npm run lab) and show its three daemons
            (done by itself, as root, when no Docker host is configured at all)
  --no-lab  never bring the lab up by itself`);
  process.exit(0);
}

function run(command, commandArgs) {
  const result = spawnSync(command, commandArgs, { cwd: repoRoot, stdio: 'inherit' });
  if (result.status !== 0) {
    console.error(`[start] ${command} ${commandArgs.join(' ')} failed (${result.status ?? result.signal})`);
    process.exit(1);
  }
}

async function choosePort() {
  const wanted = Number(args.port ?? process.env.PORT ?? 8090);
  if (!Number.isInteger(wanted) || wanted < 1 || wanted > 65535) {
    console.error(`[start] not a port: ${args.port ?? process.env.PORT}`);
    process.exit(2);
  }
  if (await isPortFree(wanted)) return wanted;
  // undefined: startCodeServer picks a free one.
  log(`port ${wanted} is busy; using a free port instead`);
  return undefined;
}

/** `--lab`: the lab up (or repaired), and its three hosts for the hosts setting. */
async function startLab() {
  if (process.getuid?.() !== 0) {
    console.error(
      '[start] --lab needs root: the lab creates network namespaces and runs three dockerds and a cluster store.\n' +
        '        Run `sudo npm start -- --lab`.',
    );
    process.exit(2);
  }
  const { hostEntries, labUp } = await import('./lab/index.mjs');
  log('bringing up the three-host lab (npm run lab -- up)');
  const result = await labUp({ log: (line) => console.log(`[lab] ${line}`) });
  log(
    `lab ${result.alreadyUp ? 'already up' : 'up'}: ${result.hosts.map((host) => `${host.name} ${host.url}`).join(', ')}; it stays up after Ctrl-C (\`npm run lab -- down\` removes it)`,
  );
  return { 'dockerNetworkExplorer.hosts': hostEntries() };
}

/** A current context other than `default` in ~/.docker/config.json (or DOCKER_CONFIG). */
function currentContext() {
  const dir = process.env.DOCKER_CONFIG || path.join(os.homedir(), '.docker');
  try {
    const name = JSON.parse(fs.readFileSync(path.join(dir, 'config.json'), 'utf8')).currentContext;
    return typeof name === 'string' && name !== '' && name !== 'default' ? name : undefined;
  } catch {
    return undefined;
  }
}

/** Only the default socket is checked: a DOCKER_HOST or context the user chose is theirs to judge. */
async function noDockerHost() {
  if (process.env.DOCKER_HOST || process.env.DOCKER_CONTEXT || currentContext()) return false;
  return !(await pingSocket('/var/run/docker.sock'));
}

function warnWithoutDaemon() {
  const lab = process.getuid?.() === 0 ? '`npm start -- --lab`' : '`sudo npm start -- --lab`';
  console.warn(`[start] no Docker daemon answers on /var/run/docker.sock, and DOCKER_HOST is not set.
        The view will say "no daemon" (and look again by itself). To have something to look at:
          ${lab}   three Docker hosts in network namespaces, with a multi-host overlay
          sudo tools/docker/ensureDockerd.sh start   a local dockerd on /var/run/docker.sock
          DOCKER_HOST=unix:///path/to/docker.sock npm start   another daemon`);
}

/** The hosts to add to the settings: the lab's when asked, or when there is nothing else to show. */
async function labSettings() {
  if (args.lab) return startLab();
  if (!(await noDockerHost())) return {};
  if (process.getuid?.() === 0 && !args['no-lab']) {
    log(
      'no Docker host is configured and none answers on /var/run/docker.sock: bringing up the three-host lab to show (--no-lab skips this)',
    );
    return startLab();
  }
  warnWithoutDaemon();
  return {};
}

// Debian's packages first (root installs them; otherwise the one command to paste, at once).
ensureDebianPackages('start', 'start');
if (!fs.existsSync(path.join(repoRoot, 'node_modules'))) {
  log('node_modules is missing: npm install');
  run('npm', ['install']);
}
const extraSettings = await labSettings();
log('building the extension (node tools/build.mjs)');
run(process.execPath, ['tools/build.mjs']);
await ensureCodeServer();

const port = await choosePort();
const runDir = newRunDir('start');
const workspaceFolder = args.folder ? path.resolve(args.folder) : undefined;
if (workspaceFolder && !fs.existsSync(workspaceFolder)) {
  console.error(`[start] no such folder: ${workspaceFolder}`);
  process.exit(2);
}
const extensionsDir = path.join(runDir, 'extensions');
fs.mkdirSync(extensionsDir, { recursive: true });
const extensionFolder = installBuiltExtension({ repo: repoRoot, extensionsDir });
const server = await startCodeServer({ port, runDir, workspaceFolder, extensionsDir, colorTheme: args.theme, settings: extraSettings });

let watcher;
if (args.watch) {
  // Its own process group, so stopping it also stops anything esbuild started.
  watcher = spawn(process.execPath, ['tools/build.mjs', '--watch'], { cwd: repoRoot, stdio: 'inherit', detached: true });
}

let stopping = false;
async function shutdown(code) {
  if (stopping) return;
  stopping = true;
  log('stopping code-server');
  if (watcher?.pid) {
    try {
      process.kill(-watcher.pid, 'SIGTERM');
    } catch {}
  }
  await server.stop();
  process.exit(code);
}
// Handlers of our own: launch.mjs then leaves the stopping to us, so stop() can close the
// server gracefully instead of killing it.
process.on('SIGINT', () => shutdown(0));
process.on('SIGTERM', () => shutdown(0));
process.on('SIGHUP', () => shutdown(0));
server.exited.then((how) => {
  if (stopping) return;
  console.error(`[start] code-server ended on its own (${how}); its log: ${server.logFile}`);
  shutdown(1);
});

console.log(
  startBanner({
    url: server.folderUrl,
    origin: new URL(server.url).origin,
    workspaceFolder: server.workspaceFolder,
    extensionFolder,
    logFile: server.logFile,
    port: server.port,
    watch: args.watch,
    codeServerVersion: CODE_SERVER_VERSION,
    labHosts: extraSettings['dockerNetworkExplorer.hosts'],
  }),
);
