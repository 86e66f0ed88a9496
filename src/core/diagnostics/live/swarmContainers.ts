/**
 * Containers on swarm overlays, as the doctor sees them on every swarm host it was given:
 *
 * - DNE240: a container left down because its start failed with "could not find a network
 *   matching network mode N". Engine 25+ (moby daemon/container_operations.go, connectToNetwork →
 *   normalizeNetMode) looks its first network up among the networks this node has attached while
 *   it joins its others, in Go's random map order: when an attachable swarm overlay is not attached
 *   on this node yet (after a dockerd restart, or nothing else here uses it), joining the second
 *   network first fails the start. dockerd tries once after its restart and leaves it `exited`.
 *   Engine 20.10 has no such lookup. Proven on the lab (test/integration/swarmLab.test.ts).
 * - DNE241: a name held by two containers on one swarm overlay (another node's too): Engines 20.10
 *   and 26 accept the second without a word, and the overlay's DNS answers the name with either.
 */
import { DockerClient } from '../../docker/dockerClient';
import { SnapshotLoader } from '../../docker/snapshotLoader';
import { parseDockerUrl } from '../../hosts/dockerUrl';
import type { HostSnapshot } from '../../model/snapshot';
import type { HostKeyTrust } from '../../ssh/hostKeyTrust';
import { Codes } from '../codes';
import type { Finding } from '../finding';
import { findingAt } from './anchor';
import type { Anchor, LiveHost } from './types';

export interface SwarmHostView {
  host: LiveHost;
  snapshot: HostSnapshot;
}

/** Docker's words (daemon/container_operations.go normalizeNetMode); then ": network N not found". */
const NETWORK_MODE_NOT_FOUND = /^could not find a network matching network mode ([^\s:]+):/;

/** Each swarm host's snapshot, as the explorer loads it; a host that does not answer is left out (the other rules say why). */
export async function loadSwarmViews(hosts: readonly LiveHost[], timeoutMs: number, hostKeys?: HostKeyTrust): Promise<SwarmHostView[]> {
  const loaded = await Promise.all(
    hosts.map(async (host) => {
      const parsed = host.config?.endpoint ? { endpoint: host.config.endpoint } : parseDockerUrl(host.url);
      if (!parsed.endpoint) return undefined;
      const client = new DockerClient(parsed.endpoint, host.name, { timeoutMs, hostKeys });
      const snapshot = await new SnapshotLoader(client, host.name).load().catch(() => undefined);
      return snapshot ? { host, snapshot } : undefined;
    }),
  );
  return loaded.filter((view): view is SwarmHostView => view !== undefined);
}

export function swarmContainerFindings(views: readonly SwarmHostView[]): Finding[] {
  return [...views.flatMap(networkModeFindings), ...nameClashFindings(views)];
}

function urlAnchor(host: LiveHost): Anchor {
  return { file: host.url, range: { startLine: 0, startColumn: 0, endLine: 0, endColumn: 0 } };
}

/** DNE240. */
function networkModeFindings({ host, snapshot }: SwarmHostView): Finding[] {
  return snapshot.containers.flatMap((container) => {
    const mode = NETWORK_MODE_NOT_FOUND.exec(container.startError ?? '')?.[1];
    if (!mode || container.state === 'running') return [];
    const network = snapshot.networks.find((candidate) => candidate.name === mode || candidate.id === mode);
    // A network gone for good is another story (the start can never work): say only what we know.
    if (network && network.scope !== 'swarm') return [];
    const others = snapshot.endpoints
      .filter((endpoint) => endpoint.containerId === container.id && endpoint.networkId !== network?.id)
      .map((endpoint) => snapshot.networks.find((candidate) => candidate.id === endpoint.networkId)?.name)
      .filter((name): name is string => name !== undefined);
    const sure = others.length
      ? ` For sure, join it to ${mode} alone first: ${others.map((other) => `docker network disconnect ${other} ${container.name}`).join('; ')}; ` +
        `docker start ${container.name}; ${others.map((other) => `docker network connect ${other} ${container.name}`).join('; ')}.`
      : '';
    return [
      findingAt(
        urlAnchor(host),
        'warning',
        Codes.swarmNetworkModeNotFound,
        `${container.name} on ${host.name} is ${container.state}: its start failed with "${container.startError}". ${mode} is a swarm ` +
          `overlay this node had not attached yet when ${container.name} joined its other network first (Engine 25+ looks up its ` +
          `network mode then; the order is random), and dockerd does not try again. \`docker start ${container.name}\` brings it ` +
          `back once the join order falls right (repeat it if the same error comes back, or "network <id> not ` +
          `found": a join the failed start left pending).${sure}`,
      ),
    ];
  });
}

/** DNE241, once per network and name, at the first host (in the given order) that runs one of them. */
function nameClashFindings(views: readonly SwarmHostView[]): Finding[] {
  // network id → name → endpoint id → where it runs
  const byNetwork = new Map<string, { name: string; names: Map<string, Map<string, { where: string; host?: LiveHost }>> }>();
  const entry = (id: string, networkName: string) => {
    const found = byNetwork.get(id) ?? { name: networkName, names: new Map() };
    byNetwork.set(id, found);
    return found;
  };
  const add = (id: string, networkName: string, name: string, endpointId: string, where: string, host?: LiveHost) => {
    const names = entry(id, networkName).names;
    const holders = names.get(name) ?? new Map();
    names.set(name, holders);
    if (!holders.has(endpointId) || host) holders.set(endpointId, { where, host });
  };
  for (const { host, snapshot } of views) {
    // ingress: one "ingress-endpoint" per node, Docker's own; likewise each overlay's "<network>-endpoint" load balancer.
    for (const network of snapshot.networks.filter((candidate) => candidate.scope === 'swarm' && !candidate.ingress)) {
      for (const endpoint of snapshot.endpoints.filter((candidate) => candidate.networkId === network.id && candidate.endpointId)) {
        const container = snapshot.containers.find((candidate) => candidate.id === endpoint.containerId);
        if (container) add(network.id, network.name, container.name, endpoint.endpointId, host.name, host);
      }
      for (const task of network.services?.find((service) => service.name === '')?.tasks ?? [])
        if (task.endpointId && task.name !== `${network.name}-endpoint`)
          add(network.id, network.name, task.name, task.endpointId, task.hostIp ?? 'another node');
    }
  }
  const findings: Finding[] = [];
  for (const { name: networkName, names } of byNetwork.values()) {
    for (const [name, holders] of names) {
      if (holders.size < 2) continue;
      const places = [...holders.values()];
      const anchorHost = places.find((place) => place.host)?.host ?? views[0].host;
      findings.push(
        findingAt(
          urlAnchor(anchorHost),
          'warning',
          Codes.swarmNameClash,
          `${holders.size} containers named ${name} are on swarm overlay ${networkName} (on ${places.map((place) => place.where).join(', ')}): ` +
            `the overlay's DNS answers ${name} with either address, so peers reach one or the other. Docker accepts the second ` +
            `without a word (20.10 and 26 alike). Rename one (docker rename ${name} ${name}-2 on its host) or disconnect it from ${networkName}.`,
        ),
      );
    }
  }
  return findings;
}
