import { buildHostSnapshot, endpointExtras, portBindings, type ContainerTimes, type EndpointExtras } from './buildSnapshot';
import type { HostSnapshot } from '../model/snapshot';
import type { ContainerAnswer } from './applyEvent';
import { mapLimit } from '../util/mapLimit';
import type { DockerClient, RawContainer, RawContainerInspect, RawNetwork } from './dockerClient';

type ExtrasByNetwork = Record<string, EndpointExtras>;

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

  constructor(
    private readonly client: DockerClient,
    /** The id the snapshot carries: the host's id in the registry. */
    private readonly hostId: string,
    private readonly inspectConcurrency = 16,
  ) {}

  async load(): Promise<HostSnapshot> {
    const [networks, containers] = await Promise.all([this.client.listNetworks(), this.client.listContainers()]);
    const stale = containers.filter((container) => this.cache.get(container.Id)?.key !== inspectKey(container));
    await mapLimit(stale, this.inspectConcurrency, (container) => this.refreshExtras(container));
    const live = new Set(containers.map((container) => container.Id));
    for (const id of this.cache.keys()) if (!live.has(id)) this.cache.delete(id);
    const extras = new Map([...this.cache].map(([id, entry]) => [id, entry.extras]));
    const times = new Map([...this.cache].map(([id, entry]) => [id, entry.times]));
    const withGateway = await this.withGatewayMembers(networks, containers);
    return buildHostSnapshot(this.hostId, withGateway, containers, extras, times);
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
    const key = `${listed.Id}|${containers
      .flatMap((container) =>
        Object.entries(container.NetworkSettings?.Networks ?? {})
          .filter(([name]) => overlays.has(name))
          .map(([name, settings]) => `${container.Id}:${container.State ?? ''}:${name}=${settings.EndpointID}`),
      )
      .sort()
      .join(',')}`;
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

  private async refreshExtras(container: RawContainer): Promise<void> {
    // Removed between the list and the inspect: the next event-driven load drops it.
    const inspect = await this.inspectOrGone(container.Id);
    if (inspect) this.remember(container, inspect);
  }

  private remember(container: RawContainer, inspect: RawContainerInspect): void {
    const { extras, times } = containerAnswer(container, inspect);
    this.cache.set(container.Id, { key: inspectKey(container), extras, times });
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
  return inspectKey(raw) === `${inspect.State?.Status ?? ''}|${endpoints}`;
}

/** What, unchanged, keeps an inspect valid: the state and the endpoints. */
function inspectKey(container: RawContainer): string {
  const endpoints = Object.entries(container.NetworkSettings?.Networks ?? {})
    .map(([network, settings]) => `${network}=${settings.EndpointID}`)
    .sort()
    .join(',');
  return `${container.State ?? ''}|${endpoints}`;
}
