import {
  spansHosts,
  type ContainerModel,
  type DaemonVersion,
  type EndpointModel,
  type HostSnapshot,
  type NetworkModel,
} from '../model/snapshot';
import type { HostView } from '../docker/hostMonitor';
import { hostRowId, targetRowId, type ExplorerNode, type ExplorerView } from './explorerNode';
import { transportSecurity } from '../hosts/dockerHost';
import { detailLines, formatContainerState, formatPortList, startFailure } from '../model/format';
import { composeProjectRows } from './composeGroups';
import { multiHostGroup } from './multiHostRows';
import { byLabel, containerIcon, endpointDetails, endpointSummary, networkIcon, networkRow, type NetworkMember } from './networkRows';

export { multiHostNetworkRowId, targetRowId } from './explorerNode';
export type { ExplorerNode, ExplorerView, NodeKind, NodeTarget } from './explorerNode';

/**
 * Hosts, then (Networks view, several hosts) one "Multi-host networks" group: an overlay is one
 * network with members on every host, so it is listed once with all of them, not once per host.
 */
export interface ExplorerOptions {
  /** Containers view: a row per Compose project holding its containers (composeGroups.ts). */
  groupByComposeProject?: boolean;
}

export function buildExplorerTree(view: ExplorerView, hosts: readonly HostView[], options: ExplorerOptions = {}): ExplorerNode[] {
  const mergeOverlays = view === 'networks' && hosts.length > 1;
  const roots = hosts.map((entry) => hostNode(view, entry, mergeOverlays, options));
  const group = mergeOverlays ? multiHostGroup(hosts) : undefined;
  return group ? [...roots, group] : roots;
}

/**
 * A host's row: its state, plus how the connection is protected and whether it can be removed.
 * `children`: a connected host's rows, when the caller already has them (treePatch.ts).
 */
export function hostNode(
  view: ExplorerView,
  entry: HostView,
  mergeOverlays: boolean,
  options: ExplorerOptions,
  children?: ExplorerNode[],
): ExplorerNode {
  const node = hostStateNode(view, entry, mergeOverlays, options, children);
  const { host } = entry;
  const security = host.endpoint && host.endpoint.kind !== 'unix' ? transportSecurity(host.endpoint) : undefined;
  return {
    ...node,
    hostId: host.id,
    description: security && node.description ? `${node.description} · ${security}` : node.description,
    tooltip: security ? `${node.tooltip ?? ''}\nSecurity: ${security}` : node.tooltip,
    // Hosts from the setting can be removed from the view; the others come from the environment.
    contextValue: host.source === 'setting' ? `${node.contextValue}.removable` : node.contextValue,
  };
}

/** `Docker 26.1.5 · API 1.45 (daemon's newest 1.45)`: what was negotiated, for the host tooltip. */
export function daemonLine(daemon: DaemonVersion | undefined): string | undefined {
  if (!daemon) return undefined;
  const newest = daemon.apiVersion === daemon.negotiatedApi ? '' : `, daemon's newest ${daemon.apiVersion}`;
  return `Docker ${daemon.engine} · API ${daemon.negotiatedApi}${newest}`;
}

function hostStateNode(
  view: ExplorerView,
  { host, state }: HostView,
  mergeOverlays: boolean,
  options: ExplorerOptions,
  given: ExplorerNode[] | undefined,
): ExplorerNode {
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
      const children =
        given ?? (view === 'networks' ? networkNodes(state.snapshot, mergeOverlays) : containerNodes(id, state.snapshot, options));
      // Overlays are listed once in the multi-host group, not under each host: say where they are.
      const elsewhere = mergeOverlays ? state.snapshot.networks.filter(spansHosts).length : 0;
      const networkCount = `${plural(state.snapshot.networks.length, 'network')}${elsewhere ? ` (${elsewhere} under Multi-host networks)` : ''}`;
      const counts = `${networkCount}, ${plural(state.snapshot.containers.length, 'container')}`;
      return {
        ...base,
        description: `${counts} · ${host.url}`,
        tooltip: [detailLines([...tooltipHead, ['Engine', daemonLine(state.daemon)], ['Contents', counts]]), warnings]
          .filter(Boolean)
          .join('\n'),
        icon: host.warnings.length ? { id: 'server', color: 'list.warningForeground' } : { id: 'server' },
        contextValue: 'hostConnected',
        children,
        expanded: true,
      };
    }
    case 'absent': {
      // The default socket nobody chose, silent so far (shown only when it is the sole host).
      const message: ExplorerNode = {
        id: `${id}/message`,
        kind: 'message',
        label: `No Docker daemon at ${host.url}: start dockerd, or add a host`,
        tooltip:
          `Nothing answers at ${host.url} (${state.reason}). It is only the default: no DOCKER_HOST, Docker context or ` +
          'hosts setting names a daemon. Start dockerd, or use Add Docker Host…. Checked again by itself; click to check now.',
        icon: { id: 'info' },
        contextValue: 'hostAbsent',
        command: { id: 'retryHost', hostId: host.id },
        children: [],
      };
      return {
        ...base,
        description: 'no daemon',
        tooltip: detailLines([...tooltipHead, ['State', `no daemon (${state.reason})`]]),
        icon: { id: 'server' },
        contextValue: 'hostAbsent',
        command: message.command,
        children: [message],
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

function networkNodes(snapshot: HostSnapshot, mergeOverlays: boolean): ExplorerNode[] {
  const containers = new Map(snapshot.containers.map((container) => [container.id, container]));
  const byNetwork = groupBy(snapshot.endpoints, (endpoint) => endpoint.networkId);
  return snapshot.networks
    .filter((network) => !(mergeOverlays && spansHosts(network)))
    .map((network) => networkNode(snapshot, containers, network, byNetwork.get(network.id) ?? []));
}

/** The Networks view's row of one of a host's networks; `endpoints`: those on it, in snapshot order. */
export function networkNode(
  snapshot: HostSnapshot,
  containers: ReadonlyMap<string, ContainerModel>,
  network: NetworkModel,
  endpoints: readonly EndpointModel[],
): ExplorerNode {
  const members = endpoints.flatMap((endpoint): NetworkMember[] => {
    const container = containers.get(endpoint.containerId);
    return container ? [{ hostId: snapshot.hostId, container, endpoint }] : [];
  });
  return networkRow(targetRowId({ hostId: snapshot.hostId, type: 'network', id: network.id }), snapshot.hostId, network, members);
}

function containerNodes(hostId: string, snapshot: HostSnapshot, options: ExplorerOptions): ExplorerNode[] {
  const networks = new Map(snapshot.networks.map((network) => [network.id, network]));
  const byContainer = groupBy(snapshot.endpoints, (endpoint) => endpoint.containerId);
  const rows = snapshot.containers.map((container) => ({
    container,
    node: containerNode(snapshot, networks, container, byContainer.get(container.id) ?? []),
  }));
  return options.groupByComposeProject ? composeProjectRows(hostId, rows) : rows.map((row) => row.node);
}

/**
 * Items by key, in their order: one pass, where a filter per network or container made the tree
 * quadratic (3,000 containers: 1.2 s of the 1.3 s the trees took).
 */
function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const group = groups.get(key(item));
    if (group) group.push(item);
    else groups.set(key(item), [item]);
  }
  return groups;
}

/** The Containers view's row of one container; `attachments`: its endpoints. */
export function containerNode(
  snapshot: HostSnapshot,
  networks: ReadonlyMap<string, NetworkModel>,
  container: ContainerModel,
  attachments: readonly EndpointModel[],
): ExplorerNode {
  const id = targetRowId({ hostId: snapshot.hostId, type: 'container', id: container.id });
  const ports = formatPortList(container.ports);
  return {
    id,
    kind: 'container',
    label: container.name,
    description: [container.state, ports, startFailure(container)].filter(Boolean).join(' · '),
    tooltip: detailLines([
      ['Container', container.name],
      ['ID', container.id.slice(0, 12)],
      ['Image', container.image],
      ['State', formatContainerState(container)],
      ['Published', ports],
      ['Networks', String(attachments.length)],
    ]),
    icon: containerIcon(container),
    contextValue: `container.${container.state === 'running' ? 'running' : 'stopped'}`,
    target: { hostId: snapshot.hostId, type: 'container', id: container.id, name: container.name },
    children: attachments.map((endpoint) => attachmentNode(id, snapshot.hostId, networks.get(endpoint.networkId), endpoint)).sort(byLabel),
  };
}

function attachmentNode(parentId: string, hostId: string, network: NetworkModel | undefined, endpoint: EndpointModel): ExplorerNode {
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

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
