/**
 * Container names on a swarm overlay: the overlay's DNS answers a container's name on every
 * node. Docker (20.10 and 26 alike) lets a second container of a name already there join from another node (no
 * word from Docker), and the name then resolves to either: warned before connecting, and found
 * by the doctor (DNE241). Who holds a name is read from two places: the members of the network
 * on every host the extension is connected to, and the network's verbose inspect (its "" service
 * tasks: every node's standalone containers, as the node's gossip knows them).
 */
import type { HostView } from '../docker/hostMonitor';
import type { NetworkModel } from '../model/snapshot';

export interface NameHolder {
  /** The host's name when it is one of ours, else the node's address from the inspect. */
  where: string;
  endpointId: string;
  ip?: string;
}

/**
 * Who on swarm network `networkId` already answers to `name`, other than `self` (the container
 * about to connect, or already connected: its own endpoint is no clash).
 */
export function swarmNameHolders(
  name: string,
  networkId: string,
  views: readonly HostView[],
  self?: { hostId: string; containerId: string },
): NameHolder[] {
  const holders = new Map<string, NameHolder>();
  let network: NetworkModel | undefined;
  for (const { host, state } of views) {
    if (state.kind !== 'connected') continue;
    const { snapshot } = state;
    const here = snapshot.networks.find((candidate) => candidate.id === networkId && candidate.scope === 'swarm');
    if (!here) continue;
    if (!network || (here.services && !network.services)) network = here;
    for (const endpoint of snapshot.endpoints.filter((candidate) => candidate.networkId === networkId)) {
      const container = snapshot.containers.find((candidate) => candidate.id === endpoint.containerId);
      if (!container || container.name !== name) continue;
      if (self && host.id === self.hostId && container.id === self.containerId) continue;
      holders.set(endpoint.endpointId || `${host.id}/${container.id}`, {
        where: host.name,
        endpointId: endpoint.endpointId,
        ip: endpoint.ipv4,
      });
    }
  }
  const selfEndpoints = new Set(
    views.flatMap(({ host, state }) =>
      state.kind === 'connected' && self && host.id === self.hostId
        ? state.snapshot.endpoints.filter((endpoint) => endpoint.containerId === self.containerId).map((endpoint) => endpoint.endpointId)
        : [],
    ),
  );
  for (const task of network?.services?.find((service) => service.name === '')?.tasks ?? []) {
    // "<network>-endpoint" is Docker's own load balancer on each node, no container.
    if (
      task.name !== name ||
      task.name === `${network?.name}-endpoint` ||
      selfEndpoints.has(task.endpointId) ||
      holders.has(task.endpointId)
    )
      continue;
    holders.set(task.endpointId, { where: task.hostIp ?? 'another node', endpointId: task.endpointId, ip: task.ip });
  }
  return [...holders.values()];
}

/** "web1 on docker3 (10.10.10.2)": where each holder runs. */
export function describeHolders(name: string, holders: readonly NameHolder[]): string {
  return holders.map((holder) => `${name} on ${holder.where}${holder.ip ? ` (${holder.ip})` : ''}`).join(', ');
}

/** The warning before connecting `containerName` to swarm network `network`; undefined when the name is free. */
export function swarmNameWarning(
  containerName: string,
  network: Pick<NetworkModel, 'id' | 'name' | 'scope'>,
  views: readonly HostView[],
  self: { hostId: string; containerId: string },
): string | undefined {
  if (network.scope !== 'swarm') return undefined;
  const holders = swarmNameHolders(containerName, network.id, views, self);
  if (holders.length === 0) return undefined;
  return (
    `The name ${containerName} is already on swarm overlay ${network.name}: ${describeHolders(containerName, holders)}. ` +
    `Docker accepts a second one without a word (20.10 and 26 alike), and the overlay's DNS then answers ${containerName} with either ` +
    'address. Rename one of them (docker rename), or connect it under another name.'
  );
}
