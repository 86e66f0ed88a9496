/** This machine's network interfaces as dockerd sees them (for --cluster-advertise). */
import * as fs from 'node:fs';
import * as os from 'node:os';
import { interfacesFromNode } from '../configFiles';
import type { HostInterface } from '../diagnoseHost';
import { MAX_CHECKED_BYTES } from '../limits';
import type { HostFileReader } from '../dockerdConfig';

/**
 * Node lists only interfaces that have an address; dockerd also finds those without one (and
 * says something else about them), so the names come from /sys/class/net as well.
 */
export function thisMachineInterfaces(): HostInterface[] {
  let names: string[] = [];
  try {
    names = fs.readdirSync('/sys/class/net');
  } catch {
    // Not Linux, or no sysfs: the interfaces with an address are all we know.
  }
  return interfacesFromNode(os.networkInterfaces(), names).map((entry) => {
    const mtu = Number(readOr(`/sys/class/net/${entry.name}/mtu`).trim());
    return Number.isInteger(mtu) && mtu > 0 ? { ...entry, mtu } : entry;
  });
}

/** A file of this machine, as dockerd would read it (the TLS files named by --cluster-store-opt). */
export const thisMachineFile: HostFileReader = (hostPath) => {
  try {
    const stat = fs.statSync(hostPath);
    if (stat.isDirectory()) return { ok: false, code: 'EISDIR', message: 'is a directory' };
    if (!stat.isFile()) return { ok: false, code: 'ENOTREGULAR', message: 'not a regular file' };
    // A TLS file is a few KB: the head of a huge one is enough to find its PEM blocks.
    const fd = fs.openSync(hostPath, 'r');
    try {
      const buffer = Buffer.alloc(Math.min(stat.size, MAX_CHECKED_BYTES));
      const length = fs.readSync(fd, buffer, 0, buffer.length, 0);
      return { ok: true, text: buffer.subarray(0, length).toString('utf8') };
    } finally {
      fs.closeSync(fd);
    }
  } catch (error) {
    const failure = error as NodeJS.ErrnoException;
    return { ok: false, code: failure.code ?? 'EIO', message: failure.message };
  }
};

function readOr(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}
