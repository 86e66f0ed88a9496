/**
 * Docker networks against the host's routes, and what `default-address-pools` has left (issue
 * #12): a network whose subnet overlaps a route of the host (a VPN, the office LAN) captures
 * that traffic (docker/for-linux #1543, moby #29239); and when the pools run out, `docker network
 * create` without --subnet fails. Pure: the daemon's networks, the host's routes, the pools.
 */
import { cidrsOverlap, parseCidr, type Cidr } from '../../net/cidr';
import { parseRoute } from '../../reachability/addresses';
import { isDockerDevice } from '../../reachability/routes';
import type { HostRoute } from '../../reachability/types';
import { Codes } from '../codes';
import type { Severity } from '../finding';
import type { NetworkFacts } from './docker';
import { versionBelow } from '../engine';

export interface AddressPool {
  base: string;
  size: number;
}

/**
 * libnetwork's local-scope defaults (ipamutils `localScopeDefaultNetworks`, the same in 20.10 and
 * 26): 172.17–19 as /16 each, 172.20/14, 172.24/14, 172.28/14 split into /16, 192.168/16 into /20.
 */
export const DEFAULT_LOCAL_POOLS: readonly AddressPool[] = [
  { base: '172.17.0.0/16', size: 16 },
  { base: '172.18.0.0/16', size: 16 },
  { base: '172.19.0.0/16', size: 16 },
  { base: '172.20.0.0/14', size: 16 },
  { base: '172.24.0.0/14', size: 16 },
  { base: '172.28.0.0/14', size: 16 },
  { base: '192.168.0.0/16', size: 20 },
];

/**
 * What dockerd answers `docker network create` without --subnet once the pools are used up
 * (libnetwork's ipam), checked on Engine 20.10 and 26 (test/integration/addressPoolWords).
 * Later engines word it otherwise ("all predefined address pools have been fully subnetted"):
 * not quoted for them until a test proves it.
 */
export const ADDRESS_POOLS_EXHAUSTED =
  'could not find an available, non-overlapping IPv4 address pool among the defaults to assign to the network';
const QUOTED_UP_TO: [number] = [27];

/** Under this many left, the pools get a warning. */
const FEW_LEFT = 5;

export interface PoolDraft {
  severity: Severity;
  code: string;
  message: string;
}

export function addressPoolDrafts(
  hostName: string,
  networks: readonly NetworkFacts[],
  routes: readonly HostRoute[] | undefined,
  pools: readonly AddressPool[] | undefined,
  /** The daemon's version, to quote its refusal; absent: not quoted. */
  engine?: string,
): PoolDraft[] {
  const drafts: PoolDraft[] = [];
  const local = networks.filter((network) => network.scope === 'local' || network.scope === '');
  const subnets = ipv4Subnets(local);
  const foreign = (routes ?? []).flatMap((route) => {
    const cidr = parseRoute(route);
    // The default route overlaps everything; Docker's own bridge routes are the networks themselves.
    if (!cidr || cidr.prefix === 0 || isDockerDevice(route)) return [];
    if (subnets.some((subnet) => subnet.cidr.network === cidr.network && subnet.cidr.prefix === cidr.prefix)) return [];
    return [{ route, cidr }];
  });
  for (const { network, cidr } of subnets) {
    for (const { route, cidr: routed } of foreign) {
      if (!cidrsOverlap(cidr, routed)) continue;
      const winner =
        cidr.prefix >= routed.prefix
          ? `${hostName} sends traffic for ${cidr.text} to ${network.name}`
          : `${hostName} itself still uses the route for ${routed.text}, but ${network.name}'s containers send anything in ${cidr.text} onto ${network.name}`;
      drafts.push({
        severity: 'warning',
        code: Codes.subnetShadowsRoute,
        message:
          `Docker network ${network.name} (${cidr.text}) overlaps ${hostName}'s route to ${routed.text}${route.device ? ` via ${route.device}` : ''}: ${winner}, not to ${route.device ?? 'that route'} — machines there are out of reach. ` +
          `Recreate ${network.name} with a --subnet outside ${routed.text}${network.name === 'bridge' ? ' (for the default bridge: "bip" in /etc/docker/daemon.json)' : ''}, and set "default-address-pools" in /etc/docker/daemon.json to ranges the host's routes do not use.`,
      });
    }
  }
  drafts.push(...overlayShadowDrafts(hostName, networks, foreign));
  const configured = pools !== undefined && pools.length > 0;
  const left = poolsLeft(
    configured ? pools : DEFAULT_LOCAL_POOLS,
    subnets.map((subnet) => subnet.cidr),
  );
  if (left.free < FEW_LEFT) {
    drafts.push({
      severity: left.free === 0 ? 'error' : 'warning',
      code: Codes.addressPoolsLow,
      message:
        `${configured ? 'The "default-address-pools" of /etc/docker/daemon.json allow' : "Docker's default address pools (172.17.0.0/16–172.31.0.0/16 as /16s, 192.168.0.0/16 as /20s) allow"} ${left.total} networks on ${hostName}; ${left.total - left.free} are taken, so ${left.free === 0 ? 'no further network' : `only ${left.free} more network${left.free === 1 ? '' : 's'}`} can be created without --subnet${engine && versionBelow(engine, QUOTED_UP_TO) ? `${left.free === 0 ? ':' : ', then'} Docker refuses with "${ADDRESS_POOLS_EXHAUSTED}"` : ''}. ` +
        'Remove unused networks (docker network prune), or set larger "default-address-pools" in /etc/docker/daemon.json (e.g. [{"base": "10.200.0.0/16", "size": 24}] gives 256) and restart dockerd.',
    });
  }
  return drafts;
}

function ipv4Subnets(networks: readonly NetworkFacts[]): Array<{ network: NetworkFacts; cidr: Cidr }> {
  return networks.flatMap((network) =>
    network.subnets.flatMap((text) => {
      const parsed = parseCidr(text, false);
      return parsed.ok && parsed.cidr.family === 4 ? [{ network, cidr: parsed.cidr }] : [];
    }),
  );
}

/**
 * DNE200 for overlays (swarm's, ingress among them, and the cluster store's): an overlay lives in
 * its own namespace, so the host keeps its route, but a container on the overlay has the
 * overlay's subnet as a connected route and sends the overlapping addresses onto it (proven on the
 * lab: test/integration/swarmRouteShadow.test.ts).
 */
function overlayShadowDrafts(
  hostName: string,
  networks: readonly NetworkFacts[],
  foreign: ReadonlyArray<{ route: HostRoute; cidr: Cidr }>,
) {
  const drafts: PoolDraft[] = [];
  for (const { network, cidr } of ipv4Subnets(networks.filter((candidate) => candidate.driver === 'overlay'))) {
    for (const { route, cidr: routed } of foreign) {
      if (!cidrsOverlap(cidr, routed)) continue;
      const lost = cidr.prefix >= routed.prefix ? cidr : routed;
      const swarm = network.scope === 'swarm';
      const recreate =
        network.name === 'ingress' && swarm
          ? 'Recreate ingress outside it once no service publishes a port (docker network rm ingress; docker network create --driver overlay --ingress --subnet <free range> ingress)'
          : `Recreate ${network.name} with a --subnet outside ${routed.text}`;
      drafts.push({
        severity: 'warning',
        code: Codes.subnetShadowsRoute,
        message:
          `${swarm ? 'Swarm overlay' : 'Overlay network'} ${network.name} (${cidr.text}) overlaps ${hostName}'s route to ${routed.text}${route.device ? ` via ${route.device}` : ''}: ` +
          `containers on ${network.name} send anything in ${lost.text} onto ${network.name}, not to ${route.device ?? 'that route'} — machines there are out of their reach ` +
          `(${hostName} itself still uses its route: the overlay lives in its own namespace). ${recreate}` +
          `${swarm ? ", and give the swarm address pools the hosts' routes do not use (docker swarm init --default-addr-pool)" : ''}.`,
      });
    }
  }
  return drafts;
}

/** How many subnets the pools hold, and how many of them no existing network overlaps. */
export function poolsLeft(pools: readonly AddressPool[], taken: readonly Cidr[]): { total: number; free: number } {
  let total = 0;
  let free = 0;
  for (const pool of pools) {
    const base = parseCidr(pool.base, false);
    if (!base.ok || base.cidr.family !== 4 || !Number.isInteger(pool.size) || pool.size < base.cidr.prefix || pool.size > 32) continue;
    const count = 2 ** (pool.size - base.cidr.prefix);
    const step = 2n ** BigInt(32 - pool.size);
    // Subnets overlapping a taken one are counted by walking only the taken ones (a /8 split into /24s is 65,536 subnets).
    const used = new Set<bigint>();
    for (const cidr of taken) {
      if (!cidrsOverlap(cidr, base.cidr)) continue;
      const from = cidr.network > base.cidr.network ? cidr.network : base.cidr.network;
      const end = cidr.network + 2n ** BigInt(32 - cidr.prefix);
      const poolEnd = base.cidr.network + 2n ** BigInt(32 - base.cidr.prefix);
      for (let at = from - ((from - base.cidr.network) % step); at < (end < poolEnd ? end : poolEnd); at += step) used.add(at);
    }
    total += count;
    free += count - used.size;
  }
  return { total, free };
}

/** `default-address-pools` from a daemon.json text; undefined when absent or unreadable (the syntax rules say why). */
export function poolsFromDaemonJson(text: string | undefined): AddressPool[] | undefined {
  if (!text) return undefined;
  try {
    const parsed = JSON.parse(text) as { 'default-address-pools'?: unknown };
    const pools = parsed['default-address-pools'];
    if (!Array.isArray(pools)) return undefined;
    return pools.flatMap((pool: { base?: unknown; size?: unknown }) =>
      typeof pool?.base === 'string' && typeof pool.size === 'number' ? [{ base: pool.base, size: pool.size }] : [],
    );
  } catch {
    return undefined;
  }
}
