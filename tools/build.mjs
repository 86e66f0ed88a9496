// Bundles the extension (and later the webview) with esbuild. `tsc` is used for type checking
// and for compiling the tests; the shipped extension is this single bundle.
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
};

if (watch) {
  const ctx = await esbuild.context(extension);
  await ctx.watch();
  console.log('esbuild: watching');
} else {
  await esbuild.build(extension);
}
