/**
 * Reads, read-only, the files that configure dockerd on a host: under `root` ("/" for this
 * machine; a folder mirroring one in tests). Only the unit systemd actually uses is read, with
 * the drop-ins it applies, so the core never sees a shadowed copy.
 */
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { underRoot } from './hostPaths';
import { decodeConfigBytes } from '../decode';
import { MAX_CHECKED_BYTES } from '../limits';

/** Unit folders in systemd's order of precedence: the first docker.service found is the one used. */
const UNIT_DIRS = ['/etc/systemd/system', '/run/systemd/system', '/usr/lib/systemd/system', '/lib/systemd/system'];
const SINGLE_FILES = ['/etc/docker/daemon.json', '/etc/sysconfig/docker', '/etc/default/docker'];

export interface HostFile {
  /** Real path (under root). */
  file: string;
  text: string;
}

export interface HostFiles {
  files: HostFile[];
  /** Files that exist but could not be read, with the reason (e.g. permission denied). */
  unreadable: Array<{ file: string; reason: string }>;
}

export async function readHostFiles(root: string): Promise<HostFiles> {
  const result: HostFiles = { files: [], unreadable: [] };
  const read = async (file: string): Promise<boolean> => {
    try {
      const stat = await fs.stat(file);
      if (!stat.isFile()) return false;
      if (stat.size > MAX_CHECKED_BYTES) {
        // Larger than any real configuration file: named, not read.
        result.unreadable.push({
          file,
          reason: `${stat.size} bytes, over the ${MAX_CHECKED_BYTES / 1024 / 1024} MiB this tool reads of a configuration file`,
        });
        return false;
      }
      result.files.push({ file, text: decodeConfigBytes(await fs.readFile(file)).text });
      return true;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT' && code !== 'ENOTDIR') result.unreadable.push({ file, reason: (error as Error).message });
      return false;
    }
  };
  for (const file of SINGLE_FILES) await read(underRoot(root, file));
  for (const unit of ['docker.service', 'docker.socket']) {
    for (const dir of UNIT_DIRS) if (await read(underRoot(root, `${dir}/${unit}`))) break;
    for (const dropIn of await dropIns(root, unit, result)) await read(dropIn);
  }
  return result;
}

/**
 * systemd applies the drop-ins of every unit folder in the order of their file names; one of the
 * same name in a folder of higher precedence replaces the other.
 */
async function dropIns(root: string, unit: string, result: HostFiles): Promise<string[]> {
  const byName = new Map<string, string>();
  for (const dir of UNIT_DIRS) {
    const folder = underRoot(root, `${dir}/${unit}.d`);
    let names: string[] = [];
    try {
      names = await fs.readdir(folder);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT' && code !== 'ENOTDIR') result.unreadable.push({ file: folder, reason: (error as Error).message });
    }
    for (const name of names) if (name.endsWith('.conf') && !byName.has(name)) byName.set(name, path.posix.join(folder, name));
  }
  // strcmp order, as systemd sorts them.
  return [...byName.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, file]) => file);
}
