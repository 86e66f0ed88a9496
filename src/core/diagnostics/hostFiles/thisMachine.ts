/** This machine's network interfaces as dockerd sees them (for --cluster-advertise). */
import * as fs from 'node:fs';
import * as os from 'node:os';
import { interfacesFromNode } from '../configFiles';
import type { HostInterface } from '../diagnoseHost';

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
  return interfacesFromNode(os.networkInterfaces(), names);
}
