import type { HostState } from '../docker/hostMonitor';
import type { HostConfig } from '../hosts/hostConfig';
import type { ContainerModel, EndpointModel, HostSnapshot, NetworkModel } from '../model/snapshot';
import {
  detailLines,
  formatAddress,
  formatEndpointAddresses,
  formatIpam,
  formatLinks,
  formatPortList,
  networkBadges,
} from './format';

export type ExplorerView = 'networks' | 'containers';

export type NodeKind = 'host' | 'network' | 'endpoint' | 'container' | 'attachment' | 'message';

/** What an inspect / later operations act on. */
export interface NodeTarget {
  hostId: string;
  type: 'network' | 'container';
  id: string;
  name: string;
}

/**
 * One row of the explorer, independent of VS Code: the tree provider maps it 1:1 to a
 * TreeItem. Pure data, so the whole tree is unit-tested and benchmarked without an editor.
 */
export interface ExplorerNode {
  /** Unique and stable across refreshes, so VS Code keeps expansion and selection. */
  id: string;
  kind: NodeKind;
  label: string;
  description?: string;
  /** Plain text (never markdown: names and labels come from the daemon and are untrusted). */
  tooltip?: string;
  /** A codicon id plus an optional theme colour id. */
  icon: { id: string; color?: string };
  /** Matched by `when` clauses in package.json. */
  contextValue: string;
  target?: NodeTarget;
  /** Set on messages that act when clicked (e.g. retry a host). */
  command?: { id: 'retryHost'; hostId: string };
  children: ExplorerNode[];
  expanded?: boolean;
}

export interface HostView {
  host: HostConfig;
  state: HostState;
}

function hostRowId(view: ExplorerView, hostId: string): string {
  return `${view}/${hostId}`;
}

/**
 * The row that stands for a network (Networks view) or a container (Containers view): what
 * "reveal in the tree" looks for, e.g. when a node is clicked in the topology.
 */
export function targetRowId(target: Pick<NodeTarget, 'hostId' | 'type' | 'id'>): string {
  return target.type === 'network'
    ? `${hostRowId('networks', target.hostId)}/network/${target.id}`
    : `${hostRowId('containers', target.hostId)}/container/${target.id}`;
}

export function buildExplorerTree(view: ExplorerView, hosts: readonly HostView[]): ExplorerNode[] {
  return hosts.map((entry) => hostNode(view, entry));
}

function hostNode(view: ExplorerView, { host, state }: HostView): ExplorerNode {
  const id = hostRowId(view, host.id);
  const base = { id, kind: 'host' as const, label: host.name, target: undefined };
  const tooltipHead: Array<[string, string | undefined]> = [
    ['Host', host.name],
    ['Address', host.url],
    ['From', host.source],
  ];
  const warnings = host.warnings.map((warning) => `⚠ ${warning}`).join('\n');
  switch (state.kind) {
    case 'connecting':
      // Expanded from the first draw: VS Code keeps a row's first collapsible state per id, so a
      // host first drawn without children would stay collapsed once its networks arrive.
      return {
        ...base,
        description: 'connecting…',
        tooltip: detailLines(tooltipHead),
        icon: { id: 'loading~spin' },
        contextValue: 'hostConnecting',
        children: [
          {
            id: `${id}/message`,
            kind: 'message',
            label: `Connecting to ${host.url}…`,
            icon: { id: 'loading~spin' },
            contextValue: 'hostConnecting',
            children: [],
          },
        ],
        expanded: true,
      };
    case 'connected': {
      const children = view === 'networks' ? networkNodes(state.snapshot) : containerNodes(state.snapshot);
      const counts = `${plural(state.snapshot.networks.length, 'network')}, ${plural(state.snapshot.containers.length, 'container')}`;
      return {
        ...base,
        description: `${counts} · ${host.url}`,
        tooltip: [detailLines([...tooltipHead, ['Contents', counts]]), warnings].filter(Boolean).join('\n'),
        icon: host.warnings.length ? { id: 'server', color: 'list.warningForeground' } : { id: 'server' },
        contextValue: 'hostConnected',
        children,
        expanded: true,
      };
    }
    case 'unreachable':
    case 'misconfigured': {
      const headline = state.kind === 'unreachable' ? 'Cannot reach the Docker daemon' : 'Host configuration problem';
      const retry = state.kind === 'unreachable' ? ' Retrying by itself; click to retry now.' : '';
      const message: ExplorerNode = {
        id: `${id}/message`,
        kind: 'message',
        label: `${headline}: ${state.reason}`,
        tooltip: `${headline} at ${host.url}:\n${state.reason}${retry}`,
        icon: { id: 'error', color: 'list.errorForeground' },
        contextValue: state.kind === 'unreachable' ? 'hostUnreachable' : 'hostMisconfigured',
        command: state.kind === 'unreachable' ? { id: 'retryHost', hostId: host.id } : undefined,
        children: [],
      };
      return {
        ...base,
        description: state.kind === 'unreachable' ? 'unreachable' : 'misconfigured',
        tooltip: detailLines([...tooltipHead, ['Problem', state.reason]]),
        icon: { id: 'server', color: 'list.errorForeground' },
        contextValue: message.contextValue,
        command: message.command,
        children: [message],
        expanded: true,
      };
    }
  }
}

function networkNodes(snapshot: HostSnapshot): ExplorerNode[] {
  const containers = new Map(snapshot.containers.map((container) => [container.id, container]));
  return snapshot.networks.map((network) => {
    const endpoints = snapshot.endpoints.filter((endpoint) => endpoint.networkId === network.id);
    const id = targetRowId({ hostId: snapshot.hostId, type: 'network', id: network.id });
    return {
      id,
      kind: 'network',
      label: network.name,
      description: networkDescription(network),
      tooltip: networkTooltip(network, endpoints.length),
      icon: networkIcon(network),
      contextValue: network.predefined ? 'network.predefined' : 'network.custom',
      target: { hostId: snapshot.hostId, type: 'network', id: network.id, name: network.name },
      children: endpoints
        .flatMap((endpoint) => {
          const container = containers.get(endpoint.containerId);
          return container ? [endpointNode(id, snapshot.hostId, container, endpoint)] : [];
        })
        .sort(byLabel),
    };
  });
}

function networkDescription(network: NetworkModel): string {
  return [`${network.driver} · ${network.scope}`, formatIpam(network.ipam), networkBadges(network).join(' ')]
    .filter(Boolean)
    .join(' · ');
}

function networkTooltip(network: NetworkModel, endpointCount: number): string {
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
      ['Scope', network.scope],
      ['Internal', yesNo(network.internal)],
      ['Attachable', yesNo(network.attachable)],
      ['Inter-container communication', network.icc ? 'enabled' : 'disabled'],
      ['IPv6', yesNo(network.enableIPv6)],
      ['Containers', String(endpointCount)],
    ]),
    ...pools,
    keyValues('Options', network.options),
    keyValues('Labels', network.labels),
  ]
    .filter(Boolean)
    .join('\n');
}

function networkIcon(network: NetworkModel): ExplorerNode['icon'] {
  if (network.internal) return { id: 'lock' };
  if (network.scope === 'global' || network.scope === 'swarm') return { id: 'globe' };
  if (network.predefined) return { id: 'type-hierarchy', color: 'disabledForeground' };
  return { id: 'type-hierarchy' };
}

function endpointNode(parentId: string, hostId: string, container: ContainerModel, endpoint: EndpointModel): ExplorerNode {
  return {
    id: `${parentId}/endpoint/${container.id}`,
    kind: 'endpoint',
    label: container.name,
    description: endpointSummary(endpoint),
    tooltip: detailLines([
      ['Container', container.name],
      ['State', container.status || container.state],
      ...endpointDetails(endpoint),
      ['Published', formatPortList(container.ports)],
    ]),
    icon: containerIcon(container),
    contextValue: 'endpoint',
    target: { hostId, type: 'container', id: container.id, name: container.name },
    children: [],
  };
}

function containerNodes(snapshot: HostSnapshot): ExplorerNode[] {
  const networks = new Map(snapshot.networks.map((network) => [network.id, network]));
  return snapshot.containers.map((container) => {
    const id = targetRowId({ hostId: snapshot.hostId, type: 'container', id: container.id });
    const attachments = snapshot.endpoints.filter((endpoint) => endpoint.containerId === container.id);
    const ports = formatPortList(container.ports);
    return {
      id,
      kind: 'container',
      label: container.name,
      description: [container.state, ports].filter(Boolean).join(' · '),
      tooltip: detailLines([
        ['Container', container.name],
        ['ID', container.id.slice(0, 12)],
        ['Image', container.image],
        ['Status', container.status],
        ['Published', ports],
        ['Networks', String(attachments.length)],
      ]),
      icon: containerIcon(container),
      contextValue: `container.${container.state === 'running' ? 'running' : 'stopped'}`,
      target: { hostId: snapshot.hostId, type: 'container', id: container.id, name: container.name },
      children: attachments
        .map((endpoint) => attachmentNode(id, snapshot.hostId, networks.get(endpoint.networkId), endpoint))
        .sort(byLabel),
    };
  });
}

function attachmentNode(
  parentId: string,
  hostId: string,
  network: NetworkModel | undefined,
  endpoint: EndpointModel,
): ExplorerNode {
  const name = network?.name ?? endpoint.networkId.slice(0, 12);
  return {
    id: `${parentId}/attachment/${endpoint.networkId}`,
    kind: 'attachment',
    label: name,
    description: endpointSummary(endpoint),
    tooltip: detailLines([['Network', name], ['Driver', network?.driver], ...endpointDetails(endpoint)]),
    icon: network ? networkIcon(network) : { id: 'type-hierarchy' },
    contextValue: 'attachment',
    target: { hostId, type: 'network', id: endpoint.networkId, name },
    children: [],
  };
}

/** `10.15.20.128/24 · aliases webone · links web2:webtwo`: one endpoint in a row's description. */
function endpointSummary(endpoint: EndpointModel): string {
  const links = formatLinks(endpoint);
  return [
    formatEndpointAddresses(endpoint) || 'no address',
    endpoint.aliases.length ? `aliases ${endpoint.aliases.join(', ')}` : '',
    links.length ? `links ${links.join(', ')}` : '',
  ]
    .filter(Boolean)
    .join(' · ');
}

/** The tooltip lines an endpoint shows, in the networks view and the containers view alike. */
function endpointDetails(endpoint: EndpointModel): Array<[string, string | undefined]> {
  return [
    ['IPv4', formatAddress(endpoint.ipv4, endpoint.ipv4PrefixLen)],
    ['IPv6', formatAddress(endpoint.ipv6, endpoint.ipv6PrefixLen)],
    ['MAC', endpoint.mac],
    ['Gateway', endpoint.gateway],
    ['Aliases', endpoint.aliases.join(', ')],
    ['Links', formatLinks(endpoint).join(', ')],
  ];
}

function containerIcon(container: ContainerModel): ExplorerNode['icon'] {
  if (container.state === 'running') return { id: 'vm-running', color: 'charts.green' };
  if (container.state === 'paused') return { id: 'debug-pause', color: 'charts.yellow' };
  return { id: 'vm-outline', color: 'disabledForeground' };
}

function keyValues(title: string, record: Record<string, string>): string {
  const entries = Object.entries(record);
  if (entries.length === 0) return '';
  return `${title}:\n${entries.map(([key, value]) => `  ${key}=${value}`).join('\n')}`;
}

function byLabel(a: ExplorerNode, b: ExplorerNode): number {
  return a.label.localeCompare(b.label);
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

function yesNo(value: boolean): string {
  return value ? 'yes' : 'no';
}
