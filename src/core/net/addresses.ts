/** Addresses as dockerd and Go read them: host:port splitting, loopback, dockerd's TCP hosts. */
import { parseIp } from './cidr';

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
  const rest = value
    .trim()
    .replace(/^tcp:\/\//i, '')
    .replace(/\/.*$/, '');
  const bracketed = /^\[([^\]]*)\]/.exec(rest);
  if (bracketed) return bracketed[1];
  const colon = rest.lastIndexOf(':');
  return colon < 0 ? rest : rest.slice(0, colon);
}

/** The port of a TCP host as dockerd reads it (`tcp://h:p`, `h:p`, `:p`). */
export function tcpAddressPort(value: string): number | undefined {
  const rest = value
    .trim()
    .replace(/^tcp:\/\//i, '')
    .replace(/\/.*$/, '');
  const port = /:(\d{1,5})$/.exec(rest);
  return port ? Number(port[1]) : undefined;
}

/**
 * Go's net.SplitHostPort, with its error as dockerd prints it ("address X: missing port in
 * address"): dockerd splits --cluster-advertise with it and quotes the error when it fails.
 */
export function goSplitHostPort(hostport: string): { host: string; port: string } | { error: string } {
  const fail = (why: string) => ({ error: hostport === '' ? why : `address ${hostport}: ${why}` });
  const i = hostport.lastIndexOf(':');
  if (i < 0) return fail('missing port in address');
  let host: string;
  let j = 0;
  let k = 0;
  if (hostport[0] === '[') {
    const end = hostport.indexOf(']');
    if (end < 0) return fail("missing ']' in address");
    if (end + 1 === hostport.length) return fail('missing port in address');
    if (end + 1 !== i) return fail(hostport[end + 1] === ':' ? 'too many colons in address' : 'missing port in address');
    host = hostport.slice(1, end);
    j = 1;
    k = end + 1;
  } else {
    host = hostport.slice(0, i);
    if (host.includes(':')) return fail('too many colons in address');
  }
  if (hostport.slice(j).includes('[')) return fail("unexpected '[' in address");
  if (hostport.slice(k).includes(']')) return fail("unexpected ']' in address");
  return { host, port: hostport.slice(i + 1) };
}

/** A client URL on loopback or on "any address" (http://localhost:2379, http://0.0.0.0:2379): useless to a client on another host. */
export function isLocalUrl(url: string): boolean {
  return /^[a-z]+:\/\/(127\.[\d.]+|localhost|\[::1\]|0\.0\.0\.0|\[::\])(:\d+)?\/?$/i.test(url.trim());
}
