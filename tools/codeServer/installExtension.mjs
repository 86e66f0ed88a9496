// Puts the built extension into a code-server extensions folder, so it is loaded in every
// window whatever folder is opened (`npm start`). Loading it through the page URL's payload
// (extensionDevelopmentPath, see launch.mjs) holds for that URL only: `?folder=…` without the
// payload opened VS Code without the extension.
//
// The folder gets what the packaged .vsix holds (package.json, README, LICENSE, media/,
// schemas/: see .vscodeignore and test/ui/vsix.test.ts) as copies, and dist/ as a link to the
// repository's, so a rebuild (`npm start -- --watch`) reaches it after "Developer: Reload
// Window". Copies, not a link to the whole repository: VS Code may write metadata into an
// installed extension's package.json. No `code-server --install-extension`: it needs a .vsix,
// and `vsce package` takes ~20 s here. With no extensions.json in the folder yet, VS Code scans
// it on start and registers what it finds (its "initialize default profile extensions" step).
import * as fs from 'node:fs';
import * as path from 'node:path';

const COPIED = ['package.json', 'README.md', 'LICENSE', 'media', 'schemas'];

/**
 * @param {{ repo: string, extensionsDir: string }} options
 * @returns {string} the extension's folder inside extensionsDir
 */
export function installBuiltExtension({ repo, extensionsDir }) {
  const manifest = JSON.parse(fs.readFileSync(path.join(repo, 'package.json'), 'utf8'));
  if (!fs.existsSync(path.join(repo, manifest.main)))
    throw new Error(`${manifest.main} is missing: build the extension first (node tools/build.mjs)`);
  if (fs.existsSync(path.join(extensionsDir, 'extensions.json'))) {
    throw new Error(`${extensionsDir} already has an extensions.json: VS Code would not scan a folder added to it`);
  }
  const target = path.join(extensionsDir, `${manifest.publisher}.${manifest.name}-${manifest.version}`);
  fs.rmSync(target, { recursive: true, force: true });
  fs.mkdirSync(target, { recursive: true });
  for (const entry of COPIED) fs.cpSync(path.join(repo, entry), path.join(target, entry), { recursive: true });
  fs.symlinkSync(path.join(repo, 'dist'), path.join(target, 'dist'), 'dir');
  return target;
}
