/**
 * The Networks view's "Multi-host networks" group: each global or swarm network once, by ID,
 * with its members from every connected host, each labelled with its host. `docker network
 * inspect` on one host lists only that host's members; this is the answer to "where are the
 * others?".
 */
import { spansHosts, type NetworkModel } from '../model/snapshot';
import type { HostView } from '../docker/hostMonitor';
import { multiHostNetworkRowId, type ExplorerNode } from './explorerNode';
import { byLabel, networkRow, type NetworkMember } from './networkRows';

export const MULTI_HOST_GROUP_ID = 'networks/*';

interface MergedNetwork {
  network: NetworkModel;
  /** The first host (in the view's order) that has it: operations on the row go there. */
  hostId: string;
  hostNames: string[];
  members: NetworkMember[];
}

export function mergeMultiHostNetworks(hosts: readonly HostView[]): MergedNetwork[] {
  const merged = new Map<string, MergedNetwork>();
  for (const { host, state } of hosts) {
    if (state.kind !== 'connected') continue;
    const { snapshot } = state;
    const containers = new Map(snapshot.containers.map((container) => [container.id, container]));
    for (const network of snapshot.networks.filter(spansHosts)) {
      const entry = merged.get(network.id) ?? { network, hostId: host.id, hostNames: [], members: [] };
      // Only managers read the services (verbose inspect): take them from the first host that has them.
      if (!entry.network.services && network.services) entry.network = { ...entry.network, services: network.services };
      merged.set(network.id, entry);
      entry.hostNames.push(host.name);
      for (const endpoint of snapshot.endpoints.filter((candidate) => candidate.networkId === network.id)) {
        const container = containers.get(endpoint.containerId);
        if (container) entry.members.push({ hostId: host.id, hostName: host.name, container, endpoint });
      }
    }
  }
  return [...merged.values()];
}

/** Undefined when no connected host has a multi-host network: no empty group. */
export function multiHostGroup(hosts: readonly HostView[]): ExplorerNode | undefined {
  const merged = mergeMultiHostNetworks(hosts);
  if (merged.length === 0) return undefined;
  const children = merged
    .map(({ network, hostId, hostNames, members }) => {
      const row = networkRow(multiHostNetworkRowId(network.id), hostId, network, members, [['Seen on', hostNames.join(', ')]]);
      return { ...row, description: `${row.description} · on ${hostNames.join(', ')}` };
    })
    .sort(byLabel);
  return {
    id: MULTI_HOST_GROUP_ID,
    kind: 'group',
    label: 'Multi-host networks',
    description: `${children.length} overlay${children.length === 1 ? '' : 's'} across hosts`,
    tooltip: 'Global (cluster-store) and swarm networks, each listed once with its members from every host.',
    icon: { id: 'globe' },
    contextValue: 'multiHostGroup',
    children,
    expanded: true,
  };
}
