import type { RawContainer, RawNetwork } from './dockerClient';
import type { ContainerModel, EndpointModel, HostSnapshot, IpamConfig, LinkModel, NetworkModel, PortModel } from '../model/snapshot';
import { ordinal } from '../util/arrays';
import { swarmFields, type SwarmNetworkFields } from './swarmNetwork';

/** Aliases and links of one endpoint: only a container inspect carries them. */
export interface EndpointExtras {
  aliases: string[];
  links: string[];
  /** `DNSNames` (API ≥ 1.44); undefined when the engine does not send it. */
  dnsNames?: string[];
}

/** The extras of one endpoint from a container inspect's `NetworkSettings.Networks[name]`. */
export function endpointExtras(settings: { Aliases?: unknown; Links?: unknown; DNSNames?: unknown }): EndpointExtras {
  return {
    aliases: stringList(settings.Aliases),
    links: stringList(settings.Links),
    dnsNames: Array.isArray(settings.DNSNames) ? stringList(settings.DNSNames) : undefined,
  };
}

/** containerId → network name → extras. */
export type EndpointExtrasByContainer = ReadonlyMap<string, Readonly<Record<string, EndpointExtras>>>;

/** State.StartedAt / State.FinishedAt of a container inspect (ISO; Docker's zero time when never). */
export interface ContainerTimes {
  startedAt?: string;
  finishedAt?: string;
  /** Not a time, but read from the same inspect: HostConfig.PortBindings (see portBindings()). */
  portBindings?: PortModel[];
  /** Also from that inspect: State.Error, why the last start failed ("" when none). */
  error?: string;
}

/** Inspect HostConfig.PortBindings ({"80/tcp": [{"HostIp": "", "HostPort": "8080"}]}) as ports. */
export function portBindings(raw: unknown): PortModel[] {
  if (typeof raw !== 'object' || raw === null) return [];
  return Object.entries(raw).flatMap(([key, bindings]) => {
    const [port, protocol = 'tcp'] = key.split('/');
    const containerPort = Number(port);
    if (!Number.isInteger(containerPort) || !Array.isArray(bindings)) return [];
    return bindings.map((binding: { HostIp?: unknown; HostPort?: unknown }) => {
      const hostPort = Number(binding?.HostPort);
      const hostIp = typeof binding?.HostIp === 'string' && binding.HostIp !== '' ? binding.HostIp : undefined;
      return { hostIp, hostPort: Number.isInteger(hostPort) && hostPort > 0 ? hostPort : undefined, containerPort, protocol };
    });
  });
}

const PREDEFINED_NETWORKS = new Set(['bridge', 'host', 'none']);
const ICC_OPTION = 'com.docker.network.bridge.enable_icc';

/**
 * Builds one host's snapshot from `GET /networks`, `GET /containers/json?all=1` and the
 * aliases/links of container inspects. Pure: the same answers always give the same snapshot,
 * sorted by name so the tree and diffs are stable.
 */
export function buildHostSnapshot(
  hostId: string,
  rawNetworks: readonly RawNetwork[],
  rawContainers: readonly RawContainer[],
  extras: EndpointExtrasByContainer = new Map(),
  times: ReadonlyMap<string, ContainerTimes> = new Map(),
): HostSnapshot {
  const networks = rawNetworks.map(toNetwork).sort(byName);
  const linksByParent = legacyLinks(rawContainers);
  const containers = rawContainers.map((raw) => toContainer(raw, times.get(raw.Id), linksByParent.get(containerName(raw)))).sort(byName);
  const networkIdByName = new Map(rawNetworks.map((network) => [network.Name, network.Id]));
  const listed = rawContainers.flatMap((raw) => toEndpoints(raw, extras.get(raw.Id), networkIdByName));
  const endpoints = [...listed, ...unlistedEndpoints(rawNetworks, rawContainers, listed)].sort(byEndpoint);
  return { hostId, networks, containers, endpoints };
}

export function toNetwork(raw: RawNetwork): NetworkModel {
  const options = stringRecord(raw.Options);
  return {
    id: raw.Id,
    name: raw.Name,
    driver: raw.Driver ?? '',
    scope: raw.Scope ?? 'local',
    internal: raw.Internal === true,
    attachable: raw.Attachable === true,
    ingress: raw.Ingress === true,
    enableIPv6: raw.EnableIPv6 === true,
    icc: options[ICC_OPTION] !== 'false',
    predefined: PREDEFINED_NETWORKS.has(raw.Name) && raw.Scope === 'local',
    ipam: (raw.IPAM?.Config ?? []).map(toIpam),
    // Fields of later APIs, read when present (26 sends ConfigOnly/ConfigFrom, 28 EnableIPv4).
    ...laterApiFields(raw as LaterNetworkFields),
    ...swarmFields(raw as SwarmNetworkFields, options),
    options,
    labels: stringRecord(raw.Labels),
    created: raw.Created,
  };
}

interface LaterNetworkFields {
  EnableIPv4?: unknown;
  ConfigOnly?: unknown;
  ConfigFrom?: { Network?: unknown } | null;
}

/** Only the fields that say something: absent ones keep snapshots of old and new engines equal. */
function laterApiFields(raw: LaterNetworkFields): Pick<NetworkModel, 'enableIPv4' | 'configOnly' | 'configFrom'> {
  const from = raw.ConfigFrom?.Network;
  return {
    ...(raw.EnableIPv4 === false ? { enableIPv4: false as const } : {}),
    ...(raw.ConfigOnly === true ? { configOnly: true as const } : {}),
    ...(typeof from === 'string' && from !== '' ? { configFrom: from } : {}),
  };
}

function toIpam(config: Record<string, unknown>): IpamConfig {
  const text = (value: unknown) => (typeof value === 'string' && value !== '' ? value : undefined);
  return { subnet: text(config.Subnet), gateway: text(config.Gateway), ipRange: text(config.IPRange) };
}

/**
 * Legacy links by declaring container name: the list names a linked container also
 * `/<parent>/<alias>` (Docker's name registry), e.g. ["/web2", "/web1/db"] — web1 said --link web2:db.
 */
function legacyLinks(rawContainers: readonly RawContainer[]): Map<string, LinkModel[]> {
  const byParent = new Map<string, LinkModel[]>();
  for (const raw of rawContainers) {
    const child = containerName(raw);
    for (const name of raw.Names ?? []) {
      const parts = name.replace(/^\//, '').split('/');
      if (parts.length !== 2) continue;
      const [parent, alias] = parts;
      byParent.set(parent, [...(byParent.get(parent) ?? []), { container: child, alias }]);
    }
  }
  return byParent;
}

export function toContainer(raw: RawContainer, times: ContainerTimes | undefined, links: LinkModel[] | undefined): ContainerModel {
  const networkMode = (raw.HostConfig as { NetworkMode?: unknown } | undefined)?.NetworkMode;
  const exitCode = /^Exited \((-?\d+)\)/.exec(raw.Status ?? '')?.[1];
  return {
    id: raw.Id,
    name: containerName(raw),
    image: raw.Image ?? '',
    state: raw.State ?? '',
    created: typeof raw.Created === 'number' && raw.Created > 0 ? raw.Created : undefined,
    startedAt: realTime(times?.startedAt),
    finishedAt: realTime(times?.finishedAt),
    exitCode: exitCode === undefined ? undefined : Number(exitCode),
    // Docker keeps the error of a start that failed until the next start; only news while it is down.
    ...(times?.error && raw.State !== 'running' ? { startError: times.error } : {}),
    ports: dedupePorts((raw.Ports ?? []).map(toPort)),
    labels: stringRecord(raw.Labels),
    ...(typeof networkMode === 'string' && networkMode !== '' ? { networkMode } : {}),
    ...(links ? { legacyLinks: links } : {}),
    ...(times?.portBindings ? { portBindings: dedupePorts(times.portBindings) } : {}),
  };
}

/** Docker says "0001-01-01T00:00:00Z" for a time that never happened (a container never started). */
function realTime(iso: string | undefined): string | undefined {
  return iso && !iso.startsWith('0001-') && !Number.isNaN(Date.parse(iso)) ? iso : undefined;
}

/** Docker lists names with a leading slash; linked containers add "/other/alias" entries. */
export function containerName(raw: Pick<RawContainer, 'Names' | 'Id'>): string {
  const names = (raw.Names ?? []).map((name) => name.replace(/^\//, ''));
  return names.find((name) => !name.includes('/')) ?? names[0] ?? raw.Id.slice(0, 12);
}

function toPort(raw: RawContainer['Ports'][number]): PortModel {
  return {
    hostIp: raw.IP || undefined,
    hostPort: raw.PublicPort || undefined,
    containerPort: raw.PrivatePort,
    protocol: raw.Type ?? 'tcp',
  };
}

function portKey(port: PortModel): string {
  return `${port.hostIp ?? ''}|${port.hostPort ?? ''}|${port.containerPort}|${port.protocol}`;
}

function dedupePorts(ports: PortModel[]): PortModel[] {
  const seen = new Map<string, PortModel>();
  for (const port of ports) seen.set(portKey(port), port);
  return [...seen.values()].sort(
    (a, b) => a.containerPort - b.containerPort || (a.hostPort ?? 0) - (b.hostPort ?? 0) || ordinal(portKey(a), portKey(b)),
  );
}

export function toEndpoints(
  raw: RawContainer,
  extras: Readonly<Record<string, EndpointExtras>> | undefined,
  networkIdByName: ReadonlyMap<string, string>,
): EndpointModel[] {
  const shortId = raw.Id.slice(0, 12);
  return Object.entries(raw.NetworkSettings?.Networks ?? {}).map(([networkName, settings]) => {
    const extra = extras?.[networkName];
    return {
      // A container created but never started has no endpoint yet: NetworkID is "". It is
      // still attached (Docker will not remove that network), so place it by network name.
      networkId: settings.NetworkID || networkIdByName.get(networkName) || '',
      containerId: raw.Id,
      endpointId: settings.EndpointID,
      ipv4: settings.IPAddress || undefined,
      ipv4PrefixLen: settings.IPAddress ? settings.IPPrefixLen : undefined,
      ipv6: settings.GlobalIPv6Address || undefined,
      ipv6PrefixLen: settings.GlobalIPv6Address ? settings.GlobalIPv6PrefixLen : undefined,
      mac: settings.MacAddress || undefined,
      gateway: settings.Gateway || undefined,
      // Docker adds the short container ID as an alias on every user-defined network: noise.
      aliases: (extra?.aliases ?? stringList(settings.Aliases)).filter((alias) => alias !== shortId),
      links: (extra?.links ?? stringList(settings.Links)).map(parseLink),
      ...(extra?.dnsNames ? { dnsNames: extra.dnsNames } : {}),
      ...gwPriority(settings as { GwPriority?: unknown }),
    };
  });
}

/** API ≥ 1.48: GwPriority, kept only when it says something (non-zero). */
function gwPriority(settings: { GwPriority?: unknown }): Pick<EndpointModel, 'gwPriority'> {
  return typeof settings.GwPriority === 'number' && settings.GwPriority !== 0 ? { gwPriority: settings.GwPriority } : {};
}

/**
 * Endpoints only a network inspect shows: a network whose `Containers` map is filled (the list
 * leaves it empty; SnapshotLoader inspects docker_gwbridge) may name endpoints the container
 * list does not — docker_gwbridge's `gateway_<sandbox>` of every container on an overlay. Keys
 * that are no container (swarm's "ingress-sbox", a remote "ep-<id>") are left out: the views
 * list containers.
 */
function unlistedEndpoints(
  rawNetworks: readonly RawNetwork[],
  rawContainers: readonly RawContainer[],
  listed: readonly EndpointModel[],
): EndpointModel[] {
  const containerIds = new Set(rawContainers.map((raw) => raw.Id));
  const known = new Set(listed.map((endpoint) => `${endpoint.networkId}/${endpoint.containerId}`));
  return rawNetworks.flatMap((network) =>
    Object.entries(network.Containers ?? {})
      .filter(([containerId]) => containerIds.has(containerId) && !known.has(`${network.Id}/${containerId}`))
      .map(([containerId, member]): EndpointModel => {
        const [ipv4, ipv4Prefix] = (member.IPv4Address ?? '').split('/');
        const [ipv6, ipv6Prefix] = (member.IPv6Address ?? '').split('/');
        return {
          networkId: network.Id,
          containerId,
          endpointId: member.EndpointID ?? '',
          ipv4: ipv4 || undefined,
          ipv4PrefixLen: ipv4 && ipv4Prefix ? Number(ipv4Prefix) : undefined,
          ipv6: ipv6 || undefined,
          ipv6PrefixLen: ipv6 && ipv6Prefix ? Number(ipv6Prefix) : undefined,
          mac: member.MacAddress || undefined,
          aliases: [],
          links: [],
          gatewayName: member.Name || undefined,
        };
      }),
  );
}

/** Endpoint links are "container:alias" ("container" alone means the alias is the name). */
export function parseLink(link: string): LinkModel {
  const [container, alias] = link.split(':');
  return { container: container.replace(/^\//, ''), alias: (alias ?? container).replace(/^\//, '') };
}

/** Docker sends null for an empty list; the typings say `any`. */
export function stringList(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((entry): entry is string => typeof entry === 'string') : [];
}

function stringRecord(value: unknown): Record<string, string> {
  const result: Record<string, string> = {};
  if (typeof value !== 'object' || value === null) return result;
  for (const [key, entry] of Object.entries(value)) if (typeof entry === 'string') result[key] = entry;
  return result;
}

/** The snapshot's endpoint order: by network, then container. */
export function byEndpoint(a: EndpointModel, b: EndpointModel): number {
  return ordinal(a.networkId, b.networkId) || ordinal(a.containerId, b.containerId);
}

export function byName<T extends { name: string }>(a: T, b: T): number {
  return a.name.localeCompare(b.name);
}
