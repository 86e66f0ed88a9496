import { buildHostSnapshot, stringList, type ContainerTimes, type EndpointExtras } from '../model/buildSnapshot';
import type { HostSnapshot } from '../model/snapshot';
import { mapLimit } from '../util/mapLimit';
import type { DockerClient, RawContainer } from './dockerClient';

type ExtrasByNetwork = Record<string, EndpointExtras>;

/**
 * Loads a host snapshot with as few daemon calls as Docker allows: two list calls, plus one
 * inspect per container whose endpoints or state changed since the last load. Only an inspect
 * carries aliases and links (fixed when an endpoint is created) and the start and finish times
 * (fixed until the state changes), so a container whose state and (network, endpoint ID) pairs
 * are unchanged keeps its cached extras.
 */
export class SnapshotLoader {
  private readonly cache = new Map<string, { key: string; extras: ExtrasByNetwork; times: ContainerTimes }>();

  constructor(
    private readonly client: DockerClient,
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
    return buildHostSnapshot(this.client.host.id, networks, containers, extras, times);
  }

  private async refreshExtras(container: RawContainer): Promise<void> {
    try {
      const inspect = await this.client.inspectContainer(container.Id);
      const extras: ExtrasByNetwork = {};
      for (const [network, settings] of Object.entries(inspect.NetworkSettings?.Networks ?? {})) {
        extras[network] = { aliases: stringList(settings.Aliases), links: stringList(settings.Links) };
      }
      const times = { startedAt: inspect.State?.StartedAt, finishedAt: inspect.State?.FinishedAt };
      this.cache.set(container.Id, { key: inspectKey(container), extras, times });
    } catch (error) {
      // Removed between the list and the inspect: the next event-driven load drops it.
      if ((error as { statusCode?: number }).statusCode === 404) return;
      throw error;
    }
  }
}

/** What, unchanged, keeps an inspect valid: the state and the endpoints. */
function inspectKey(container: RawContainer): string {
  const endpoints = Object.entries(container.NetworkSettings?.Networks ?? {})
    .map(([network, settings]) => `${network}=${settings.EndpointID}`)
    .sort()
    .join(',');
  return `${container.State ?? ''}|${endpoints}`;
}
