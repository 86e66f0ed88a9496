// Bundles the extension and the topology webview with esbuild. `tsc` is used for type checking
// and for compiling the tests; the shipped extension is this bundle, plus the libraries it loads on first use (lazyBundles).
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as esbuild from 'esbuild';

/** Swaps dockerode's BuildKit session module for a stub (see tools/stubs/dockerodeSession.js). */
const stubBuildKitSession = {
  name: 'stub-dockerode-session',
  setup(build) {
    build.onResolve({ filter: /^\.\/session$/ }, (args) =>
      args.importer.includes(`${path.sep}dockerode${path.sep}`) ? { path: path.resolve('tools/stubs/dockerodeSession.js') } : undefined,
    );
  },
};

/**
 * The libraries the extension loads on first use (src/core/docker/dockerLibraries.ts,
 * src/core/diagnostics/parsers/yamlLibrary.ts) are bundles of their own: the extension's
 * bundle `require`s them from dist/ when first needed, so activation neither parses nor runs them.
 */
const lazyBundles = [
  { entry: 'src/core/docker/dockerLibrariesBundle.ts', outfile: 'dist/docker.js' },
  { entry: 'src/core/diagnostics/parsers/yamlLibraryBundle.ts', outfile: 'dist/yaml.js' },
];
const loadLazily = {
  name: 'lazy-bundles',
  setup(build) {
    build.onResolve({ filter: /LibraryBundle$|LibrariesBundle$/ }, (args) => {
      const resolved = path.relative(process.cwd(), path.resolve(args.resolveDir, `${args.path}.ts`));
      const lazy = lazyBundles.find((bundle) => path.normalize(bundle.entry) === resolved);
      if (!lazy) throw new Error(`${args.path} (from ${args.importer}) is not a lazy bundle of tools/build.mjs`);
      return { path: `./${path.basename(lazy.outfile)}`, external: true };
    });
  },
};

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

/** @type {import('esbuild').BuildOptions} */
const extension = {
  entryPoints: ['src/vscode/extension.ts'],
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  outfile: 'dist/extension.js',
  // vscode is provided by the host; ssh2's optional native speed-ups are loaded in a try/catch.
  external: ['vscode', 'cpu-features', './crypto/build/Release/sshcrypto.node'],
  sourcemap: !production,
  minify: production,
  logLevel: 'warning',
  plugins: [stubBuildKitSession, loadLazily],
  // jsonc-parser's "main" is a UMD build whose factory require()s its own files at run time,
  // which esbuild cannot follow (dist/ would ask for ./impl/format): bundle its ES build.
  alias: { 'jsonc-parser': './node_modules/jsonc-parser/lib/esm/main.js' },
};

/** The headless doctor (`docker-network-explorer diagnose`, package.json "bin"): same core, no vscode. */
/** @type {import('esbuild').BuildOptions} */
const cli = {
  ...extension,
  entryPoints: ['src/cli/main.ts'],
  outfile: 'dist/cli.js',
  external: ['cpu-features', './crypto/build/Release/sshcrypto.node'],
  // The CLI runs once and needs its libraries at once: one file.
  plugins: [stubBuildKitSession],
  banner: { js: '#!/usr/bin/env node' },
};

/** @type {import('esbuild').BuildOptions[]} */
const lazy = lazyBundles.map(({ entry, outfile }) => ({ ...extension, entryPoints: [entry], outfile, plugins: [stubBuildKitSession] }));

/**
 * The extension-host tests' hooks (src/vscode/testApi.ts), loaded by the extension only when
 * DNE_EXTENSION_TESTS=1 (src/vscode/loadTestApi.ts); not in the .vsix (.vscodeignore).
 */
/** @type {import('esbuild').BuildOptions} */
const testApi = {
  ...extension,
  entryPoints: ['src/vscode/testApi.ts'],
  outfile: 'dist/testApi.js',
  sourcemap: true,
  minify: false,
};

/** @type {import('esbuild').BuildOptions} */
const webview = {
  entryPoints: ['webview/main.ts'],
  bundle: true,
  platform: 'browser',
  target: 'chrome120',
  format: 'iife',
  outfile: 'dist/webview.js',
  sourcemap: !production,
  minify: production,
  logLevel: 'warning',
};

if (watch) {
  for (const options of [extension, ...lazy, cli, testApi, webview]) await (await esbuild.context(options)).watch();
  console.log('esbuild: watching');
} else {
  // The webview has its own tsconfig (DOM lib, no Node types) that `tsc -p .` does not cover;
  // esbuild does not type-check, so it is checked here before bundling.
  const check = spawnSync(process.execPath, [path.resolve('node_modules/typescript/bin/tsc'), '-p', 'webview'], { stdio: 'inherit' });
  if (check.status !== 0) process.exit(1);
  await Promise.all([extension, ...lazy, cli, testApi, webview].map((options) => esbuild.build(options)));
  // The bin is run directly (`npx docker-network-explorer`), so it must be executable.
  fs.chmodSync('dist/cli.js', 0o755);
}
