// The Debian packages `npm start` and `npm test` need, installed by themselves when run as root
// (tools/setup/debianPackages.sh holds the one list, shared with .ci/run); without root they
// stop at once with the one command to paste.
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const script = path.join(repo, 'tools/setup/debianPackages.sh');

/** Packages of `group` ('start' or 'test') that are not installed; undefined off Debian. */
export function missingPackages(group) {
  const result = spawnSync(script, ['missing', group], { encoding: 'utf8' });
  if (result.status !== 0) return undefined;
  return result.stdout.split('\n').filter(Boolean);
}

/**
 * Installs what `group` lacks (root), or exits with the command to run (not root). Returns
 * quietly when nothing is missing or the system is not Debian (then later steps say what fails).
 */
export function ensureDebianPackages(group, tag) {
  const missing = missingPackages(group);
  if (missing === undefined) {
    console.warn(
      `[${tag}] not a Debian system (no dpkg-query): make sure these are installed: ${spawnSync(script, ['list', group], { encoding: 'utf8' }).stdout.split('\n').filter(Boolean).join(' ')}`,
    );
    return;
  }
  if (missing.length === 0) return;
  if (process.getuid?.() !== 0) {
    console.error(
      `[${tag}] missing Debian packages: ${missing.join(' ')}. Install them (as root), then run this again:\n\n  sudo ${path.relative(process.cwd(), script) || script} install ${group}\n`,
    );
    process.exit(1);
  }
  console.log(`[${tag}] missing Debian packages: ${missing.join(' ')}; installing them`);
  const result = spawnSync(script, ['install', group], { stdio: 'inherit' });
  if (result.status !== 0) process.exit(1);
}
