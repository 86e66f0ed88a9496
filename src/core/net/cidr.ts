/**
 * IPv4 and IPv6 addresses and CIDR blocks as bigints: parsing that refuses what Docker refuses,
 * and the containment/overlap maths network validation needs. Pure, no dependencies.
 */

export type IpFamily = 4 | 6;

export interface IpAddress {
  family: IpFamily;
  value: bigint;
}

export interface Cidr {
  family: IpFamily;
  /** The network address (host bits zero). */
  network: bigint;
  prefix: number;
  /** The block as written, for messages. */
  text: string;
}

const BITS: Record<IpFamily, number> = { 4: 32, 6: 128 };

export function parseIp(text: string): IpAddress | undefined {
  const trimmed = text.trim();
  if (trimmed.includes(':')) {
    const value = parseIpv6(trimmed);
    return value === undefined ? undefined : { family: 6, value };
  }
  const value = parseIpv4(trimmed);
  return value === undefined ? undefined : { family: 4, value };
}

function parseIpv4(text: string): bigint | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  let value = 0n;
  for (const part of parts) {
    // No leading zeros: "010" is octal to some tools and an error to Go's parser (Docker's).
    if (!/^(0|[1-9]\d{0,2})$/.test(part) || Number(part) > 255) return undefined;
    value = (value << 8n) | BigInt(part);
  }
  return value;
}

function parseIpv6(text: string): bigint | undefined {
  let head = text;
  let tailV4: bigint | undefined;
  // An embedded IPv4 tail (::ffff:1.2.3.4) counts as two groups.
  const lastColon = text.lastIndexOf(':');
  if (text.slice(lastColon + 1).includes('.')) {
    tailV4 = parseIpv4(text.slice(lastColon + 1));
    if (tailV4 === undefined) return undefined;
    head = `${text.slice(0, lastColon + 1)}0:0`;
  }
  const halves = head.split('::');
  if (halves.length > 2) return undefined;
  const groups = (part: string) => (part === '' ? [] : part.split(':'));
  const left = groups(halves[0]);
  const right = halves.length === 2 ? groups(halves[1]) : [];
  const missing = 8 - left.length - right.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return undefined;
  const all = [...left, ...Array<string>(halves.length === 2 ? missing : 0).fill('0'), ...right];
  let value = 0n;
  for (const group of all) {
    if (!/^[0-9a-fA-F]{1,4}$/.test(group)) return undefined;
    value = (value << 16n) | BigInt(`0x${group}`);
  }
  if (tailV4 !== undefined) value = (value & ~0xffffffffn) | tailV4;
  return value;
}

export type CidrResult = { ok: true; cidr: Cidr } | { ok: false; error: string };

/**
 * Parses `a.b.c.d/n` or an IPv6 block. With `strict`, host bits must be zero, as Docker requires
 * for a subnet ("10.15.20.5/24" is refused: the network is 10.15.20.0/24).
 */
export function parseCidr(text: string, strict = true): CidrResult {
  const trimmed = text.trim();
  const slash = trimmed.indexOf('/');
  if (slash < 0) return { ok: false, error: `"${trimmed}" is not in CIDR form: add a prefix length, e.g. 10.15.20.0/24` };
  const address = parseIp(trimmed.slice(0, slash));
  if (!address) return { ok: false, error: `"${trimmed.slice(0, slash)}" is not a valid IP address` };
  const prefixText = trimmed.slice(slash + 1);
  const max = BITS[address.family];
  if (!/^\d{1,3}$/.test(prefixText) || Number(prefixText) > max) {
    return { ok: false, error: `prefix length "/${prefixText}" is out of range: IPv${address.family} allows /0 to /${max}` };
  }
  const prefix = Number(prefixText);
  const network = address.value & mask(address.family, prefix);
  if (strict && network !== address.value) {
    const suggestion = `${formatIp({ family: address.family, value: network })}/${prefix}`;
    return { ok: false, error: `"${trimmed}" has host bits set: the network address is ${suggestion}` };
  }
  return { ok: true, cidr: { family: address.family, network, prefix, text: trimmed } };
}

export function mask(family: IpFamily, prefix: number): bigint {
  const bits = BITS[family];
  const all = (1n << BigInt(bits)) - 1n;
  return (all << BigInt(bits - prefix)) & all;
}

/** The last address of the block (the broadcast address for IPv4). */
export function lastAddress(cidr: Cidr): bigint {
  return cidr.network | (~mask(cidr.family, cidr.prefix) & ((1n << BigInt(BITS[cidr.family])) - 1n));
}

export function cidrContainsIp(cidr: Cidr, ip: IpAddress): boolean {
  return cidr.family === ip.family && (ip.value & mask(cidr.family, cidr.prefix)) === cidr.network;
}

/** True when `inner` lies entirely inside `outer`. */
export function cidrContainsCidr(outer: Cidr, inner: Cidr): boolean {
  return (
    outer.family === inner.family && inner.prefix >= outer.prefix && (inner.network & mask(outer.family, outer.prefix)) === outer.network
  );
}

export function cidrsOverlap(a: Cidr, b: Cidr): boolean {
  return cidrContainsCidr(a, b) || cidrContainsCidr(b, a);
}

export function formatIp(ip: IpAddress): string {
  if (ip.family === 4) {
    return [24n, 16n, 8n, 0n].map((shift) => String((ip.value >> shift) & 255n)).join('.');
  }
  const groups = Array.from({ length: 8 }, (_, index) => ((ip.value >> BigInt(112 - index * 16)) & 0xffffn).toString(16));
  // Compress the longest run of zero groups (RFC 5952).
  let bestStart = -1;
  let bestLength = 0;
  for (let start = 0; start < 8;) {
    let end = start;
    while (end < 8 && groups[end] === '0') end++;
    if (end - start > bestLength && end - start > 1) [bestStart, bestLength] = [start, end - start];
    start = end === start ? start + 1 : end;
  }
  if (bestStart < 0) return groups.join(':');
  return `${groups.slice(0, bestStart).join(':')}::${groups.slice(bestStart + bestLength).join(':')}`;
}
