/**
 * One activation, measured in a fresh Node process (run by activationBench.ts): the bundle
 * `require`d with the stubbed `vscode` (code loading), a plain package.json open, `activate`
 * called (activate ms), then keystrokes in a large non-Docker JSON file. Prints one JSON line.
 */
import Module from 'node:module';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { keystroke, openDocument, recorded, vscodeStub } from './vscodeStub';

const bundle = path.resolve(process.argv.slice(2).find((arg) => !arg.startsWith('--')) ?? 'dist/extension.js');
const moduleWithLoad = Module as unknown as { _load(request: string, parent: unknown, isMain: boolean): unknown };
const load = moduleWithLoad._load;
moduleWithLoad._load = function (request, parent, isMain) {
  return request === 'vscode' ? vscodeStub : load.call(this, request, parent, isMain);
};

// The extension host has these Node built-ins loaded before any extension (its own socket, proxy
// support, child processes): loading them is not the extension's cost. Off with --cold.
if (!process.argv.includes('--cold')) {
  for (const name of [
    'fs',
    'path',
    'os',
    'events',
    'stream',
    'util',
    'url',
    'net',
    'tls',
    'http',
    'https',
    'crypto',
    'child_process',
    'zlib',
    'string_decoder',
    'perf_hooks',
  ])
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded synchronously on purpose: the cost being measured
    require(`node:${name}`);
}

const workspace = '/bench/workspace';
// Wall time, and the CPU time this process used meanwhile: on a busy machine the first also
// counts the waits for a core, the second only the work.
const cpuBefore = process.cpuUsage();
const started = performance.now();
// eslint-disable-next-line @typescript-eslint/no-require-imports -- a synchronous require is what the extension host does
const extension = require(bundle) as { activate(context: unknown): unknown };
const loaded = performance.now();
const cpuLoad = process.cpuUsage(cpuBefore);
// The event that activates the extension: a plain package.json opened in a Node project.
openDocument(
  `${workspace}/package.json`,
  JSON.stringify({ name: 'app', version: '1.0.0', scripts: { test: 'node --test' } }, null, 2),
  'json',
);
const context = {
  subscriptions: [] as Array<{ dispose(): unknown }>,
  extensionUri: vscodeStub.Uri.file(path.dirname(path.dirname(bundle))),
  extensionPath: path.dirname(path.dirname(bundle)),
  workspaceState: { get: () => undefined, update: async () => undefined, keys: () => [] },
  globalState: { get: () => undefined, update: async () => undefined, keys: () => [], setKeysForSync: () => undefined },
};
const cpuActivateBefore = process.cpuUsage();
const before = performance.now();
extension.activate(context);
const activated = performance.now();
const cpuActivate = process.cpuUsage(cpuActivateBefore);
const cpuMs = (usage: NodeJS.CpuUsage) => (usage.user + usage.system) / 1000;

// Typing in a 6.6 MB JSON file that is not Docker's: what each keystroke costs the extension.
const big = openDocument(
  `${workspace}/data.json`,
  JSON.stringify({ rows: Array.from({ length: 60_000 }, (_, i) => ({ id: i, name: `row ${i}`, tags: ['a', 'b'] })) }),
  'json',
);
const bigFileBytes = big.getText().length;
const copiesOnOpen = big.getTextCalls - 1;
const keystrokes = Array.from({ length: 200 }, (_, i) => keystroke(big, 1_000_000 + i));
const typingStarted = performance.now();
for (const type of keystrokes) type();
const typed = performance.now();

const bundleDir = path.dirname(bundle);
const loadedBundles = Object.keys(require.cache)
  .filter((file) => path.dirname(file) === bundleDir)
  .map((file) => path.basename(file));
console.log(
  JSON.stringify({
    loadMs: loaded - started,
    activateMs: activated - before,
    loadCpuMs: cpuMs(cpuLoad),
    activateCpuMs: cpuMs(cpuActivate),
    keystrokeMs: (typed - typingStarted) / keystrokes.length,
    // Reads of the big file's text: on open (its first characters, to decide its kind), while typing.
    bigFileReadsOnOpen: copiesOnOpen,
    bigFileReadsWhileTyping: big.getTextCalls - 1 - copiesOnOpen,
    bigFileBytes,
    loadedBundles,
    codeActionSelectors: recorded.codeActionSelectors,
  }),
);
for (const item of context.subscriptions) item.dispose();
process.exit(0);
