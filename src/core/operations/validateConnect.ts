/**
 * Validation of "connect container to network" and "disconnect" against one host's snapshot:
 * per field (InputBox `validateInput`: text in, message or undefined out) and as a whole before
 * any API call. Where Docker has its own message for a refusal, ours quotes it.
 */
import { cidrContainsIp, formatIp, lastAddress, parseCidr, parseIp, type Cidr, type IpAddress } from '../net/cidr';
import type { ContainerModel, HostSnapshot, NetworkModel } from '../model/snapshot';
import type { FieldProblem } from './validateNetwork';

export interface ConnectSpec {
  /** Container ID, unique ID prefix or name. */
  container: string;
  /** Network ID, unique ID prefix or name. */
  network: string;
  /** Network-scoped DNS names (user-defined networks only). */
  aliases: string[];
  /** `container:alias` (or `container`): a name only this container resolves. */
  links: string[];
  ipv4Address?: string;
}

export interface DisconnectSpec {
  container: string;
  network: string;
  /** Docker's `--force`: disconnect even when the endpoint cannot be cleaned up normally. */
  force: boolean;
}

export type ConnectField = keyof ConnectSpec;

/** Docker's messages, quoted so users can search them. */
export const DOCKER_IP_NEEDS_USER_SUBNET =
  'user specified IP address is supported only when connecting to networks with user configured subnets';
export const DOCKER_IP_NEEDS_USER_NETWORK = 'user specified IP address is supported on user defined networks only';
export const DOCKER_ALIAS_NEEDS_USER_NETWORK = 'network-scoped alias is supported only for containers in user defined networks';
const DOCKER_HOST_NETWORK = 'container cannot be disconnected from host network or connected to host network';
const DOCKER_NONE_NETWORK = 'container cannot be connected to multiple networks with one of the networks in private (none) mode';

/** Docker resolves references by exact name, then full ID, then unique ID prefix. */
export function findContainer(snapshot: HostSnapshot, ref: string): ContainerModel | undefined {
  return findByRef(snapshot.containers, ref.trim().replace(/^\//, ''));
}

export function findNetwork(snapshot: HostSnapshot, ref: string): NetworkModel | undefined {
  return findByRef(snapshot.networks, ref.trim());
}

function findByRef<T extends { id: string; name: string }>(items: readonly T[], ref: string): T | undefined {
  if (ref === '') return undefined;
  const exact = items.find((item) => item.name === ref) ?? items.find((item) => item.id === ref);
  if (exact || !/^[0-9a-f]+$/.test(ref)) return exact;
  const byPrefix = items.filter((item) => item.id.startsWith(ref));
  return byPrefix.length === 1 ? byPrefix[0] : undefined;
}

/**
 * Aliases or links typed in one line, separated by commas (as the prompts say). Not by spaces:
 * Docker takes "web one" as one alias, so splitting it into two would send what was not typed.
 */
export function splitList(text: string | readonly string[]): string[] {
  const entries = (typeof text === 'string' ? text.split(',') : text).map((entry) => entry.trim());
  return entries.filter((entry) => entry !== '');
}

/** Container and network exist, the pair is allowed, and the container is not already on it. */
export function validateConnectTarget(containerRef: string, networkRef: string, snapshot: HostSnapshot): string | undefined {
  const found = resolvePair(containerRef, networkRef, snapshot);
  if (typeof found === 'string') return found;
  const { container, network } = found;
  const existing = endpointOf(snapshot, container, network);
  if (existing) {
    const address = existing.ipv4 ? ` (${existing.ipv4})` : '';
    return `${container.name} is already connected to ${network.name}${address}: disconnect it first to change its aliases, links or address.`;
  }
  if (network.name === 'host' && network.predefined)
    return `${capitalize(DOCKER_HOST_NETWORK)}: start the container with --network host instead.`;
  const others = snapshot.endpoints.filter((endpoint) => endpoint.containerId === container.id);
  const onNone = others.some((endpoint) => findNetwork(snapshot, endpoint.networkId)?.driver === 'null');
  if ((network.driver === 'null' && others.length > 0) || onNone) {
    return `${capitalize(DOCKER_NONE_NETWORK)}: ${container.name} must leave its other networks first (or "none").`;
  }
  return undefined;
}

export function validateDisconnect(spec: Pick<DisconnectSpec, 'container' | 'network'>, snapshot: HostSnapshot): string | undefined {
  const found = resolvePair(spec.container, spec.network, snapshot);
  if (typeof found === 'string') return found;
  const { container, network } = found;
  if (!endpointOf(snapshot, container, network))
    return `${container.name} is not connected to ${network.name}: there is nothing to disconnect.`;
  if (network.name === 'host' && network.predefined)
    return `${capitalize(DOCKER_HOST_NETWORK)}: recreate the container on another network instead.`;
  return undefined;
}

const ALIAS_LABEL = /^[a-zA-Z0-9_](?:[a-zA-Z0-9_-]{0,61}[a-zA-Z0-9_])?$/;

/**
 * A name resolvable by Docker's embedded DNS: host-name labels joined by dots. Docker itself
 * stores any alias (20.10 and 26 accept "web one", "-web", "a!"), but its DNS answers none with
 * a space (SERVFAIL, tested): such an alias can only be a typo for two.
 */
export function validateAlias(alias: string): string | undefined {
  if (alias.length <= 253 && alias.split('.').every((label) => ALIAS_LABEL.test(label))) return undefined;
  if (/\s/.test(alias)) {
    return `"${alias}" contains a space: Docker would store it, but its DNS never resolves such a name. Separate several aliases with commas (${alias.split(/\s+/).join(', ')}).`;
  }
  return `"${alias}" is not a valid alias: use a host name of letters, digits, "-", "_" and "." (each part at most 63 characters, not starting or ending with "-"), e.g. webone.`;
}

export function validateAliases(text: string | readonly string[], network: NetworkModel | undefined): string | undefined {
  const aliases = splitList(text);
  if (aliases.length === 0) return undefined;
  if (network && !isUserDefined(network)) {
    return `Aliases need a user-defined network; Docker refuses them on ${network.name}: "${DOCKER_ALIAS_NEEDS_USER_NETWORK}".`;
  }
  return firstOf(aliases.map(validateAlias)) ?? duplicateMessage(aliases, 'Alias');
}

/** Links `container:alias`: the container must exist and be on the same network. */
export function validateLinks(
  text: string | readonly string[],
  containerRef: string,
  network: NetworkModel | undefined,
  snapshot: HostSnapshot,
): string | undefined {
  const links = splitList(text);
  const self = findContainer(snapshot, containerRef);
  const aliases: string[] = [];
  for (const link of links) {
    const parts = link.split(':');
    if (parts.length > 2 || parts.some((part) => part === '')) {
      return `"${link}" is not a link: write container:alias, e.g. web2:webtwo (Docker says "bad format for links").`;
    }
    const [targetRef, alias = targetRef] = parts;
    const target = findContainer(snapshot, targetRef);
    if (!target) return `There is no container "${targetRef}" on this host to link to: a link names an existing container.`;
    if (self && target.id === self.id) return `${target.name} cannot link to itself: name another container.`;
    if (network && !snapshot.endpoints.some((e) => e.containerId === target.id && e.networkId === network.id)) {
      return `${target.name} is not on ${network.name}: a link only resolves to a container on the same network; connect ${target.name} to it first.`;
    }
    const aliasProblem = validateAlias(alias);
    if (aliasProblem) return `In link "${link}": ${aliasProblem}`;
    aliases.push(alias);
  }
  return duplicateMessage(aliases, 'Link alias');
}

/**
 * A static IPv4 address on `network`. Docker's rule (libnetwork's IPAM, tested on 20.10 and 26):
 * inside the subnet, not its network or broadcast address, not the gateway, not taken — the
 * ip-range only bounds the addresses Docker hands out itself, so a static address outside it is
 * accepted (and is the usual practice). "User-configured subnet" is approximated by "has an IPv4
 * subnet": the API shows an automatically assigned subnet exactly like a configured one, so on
 * such a network Docker's own refusal is the backstop, shown verbatim.
 */
export function validateStaticIpv4(text: string, network: NetworkModel | undefined, snapshot: HostSnapshot): string | undefined {
  const value = text.trim();
  if (value === '' || !network) return undefined;
  const ip = parseIp(value);
  if (!ip || ip.family !== 4)
    return `"${value}" is not an IPv4 address: enter one such as ${suggestFreeIpv4(network, snapshot) ?? '10.15.20.130'}, or leave it empty.`;
  if (!isUserDefined(network))
    return `Docker refuses a fixed address on ${network.name}: "${DOCKER_IP_NEEDS_USER_NETWORK}". Leave it empty, or use a network you created with a subnet.`;
  const pools = ipv4Pools(network, snapshot);
  if (pools.length === 0) {
    return `${network.name} has no subnet of its own, and Docker says: "${DOCKER_IP_NEEDS_USER_SUBNET}". Leave it empty, or use a network created with --subnet.`;
  }
  const pool = pools.find((candidate) => cidrContainsIp(candidate.subnet, ip));
  const free = suggestFreeIpv4(network, snapshot);
  const instead = free ? `, e.g. ${free}` : '';
  if (!pool)
    return `${value} is outside ${network.name}'s subnet ${pools.map((p) => p.subnet.text).join(', ')}: choose an address inside it${instead}.`;
  if (ip.value === pool.subnet.network) return `${value} is the network address of ${pool.subnet.text}: choose another address${instead}.`;
  if (ip.value === lastAddress(pool.subnet))
    return `${value} is the broadcast address of ${pool.subnet.text}: choose another address${instead}.`;
  if (ip.value === pool.gateway) return `${value} is the gateway of ${network.name}: choose another address${instead}.`;
  const user = ipv4Users(network, snapshot).get(ip.value);
  if (user) return `${value} is already used by ${user} on ${network.name}: choose a free address${instead}.`;
  return undefined;
}

/**
 * A free address for a static IP, for messages: outside the ip-range when the network has one
 * (addresses inside it are the ones Docker hands out itself), else anywhere in the subnet; never
 * the network, broadcast or gateway address, nor a used one.
 */
export function suggestFreeIpv4(network: NetworkModel, snapshot: HostSnapshot): string | undefined {
  const used = ipv4Users(network, snapshot);
  const pools = ipv4Pools(network, snapshot);
  // First pass: outside any ip-range (or anywhere, without one); second: inside the ip-range.
  for (const insideRange of [false, true]) {
    for (const pool of pools) {
      const last = lastAddress(pool.subnet) - 1n;
      // Bounded: a /16 subnet with every address taken is not a case worth a long scan.
      for (let value = pool.subnet.network + 1n, tries = 0; value <= last && tries < 65536; value++, tries++) {
        const inRange = pool.range !== undefined && cidrContainsIp(pool.range, { family: 4, value });
        if (inRange === insideRange && value !== pool.gateway && !used.has(value)) return ipv4(value);
      }
    }
  }
  return undefined;
}

/** Every problem of a complete connect spec, in field order; empty when it may be sent. */
export function validateConnectSpec(spec: ConnectSpec, snapshot: HostSnapshot): Array<FieldProblem<ConnectField>> {
  const target = validateConnectTarget(spec.container, spec.network, snapshot);
  if (target) return [{ field: findContainer(snapshot, spec.container) ? 'network' : 'container', message: target }];
  const network = findNetwork(snapshot, spec.network);
  const checks: Array<[ConnectField, string | undefined]> = [
    ['aliases', validateAliases(spec.aliases, network)],
    ['links', validateLinks(spec.links, spec.container, network, snapshot)],
    ['ipv4Address', validateStaticIpv4(spec.ipv4Address ?? '', network, snapshot)],
  ];
  return checks.flatMap(([field, message]) => (message ? [{ field, message }] : []));
}

interface Ipv4Pool {
  subnet: Cidr;
  range?: Cidr;
  gateway: bigint;
}

function ipv4Pools(network: NetworkModel, snapshot: HostSnapshot): Ipv4Pool[] {
  const pools: Ipv4Pool[] = [];
  for (const ipam of network.ipam) {
    const subnet = ipam.subnet ? parseCidr(ipam.subnet, false) : undefined;
    if (!subnet?.ok || subnet.cidr.family !== 4) continue;
    const range = ipam.ipRange ? parseCidr(ipam.ipRange, false) : undefined;
    // IPAM lists no gateway Docker chose itself (the default bridge, or a network created without
    // --gateway); its endpoints know it. Else it is the first address Docker hands out: the first
    // of the ip-range, or of the subnet (seen on 20.10 and 26: --ip-range 10.99.20.128/25 → .128).
    const endpointGateway = snapshot.endpoints.find((e) => e.networkId === network.id && e.gateway)?.gateway;
    const block = range?.ok ? range.cidr : subnet.cidr;
    const firstHandedOut = block.network > subnet.cidr.network ? block.network : subnet.cidr.network + 1n;
    const gateway = parseIp(ipam.gateway ?? endpointGateway ?? '')?.value ?? firstHandedOut;
    pools.push({ subnet: subnet.cidr, range: range?.ok ? range.cidr : undefined, gateway });
  }
  return pools;
}

function ipv4Users(network: NetworkModel, snapshot: HostSnapshot): Map<bigint, string> {
  const users = new Map<bigint, string>();
  for (const endpoint of snapshot.endpoints) {
    const ip: IpAddress | undefined = endpoint.networkId === network.id && endpoint.ipv4 ? parseIp(endpoint.ipv4) : undefined;
    if (ip) users.set(ip.value, snapshot.containers.find((c) => c.id === endpoint.containerId)?.name ?? endpoint.containerId.slice(0, 12));
  }
  return users;
}

function resolvePair(
  containerRef: string,
  networkRef: string,
  snapshot: HostSnapshot,
): { container: ContainerModel; network: NetworkModel } | string {
  const container = findContainer(snapshot, containerRef);
  if (!container)
    return containerRef.trim()
      ? `There is no container "${containerRef.trim()}" on this host: pick one from the list.`
      : 'Choose a container.';
  const network = findNetwork(snapshot, networkRef);
  if (!network)
    return networkRef.trim() ? `There is no network "${networkRef.trim()}" on this host: pick one from the list.` : 'Choose a network.';
  return { container, network };
}

function endpointOf(snapshot: HostSnapshot, container: ContainerModel, network: NetworkModel) {
  return snapshot.endpoints.find((endpoint) => endpoint.containerId === container.id && endpoint.networkId === network.id);
}

/** Docker's own networks (bridge, host, none) take neither aliases nor fixed addresses. */
function isUserDefined(network: NetworkModel): boolean {
  return !network.predefined;
}

function duplicateMessage(values: string[], what: string): string | undefined {
  const duplicate = values.find((value, index) => values.indexOf(value) !== index);
  return duplicate ? `${what} "${duplicate}" is given twice: keep one.` : undefined;
}

function firstOf(messages: Array<string | undefined>): string | undefined {
  return messages.find((message) => message !== undefined);
}

function ipv4(value: bigint): string {
  return formatIp({ family: 4, value });
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
