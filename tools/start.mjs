// `npm start`: the one command that runs the extension in a real VS Code (1.96.4, served by
// code-server) and prints the URL to open in a browser. Ctrl-C stops it.
//
//   npm start                          # port 8090 (or $PORT), dark theme
//   npm start -- --port 9000 --theme light --folder ~/some/project --watch
//
// Steps: `npm install` when node_modules is missing, `node tools/build.mjs` (the bundle in
// dist/), install code-server once into ~/.cache (tools/codeServer/install.mjs), then start it
// bound to 127.0.0.1 with the repository loaded as the extension under development. The
// extension goes in through the page URL's `payload` because code-server rejects
// --extensionDevelopmentPath on its command line: open the printed URL, not the bare port.
// With --watch, esbuild rebuilds on every change; "Developer: Reload Window" picks it up.
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { ensureCodeServer, CODE_SERVER_VERSION } from './codeServer/install.mjs';
import { isPortFree, newRunDir, repoRoot, startCodeServer } from './codeServer/launch.mjs';

const log = (message) => console.log(`[start] ${message}`);

const { values: args } = parseArgs({
  options: {
    port: { type: 'string' },
    theme: { type: 'string', default: 'dark' },
    folder: { type: 'string' },
    watch: { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h', default: false },
  },
});
if (args.help) {
  console.log(`usage: npm start -- [--port N] [--theme dark|light|"<theme label>"] [--folder PATH] [--watch]
  --port    port on 127.0.0.1 (default: $PORT or 8090; a free one if that is busy)
  --theme   VS Code color theme (default dark)
  --folder  workspace folder to open (default: an empty folder of the run under .test-runs/)
  --watch   rebuild the extension on every change (then run "Developer: Reload Window")`);
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

if (!fs.existsSync(path.join(repoRoot, 'node_modules'))) {
  log('node_modules is missing: npm install');
  run('npm', ['install']);
}
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
const server = await startCodeServer({ port, runDir, workspaceFolder, extensionDir: repoRoot, colorTheme: args.theme });

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

console.log(`
Docker Network Explorer is running in VS Code (code-server ${CODE_SERVER_VERSION}, VS Code 1.96.4).
Open this URL in a browser (it loads the extension from ${repoRoot}):

  ${server.devUrl}

Workspace: ${server.workspaceFolder}
Logs:      ${server.logFile}
After a rebuild${args.watch ? ' (automatic with --watch)' : ' (npm run build)'}, run "Developer: Reload Window" in VS Code.
The server listens on 127.0.0.1 only; from another machine use an SSH tunnel: ssh -L ${server.port}:127.0.0.1:${server.port} HOST
Press Ctrl-C to stop.
`);
