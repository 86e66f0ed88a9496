// `npm run bench [-- explorer|scale|topology|diagnostics|reachability|activation] [--engine 20.10|26] [flags]`: compiles (tsc,
// and the webview bundle the topology bench draws with) and runs out/bench/<name>Bench.js with the
// given flags; with no name, all six (explorer needs a Docker daemon; scale nothing: replay servers;
// topology only Chromium;
// diagnostics root, for the three-host lab it brings up and down; reachability and activation nothing). The explorer bench runs once per
// Docker Engine (20.10, then 26: the default daemon switched by tools/docker/ensureDockerd.sh, as
// `npm test` does) unless --engine names one; each writes test-results/bench-engine-<engine>.json.
// Ctrl-C reaches the benchmark too (same process group); this wrapper waits for it to finish
// removing what it created and exits with its status.
import { spawn, spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ENGINES, answeringEngine, engineEnv, normalizeEngine, useDefaultDaemon } from './docker/engines.mjs';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const names = ['explorer', 'scale', 'topology', 'diagnostics', 'reachability', 'activation'];
const args = process.argv.slice(2);
const chosen = names.includes(args[0]) ? [args.shift()] : names;
const engineAt = args.indexOf('--engine');
const engines = engineAt >= 0 ? [normalizeEngine(args.splice(engineAt, 2)[1])] : ENGINES;

console.error('[bench] compiling (tsc -p ., tools/build.mjs)');
for (const command of [
  ['npx', 'tsc', '-p', '.'],
  [process.execPath, 'tools/build.mjs'],
]) {
  const compiled = spawnSync(command[0], command.slice(1), { cwd: repo, stdio: 'inherit' });
  if (compiled.status !== 0) process.exit(compiled.status ?? 1);
}

let current;
for (const signal of ['SIGINT', 'SIGTERM']) {
  // The terminal already delivers SIGINT to the child; forward SIGTERM, and do not die first.
  process.on(signal, () => signal === 'SIGTERM' && current?.kill('SIGTERM'));
}
let status = 0;
const initialEngine = chosen.includes('explorer') ? answeringEngine() : undefined;
const runs = chosen.flatMap((name) => (name === 'explorer' ? engines.map((engine) => ({ name, engine })) : [{ name }]));
for (const { name, engine } of runs) {
  // Flags belong to the one bench named; with none named, to the explorer bench (as before).
  const flags = chosen.length === 1 || name === 'explorer' ? args : [];
  let env = process.env;
  if (engine) {
    console.error(`[bench] explorer on Docker Engine ${engine}`);
    env = engineEnv(engine);
    if (!useDefaultDaemon(engine)) {
      console.error(`[bench] no Engine ${engine} daemon on /var/run/docker.sock (above): its explorer bench is skipped`);
      status ||= 1;
      continue;
    }
  }
  current = spawn(process.execPath, [path.join(repo, `out/bench/${name}Bench.js`), ...flags], { cwd: repo, stdio: 'inherit', env });
  const [code, signal] = await new Promise((resolve) => current.on('exit', (...result) => resolve(result)));
  status ||= code ?? (signal ? 128 : 1);
  if (signal) break;
}
// Leave the default daemon on the engine it had.
if (initialEngine && answeringEngine() !== initialEngine) useDefaultDaemon(initialEngine);
process.exit(status);
