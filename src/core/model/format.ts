/** Model values in words (ports, IPAM pools, addresses, container state): shared by the explorer tree, the topology and the pickers. */
import type { ContainerModel, EndpointModel, IpamConfig, NetworkModel, PortModel, SwarmTask } from './snapshot';

/** `0.0.0.0:8081→80/tcp`, `[::]:8081→80/tcp`, or `80/tcp` when only exposed. */
export function formatPort(port: PortModel): string {
  const target = `${port.containerPort}/${port.protocol}`;
  if (port.hostPort === undefined) return target;
  const ip = port.hostIp ?? '0.0.0.0';
  const host = ip.includes(':') ? `[${ip}]` : ip;
  return `${host}:${port.hostPort}→${target}`;
}

/**
 * Ports as a user reads them in a description: the IPv4 and IPv6 bindings Docker reports for
 * one publication collapse into one entry.
 */
export function formatPortList(ports: readonly PortModel[]): string {
  const published = ports.filter((port) => port.hostPort !== undefined);
  const v4 = published.filter((port) => !(port.hostIp ?? '').includes(':'));
  const shown = v4.length ? v4 : published;
  const mirrored = (port: PortModel) =>
    v4.length > 0 &&
    (port.hostIp ?? '').includes(':') &&
    v4.some((other) => other.hostPort === port.hostPort && other.containerPort === port.containerPort && other.protocol === port.protocol);
  const rest = published.filter((port) => !shown.includes(port) && !mirrored(port));
  return [...shown, ...rest].map(formatPort).join(', ');
}

/** `10.15.20.0/24 gw 10.15.20.1 range 10.15.20.128/25` for each IPAM pool. */
export function formatIpam(ipam: readonly IpamConfig[]): string {
  return ipam
    .map((pool) => [pool.subnet, pool.gateway && `gw ${pool.gateway}`, pool.ipRange && `range ${pool.ipRange}`].filter(Boolean).join(' '))
    .filter(Boolean)
    .join('; ');
}

/**
 * A swarm network's nodes and tasks as detail lines (tooltips, the topology's details pane):
 * `Peers: 192.168.80.11 (b2c090a7d914), …`, a line per service with its VIP and tasks, and the
 * standalone containers (the "" service) with the node running each.
 */
export function swarmDetailPairs(
  network: Pick<NetworkModel, 'peers' | 'services' | 'encrypted' | 'driver'>,
): Array<[string, string | undefined]> {
  const task = (entry: SwarmTask) =>
    [entry.name, entry.ip && `${entry.ip}`, entry.hostIp && `on ${entry.hostIp}`].filter(Boolean).join(' ');
  return [
    ['Encrypted', network.driver === 'overlay' ? (network.encrypted ? 'yes (IPsec between nodes)' : 'no') : undefined],
    ['Peers', network.peers?.map((peer) => `${peer.ip} (${peer.name})`).join(', ')],
    ...(network.services ?? []).map((service): [string, string] =>
      service.name === ''
        ? ['Containers on every node', service.tasks.map(task).join(', ') || 'none']
        : [`Service ${service.name}`, [service.vip && `VIP ${service.vip}`, service.tasks.map(task).join(', ')].filter(Boolean).join('; ')],
    ),
  ];
}

/** Short flags users scan for: internal, attachable, ICC off, predefined, IPv6, ingress, and later engines' config-only / IPv6-only. */
export function networkBadges(network: NetworkModel): string[] {
  const badges: string[] = [];
  if (network.predefined) badges.push('predefined');
  if (network.internal) badges.push('internal');
  if (network.attachable) badges.push('attachable');
  if (!network.icc) badges.push('ICC off');
  if (network.enableIPv6) badges.push('IPv6');
  if (network.ingress) badges.push('ingress');
  if (network.encrypted) badges.push('encrypted');
  if (network.enableIPv4 === false) badges.push('IPv6-only');
  if (network.configOnly) badges.push('config-only');
  if (network.configFrom) badges.push(`config from ${network.configFrom}`);
  return badges;
}

/**
 * What a macvlan/ipvlan network sits on: `parent eth0.10, mode private` (Docker's default mode
 * when none was set: bridge, l2). Undefined for other drivers.
 */
export function linkDriverDetail(network: Pick<NetworkModel, 'driver' | 'options' | 'configOnly'>): string | undefined {
  const defaults: Record<string, string> = { macvlan: 'bridge', ipvlan: 'l2' };
  const modeOption = network.options.macvlan_mode !== undefined ? 'macvlan_mode' : 'ipvlan_mode';
  const driverDefault = defaults[network.driver];
  // Config-only templates are stored with the "null" driver; their options still name the mode.
  if (!driverDefault && !(network.configOnly && network.options.parent !== undefined)) return undefined;
  const parent = network.options.parent ?? 'a dummy interface';
  const mode = network.options[modeOption] ?? driverDefault;
  return mode ? `parent ${parent}, mode ${mode}` : `parent ${parent}`;
}

export function formatAddress(address: string | undefined, prefixLen: number | undefined): string | undefined {
  if (!address) return undefined;
  return prefixLen ? `${address}/${prefixLen}` : address;
}

/** The addresses of an endpoint, IPv4 first: `10.15.20.128/24 · fd00::2/64`. */
export function formatEndpointAddresses(endpoint: EndpointModel): string {
  return [formatAddress(endpoint.ipv4, endpoint.ipv4PrefixLen), formatAddress(endpoint.ipv6, endpoint.ipv6PrefixLen)]
    .filter(Boolean)
    .join(' · ');
}

export function formatLinks(endpoint: EndpointModel): string[] {
  return endpoint.links.map((link) => (link.alias === link.container ? link.container : `${link.container}:${link.alias}`));
}

/** Lines of `key: value`, skipping empty values: the plain-text tooltips of the tree. */
export function detailLines(entries: ReadonlyArray<readonly [string, string | undefined]>): string {
  return entries
    .filter(([, value]) => value !== undefined && value !== '')
    .map(([key, value]) => `${key}: ${value}`)
    .join('\n');
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** `15:04 (Nov 30)` in local time; the year too when it is not this year's. */
export function formatMoment(when: Date, now: Date = new Date()): string {
  const pad = (value: number) => String(value).padStart(2, '0');
  const year = when.getFullYear() === now.getFullYear() ? '' : ` ${when.getFullYear()}`;
  return `${pad(when.getHours())}:${pad(when.getMinutes())} (${MONTHS[when.getMonth()]} ${when.getDate()}${year})`;
}

/**
 * A container's state with times that stay true, for details and tooltips: "running since
 * 15:04 (Nov 30)", "exited (137) at 15:10 (Nov 30)", "created 15:00 (Nov 30)". Not Docker's
 * Status text: "Up 44 seconds" is wrong a minute later, and nothing is reloaded while idle.
 */
export function formatContainerState(container: ContainerModel, now: Date = new Date()): string {
  const at = (iso: string | undefined) => (iso ? formatMoment(new Date(iso), now) : undefined);
  const created = container.created === undefined ? undefined : formatMoment(new Date(container.created * 1000), now);
  const started = at(container.startedAt);
  switch (container.state) {
    case 'running':
      return started ? `running since ${started}` : ['running', created && `created ${created}`].filter(Boolean).join(', ');
    case 'exited': {
      const code = container.exitCode === undefined ? 'exited' : `exited (${container.exitCode})`;
      const finished = at(container.finishedAt);
      return [finished ? `${code} at ${finished}` : code, startFailure(container)].filter(Boolean).join('; ');
    }
    case 'created':
      return [created ? `created ${created}, never started` : 'created, never started', startFailure(container)].filter(Boolean).join('; ');
    default:
      // paused, restarting, dead: the state, and the last start when known.
      return [container.state || 'unknown', started && `started ${started}`].filter(Boolean).join(', ');
  }
}

/** `start failed: <Docker's words>`, or "" when its last start did not fail. */
export function startFailure(container: Pick<ContainerModel, 'startError'>): string {
  return container.startError ? `start failed: ${container.startError}` : '';
}
