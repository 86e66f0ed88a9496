import * as fs from 'node:fs';

/** A regular file (after links) that can be stat'ed; false for anything else or any error. */
export function isFile(file: string): boolean {
  try {
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}
