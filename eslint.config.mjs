// ESLint (flat config): typescript-eslint's recommended rules, and the design's layering as rules
// a tool checks (README, "Design"). `npm run lint` runs it, and Prettier's check after it.
import { builtinModules } from 'node:module';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import tseslint from 'typescript-eslint';
import layers from './tools/lint/layers.mjs';

const root = dirname(fileURLToPath(import.meta.url));

// The layers, lowest first. A folder imports its own files and folders of lower layers only:
// never one of its own layer (what two of them share moves down), never one above it. So every
// arrow between folders runs one way and no cycle can form.
//   util, net    small helpers; addresses and CIDR maths
//   model        the normalized snapshot and how its values read; imports nothing
//   ssh          known_hosts and the host key decision
//   hosts        which daemons: DockerHost, DOCKER_HOST, contexts, the hosts setting
//   docker       the one door to a daemon: client, events, raw → model, monitors, registry
//   reachability who can reach whom (explain on the model, the probe through docker); the doctor reads its routes
//   explorer, topology, operations, diagnostics: what the extension and the CLI show and do
//   cli, vscode  the headless doctor and the thin VS Code layer
const LAYERS = [
  ['src/core/util', 'src/core/net'],
  ['src/core/model'],
  ['src/core/ssh'],
  ['src/core/hosts'],
  ['src/core/docker'],
  ['src/core/reachability'],
  ['src/core/explorer', 'src/core/topology', 'src/core/operations', 'src/core/diagnostics'],
  ['src/cli'],
  ['src/vscode'],
];

// The webview's bundle (and webview/tsconfig.json) compiles its own files and these: the messages,
// the element types, the action table and the loop helpers for input-sized arrays (no imports at
// all), which therefore import only each other.
const WEBVIEW_SHARED = [
  'src/core/topology/protocol',
  'src/core/topology/topologyElements',
  'src/core/topology/topologyActions',
  'src/core/util/arrays',
];
const ONLY = [
  {
    places: ['webview'],
    may: ['webview', ...WEBVIEW_SHARED],
    why: 'the webview shares only the topology protocol, element types, action table and array helpers',
  },
  { places: WEBVIEW_SHARED, may: WEBVIEW_SHARED, why: 'the webview compiles this file: no model, client or Node types behind it' },
];

// What the tools use of Node's globals (TypeScript checks the .ts files' own names).
const NODE_GLOBALS = [
  'AbortSignal',
  'Buffer',
  'URL',
  'clearInterval',
  'clearTimeout',
  'console',
  'fetch',
  'process',
  'setInterval',
  'setTimeout',
];
const NODE_MODULES = [...builtinModules, ...builtinModules.map((name) => `node:${name}`)];

export default defineConfig(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', '.test-runs/**', 'test-results/**', '.cache/**'] },
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    languageOptions: { ecmaVersion: 2022, sourceType: 'module' },
    plugins: { layers },
    rules: {
      'layers/layer-order': ['error', { root, layers: LAYERS, covers: ['src'], only: ONLY }],
      // `{ fix: _fix, ...rest }` drops a field on purpose; an `_`-name says "unused, knowingly".
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', ignoreRestSiblings: true }],
      // Matching control characters is the point where we escape untrusted text (terminals, CLI).
      'no-control-regex': 'off',
    },
  },
  {
    // The tools are plain Node scripts (ES modules; the one CommonJS stub replaces a dockerode file).
    files: ['**/*.mjs', '**/*.js'],
    languageOptions: { globals: Object.fromEntries(NODE_GLOBALS.map((name) => [name, 'readonly'])) },
    rules: {
      // `catch {}`: the tools' way of saying "best effort" (a kill of a process already gone, a
      // cleanup of a file that may not exist).
      'no-empty': ['error', { allowEmptyCatch: true }],
    },
  },
  { files: ['tools/stubs/*.js'], languageOptions: { sourceType: 'commonjs', globals: { module: 'writable' } } },
  {
    // The unit and integration tests run in plain Node too: only test/vscode runs inside an editor.
    files: ['src/core/**/*.ts', 'src/cli/**/*.ts', 'test/unit/**/*.ts', 'test/integration/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: [{ name: 'vscode', message: 'This code runs in plain Node: no vscode import.' }] }],
    },
  },
  {
    files: ['webview/**/*.ts', ...WEBVIEW_SHARED.map((file) => `${file}.ts`)],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            { name: 'vscode', message: 'The webview runs in a browser frame: it talks to the extension by messages only.' },
            ...NODE_MODULES.map((name) => ({ name, message: 'The webview runs in a browser: no Node modules.' })),
          ],
        },
      ],
    },
  },
);
