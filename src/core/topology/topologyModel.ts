import { formatContainerState, formatIpam, formatPortList, linkDriverDetail, swarmDetailPairs } from '../model/format';
import type { HostView } from '../docker/hostMonitor';
import {
  spansHosts,
  type ContainerModel,
  type EndpointModel,
  type HostSnapshot,
  type NetworkModel,
  type PortModel,
} from '../model/snapshot';
import type { ElementDiff, TopologyElement } from './topologyElements';
import { appendAll } from '../util/arrays';
import { serviceElements } from './topologyServices';

export type { ElementDiff, TopologyData, TopologyElement, TopologyKind } from './topologyElements';
export { serviceNodeId } from './topologyServices';

export const hostNodeId = (hostId: string) => `host:${hostId}`;
export const networkNodeId = (hostId: string, network: Pick<NetworkModel, 'id' | 'scope'>) =>
  spansHosts(network) ? `net:*:${network.id}` : `net:${hostId}:${network.id}`;
export const containerNodeId = (hostId: string, containerId: string) => `ctr:${hostId}:${containerId}`;

/**
 * Snapshots → graph elements: a compound node per host holding its local networks, containers
 * and published ports; global/swarm networks once, outside the hosts, and swarm services beside
 * them, each once (topologyServices.ts). Pure, so the shape of the graph and its diffs are
 * unit-tested in Node.
 */
export function buildTopology(hosts: readonly HostView[]): TopologyElement[] {
  const elements: TopologyElement[] = [];
  // Overlays are one network seen from every host: drawn once, keyed by network id.
  const globalNetworks = new Map<string, { hostId: string; network: NetworkModel }>();
  for (const { host, state } of hosts) {
    const hostId = hostNodeId(host.id);
    const problem = state.kind === 'unreachable' || state.kind === 'misconfigured' ? state.reason : undefined;
    const absent = state.kind === 'absent';
    elements.push({
      group: 'nodes',
      data: {
        id: hostId,
        kind: 'host',
        label: problem ? `${host.name} (${state.kind})` : absent ? `${host.name} (no daemon)` : host.name,
        details: pairs([
          ['Host', host.name],
          ['Address', host.url],
          ['State', absent ? 'no daemon (nothing configured names it)' : state.kind],
          ['Problem', problem],
        ]),
      },
      classes: problem ? ['unreachable'] : absent ? ['absent'] : [],
    });
    if (state.kind !== 'connected') continue;
    for (const network of state.snapshot.networks) {
      if (!spansHosts(network)) elements.push(networkElement(host.id, network));
      else {
        const first = globalNetworks.get(network.id);
        globalNetworks.set(network.id, first ? { ...first, network: fuller(first.network, network) } : { hostId: host.id, network });
      }
    }
    appendAll(elements, hostContents(host.id, state.snapshot));
  }
  for (const { hostId, network } of globalNetworks.values()) elements.push(networkElement(hostId, network));
  // Services are on swarm networks only, whose node ids name no host.
  appendAll(
    elements,
    serviceElements(hosts, (network) => networkNodeId('', network)),
  );
  // Nodes before edges: Cytoscape needs both ends of an edge to exist when it is added.
  return [...elements.filter(isNode), ...elements.filter((element) => !isNode(element))];
}

/**
 * A swarm network as the first host saw it, with the Peers and services another host told
 * more of: a node not carrying it lists no Peers, and only a manager reads the services.
 */
function fuller(first: NetworkModel, other: NetworkModel): NetworkModel {
  const peers = first.peers?.length ? first.peers : other.peers?.length ? other.peers : first.peers;
  const services = first.services?.length ? first.services : other.services?.length ? other.services : first.services;
  return peers === first.peers && services === first.services ? first : { ...first, peers, services };
}

function networkElement(hostId: string, network: NetworkModel): TopologyElement {
  const global = spansHosts(network);
  const classes = [
    global && 'overlay',
    network.internal && 'internal',
    network.predefined && 'predefined',
    !network.icc && 'iccOff',
  ].filter((entry): entry is string => typeof entry === 'string');
  return {
    group: 'nodes',
    data: {
      id: networkNodeId(hostId, network),
      kind: 'network',
      label: network.name,
      parent: global ? undefined : hostNodeId(hostId),
      dockerTarget: { hostId, type: 'network', id: network.id, name: network.name },
      details: pairs([
        ['Network', network.name],
        ['ID', network.id.slice(0, 12)],
        ['Driver', network.driver],
        ['On', linkDriverDetail(network)],
        ['Scope', network.scope],
        ['Subnet', formatIpam(network.ipam)],
        ['Internal', network.internal ? 'yes' : undefined],
        ['Attachable', network.attachable ? 'yes' : undefined],
        ['Ingress', network.ingress ? 'yes' : undefined],
        ...swarmDetailPairs(network),
        ['Inter-container communication', network.icc ? undefined : 'disabled'],
        ...labelPairs(network.labels),
      ]),
    },
    classes,
  };
}

function hostContents(hostId: string, snapshot: HostSnapshot): TopologyElement[] {
  const elements: TopologyElement[] = [];
  const networks = new Map(snapshot.networks.map((network) => [network.id, network]));
  const containerIdByName = new Map(snapshot.containers.map((container) => [container.name, container.id]));
  for (const container of snapshot.containers) {
    elements.push(containerElement(hostId, container));
    appendAll(elements, portElements(hostId, container));
  }
  for (const endpoint of snapshot.endpoints) {
    const network = networks.get(endpoint.networkId);
    if (!network) continue;
    const containerName = snapshot.containers.find((container) => container.id === endpoint.containerId)?.name ?? '';
    elements.push(endpointElement(hostId, network, endpoint, containerName));
    for (const link of endpoint.links) {
      const linked = containerIdByName.get(link.container);
      if (!linked) continue;
      elements.push({
        group: 'edges',
        data: {
          id: `link:${hostId}:${network.id}:${endpoint.containerId}:${link.alias}`,
          kind: 'link',
          label: link.alias,
          source: containerNodeId(hostId, endpoint.containerId),
          target: containerNodeId(hostId, linked),
          details: pairs([
            ['Link', `${link.container}:${link.alias}`],
            ['Network', network.name],
          ]),
        },
        classes: ['link'],
      });
    }
  }
  return elements;
}

function containerElement(hostId: string, container: ContainerModel): TopologyElement {
  return {
    group: 'nodes',
    data: {
      id: containerNodeId(hostId, container.id),
      kind: 'container',
      label: container.name,
      parent: hostNodeId(hostId),
      dockerTarget: { hostId, type: 'container', id: container.id, name: container.name },
      details: pairs([
        ['Container', container.name],
        ['ID', container.id.slice(0, 12)],
        ['Image', container.image],
        ['State', formatContainerState(container)],
        ['Published', formatPortList(container.ports)],
        ...labelPairs(container.labels),
      ]),
    },
    classes: container.state === 'running' ? [] : ['stopped'],
  };
}

/** One port node per published binding; IPv4 and IPv6 bindings of one port are one node. */
function portElements(hostId: string, container: ContainerModel): TopologyElement[] {
  const seen = new Map<string, PortModel>();
  for (const port of container.ports) {
    if (port.hostPort === undefined) continue;
    const key = `${port.hostPort}-${port.containerPort}-${port.protocol}`;
    if (!seen.has(key)) seen.set(key, port);
  }
  return [...seen.entries()].flatMap(([key, port]) => {
    const id = `port:${hostId}:${container.id}:${key}`;
    const label = `${port.hostPort}→${port.containerPort}${port.protocol === 'tcp' ? '' : `/${port.protocol}`}`;
    const node: TopologyElement = {
      group: 'nodes',
      data: {
        id,
        kind: 'port',
        label,
        parent: hostNodeId(hostId),
        details: pairs([
          ['Published', label],
          ['Container', container.name],
        ]),
      },
      classes: ['port'],
    };
    const edge: TopologyElement = {
      group: 'edges',
      data: { id: `published:${id}`, kind: 'published', label: '', source: id, target: containerNodeId(hostId, container.id), details: [] },
      classes: ['published'],
    };
    return [node, edge];
  });
}

function endpointElement(hostId: string, network: NetworkModel, endpoint: EndpointModel, containerName: string): TopologyElement {
  return {
    group: 'edges',
    data: {
      id: `ep:${hostId}:${endpoint.containerId}:${network.id}`,
      kind: 'endpoint',
      label: endpoint.ipv4 ?? endpoint.ipv6 ?? '',
      source: containerNodeId(hostId, endpoint.containerId),
      target: networkNodeId(hostId, network),
      aliases: endpoint.aliases,
      dockerTarget: { hostId, type: 'container', id: endpoint.containerId, name: containerName },
      networkId: network.id,
      details: pairs([
        ['IPv4', endpoint.ipv4 && `${endpoint.ipv4}/${endpoint.ipv4PrefixLen ?? ''}`],
        ['IPv6', endpoint.ipv6],
        ['MAC', endpoint.mac],
        ['Aliases', endpoint.aliases.join(', ')],
      ]),
    },
    classes: [],
  };
}

/**
 * What changed between two element lists, by id. An element whose place in the graph changed
 * (parent, source, target) is removed and added again: Cytoscape cannot re-parent by data.
 */
export function diffElements(before: readonly TopologyElement[], after: readonly TopologyElement[]): ElementDiff {
  const old = new Map(before.map((element) => [element.data.id, element]));
  const diff: ElementDiff = { added: [], removed: [], updated: [] };
  const afterIds = new Set<string>();
  for (const element of after) {
    afterIds.add(element.data.id);
    const previous = old.get(element.data.id);
    if (!previous) diff.added.push(element);
    else if (!samePlace(previous, element)) {
      diff.removed.push(element.data.id);
      diff.added.push(element);
    } else if (JSON.stringify(previous) !== JSON.stringify(element)) diff.updated.push(element);
  }
  for (const id of old.keys()) if (!afterIds.has(id)) diff.removed.push(id);
  return diff;
}

export function isEmptyDiff(diff: ElementDiff): boolean {
  return diff.added.length + diff.removed.length + diff.updated.length === 0;
}

function samePlace(a: TopologyElement, b: TopologyElement): boolean {
  return a.group === b.group && a.data.parent === b.data.parent && a.data.source === b.data.source && a.data.target === b.data.target;
}

function isNode(element: TopologyElement): boolean {
  return element.group === 'nodes';
}

function labelPairs(labels: Record<string, string>): Array<[string, string]> {
  return Object.entries(labels).map(([key, value]) => [`Label ${key}`, value]);
}

function pairs(entries: ReadonlyArray<readonly [string, string | undefined]>): Array<[string, string]> {
  return entries.filter((entry): entry is [string, string] => Boolean(entry[1]));
}
