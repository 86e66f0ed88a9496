/**
 * Rows shared by the per-host part of the Networks view and its multi-host group: a network and
 * its attached containers, described the same way wherever they appear.
 */
import { spansHosts, type ContainerModel, type EndpointModel, type NetworkModel } from '../model/snapshot';
import type { ExplorerNode } from './explorerNode';
import { serviceRows } from './serviceRows';
import {
  detailLines,
  formatAddress,
  formatContainerState,
  formatEndpointAddresses,
  formatIpam,
  formatLinks,
  formatPortList,
  linkDriverDetail,
  networkBadges,
  swarmDetailPairs,
} from '../model/format';

export interface NetworkMember {
  hostId: string;
  /** Shown before the address when members come from several hosts. */
  hostName?: string;
  container: ContainerModel;
  endpoint: EndpointModel;
}

export function networkRow(
  id: string,
  hostId: string,
  network: NetworkModel,
  members: readonly NetworkMember[],
  extraTooltip: Array<[string, string | undefined]> = [],
): ExplorerNode {
  return {
    id,
    kind: 'network',
    label: network.name,
    description: networkDescription(network),
    tooltip: networkTooltip(network, members.length, extraTooltip),
    icon: networkIcon(network),
    contextValue: network.predefined ? 'network.predefined' : 'network.custom',
    target: { hostId, type: 'network', id: network.id, name: network.name },
    children: [...members.map((member) => endpointNode(id, member)).sort(byLabelThenDescription), ...serviceRows(id, network.services)],
  };
}

export function networkDescription(network: NetworkModel): string {
  return [`${network.driver} · ${network.scope}`, linkDriverDetail(network), formatIpam(network.ipam), networkBadges(network).join(' ')]
    .filter(Boolean)
    .join(' · ');
}

function networkTooltip(network: NetworkModel, endpointCount: number, extra: Array<[string, string | undefined]>): string {
  const pools = network.ipam.map((pool, index) =>
    detailLines([
      [`Subnet ${index + 1}`, pool.subnet],
      ['  Gateway', pool.gateway],
      ['  IP range', pool.ipRange],
    ]),
  );
  return [
    detailLines([
      ['Network', network.name],
      ['ID', network.id.slice(0, 12)],
      ['Driver', network.driver],
      ['On', linkDriverDetail(network)],
      ['Scope', network.scope],
      ['Internal', yesNo(network.internal)],
      ['Attachable', yesNo(network.attachable)],
      ['Inter-container communication', network.icc ? 'enabled' : 'disabled'],
      ['IPv6', yesNo(network.enableIPv6)],
      ...swarmDetailPairs(network),
      ['Containers', String(endpointCount)],
      ...extra,
    ]),
    ...pools,
    keyValues('Options', network.options),
    keyValues('Labels', network.labels),
  ]
    .filter(Boolean)
    .join('\n');
}

export function networkIcon(network: NetworkModel): ExplorerNode['icon'] {
  if (network.internal) return { id: 'lock' };
  if (spansHosts(network)) return { id: 'globe' };
  if (network.predefined) return { id: 'type-hierarchy', color: 'disabledForeground' };
  return { id: 'type-hierarchy' };
}

function endpointNode(parentId: string, { hostId, hostName, container, endpoint }: NetworkMember): ExplorerNode {
  const summary = endpointSummary(endpoint);
  return {
    // The host is part of the id: two hosts may run containers with the same id prefix space.
    id: hostName ? `${parentId}/endpoint/${hostId}/${container.id}` : `${parentId}/endpoint/${container.id}`,
    kind: 'endpoint',
    label: container.name,
    description: hostName ? `${hostName} · ${summary}` : summary,
    tooltip: detailLines([
      ['Container', container.name],
      ['Host', hostName],
      ['State', formatContainerState(container)],
      ...endpointDetails(endpoint),
      ['Published', formatPortList(container.ports)],
    ]),
    icon: containerIcon(container),
    contextValue: 'endpoint',
    target: { hostId, type: 'container', id: container.id, name: container.name },
    children: [],
  };
}

/** `10.15.20.128/24 · aliases webone · links web2:webtwo`: one endpoint in a row's description. */
export function endpointSummary(endpoint: EndpointModel): string {
  const links = formatLinks(endpoint);
  return [
    formatEndpointAddresses(endpoint) || 'no address',
    endpoint.gatewayName ? `gateway endpoint ${endpoint.gatewayName}` : '',
    endpoint.aliases.length ? `aliases ${endpoint.aliases.join(', ')}` : '',
    links.length ? `links ${links.join(', ')}` : '',
  ]
    .filter(Boolean)
    .join(' · ');
}

/** The tooltip lines an endpoint shows, in the networks view and the containers view alike. */
export function endpointDetails(endpoint: EndpointModel): Array<[string, string | undefined]> {
  return [
    ['IPv4', formatAddress(endpoint.ipv4, endpoint.ipv4PrefixLen)],
    ['IPv6', formatAddress(endpoint.ipv6, endpoint.ipv6PrefixLen)],
    ['MAC', endpoint.mac],
    ['Endpoint', endpoint.gatewayName && `${endpoint.gatewayName} (Docker's own, for the container's traffic out of its overlay)`],
    ['Gateway', endpoint.gateway],
    ['Aliases', endpoint.aliases.join(', ')],
    ['Links', formatLinks(endpoint).join(', ')],
    // Newer engines say which names their DNS answers for this endpoint: show Docker's own list.
    ['DNS names', endpoint.dnsNames?.join(', ')],
  ];
}

export function containerIcon(container: ContainerModel): ExplorerNode['icon'] {
  if (container.state === 'running') return { id: 'vm-running', color: 'charts.green' };
  if (container.state === 'paused') return { id: 'debug-pause', color: 'charts.yellow' };
  return { id: 'vm-outline', color: 'disabledForeground' };
}

function keyValues(title: string, record: Record<string, string>): string {
  const entries = Object.entries(record);
  if (entries.length === 0) return '';
  return `${title}:\n${entries.map(([key, value]) => `  ${key}=${value}`).join('\n')}`;
}

export function byLabel(a: ExplorerNode, b: ExplorerNode): number {
  return a.label.localeCompare(b.label);
}

/** Same-named containers on one overlay but different hosts: keep a stable order. */
function byLabelThenDescription(a: ExplorerNode, b: ExplorerNode): number {
  return byLabel(a, b) || (a.description ?? '').localeCompare(b.description ?? '');
}

function yesNo(value: boolean): string {
  return value ? 'yes' : 'no';
}
