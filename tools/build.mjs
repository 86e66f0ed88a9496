// Bundles the extension and the topology webview with esbuild. `tsc` is used for type checking
// and for compiling the tests; the shipped extension is this single bundle.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as esbuild from 'esbuild';

/** Swaps dockerode's BuildKit session module for a stub (see tools/stubs/dockerodeSession.js). */
const stubBuildKitSession = {
  name: 'stub-dockerode-session',
  setup(build) {
    build.onResolve({ filter: /^\.\/session$/ }, (args) =>
      args.importer.includes(`${path.sep}dockerode${path.sep}`)
        ? { path: path.resolve('tools/stubs/dockerodeSession.js') }
        : undefined,
    );
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
  plugins: [stubBuildKitSession],
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
  banner: { js: '#!/usr/bin/env node' },
};

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
  for (const options of [extension, cli, testApi, webview]) await (await esbuild.context(options)).watch();
  console.log('esbuild: watching');
} else {
  // The webview has its own tsconfig (DOM lib, no Node types) that `tsc -p .` does not cover;
  // esbuild does not type-check, so it is checked here before bundling.
  const check = spawnSync(process.execPath, [path.resolve('node_modules/typescript/bin/tsc'), '-p', 'webview'], { stdio: 'inherit' });
  if (check.status !== 0) process.exit(1);
  await Promise.all([esbuild.build(extension), esbuild.build(cli), esbuild.build(testApi), esbuild.build(webview)]);
  // The bin is run directly (`npx docker-network-explorer`), so it must be executable.
  fs.chmodSync('dist/cli.js', 0o755);
}
