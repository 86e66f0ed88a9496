/**
 * The swarm side of a network inspect: `Peers` (the nodes carrying it) and, with `verbose=true`,
 * `Services` (every node's tasks on it). Neither is in `GET /networks`: SnapshotLoader inspects
 * swarm networks to get them.
 */
import { ordinal } from '../util/arrays';
import type { NetworkModel, SwarmPeer, SwarmService, SwarmTask } from '../model/snapshot';

/** The inspect fields read here; the dockerode typings know neither. */
export interface SwarmNetworkFields {
  Peers?: ReadonlyArray<{ Name?: unknown; IP?: unknown }> | null;
  Services?: Readonly<Record<string, { VIP?: unknown; Tasks?: ReadonlyArray<RawTask> | null }>> | null;
}

interface RawTask {
  Name?: unknown;
  EndpointID?: unknown;
  EndpointIP?: unknown;
  Info?: Readonly<Record<string, unknown>> | null;
}

/** The list's networks with `Peers` and `Services` from their (verbose) inspects, by network ID. */
export function withSwarmInspects<N extends { Id: string }>(
  networks: readonly N[],
  inspected: ReadonlyMap<string, SwarmNetworkFields>,
): N[] {
  return networks.map((network) => {
    const full = inspected.get(network.Id);
    return full ? { ...network, Peers: full.Peers, Services: full.Services } : network;
  });
}

/** libnetwork's overlay driver: the option's presence turns encryption on, whatever its value. */
const ENCRYPTED_OPTION = 'encrypted';

/** Only fields that say something, so a local network's model stays as it was. */
export function swarmFields(
  raw: SwarmNetworkFields,
  options: Readonly<Record<string, string>>,
): Pick<NetworkModel, 'encrypted' | 'peers' | 'services'> {
  return {
    ...(ENCRYPTED_OPTION in options ? { encrypted: true as const } : {}),
    ...(Array.isArray(raw.Peers) ? { peers: raw.Peers.map(toPeer).sort((a, b) => ordinal(a.ip, b.ip) || ordinal(a.name, b.name)) } : {}),
    ...(raw.Services && typeof raw.Services === 'object' ? { services: toServices(raw.Services) } : {}),
  };
}

function toPeer(raw: { Name?: unknown; IP?: unknown }): SwarmPeer {
  return { name: text(raw.Name) ?? '', ip: text(raw.IP) ?? '' };
}

function toServices(raw: NonNullable<SwarmNetworkFields['Services']>): SwarmService[] {
  return Object.entries(raw)
    .map(([name, service]): SwarmService => ({
      name,
      // Docker formats a nil VIP as "<nil>" (the "" service of standalone containers, DNSRR services).
      ...(validVip(service.VIP) ? { vip: service.VIP } : {}),
      tasks: (Array.isArray(service.Tasks) ? service.Tasks : [])
        .map(toTask)
        .sort((a, b) => ordinal(a.name, b.name) || ordinal(a.hostIp ?? '', b.hostIp ?? '')),
    }))
    .sort((a, b) => ordinal(a.name, b.name));
}

function toTask(raw: RawTask): SwarmTask {
  const hostIp = text(raw.Info?.['Host IP']);
  const ip = text(raw.EndpointIP);
  return { name: text(raw.Name) ?? '', endpointId: text(raw.EndpointID) ?? '', ...(ip ? { ip } : {}), ...(hostIp ? { hostIp } : {}) };
}

function validVip(value: unknown): value is string {
  return typeof value === 'string' && value !== '' && value !== '<nil>';
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/**
 * Names held by more than one task of the "" service (standalone containers) on one swarm
 * network, with the nodes that run them: Engine 26 lets a second `web1` join from another node,
 * and the overlay's DNS then answers either.
 */
export function clashingTaskNames(network: Pick<NetworkModel, 'services'>): Array<{ name: string; hostIps: string[] }> {
  const tasks = network.services?.find((service) => service.name === '')?.tasks ?? [];
  const byName = new Map<string, SwarmTask[]>();
  for (const task of tasks) byName.set(task.name, [...(byName.get(task.name) ?? []), task]);
  return [...byName]
    .filter(([, same]) => new Set(same.map((task) => task.endpointId)).size > 1)
    .map(([name, same]) => ({ name, hostIps: [...new Set(same.map((task) => task.hostIp ?? '?'))].sort() }));
}
