/** Asks one daemon, through our DockerClient, what the live rules need: info, version, networks. */
import { DockerClient, isUnexpectedAnswer, SshLayerError } from '../../docker/dockerClient';
import { parseDockerUrl } from '../../hosts/dockerUrl';
import type { HostKeyTrust } from '../../ssh/hostKeyTrust';
import { containerName } from '../../docker/buildSnapshot';
import { mapLimit } from '../../util/mapLimit';
import type { LiveHost } from './types';
import { swarmFacts, type SwarmFacts } from './swarmFacts';

export interface NetworkFacts {
  name: string;
  driver: string;
  scope: string;
  subnets: string[];
  /** An overlay made with `--opt encrypted`: its traffic between nodes is ESP (IP protocol 50). */
  encrypted?: boolean;
}

/** What the upgrade check (DNE166) reads of one container. */
export interface ContainerFacts {
  name: string;
  /** Each network it is on, with its address there and the network's driver. */
  networks: Array<{ name: string; driver: string; ipv4: string }>;
  /** Exposed ports without a host port, "80/tcp" (reachable only by the container's address). */
  unpublishedPorts: string[];
  /** Sysctls of one interface (net.ipv4.conf.eth0.*, net.ipv6.conf.eth0.*) given as --sysctl. */
  interfaceSysctls: string[];
}

export interface DockerFacts {
  kind: 'ok';
  /** The node's name (its hostname): serf needs it unique across the cluster. */
  name: string;
  serverVersion: string;
  kernelVersion: string;
  /** "" when the daemon runs without one (and always from Docker 23 on). */
  clusterStore: string;
  clusterAdvertise: string;
  /** Swarm.LocalNodeState: inactive, pending, active, error, locked. */
  swarmState: string;
  /** In a swarm (any state but inactive): what the swarm doctor reads. */
  swarm?: SwarmFacts;
  networks: NetworkFacts[];
  /** The engine's API version ("1.41"); "" when /version did not answer. */
  apiVersion: string;
  /** docker info's ID: unique per engine unless a machine was cloned with its Docker state. */
  id?: string;
  /** The daemon's clock minus this machine's when it answered (docker info SystemTime), in ms. */
  clockOffsetMs?: number;
  /** Only when asked for (the upgrade check): every container, inspected for its sysctls. */
  containers?: ContainerFacts[];
  /**
   * Answers of the wrong shape ("version on h failed: the daemon answered something unexpected:
   * Version: expected string, got null"): the facts they would give are left empty.
   */
  unexpected?: string[];
}

export type DockerResult =
  | DockerFacts
  /** `ssh`: the ssh connection failed, so dockerd itself was never asked. */
  | { kind: 'unreachable'; reason: string; failedLayer?: 'ssh' }
  /** `docker info` answered, but nothing the rules can read. */
  | { kind: 'unexpected'; reason: string };

const INSPECT_PARALLEL = 8;

export async function probeDocker(
  host: LiveHost,
  timeoutMs: number,
  want: { containers?: boolean; hostKeys?: HostKeyTrust } = {},
): Promise<DockerResult> {
  // The host's full connection settings when known (TLS files, ssh login), else its URL alone.
  const parsed = host.config?.endpoint ? { endpoint: host.config.endpoint, problem: undefined } : parseDockerUrl(host.url);
  if (!parsed.endpoint) return { kind: 'unreachable', reason: host.config?.problem ?? parsed.problem ?? 'unusable address' };
  const client = new DockerClient(parsed.endpoint, host.name, { timeoutMs, hostKeys: want.hostKeys });
  const [info, version, networks] = await Promise.allSettled([client.info(), client.version(), client.listNetworks()]);
  if (info.status === 'rejected') {
    const reason = (info.reason as Error).message;
    if (isUnexpectedAnswer(info.reason)) return { kind: 'unexpected', reason };
    return info.reason instanceof SshLayerError ? { kind: 'unreachable', reason, failedLayer: 'ssh' } : { kind: 'unreachable', reason };
  }
  const answeredAt = Date.now();
  const unexpected = [version, networks].flatMap((answer) =>
    answer.status === 'rejected' && isUnexpectedAnswer(answer.reason) ? [answer.reason.message] : [],
  );
  const facts = info.value;
  const systemTime = Date.parse(text(facts.SystemTime));
  const networkList = networks.status === 'fulfilled' ? networks.value : [];
  const swarm = await swarmFacts(facts, client);
  const versionFacts = version.status === 'fulfilled' ? version.value : undefined;
  return {
    kind: 'ok',
    name: text(facts.Name),
    serverVersion: text(versionFacts?.Version ?? facts.ServerVersion),
    kernelVersion: text(versionFacts?.KernelVersion ?? facts.KernelVersion),
    clusterStore: text(facts.ClusterStore),
    clusterAdvertise: text(facts.ClusterAdvertise),
    swarmState: text(facts.Swarm?.LocalNodeState),
    ...(swarm ? { swarm } : {}),
    id: text(facts.ID),
    ...(Number.isFinite(systemTime) ? { clockOffsetMs: systemTime - answeredAt } : {}),
    // Without the list only the overlap rule loses its input; the other rules still hold.
    networks:
      networks.status === 'fulfilled'
        ? networkList.map((network) => ({
            name: network.Name,
            driver: network.Driver,
            scope: network.Scope,
            subnets: (network.IPAM?.Config ?? []).map((pool) => pool.Subnet ?? '').filter((subnet) => subnet !== ''),
            ...(network.Options && 'encrypted' in network.Options ? { encrypted: true } : {}),
          }))
        : [],
    apiVersion: text(versionFacts?.ApiVersion),
    ...(want.containers ? { containers: await containerFacts(client, networkList, unexpected) } : {}),
    unexpected,
  };
}

/** A host given by its URL alone: unix, plain tcp, or ssh with no login settings. */

/** Undefined entries are containers gone between list and inspect. A failed list leaves the check without containers. */
async function containerFacts(
  client: DockerClient,
  networks: ReadonlyArray<{ Name: string; Driver?: string }>,
  unexpected: string[],
): Promise<ContainerFacts[]> {
  let listed: Awaited<ReturnType<DockerClient['listContainers']>>;
  try {
    listed = await client.listContainers();
  } catch (error) {
    if (isUnexpectedAnswer(error)) unexpected.push(error.message);
    return [];
  }
  const driverOf = new Map(networks.map((network) => [network.Name, network.Driver]));
  const sysctls = await mapLimit(listed, INSPECT_PARALLEL, async (container) => {
    try {
      return (await client.inspectContainer(container.Id)).HostConfig?.Sysctls ?? {};
    } catch {
      return {};
    }
  });
  return listed.map((container, index) => ({
    name: containerName(container),
    networks: Object.entries(container.NetworkSettings?.Networks ?? {}).map(([name, settings]) => ({
      name,
      driver: driverOf.get(name) ?? '',
      ipv4: settings.IPAddress ?? '',
    })),
    unpublishedPorts: [
      ...new Set((container.Ports ?? []).filter((port) => !port.PublicPort).map((port) => `${port.PrivatePort}/${port.Type}`)),
    ],
    interfaceSysctls: Object.keys(sysctls[index] ?? {}).filter(isInterfaceSysctl),
  }));
}

/** `net.<family>.<conf|neigh>.<ethN>.<name>`: what Engine 28 (API 1.48) refuses as a top-level --sysctl. */
export function isInterfaceSysctl(name: string): boolean {
  const parts = name.split('.');
  return parts.length >= 5 && parts[0] === 'net' && parts[3].startsWith('eth');
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

// Version arithmetic lives with the engine's words; re-exported for the live rules.
export { versionBelow, versionParts } from '../engine';
