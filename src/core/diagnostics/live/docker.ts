/** Asks one daemon, through our DockerClient, what the live rules need: info, version, networks. */
import { DockerClient } from '../../docker/dockerClient';
import { parseDockerUrl } from '../../hosts/dockerUrl';
import type { LiveHost } from './types';

export interface NetworkFacts {
  name: string;
  driver: string;
  scope: string;
  subnets: string[];
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
  networks: NetworkFacts[];
}

export type DockerResult = DockerFacts | { kind: 'unreachable'; reason: string };

export async function probeDocker(host: LiveHost, timeoutMs: number): Promise<DockerResult> {
  const parsed = parseDockerUrl(host.url);
  if (!parsed.endpoint) return { kind: 'unreachable', reason: parsed.problem ?? 'unusable address' };
  const client = new DockerClient(
    { id: host.name, name: host.name, source: 'setting', url: host.url, endpoint: parsed.endpoint, warnings: [] },
    { timeoutMs },
  );
  const [info, version, networks] = await Promise.allSettled([
    client.info(),
    client.request('version', (api) => api.version()),
    client.listNetworks(),
  ]);
  if (info.status === 'rejected') return { kind: 'unreachable', reason: (info.reason as Error).message };
  const facts = info.value;
  const swarm = facts.Swarm as { LocalNodeState?: unknown } | undefined;
  return {
    kind: 'ok',
    name: text(facts.Name),
    serverVersion: version.status === 'fulfilled' ? version.value.Version : text(facts.ServerVersion),
    kernelVersion: version.status === 'fulfilled' ? version.value.KernelVersion : text(facts.KernelVersion),
    clusterStore: text(facts.ClusterStore),
    clusterAdvertise: text(facts.ClusterAdvertise),
    swarmState: text(swarm?.LocalNodeState),
    // Without the list only the overlap rule loses its input; the other rules still hold.
    networks: networks.status === 'fulfilled'
      ? networks.value.map((network) => ({
          name: network.Name,
          driver: network.Driver,
          scope: network.Scope,
          subnets: (network.IPAM?.Config ?? []).map((pool) => pool.Subnet ?? '').filter((subnet) => subnet !== ''),
        }))
      : [],
  };
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

/** Leading numeric parts of a version ("20.10.24", "5.10.0-23-amd64", "17.06.0-ce"). */
export function versionParts(version: string): number[] {
  const match = /^v?(\d+)(?:\.(\d+))?(?:\.(\d+))?/.exec(version.trim());
  return match ? match.slice(1).filter((part) => part !== undefined).map(Number) : [];
}

export function versionBelow(version: string, minimum: number[]): boolean {
  const parts = versionParts(version);
  if (parts.length === 0) return false;
  for (let i = 0; i < minimum.length; i++) {
    const part = parts[i] ?? 0;
    if (part !== minimum[i]) return part < minimum[i];
  }
  return false;
}
