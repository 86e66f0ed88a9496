/**
 * Swarm services in the topology (issue #13): one node per service, joined to each overlay it is
 * on. Only a manager's verbose network inspect lists them (NetworkModel.services), per network
 * and with that network's tasks; several managers list the same service, and a service on
 * several networks (ingress and its own) is listed under each. Here they become one node, its
 * tasks in its details rather than as nodes of their own: a service of 50 replicas stays one node.
 */
import type { HostView } from '../docker/hostMonitor';
import type { HostSnapshot, NetworkModel, SwarmService } from '../model/snapshot';
import { ordinal } from '../util/arrays';
import type { TopologyElement } from './topologyElements';

/**
 * `swarm` keys the swarm (swarmKeys): two swarms in view may each run a service of one name. The
 * name is encoded: Docker's names have no ":", but a daemon's answer is not trusted to keep ids apart.
 */
export const serviceNodeId = (swarm: string, name: string) => `svc:${swarm}:${encodeURIComponent(name)}`;

interface ServiceNetwork {
  network: NetworkModel;
  vip?: string;
}

interface TaskEntry {
  name: string;
  hostIp?: string;
  /** Its address on each of the service's networks: network id → [network name, address]. */
  addresses: Map<string, [string, string]>;
}

interface ServiceEntry {
  id: string;
  name: string;
  networks: Map<string, ServiceNetwork>;
  tasks: Map<string, TaskEntry>;
}

/** The service nodes and their edges to their networks (`net:*:<id>`: swarm networks are drawn once). */
export function serviceElements(hosts: readonly HostView[], networkNodeId: (network: NetworkModel) => string): TopologyElement[] {
  const snapshots = hosts.flatMap(({ state }) => (state.kind === 'connected' ? [state.snapshot] : []));
  const swarmOf = swarmKeys(snapshots);
  const services = new Map<string, ServiceEntry>();
  for (const snapshot of snapshots) {
    const swarm = swarmOf.get(snapshot);
    if (swarm === undefined) continue;
    for (const network of snapshot.networks.filter(isSwarm)) {
      // The "" service is the standalone containers: drawn as containers by the hosts running them.
      for (const service of (network.services ?? []).filter((entry) => entry.name !== '')) {
        const id = serviceNodeId(swarm, service.name);
        const entry = services.get(id) ?? { id, name: service.name, networks: new Map(), tasks: new Map() };
        services.set(id, entry);
        addSighting(entry, network, service);
      }
    }
  }
  const ordered = [...services.values()].sort((a, b) => ordinal(a.id, b.id));
  return [...ordered.map(serviceNode), ...ordered.flatMap((entry) => serviceEdges(entry, networkNodeId))];
}

const isSwarm = (network: NetworkModel) => network.scope === 'swarm';

/** One manager's view of the service on one network, merged: the VIP once, tasks by name. */
function addSighting(entry: ServiceEntry, network: NetworkModel, service: SwarmService): void {
  const seen = entry.networks.get(network.id);
  if (!seen) entry.networks.set(network.id, { network, vip: service.vip });
  else seen.vip ??= service.vip;
  for (const task of service.tasks) {
    const key = task.name || task.endpointId;
    const known: TaskEntry = entry.tasks.get(key) ?? { name: task.name || task.endpointId.slice(0, 12), addresses: new Map() };
    entry.tasks.set(key, known);
    known.hostIp ??= task.hostIp;
    if (task.ip && !known.addresses.has(network.id)) known.addresses.set(network.id, [network.name, task.ip]);
  }
}

/**
 * Which swarm each host is in, as a key for service ids. Hosts that list a swarm network in
 * common are in one swarm (a network's id is the swarm's own); its key is its ingress network's
 * id, which lives as long as the swarm, so ids stay put while networks come and go. A swarm
 * whose ingress was removed falls back to its smallest network id.
 */
function swarmKeys(snapshots: readonly HostSnapshot[]): Map<HostSnapshot, string> {
  const groups: Array<{ hosts: HostSnapshot[]; networks: Set<string>; ingress?: string }> = [];
  for (const snapshot of snapshots) {
    const networks = snapshot.networks.filter(isSwarm);
    if (networks.length === 0) continue;
    const ids = new Set(networks.map((network) => network.id));
    const joined = groups.filter((group) => [...ids].some((id) => group.networks.has(id)));
    const group = { hosts: [snapshot], networks: ids, ingress: networks.find((network) => network.ingress)?.id };
    for (const other of joined) {
      group.hosts.push(...other.hosts);
      other.networks.forEach((id) => group.networks.add(id));
      group.ingress ??= other.ingress;
      groups.splice(groups.indexOf(other), 1);
    }
    groups.push(group);
  }
  const keys = new Map<HostSnapshot, string>();
  for (const group of groups) {
    const key = group.ingress ?? [...group.networks].sort()[0];
    for (const host of group.hosts) keys.set(host, key);
  }
  return keys;
}

function serviceNode(entry: ServiceEntry): TopologyElement {
  const networks = [...entry.networks.values()].sort((a, b) => a.network.name.localeCompare(b.network.name));
  const tasks = [...entry.tasks.values()].sort((a, b) => a.name.localeCompare(b.name));
  const vips = networks.some((on) => on.vip)
    ? networks.map((on) => `${on.vip ?? 'none'} on ${on.network.name}`).join(', ')
    : 'none: DNS round robin, its name answers with every task';
  return {
    group: 'nodes',
    data: {
      id: entry.id,
      kind: 'service',
      label: entry.name,
      tasks: tasks.length,
      details: [
        ['Service', entry.name],
        ['VIP', vips],
        ['Tasks', `${tasks.length}`],
        ...tasks.map((task): [string, string] => [`Task ${task.name}`, taskText(task)]),
        ['Networks', networks.map((on) => on.network.name).join(', ')],
      ],
    },
    classes: networks.some((on) => on.vip) ? [] : ['dnsrr'],
  };
}

function taskText(task: TaskEntry): string {
  const addresses =
    [...task.addresses.values()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([network, ip]) => `${ip} on ${network}`)
      .join(', ') || 'no address';
  return task.hostIp ? `${addresses}; node ${task.hostIp}` : addresses;
}

function serviceEdges(entry: ServiceEntry, networkNodeId: (network: NetworkModel) => string): TopologyElement[] {
  return [...entry.networks.values()].map(({ network, vip }) => ({
    group: 'edges',
    data: {
      // Keyed by the network's id, not its node's: the node id is `net:*:<id>` for every swarm network.
      id: `attached:${entry.id}:${network.id}`,
      kind: 'attached',
      label: vip ?? '',
      source: entry.id,
      target: networkNodeId(network),
      details: [
        ['Service', entry.name],
        ['Network', network.name],
        ['VIP', vip ?? 'none: DNS round robin'],
      ],
    },
    classes: ['attached'],
  }));
}
