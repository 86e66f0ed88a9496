/**
 * The hosts' snapshots arranged for answering many reachability questions fast (a matrix of
 * 90,000 pairs): containers with their network namespace, networks merged across hosts (a
 * global/swarm network is one network everywhere), and each network's embedded-DNS name table.
 */
import { parseCidr, parseIp, cidrContainsIp, type Cidr, type IpAddress } from '../net/cidr';
import { spansHosts, type ContainerModel, type EndpointModel, type NetworkModel } from '../model/snapshot';
import type { NameKind, ReachHost } from './types';

export interface HostNode {
  id: string;
  name: string;
  host: ReachHost;
}

export interface NetNode {
  /** The network id, prefixed by the host for a local network. */
  key: string;
  network: NetworkModel;
  /** Hosts that list this network (a global overlay: every host of the cluster that sees it). */
  hosts: HostNode[];
  members: EndpointView[];
  /** Docker's embedded DNS answers on user-defined networks only (not on bridge, host or none). */
  dns: boolean;
  subnets: Cidr[];
  /** Running members' names on this network (container name, aliases, short ID, DNSNames). */
  names: Map<string, NameEntry[]>;
}

export interface NameEntry {
  view: EndpointView;
  kind: NameKind;
}

export interface EndpointView {
  endpoint: EndpointModel;
  net: NetNode;
  node: ContainerNode;
}

export type ModeKind = 'network' | 'host' | 'none' | 'container';

export interface ContainerNode {
  key: string;
  container: ContainerModel;
  host: HostNode;
  running: boolean;
  mode: ModeKind;
  /** The container whose network namespace this one uses (itself, unless `container:<other>`). */
  ns: ContainerNode;
  /** Own endpoints (none for a `container:` mode joiner: it has its owner's). */
  endpoints: EndpointView[];
  /** The networks of `endpoints` (docker_gwbridge's gateway endpoints left out). */
  nets: Set<NetNode>;
  shortId: string;
}

export class ReachIndex {
  readonly hosts: HostNode[] = [];
  readonly containers: ContainerNode[] = [];
  readonly nets = new Map<string, NetNode>();
  private readonly byName = new Map<string, ContainerNode[]>();
  /** Link aliases by alias: who declared them, for which container, on which network (legacy: bridge). */
  readonly linkAliases = new Map<string, Array<{ declarer: ContainerNode; linked: string; network: string }>>();
  /** Networks whose DNS answers a name. */
  readonly nameNets = new Map<string, NetNode[]>();
  /** Aliases and DNSNames of containers that are not running (DNS forgets them until they run). */
  readonly sleepingNames = new Map<string, ContainerNode>();

  constructor(hosts: readonly ReachHost[]) {
    const attach = hosts.map((host) => this.add(host));
    // After every host: an endpoint on a global network its own host no longer lists still belongs to it.
    for (const step of attach) step();
    for (const node of this.containers) node.ns = this.namespaceOwner(node);
    for (const net of this.nets.values()) {
      fillNames(net);
      for (const name of net.names.keys()) this.nameNets.set(name, [...(this.nameNets.get(name) ?? []), net]);
      for (const view of net.members) {
        if (view.node.running) continue;
        for (const name of [...view.endpoint.aliases, ...(view.endpoint.dnsNames ?? [])])
          if (!this.sleepingNames.has(name)) this.sleepingNames.set(name, view.node);
      }
    }
    const addLink = (alias: string, entry: { declarer: ContainerNode; linked: string; network: string }) =>
      this.linkAliases.set(alias, [...(this.linkAliases.get(alias) ?? []), entry]);
    for (const node of this.containers) {
      for (const link of node.container.legacyLinks ?? [])
        addLink(link.alias, { declarer: node, linked: link.container, network: 'bridge' });
      for (const view of node.endpoints)
        for (const link of view.endpoint.links)
          addLink(link.alias, { declarer: node, linked: link.container, network: view.net.network.name });
    }
  }

  /** Containers a TARGET word names (see findContainers). */
  findTargets(ref: string): ContainerNode[] {
    return this.findContainers(ref, 12);
  }

  /** A container of `host` by exact name. */
  containerOn(host: HostNode, name: string): ContainerNode | undefined {
    return this.byName.get(name)?.find((node) => node.host === host);
  }

  private add(host: ReachHost): () => void {
    const hostNode: HostNode = { id: host.snapshot.hostId, name: host.name, host };
    this.hosts.push(hostNode);
    const netById = new Map<string, NetNode>();
    for (const network of host.snapshot.networks) {
      const key = spansHosts(network) ? network.id : `${hostNode.id}/${network.id}`;
      let net = this.nets.get(key);
      if (!net) {
        net = { key, network, hosts: [], members: [], dns: hasEmbeddedDns(network), subnets: subnetsOf(network), names: new Map() };
        this.nets.set(key, net);
      }
      net.hosts.push(hostNode);
      netById.set(network.id, net);
    }
    const nodeById = new Map<string, ContainerNode>();
    for (const container of host.snapshot.containers) {
      const node: ContainerNode = {
        key: `${hostNode.id}/${container.id}`,
        container,
        host: hostNode,
        running: container.state === 'running',
        mode: modeOf(container.networkMode),
        ns: undefined as unknown as ContainerNode,
        endpoints: [],
        nets: new Set(),
        shortId: container.id.slice(0, 12),
      };
      this.containers.push(node);
      nodeById.set(container.id, node);
      this.byName.set(container.name, [...(this.byName.get(container.name) ?? []), node]);
    }
    return () => {
      for (const endpoint of host.snapshot.endpoints) {
        const node = nodeById.get(endpoint.containerId);
        const net = netById.get(endpoint.networkId) ?? this.nets.get(endpoint.networkId);
        if (!node || !net) continue;
        const view: EndpointView = { endpoint, net, node };
        node.endpoints.push(view);
        if (!endpoint.gatewayName) node.nets.add(net);
        net.members.push(view);
      }
      for (const node of nodeById.values()) {
        // A container on host or none has an endpoint on that network; the mode says it better.
        if (node.mode === 'network' && node.endpoints.some((view) => view.net.network.driver === 'host')) node.mode = 'host';
        if (node.mode === 'network' && node.endpoints.length > 0 && node.endpoints.every((view) => view.net.network.driver === 'null'))
          node.mode = 'none';
      }
    };
  }

  private namespaceOwner(node: ContainerNode): ContainerNode {
    const mode = node.container.networkMode ?? '';
    if (!mode.startsWith('container:')) return node;
    const ref = mode.slice('container:'.length);
    const owner = this.containers.find((other) => other.host === node.host && (other.container.id === ref || other.container.name === ref));
    return owner && owner !== node ? owner : node;
  }

  /**
   * Containers named `ref`, or whose ID is `ref` or starts with it, on every host. A FROM may be
   * any ID prefix (as `docker exec` takes it); a TARGET is a word FROM types, so there only a
   * prefix of 12 or more counts ("db" or "cafe" are hex, and names, not IDs).
   */
  findContainers(ref: string, minPrefix = 1): ContainerNode[] {
    const named = this.byName.get(ref.startsWith('/') ? ref.slice(1) : ref);
    if (named) return named;
    if (!/^[0-9a-f]{1,64}$/.test(ref) || ref.length < minPrefix) return [];
    const exact = this.containers.filter((node) => node.container.id === ref);
    return exact.length > 0 ? exact : this.containers.filter((node) => node.container.id.startsWith(ref));
  }

  findHost(ref: string): HostNode | undefined {
    return this.hosts.find((host) => host.name === ref || host.id === ref);
  }

  /** The network of `host` (or a global one it sees) whose subnet holds `ip`, most specific first. */
  networksHolding(ip: IpAddress, host: HostNode): NetNode[] {
    const holding: Array<{ net: NetNode; prefix: number }> = [];
    for (const net of this.nets.values()) {
      if (!net.hosts.includes(host)) continue;
      for (const subnet of net.subnets) if (cidrContainsIp(subnet, ip)) holding.push({ net, prefix: subnet.prefix });
    }
    return holding.sort((a, b) => b.prefix - a.prefix).map((entry) => entry.net);
  }
}

function modeOf(networkMode: string | undefined): ModeKind {
  if (networkMode === 'host') return 'host';
  if (networkMode === 'none') return 'none';
  if (networkMode?.startsWith('container:')) return 'container';
  return 'network';
}

function hasEmbeddedDns(network: NetworkModel): boolean {
  if (network.predefined) return false;
  return network.driver !== 'host' && network.driver !== 'null';
}

function subnetsOf(network: NetworkModel): Cidr[] {
  return network.ipam.flatMap((config) => {
    const parsed = config.subnet ? parseCidr(config.subnet, false) : undefined;
    return parsed?.ok && parsed.cidr.family === 4 ? [parsed.cidr] : [];
  });
}

/**
 * What Docker's embedded DNS answers on this network: every running member's container name,
 * network aliases and short ID (20.10 lists the short ID among the Aliases, which the model
 * drops; 26 says all of it in DNSNames).
 */
function fillNames(net: NetNode): void {
  if (!net.dns) return;
  const add = (name: string, entry: NameEntry) => {
    const list = net.names.get(name);
    if (!list) net.names.set(name, [entry]);
    else if (!list.some((other) => other.view === entry.view)) list.push(entry);
  };
  for (const view of net.members) {
    if (!view.node.running || view.endpoint.gatewayName || !view.endpoint.ipv4) continue;
    add(view.node.container.name, { view, kind: 'container-name' });
    for (const alias of view.endpoint.aliases) add(alias, { view, kind: 'alias' });
    add(view.node.shortId, { view, kind: 'short-id' });
    for (const name of view.endpoint.dnsNames ?? []) add(name, { view, kind: 'dns-name' });
  }
}

export function ipv4(text: string): IpAddress | undefined {
  if (!/^\s*\d+\.\d+\.\d+\.\d+\s*$/.test(text)) return undefined;
  const ip = parseIp(text);
  return ip?.family === 4 ? ip : undefined;
}
