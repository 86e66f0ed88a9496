import { buildHostSnapshot, endpointExtras, portBindings, type ContainerTimes, type EndpointExtras } from './buildSnapshot';
import type { HostSnapshot } from '../model/snapshot';
import type { ContainerAnswer } from './applyEvent';
import { mapLimit } from '../util/mapLimit';
import type { DockerClient, RawContainer, RawContainerInspect, RawNetwork } from './dockerClient';
import { withSwarmInspects, type SwarmNetworkFields } from './swarmNetwork';

type ExtrasByNetwork = Record<string, EndpointExtras>;
const NO_NETWORKS: ReadonlySet<string> = new Set();

/** The bridge libnetwork gives containers on overlays for their way out (their eth1). */
const GATEWAY_BRIDGE = 'docker_gwbridge';

/**
 * Loads a host snapshot with as few daemon calls as Docker allows: two list calls, plus one
 * inspect per container whose endpoints or state changed since the last load. Only an inspect
 * carries aliases and links (fixed when an endpoint is created) and the start and finish times
 * (fixed until the state changes), so a container whose state and (network, endpoint ID) pairs
 * are unchanged keeps its cached extras.
 */
export class SnapshotLoader {
  private readonly cache = new Map<string, CacheEntry>();
  /** docker_gwbridge as inspected, and the overlay endpoints it was inspected for. */
  private gateway: { key: string; network: RawNetwork } | undefined;
  /** Swarm networks as inspected (verbose), by ID, and the key they were inspected for. */
  private swarm: { key: string; networks: Map<string, RawNetwork & SwarmNetworkFields> } | undefined;

  constructor(
    private readonly client: DockerClient,
    /** The id the snapshot carries: the host's id in the registry. */
    private readonly hostId: string,
    private readonly inspectConcurrency = 16,
  ) {}

  async load(): Promise<HostSnapshot> {
    const [networks, containers] = await Promise.all([this.client.listNetworks(), this.client.listContainers()]);
    const swarmNames = new Set(networks.filter((network) => network.Scope === 'swarm').map((network) => network.Name));
    const keyOf = (container: RawContainer) => inspectKey(container, swarmNames);
    const stale = containers.filter((container) => this.cache.get(container.Id)?.key !== keyOf(container));
    await mapLimit(stale, this.inspectConcurrency, (container) => this.refreshExtras(container, keyOf(container)));
    const live = new Set(containers.map((container) => container.Id));
    for (const id of this.cache.keys()) if (!live.has(id)) this.cache.delete(id);
    const extras = new Map([...this.cache].map(([id, entry]) => [id, entry.extras]));
    const times = new Map([...this.cache].map(([id, entry]) => [id, entry.times]));
    const withGateway = await this.withGatewayMembers(networks, containers);
    const withSwarm = await this.withSwarmDetails(withGateway, containers);
    return buildHostSnapshot(this.hostId, withSwarm, containers, extras, times);
  }

  /**
   * One container as `load` would read it, for an event that names it: its list entry (filtered by
   * ID) and its inspect, side by side. Undefined when it is gone. dockerd copies a container to the
   * store the list reads only at the end of a change, while the inspect waits for the change's
   * lock: a list entry whose state or endpoints differ from the inspect's is read again (`stale`
   * says how many times; then the caller falls back to a full load).
   */
  async loadContainer(id: string, attempts = 4): Promise<ContainerAnswer | undefined | 'stale'> {
    const [first, listed] = await Promise.all([this.inspectOrGone(id), this.client.listContainer(id)]);
    let [inspect, raw] = [first, listed[0] as RawContainer | undefined];
    // Again one after the other: once the inspect has had the lock, the list shows that change.
    for (let attempt = 1; attempt < attempts && !agrees(raw, inspect); attempt++) {
      inspect = await this.inspectOrGone(id);
      raw = (await this.client.listContainer(id))[0];
    }
    if (!agrees(raw, inspect)) return 'stale';
    if (!raw || !inspect) {
      this.cache.delete(id);
      return undefined;
    }
    this.remember(raw, inspect);
    return containerAnswer(raw, inspect);
  }

  /** One network's list entry for an event that names it; undefined when it is gone. */
  async loadNetwork(id: string): Promise<RawNetwork | undefined> {
    return (await this.client.listNetwork(id)).find((network) => network.Id === id);
  }

  private async inspectOrGone(id: string): Promise<RawContainerInspect | undefined> {
    try {
      return await this.client.inspectContainer(id);
    } catch (error) {
      if ((error as { statusCode?: number }).statusCode === 404) return undefined;
      throw error;
    }
  }

  /**
   * docker_gwbridge's members are endpoints Docker makes itself (`gateway_<sandbox>`, one per
   * container on an overlay): neither list shows them, only its inspect. It is inspected when it
   * exists and the overlay endpoints changed since the last time (a container joins or leaves an
   * overlay, starts or stops), so a warm load stays at the two list calls.
   */
  private async withGatewayMembers(networks: RawNetwork[], containers: RawContainer[]): Promise<RawNetwork[]> {
    const listed = networks.find((network) => network.Name === GATEWAY_BRIDGE && network.Scope === 'local');
    if (!listed) {
      this.gateway = undefined;
      return networks;
    }
    const overlays = new Set(networks.filter((network) => network.Driver === 'overlay').map((network) => network.Name));
    const key = `${listed.Id}|${endpointKey(containers, overlays)}`;
    if (this.gateway?.key !== key) {
      try {
        this.gateway = { key, network: await this.client.inspectNetwork(listed.Id) };
      } catch (error) {
        // Removed between the list and the inspect: shown without members until the next load.
        if ((error as { statusCode?: number }).statusCode !== 404) throw error;
        this.gateway = undefined;
        return networks;
      }
    }
    const members = this.gateway.network.Containers;
    return networks.map((network) => (network === listed ? { ...listed, Containers: members } : network));
  }

  /**
   * Swarm networks' `Peers` and `Services` (who carries the network, every node's tasks on it)
   * are only in a verbose inspect, one per swarm network. Inspected again when this host's swarm
   * networks or its containers' endpoints on them change; what changes on another node alone
   * shows at this host's next load (that node's own view is current: its events reload it).
   */
  private async withSwarmDetails(networks: RawNetwork[], containers: RawContainer[]): Promise<RawNetwork[]> {
    const swarm = networks.filter((network) => network.Scope === 'swarm');
    if (swarm.length === 0) {
      this.swarm = undefined;
      return networks;
    }
    const names = new Set(swarm.map((network) => network.Name));
    const key = `${swarm
      .map((network) => network.Id)
      .sort()
      .join(',')}|${endpointKey(containers, names)}`;
    if (this.swarm?.key !== key) {
      const inspected = new Map<string, RawNetwork>();
      await mapLimit(swarm, this.inspectConcurrency, async (network) => {
        try {
          inspected.set(network.Id, await this.client.inspectNetwork(network.Id, { verbose: true }));
        } catch (error) {
          // Removed between the list and the inspect: shown from the list until the next load.
          if ((error as { statusCode?: number }).statusCode !== 404) throw error;
        }
      });
      this.swarm = { key, networks: inspected };
    }
    return withSwarmInspects(networks, this.swarm.networks);
  }

  private async refreshExtras(container: RawContainer, key: string): Promise<void> {
    // Removed between the list and the inspect: the next event-driven load drops it.
    const inspect = await this.inspectOrGone(container.Id);
    if (inspect) this.remember(container, inspect, key);
  }

  /** `key`: the load's, which knows the swarm networks; an event's read keys without them (a later load may inspect once more). */
  private remember(container: RawContainer, inspect: RawContainerInspect, key = inspectKey(container, NO_NETWORKS)): void {
    const { extras, times } = containerAnswer(container, inspect);
    this.cache.set(container.Id, { key, extras, times });
  }
}

/** What a load takes from a container's list entry and its inspect (the inspect's extras and times). */
export function containerAnswer(raw: RawContainer, inspect: RawContainerInspect): ContainerAnswer {
  const extras: ExtrasByNetwork = {};
  for (const [network, settings] of Object.entries(inspect.NetworkSettings?.Networks ?? {})) {
    extras[network] = endpointExtras(settings);
  }
  const times = {
    startedAt: inspect.State?.StartedAt,
    finishedAt: inspect.State?.FinishedAt,
    portBindings: portBindings(inspect.HostConfig?.PortBindings),
    error: inspect.State?.Error || undefined,
  };
  const links = (inspect.HostConfig as { Links?: unknown } | undefined)?.Links;
  return { raw, extras, times, declaresLinks: Array.isArray(links) && links.length > 0 };
}

interface CacheEntry {
  key: string;
  extras: ExtrasByNetwork;
  times: ContainerTimes;
}

/** The list entry and the inspect say the same state and endpoints (or both say "gone"). */
export function agrees(raw: RawContainer | undefined, inspect: RawContainerInspect | undefined): boolean {
  if (!raw || !inspect) return !raw && !inspect;
  const endpoints = Object.entries(inspect.NetworkSettings?.Networks ?? {})
    .map(([network, settings]) => `${network}=${settings.EndpointID}`)
    .sort()
    .join(',');
  return inspectKey(raw, NO_NETWORKS) === `${inspect.State?.Status ?? ''}|${endpoints}`;
}

/** Each container's state and endpoint on the networks named: what changes a network's members. */
function endpointKey(containers: readonly RawContainer[], networkNames: ReadonlySet<string>): string {
  return containers
    .flatMap((container) =>
      Object.entries(container.NetworkSettings?.Networks ?? {})
        .filter(([name]) => networkNames.has(name))
        .map(([name, settings]) => `${container.Id}:${container.State ?? ''}:${name}=${settings.EndpointID}`),
    )
    .sort()
    .join(',');
}

/**
 * What, unchanged, keeps an inspect valid: the state and the endpoints. A stopped container on a
 * swarm network also keeps its Status text: a start that fails there (Engine 25+'s "could not
 * find a network matching network mode …", State.Error) changes neither state nor endpoints, and
 * only the inspect says why it is still down.
 */
function inspectKey(container: RawContainer, swarmNetworks: ReadonlySet<string>): string {
  const networks = Object.entries(container.NetworkSettings?.Networks ?? {});
  const endpoints = networks
    .map(([network, settings]) => `${network}=${settings.EndpointID}`)
    .sort()
    .join(',');
  const downOnSwarm = container.State !== 'running' && networks.some(([network]) => swarmNetworks.has(network));
  return `${container.State ?? ''}|${endpoints}${downOnSwarm ? `|${container.Status ?? ''}` : ''}`;
}
