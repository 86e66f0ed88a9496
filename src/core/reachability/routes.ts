/**
 * A host's IPv4 routes, from `ip -4 route` text or the kernel's /proc/net/route table: what
 * explain needs to tell an address outside Docker from one a Docker network captures. Pure.
 */
import * as fs from 'fs';
import type { HostRoute } from './types';

/** This machine's routes (the kernel's table), for the daemon on its default socket; undefined when unreadable. */
export function thisMachineRoutes(): HostRoute[] | undefined {
  try {
    return parseProcNetRoute(fs.readFileSync('/proc/net/route', 'utf8'));
  } catch {
    return undefined;
  }
}

/** A route through one of Docker's own bridges (docker0, br-<id>, docker_gwbridge, a veth): Docker's, not the LAN's. */
export function isDockerDevice(route: HostRoute): boolean {
  return route.device !== undefined && /^(docker0|br-[0-9a-f]{12}|docker_gwbridge|veth)/.test(route.device);
}

/** `ip -4 route` lines: "default via 192.168.1.1 dev eth0", "10.8.0.0/16 dev tun0 proto kernel …". Other lines are skipped. */
export function parseIpRoute(text: string): HostRoute[] {
  const routes: HostRoute[] = [];
  for (const line of text.split('\n')) {
    const words = line.trim().split(/\s+/);
    const destination = words[0];
    if (!destination || !(destination === 'default' || /^\d+\.\d+\.\d+\.\d+(\/\d+)?$/.test(destination))) continue;
    const after = (key: string) => {
      const at = words.indexOf(key);
      return at > 0 ? words[at + 1] : undefined;
    };
    routes.push({ destination, ...(after('via') ? { gateway: after('via') } : {}), ...(after('dev') ? { device: after('dev') } : {}) });
  }
  return routes;
}

/** /proc/net/route: hex little-endian Destination, Gateway and Mask columns. */
export function parseProcNetRoute(text: string): HostRoute[] {
  const routes: HostRoute[] = [];
  for (const line of text.split('\n').slice(1)) {
    const [device, destination, gateway, , , , , mask] = line.trim().split(/\s+/);
    if (!device || !/^[0-9A-Fa-f]{8}$/.test(destination ?? '') || !/^[0-9A-Fa-f]{8}$/.test(mask ?? '')) continue;
    const prefix = countBits(hexIp(mask));
    const via = gateway && gateway !== '00000000' ? { gateway: dotted(hexIp(gateway)) } : {};
    routes.push({ destination: prefix === 0 ? 'default' : `${dotted(hexIp(destination))}/${prefix}`, ...via, device });
  }
  return routes;
}

/** The kernel writes the address in host (little-endian) byte order. */
function hexIp(hex: string): number {
  const value = parseInt(hex, 16);
  return (((value & 0xff) << 24) | (((value >>> 8) & 0xff) << 16) | (((value >>> 16) & 0xff) << 8) | (value >>> 24)) >>> 0;
}

function dotted(value: number): string {
  return [24, 16, 8, 0].map((shift) => (value >>> shift) & 255).join('.');
}

function countBits(value: number): number {
  let bits = 0;
  for (let rest = value; rest !== 0; rest = (rest << 1) >>> 0) bits++;
  return bits;
}
