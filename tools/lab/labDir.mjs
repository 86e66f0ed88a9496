// The lab's directory is given by DNELAB_DIR, and `down` unmounts everything under it, stops every
// process whose command line names it and deletes it: DNELAB_DIR=/run would take /run with it. So
// `up` marks the directory it makes with a file of its own, and nothing else is ever torn down.
import * as fs from 'node:fs';
import * as path from 'node:path';

export const LAB_MARKER = '.dnelab';
const MARKER_TEXT = 'This directory was made by the Docker Network Explorer lab (tools/lab); `npm run lab -- down` deletes it whole.\n';

/** Why `dir` cannot be the lab's directory at all (before looking at what is in it), if it cannot. */
function shapeProblem(dir) {
  if (typeof dir !== 'string' || !path.isAbsolute(dir)) return `must be an absolute path, not ${JSON.stringify(dir)}`;
  if (path.resolve(dir) !== dir) return `must be written without "..", "." or a trailing "/" (${path.resolve(dir)}?)`;
  if (dir === path.parse(dir).root) return 'must not be the root directory';
  return undefined;
}

function isMarked(dir) {
  try {
    const marker = path.join(dir, LAB_MARKER);
    return fs.lstatSync(marker).isFile() && fs.readFileSync(marker, 'utf8') === MARKER_TEXT;
  } catch {
    return false;
  }
}

/** Undefined when it is not there; otherwise whether it is a real directory (not a symlink to one). */
function existingDir(dir) {
  try {
    const stat = fs.lstatSync(dir);
    return { directory: stat.isDirectory(), symlink: stat.isSymbolicLink(), empty: stat.isDirectory() && fs.readdirSync(dir).length === 0 };
  } catch (error) {
    if (error.code === 'ENOENT') return undefined;
    throw error;
  }
}

/**
 * Why the lab must not tear `dir` down, or undefined when it may: it does not exist (nothing to
 * delete), or it is a directory the lab marked. `legacyDir` (the default /run/dnelab) is also
 * accepted when it holds the lab's state file, as labs made before the marker existed do.
 */
export function labDirProblem(dir, { legacyDir, stateFile = 'lab.json' } = {}) {
  const shape = shapeProblem(dir);
  if (shape) return `DNELAB_DIR ${shape}`;
  const found = existingDir(dir);
  if (!found) return undefined;
  if (found.symlink || !found.directory)
    return `DNELAB_DIR=${dir} is not a directory of its own (a symlink or a file): the lab never made it`;
  if (isMarked(dir)) return undefined;
  if (dir === legacyDir && fs.existsSync(path.join(dir, stateFile))) return undefined;
  return `DNELAB_DIR=${dir} was not made by the lab (no ${LAB_MARKER} file in it): refusing to unmount, stop processes under or delete it. Unset DNELAB_DIR, or point it at a directory \`npm run lab -- up\` made.`;
}

/** Throws unless `dir` may be torn down (see labDirProblem). */
export function assertLabDir(dir, options) {
  const problem = labDirProblem(dir, options);
  if (problem) throw new Error(problem);
}

/**
 * For `up`: makes `dir` (or takes an empty one, or a lab's own) and marks it. A directory that
 * holds anything else is refused: the lab would later delete what was in it.
 */
export function claimLabDir(dir, options) {
  const shape = shapeProblem(dir);
  if (shape) throw new Error(`DNELAB_DIR ${shape}`);
  const found = existingDir(dir);
  // Anything but an empty real directory must already be the lab's (a symlink or a file never is).
  if (found && !found.empty) assertLabDir(dir, options);
  fs.mkdirSync(dir, { recursive: true, mode: 0o755 });
  if (!isMarked(dir)) fs.writeFileSync(path.join(dir, LAB_MARKER), MARKER_TEXT);
}
