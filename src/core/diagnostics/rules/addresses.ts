/** Address helpers shared by the rules: host:port splitting, loopback, dockerd's TCP hosts. */
import { parseIp } from '../../net/cidr';

export function splitHostPort(value: string): { host: string; port: string } | undefined {
  const bracketed = /^\[([^\]]*)\]:(.*)$/.exec(value);
  if (bracketed) return { host: bracketed[1], port: bracketed[2] };
  const colon = value.lastIndexOf(':');
  // A bare IPv6 address has several colons and no port.
  if (colon < 0 || value.indexOf(':') !== colon) return undefined;
  return { host: value.slice(0, colon), port: value.slice(colon + 1) };
}

export function isPort(text: string): boolean {
  return /^\d{1,5}$/.test(text) && Number(text) >= 1 && Number(text) <= 65535;
}

export function isLoopback(host: string): boolean {
  const lower = host.toLowerCase();
  if (lower === 'localhost' || lower.endsWith('.localhost')) return true;
  const ip = parseIp(lower);
  if (!ip) return false;
  return ip.family === 4 ? ip.value >> 24n === 127n : ip.value === 1n;
}

/** dockerd reads `tcp://h:p`, and also `h:p` or `:p` without a scheme, as TCP. */
export function isTcpHost(value: string): boolean {
  const lower = value.trim().toLowerCase();
  if (lower.startsWith('tcp://')) return true;
  return !lower.includes('://') && /^[^/]*:\d+$/.test(lower);
}

export function tcpAddressHost(value: string): string {
  const rest = value.trim().replace(/^tcp:\/\//i, '').replace(/\/.*$/, '');
  const bracketed = /^\[([^\]]*)\]/.exec(rest);
  if (bracketed) return bracketed[1];
  const colon = rest.lastIndexOf(':');
  return colon < 0 ? rest : rest.slice(0, colon);
}

/** The port of a TCP host as dockerd reads it (`tcp://h:p`, `h:p`, `:p`). */
export function tcpAddressPort(value: string): number | undefined {
  const rest = value.trim().replace(/^tcp:\/\//i, '').replace(/\/.*$/, '');
  const port = /:(\d{1,5})$/.exec(rest);
  return port ? Number(port[1]) : undefined;
}
