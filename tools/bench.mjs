// `npm run bench [-- --idle-seconds N ...]`: compiles (tsc) and runs out/bench/explorerBench.js
// with the given flags. Ctrl-C reaches the benchmark too (same process group); this wrapper
// waits for it to finish removing what it created and exits with its status.
import { spawn, spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
console.error('[bench] compiling (tsc -p .)');
const compiled = spawnSync('npx', ['tsc', '-p', '.'], { cwd: repo, stdio: 'inherit' });
if (compiled.status !== 0) process.exit(compiled.status ?? 1);

const bench = spawn(process.execPath, [path.join(repo, 'out/bench/explorerBench.js'), ...process.argv.slice(2)], {
  cwd: repo,
  stdio: 'inherit',
});
for (const signal of ['SIGINT', 'SIGTERM']) {
  // The terminal already delivers SIGINT to the child; forward SIGTERM, and do not die first.
  process.on(signal, () => signal === 'SIGTERM' && bench.kill('SIGTERM'));
}
bench.on('exit', (code, signal) => process.exit(code ?? (signal ? 128 : 1)));
