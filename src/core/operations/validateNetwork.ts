/**
 * Validation of "create network" input, field by field (usable as an InputBox `validateInput`:
 * each function takes the text typed so far and returns a message or undefined) and as a whole
 * before any API call. Messages say what is wrong and what to type instead.
 */
import {
  cidrContainsCidr,
  cidrContainsIp,
  cidrsOverlap,
  formatIp,
  lastAddress,
  parseCidr,
  parseIp,
  type Cidr,
  type IpFamily,
} from '../net/cidr';
import type { HostSnapshot } from '../model/snapshot';
import { OPTION_BRIDGE_NAME, present, type NetworkField, type NetworkSpec } from './networkSpec';
import { driverSpecProblems, validateConfigFrom, validateMode, validateParent } from './validateDrivers';

const DRIVERS: ReadonlyArray<NetworkSpec['driver']> = ['bridge', 'overlay', 'macvlan', 'ipvlan'];

/**
 * Docker 20.10 itself accepts any network name (even "a b" or 300 characters). We hold names to
 * the rule Docker applies to container and volume names, and to swarm's limit of 63 characters
 * (a DNS label): a name that works everywhere, including as a swarm-scoped overlay.
 */
export const NETWORK_NAME_MAX_LENGTH = 63;
const NAME_PATTERN = /^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/;
/** swarmkit's validateAnnotations: "name must be valid as a DNS name component". */
const SWARM_NAME_PATTERN = /^[a-zA-Z0-9](?:[-_]*[A-Za-z0-9]+)*$/;
/** Docker: "operation is not permitted on predefined <name> network". */
const RESERVED_NAMES = ['bridge', 'host', 'none', 'default'];
/** Linux IFNAMSIZ is 16 bytes including the terminating NUL. */
export const BRIDGE_NAME_MAX_LENGTH = 15;
/** The kernel refuses other values on the veth pair, so every container start would fail. */
export const MTU_MIN = 68;
export const MTU_MAX = 65535;
const RESERVED_LABEL_PREFIXES = ['com.docker.', 'io.docker.', 'org.dockerproject.'];

export interface FieldProblem<F extends string = NetworkField> {
  field: F;
  message: string;
}

export function validateNetworkName(text: string, snapshot: HostSnapshot, driver: NetworkSpec['driver'] = 'bridge'): string | undefined {
  const name = text.trim();
  if (name === '') return 'Enter a name for the network.';
  const problem = nameRuleProblem(name, driver);
  if (problem) {
    const suggestion = suggestNetworkName(name, snapshot, driver);
    return suggestion ? `${problem} Try "${suggestion}".` : problem;
  }
  if (RESERVED_NAMES.includes(name)) return `"${name}" is reserved by Docker (${RESERVED_NAMES.join(', ')}): choose another name.`;
  const taken = snapshot.networks.find((network) => network.name === name);
  if (taken) return `A network named "${name}" already exists on this host (${taken.id.slice(0, 12)}): choose another name.`;
  return undefined;
}

/** What breaks the character rules (not reserved names, not names taken), or undefined. */
function nameRuleProblem(name: string, driver: NetworkSpec['driver']): string | undefined {
  if (/\s/.test(name)) return 'A network name cannot contain spaces: use letters, digits, "_", "." and "-".';
  if (name.length > NETWORK_NAME_MAX_LENGTH) {
    return `The name is ${name.length} characters long: shorten it to at most ${NETWORK_NAME_MAX_LENGTH} (the limit of a DNS label and of swarm network names).`;
  }
  if (!/^[a-zA-Z0-9]/.test(name))
    return `A network name cannot start with "${name[0]}": start with a letter or digit ("_", "." and "-" may follow).`;
  if (!NAME_PATTERN.test(name)) {
    const bad = [...name].find((char) => !/[a-zA-Z0-9_.-]/.test(char));
    return `"${bad}" is not allowed in a network name: use letters, digits, "_", "." or "-".`;
  }
  if (driver === 'overlay' && !SWARM_NAME_PATTERN.test(name)) {
    return 'An overlay network name must be a DNS name component: letters and digits joined by "-" or "_" (no ".", no "-" or "_" at the end), as swarm requires.';
  }
  return undefined;
}

/**
 * A name close to `name` that every check above accepts, or undefined: a hint is only offered
 * when taking it works (a hint that is then refused is worse than none).
 */
function suggestNetworkName(name: string, snapshot: HostSnapshot, driver: NetworkSpec['driver']): string | undefined {
  const allowed = driver === 'overlay' ? /[^a-zA-Z0-9_-]+/g : /[^a-zA-Z0-9_.-]+/g;
  const candidate = name
    .replace(allowed, '-')
    .replace(/([-_.])[-_.]+/g, '$1')
    .replace(/^[^a-zA-Z0-9]+|[^a-zA-Z0-9]+$/g, '')
    .slice(0, NETWORK_NAME_MAX_LENGTH)
    .replace(/[^a-zA-Z0-9]+$/, '');
  if (candidate === '' || candidate === name || nameRuleProblem(candidate, driver)) return undefined;
  if (RESERVED_NAMES.includes(candidate) || snapshot.networks.some((network) => network.name === candidate)) return undefined;
  return candidate;
}

/** The IPv4 subnet field. Empty is fine: Docker then picks a free block from its pools. */
export function validateSubnet(text: string, snapshot: HostSnapshot): string | undefined {
  return validateBlock(text, 4, snapshot);
}

export function validateIpv6Subnet(text: string, snapshot: HostSnapshot): string | undefined {
  return validateBlock(text, 6, snapshot);
}

function validateBlock(text: string, family: IpFamily, snapshot: HostSnapshot): string | undefined {
  const value = present(text);
  if (!value) return undefined;
  const example = family === 4 ? '10.15.20.0/24' : 'fd00:15:20::/64';
  const parsed = parseCidr(value);
  if (!parsed.ok) return cidrProblem(value, parsed.error, example);
  const block = parsed.cidr;
  if (block.family !== family) {
    return family === 4
      ? `${value} is an IPv6 block: put it in the IPv6 subnet field; here enter an IPv4 block such as ${example}.`
      : `${value} is an IPv4 block: the IPv6 subnet needs an IPv6 block such as ${example}.`;
  }
  // Room for the gateway and one container (IPv4 also loses the network and broadcast addresses).
  const maxPrefix = family === 4 ? 30 : 126;
  if (block.prefix > maxPrefix) {
    return `/${block.prefix} is too small for a network (a gateway and at least one container): use /${maxPrefix} or shorter.`;
  }
  return overlapMessage(block, snapshot);
}

function overlapMessage(block: Cidr, snapshot: HostSnapshot): string | undefined {
  for (const network of snapshot.networks) {
    for (const ipam of network.ipam) {
      // Existing networks may carry host bits (the API accepts "10.15.94.5/24"): read them loosely.
      const other = ipam.subnet ? parseCidr(ipam.subnet, false) : undefined;
      if (other?.ok && cidrsOverlap(block, other.cidr)) {
        return `${block.text} overlaps ${ipam.subnet} of network "${network.name}": choose a block outside it.`;
      }
    }
  }
  return undefined;
}

/** Gateway of the IPv4 (or, with the IPv6 subnet, IPv6) subnet. Empty: Docker takes the first address. */
export function validateGateway(text: string, subnetText: string | undefined, subnetField = 'subnet'): string | undefined {
  const value = present(text);
  if (!value) return undefined;
  const subnet = present(subnetText);
  if (!subnet) return `A gateway needs a subnet: enter the ${subnetField} first, or leave the gateway empty.`;
  const block = parseCidr(subnet);
  if (!block.ok) return undefined; // The subnet field reports its own problem.
  const family = block.cidr.family;
  const ip = parseIp(value);
  const usable = usableRange(block.cidr);
  if (!ip || ip.family !== family) {
    return `"${value}" is not an IPv${family} address: enter one inside ${subnet}, e.g. ${usable.first}.`;
  }
  if (!cidrContainsIp(block.cidr, ip)) {
    return `${value} is outside the subnet ${subnet}: use an address from ${usable.first} to ${usable.last}, e.g. ${usable.first}.`;
  }
  if (ip.value === block.cidr.network) {
    return `${value} is the network address of ${subnet} and cannot be the gateway: use e.g. ${usable.first}.`;
  }
  if (family === 4 && ip.value === lastAddress(block.cidr)) {
    return `${value} is the broadcast address of ${subnet} and cannot be the gateway: use e.g. ${usable.first}.`;
  }
  return undefined;
}

/** The range containers get addresses from (`--ip-range`), inside the IPv4 (or IPv6) subnet. */
export function validateIpRange(text: string, subnetText: string | undefined, subnetField = 'subnet'): string | undefined {
  const value = present(text);
  if (!value) return undefined;
  const subnet = present(subnetText);
  if (!subnet) return `An IP range needs a subnet: enter the ${subnetField} first, or leave the range empty.`;
  const block = parseCidr(subnet);
  if (!block.ok) return undefined;
  const range = parseCidr(value);
  const example = upperHalf(block.cidr);
  if (!range.ok) return cidrProblem(value, range.error, example);
  if (range.cidr.family !== block.cidr.family)
    return `${value} is not an IPv${block.cidr.family} block like its subnet ${subnet}: e.g. ${example}.`;
  if (range.cidr.prefix < block.cidr.prefix) {
    return `${value} is bigger than the subnet ${subnet}: the range must lie inside it, e.g. ${example}.`;
  }
  if (!cidrContainsCidr(block.cidr, range.cidr))
    return `${value} lies outside the subnet ${subnet}: the range must lie inside it, e.g. ${example}.`;
  return undefined;
}

export function validateMtu(text: string): string | undefined {
  const value = present(text);
  if (!value) return undefined;
  const advice = `MTU must be a whole number from ${MTU_MIN} to ${MTU_MAX} (1500 is usual), or empty for the daemon's default`;
  if (!/^\d+$/.test(value)) return `${advice}.`;
  const mtu = Number(value);
  if (mtu < MTU_MIN || mtu > MTU_MAX) {
    // Docker stores such a value, then every container start fails with
    // "failed to set MTU on host interface vethXXXX: invalid argument".
    return `${advice}: Linux refuses ${mtu} on the container's interface, so no container could start on this network.`;
  }
  return undefined;
}

/** The MTU text as the spec's number (undefined when empty). Call after validateMtu. */
export function parseMtu(text: string): number | undefined {
  const value = present(text);
  return value ? Number(value) : undefined;
}

/** Labels typed as `key=value` pairs separated by commas (a value cannot contain a comma here). */
export function validateLabels(text: string): string | undefined {
  const seen = new Set<string>();
  for (const entry of splitLabels(text)) {
    const problem = validateLabel(entry);
    if (problem) return problem;
    const key = entry.slice(0, entry.indexOf('=')).trim();
    if (seen.has(key)) return `Label "${key}" is given twice: keep one value per key.`;
    seen.add(key);
  }
  return undefined;
}

/** One `key=value` label. */
export function validateLabel(entry: string): string | undefined {
  const equals = entry.indexOf('=');
  if (equals < 0) return `"${entry.trim()}" is not a label: write key=value, e.g. env=test (separate several with commas).`;
  const key = entry.slice(0, equals).trim();
  if (key === '') return `"${entry.trim()}" has no key: write key=value, e.g. env=test.`;
  if (/\s/.test(key)) return `Label key "${key}" contains a space: use e.g. "${key.replace(/\s+/g, '.')}".`;
  const reserved = RESERVED_LABEL_PREFIXES.find((prefix) => key.startsWith(prefix));
  if (reserved) {
    return `Label key "${key}" is in a namespace Docker reserves (${RESERVED_LABEL_PREFIXES.map((p) => `${p}*`).join(', ')}): use your own prefix, e.g. com.example.${key.slice(reserved.length)}.`;
  }
  return undefined;
}

/** The labels text as the spec's record. Call after validateLabels. */
export function parseLabels(text: string): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const entry of splitLabels(text)) {
    const equals = entry.indexOf('=');
    labels[entry.slice(0, equals).trim()] = entry.slice(equals + 1).trim();
  }
  return labels;
}

function splitLabels(text: string): string[] {
  return text.split(/[,\n]/).filter((entry) => entry.trim() !== '');
}

export function validateBridgeName(text: string, snapshot: HostSnapshot, driver: NetworkSpec['driver'] = 'bridge'): string | undefined {
  const value = present(text);
  if (!value) return undefined;
  if (driver !== 'bridge')
    return `A bridge name applies to bridge networks only: leave it empty for ${driver === 'overlay' ? 'an' : 'a'} ${driver}.`;
  if (value.length > BRIDGE_NAME_MAX_LENGTH) {
    // Docker's own refusal: "failed to check bridge interface existence: numerical result out of range".
    return `"${value}" is ${value.length} characters: Linux interface names have at most ${BRIDGE_NAME_MAX_LENGTH} (IFNAMSIZ), e.g. "${value.slice(0, BRIDGE_NAME_MAX_LENGTH)}".`;
  }
  if (/[\s/:]/.test(value) || value === '.' || value === '..') {
    return `"${value}" is not a valid interface name: no spaces, "/" or ":", and not "." or "..".`;
  }
  for (const network of snapshot.networks) {
    const used = network.options[OPTION_BRIDGE_NAME] ?? (network.driver === 'bridge' ? `br-${network.id.slice(0, 12)}` : undefined);
    if (used === value) return `Interface "${value}" is already the bridge of network "${network.name}": choose another name.`;
  }
  return undefined;
}

/**
 * One field of a spec being built step by step: `draft` holds the fields entered so far, so the
 * gateway is checked against the subnet typed before it. The UI can call this from every step.
 */
export function validateNetworkField(
  field: NetworkField,
  text: string,
  draft: Partial<NetworkSpec>,
  snapshot: HostSnapshot,
): string | undefined {
  const driver = draft.driver ?? 'bridge';
  switch (field) {
    case 'name':
      return validateNetworkName(text, snapshot, driver);
    case 'subnet':
      return validateSubnet(text, snapshot);
    case 'gateway':
      return validateGateway(text, draft.subnet);
    case 'ipRange':
      return validateIpRange(text, draft.subnet);
    case 'ipv6Subnet':
      return validateIpv6Subnet(text, snapshot);
    case 'ipv6Gateway':
      return validateGateway(text, draft.ipv6Subnet, 'IPv6 subnet');
    case 'ipv6IpRange':
      return validateIpRange(text, draft.ipv6Subnet, 'IPv6 subnet');
    case 'parent':
      return validateParent(text, driver, snapshot);
    case 'mode':
      return validateMode(text, driver);
    case 'configFrom':
      return validateConfigFrom(text, driver, snapshot);
    case 'mtu':
      return validateMtu(text);
    case 'labels':
      return validateLabels(text);
    case 'bridgeName':
      return validateBridgeName(text, snapshot, driver);
    case 'driver':
      return (DRIVERS as readonly string[]).includes(text) ? undefined : `Driver "${text}" is not offered: choose ${DRIVERS.join(', ')}.`;
    case 'internal':
    case 'attachable':
    case 'encrypted':
    case 'icc':
    case 'configOnly':
    case 'scope':
      return undefined;
  }
}

/** Every problem of a complete spec, in field order; empty when it may be sent. */
export function validateNetworkSpec(spec: NetworkSpec, snapshot: HostSnapshot): FieldProblem[] {
  const texts: Array<[NetworkField, string]> = [
    ['driver', spec.driver],
    ['name', spec.name],
    ['subnet', spec.subnet ?? ''],
    ['gateway', spec.gateway ?? ''],
    ['ipRange', spec.ipRange ?? ''],
    ['ipv6Subnet', spec.ipv6Subnet ?? ''],
    ['ipv6Gateway', spec.ipv6Gateway ?? ''],
    ['ipv6IpRange', spec.ipv6IpRange ?? ''],
    ['parent', spec.parent ?? ''],
    ['mode', spec.mode ?? ''],
    ['configFrom', spec.configFrom ?? ''],
    ['mtu', spec.mtu === undefined ? '' : String(spec.mtu)],
    ['bridgeName', spec.bridgeName ?? ''],
  ];
  const problems: FieldProblem[] = [];
  for (const [field, text] of texts) {
    const message = validateNetworkField(field, text, spec, snapshot);
    if (message) problems.push({ field, message });
  }
  for (const [key, value] of Object.entries(spec.labels)) {
    const message = validateLabel(`${key}=${value}`);
    if (message) problems.push({ field: 'labels', message });
  }
  problems.push(...driverSpecProblems(spec));
  if (spec.driver !== 'overlay' && spec.encrypted)
    problems.push({
      field: 'encrypted',
      message: `Encryption applies to overlay networks only (IPsec between nodes): leave it off for a ${spec.driver} network.`,
    });
  return problems;
}

function usableRange(block: Cidr): { first: string; last: string } {
  const last = block.family === 4 ? lastAddress(block) - 1n : lastAddress(block);
  return { first: formatIp({ family: block.family, value: block.network + 1n }), last: formatIp({ family: block.family, value: last }) };
}

/** A range suggestion: the upper half of the subnet, as the seed uses (10.15.20.128/25). */
function upperHalf(block: Cidr): string {
  const bits = block.family === 4 ? 32 : 128;
  const half = 1n << BigInt(bits - block.prefix - 1);
  return `${formatIp({ family: block.family, value: block.network + half })}/${block.prefix + 1}`;
}

/** cidr.ts's message; an example only when it does not already name the right block (host bits). */
function cidrProblem(text: string, error: string, example: string): string {
  const hostBitsOnly = parseCidr(text, false).ok;
  return hostBitsOnly ? `${capitalize(error)}: use that.` : `${capitalize(error)}. Example: ${example}.`;
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
