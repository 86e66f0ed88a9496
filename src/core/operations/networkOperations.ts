/**
 * Every network operation of the seed (create, connect, disconnect, remove, prune), checked
 * against the host's snapshot before any daemon call, and never leaving half-done work: what
 * was created or disconnected on the way is undone when a later step fails.
 */
import type { DockerClient, RawNetwork } from '../docker/dockerClient';
import { DockerOperationsClient, DockerRequestError, type ConnectBody, type NetworkCreateBody } from '../docker/dockerOperationsClient';
import type { ContainerModel, EndpointModel, HostSnapshot, NetworkModel } from '../model/snapshot';
import { OPTION_ENCRYPTED, toCreateOptions, type NetworkSpec } from './networkSpec';
import {
  findContainer,
  findNetwork,
  splitList,
  validateConnectSpec,
  validateDisconnect,
  type ConnectSpec,
  type DisconnectSpec,
} from './validateConnect';
import { validateNetworkSpec, type FieldProblem } from './validateNetwork';
import { errorMessage } from '../util/errors';

/** Our own refusal: the input is wrong for this host. Nothing that changes the daemon was sent. */
export class OperationRefusedError extends Error {
  constructor(readonly problems: Array<FieldProblem<string>>) {
    super(problems.map((problem) => problem.message).join('\n'));
  }
}

/** A step failed after earlier ones changed the daemon; `message` says what was undone (or not). */
export class OperationRolledBackError extends Error {
  constructor(
    message: string,
    override readonly cause: unknown,
    /** True when the undo itself failed and something is left for the user to clean up. */
    readonly leftBehind: boolean,
  ) {
    super(`${message}\nCause: ${cause instanceof Error ? cause.message : String(cause)}`);
  }
}

export interface CreatedNetwork {
  id: string;
  name: string;
  /** Docker's "Warning" from the create answer, when it gave one. */
  warning?: string;
  sent: NetworkCreateBody;
}

export type OverlaySupport =
  | { ok: true; mode: 'swarm' | 'cluster-store'; note?: string }
  | { ok: false; reason: string; /** Offer the cluster-store diagnostics next to the reason. */ suggestDiagnostics: boolean };

export interface AttachedContainer {
  container: ContainerModel;
  endpoint: EndpointModel;
  running: boolean;
}

export interface PruneResult {
  removed: NetworkModel[];
  failed: Array<{ network: NetworkModel; error: Error }>;
}

const PREDEFINED = new Set(['bridge', 'host', 'none']);
/** Container states Docker refuses to remove without force. */
const STILL_RUNNING = new Set(['running', 'paused', 'restarting']);
const DOCKER_NOT_SWARM_MANAGER =
  'This node is not a swarm manager. Use "docker swarm init" or "docker swarm join" to connect this node to swarm and try again.';

export class NetworkOperations {
  private readonly docker: DockerOperationsClient;

  constructor(client: DockerClient) {
    this.docker = new DockerOperationsClient(client);
  }

  async createNetwork(spec: NetworkSpec, snapshot: HostSnapshot): Promise<CreatedNetwork> {
    const problems = validateNetworkSpec(spec, snapshot);
    if (problems.length > 0) throw new OperationRefusedError(problems);
    if (spec.driver === 'overlay') {
      const support = this.canCreateOverlay(await this.docker.client.info());
      if (!support.ok) throw refusal('driver', support.reason);
    }
    const body = toCreateOptions(spec);
    const answer = await this.docker.createNetwork(body).catch(async (error: unknown) => {
      // No HTTP answer: the daemon may have created it before the connection broke.
      if (error instanceof DockerRequestError && error.statusCode === undefined) await this.removeIfCreated(body, error);
      throw error;
    });
    await this.verifyCreated(answer.Id, body);
    return { id: answer.Id, name: body.Name, warning: answer.Warning || undefined, sent: body };
  }

  async connect(spec: ConnectSpec, snapshot: HostSnapshot): Promise<void> {
    const problems = validateConnectSpec(spec, snapshot);
    if (problems.length > 0) throw new OperationRefusedError(problems);
    const { container, network } = resolvePair(spec, snapshot);
    const links = splitList(spec.links).map((link) => {
      const [target, alias] = link.split(':');
      // Name the target as Docker lists it, whatever reference (ID prefix) the user typed.
      return `${findContainer(snapshot, target)?.name ?? target}:${alias ?? target}`;
    });
    await this.docker.connectNetwork(network.id, connectBody(container.id, splitList(spec.aliases), links, spec.ipv4Address?.trim()));
  }

  async disconnect(spec: DisconnectSpec, snapshot: HostSnapshot): Promise<void> {
    const problem = validateDisconnect(spec, snapshot);
    if (problem) throw refusal('network', problem);
    const { container, network } = resolvePair(spec, snapshot);
    await this.docker.disconnectNetwork(network.id, { Container: container.id, Force: spec.force });
  }

  /**
   * Removes a network. With containers still attached it refuses, unless `disconnectAttached`
   * (the user confirmed `removalConfirmation`): then they are disconnected first and reconnected
   * if the removal fails. Stopped containers count: Docker would remove the network under them
   * and they could not start again ("network … not found").
   */
  async removeNetwork(networkRef: string, snapshot: HostSnapshot, options: { disconnectAttached?: boolean } = {}): Promise<void> {
    const network = findNetwork(snapshot, networkRef);
    if (!network) throw refusal('network', `There is no network "${networkRef}" on this host.`);
    if (isPredefined(network)) {
      throw refusal(
        'network',
        `${network.name} is one of Docker's predefined networks (bridge, host, none) and cannot be removed ` +
          `(Docker: "${network.name} is a pre-defined network and cannot be removed").`,
      );
    }
    const attached = this.attachedContainers(network, snapshot);
    if (attached.length > 0 && !options.disconnectAttached) {
      throw refusal(
        'network',
        `${network.name} still has containers attached: ${describeAttached(attached)}. ` +
          'Disconnect them first, or confirm removing the network with them disconnected.',
      );
    }
    const disconnected: AttachedContainer[] = [];
    try {
      for (const entry of attached) {
        await this.docker.disconnectNetwork(network.id, { Container: entry.container.id, Force: true });
        disconnected.push(entry);
      }
      await this.docker.removeNetwork(network.id);
    } catch (error) {
      if (disconnected.length === 0) throw error;
      await this.reconnect(network, disconnected, error);
    }
  }

  /**
   * Removes a container that is not running (exited, created, dead): the topology offers it for
   * stopped containers, which otherwise keep their endpoints and names. A running one is refused
   * here, before Docker would ("You cannot remove a running container"): stopping it is the
   * user's decision, not a side effect of a menu item.
   */
  async removeContainer(containerRef: string, snapshot: HostSnapshot): Promise<void> {
    const container = findContainer(snapshot, containerRef);
    if (!container) throw refusal('container', `There is no container "${containerRef}" on this host.`);
    if (STILL_RUNNING.has(container.state)) {
      throw refusal(
        'container',
        `${container.name} is ${container.state}: stop it first (docker stop ${container.name}); only a stopped container is removed here.`,
      );
    }
    await this.docker.removeContainer(container.id);
  }

  /** The text of the modal that confirms removing a stopped container. */
  containerRemovalConfirmation(container: ContainerModel, snapshot: HostSnapshot): string {
    const networks = snapshot.endpoints
      .filter((endpoint) => endpoint.containerId === container.id)
      .map((endpoint) => snapshot.networks.find((network) => network.id === endpoint.networkId)?.name ?? endpoint.networkId.slice(0, 12));
    const on = networks.length ? `; it leaves ${networks.join(', ')}` : '';
    return `Remove container ${container.name} (${container.state}, ${container.image})${on}? Its writable layer is deleted; its volumes are kept.`;
  }

  /** Containers attached to `network`, running or not, for the removal confirmation. */
  attachedContainers(network: NetworkModel, snapshot: HostSnapshot): AttachedContainer[] {
    return snapshot.endpoints
      .filter((endpoint) => endpoint.networkId === network.id)
      .flatMap((endpoint) => {
        const container = snapshot.containers.find((candidate) => candidate.id === endpoint.containerId);
        return container ? [{ container, endpoint, running: container.state === 'running' }] : [];
      });
  }

  /** The text of the modal that confirms removing `network`. */
  removalConfirmation(network: NetworkModel, snapshot: HostSnapshot): string {
    const attached = this.attachedContainers(network, snapshot);
    if (attached.length === 0) return `Remove network ${network.name}? No container is attached to it.`;
    return `Remove network ${network.name}? These containers will be disconnected from it: ${describeAttached(attached)}.`;
  }

  /**
   * Networks nobody uses: not predefined, not swarm's ingress, and no container attached, not
   * even a stopped one (Docker's own prune would remove those and break the container's start).
   */
  pruneCandidates(snapshot: HostSnapshot): NetworkModel[] {
    const used = new Set(snapshot.endpoints.map((endpoint) => endpoint.networkId));
    return snapshot.networks.filter((network) => !isPredefined(network) && !network.ingress && !used.has(network.id));
  }

  /**
   * Removes exactly the networks the user confirmed, one by one. Not `POST /networks/prune`:
   * that is daemon-wide, would also take networks created since the confirmation, and networks
   * that only stopped containers use.
   */
  async prune(confirmed: readonly NetworkModel[]): Promise<PruneResult> {
    const result: PruneResult = { removed: [], failed: [] };
    for (const network of confirmed) {
      if (isPredefined(network)) continue;
      try {
        await this.docker.removeNetwork(network.id);
        result.removed.push(network);
      } catch (error) {
        result.failed.push({ network, error: error instanceof Error ? error : new Error(String(error)) });
      }
    }
    return result;
  }

  /** From `docker info`: can this daemon create an overlay network, and if not, why. */
  canCreateOverlay(info: Record<string, unknown>): OverlaySupport {
    return overlaySupport(info);
  }

  private async verifyCreated(id: string, body: NetworkCreateBody): Promise<void> {
    let problem: string | undefined;
    try {
      const created = await this.findAllocated(id);
      problem = created ? differences(created, body) : 'the daemon no longer knows it';
    } catch (error) {
      problem = `checking it failed: ${errorMessage(error)}`;
    }
    if (!problem) return;
    const what = `Network ${body.Name} (${id.slice(0, 12)}) was created, but ${problem}`;
    try {
      await this.docker.removeNetwork(id);
    } catch (undo) {
      throw new OperationRolledBackError(
        `${what}; removing it failed too: remove it with "docker network rm ${id.slice(0, 12)}".`,
        undo,
        true,
      );
    }
    throw new OperationRolledBackError(`${what}; it was removed again, nothing is left behind.`, new Error(problem), false);
  }

  /**
   * A swarm manager answers the create before its allocator has filled the network in: for a
   * moment the new network reads back with an empty driver (seen in about one run in five).
   * Wait for it (up to 2 s) rather than mistake it for a wrong network.
   */
  private async findAllocated(id: string): Promise<RawNetwork | undefined> {
    for (let attempt = 0; ; attempt++) {
      const network = await this.docker.findNetwork(id);
      if (!network || network.Driver !== '' || attempt >= 10) return network;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }

  /**
   * After a create whose answer was lost: remove the network if the daemon made it after all
   * (same name, driver and subnets). Otherwise the caller rethrows the original error.
   */
  private async removeIfCreated(body: NetworkCreateBody, cause: DockerRequestError): Promise<void> {
    let found: RawNetwork | undefined;
    try {
      found = await this.docker.findNetwork(body.Name);
    } catch {
      const advice = 'look for it with "docker network ls" and remove it if present';
      throw new OperationRolledBackError(
        `The daemon stopped answering while creating ${body.Name}; whether it was created cannot be checked: ${advice}.`,
        cause,
        true,
      );
    }
    if (!found || differences(found, body)) return;
    const what = `The daemon created ${body.Name} (${found.Id.slice(0, 12)}) but its answer was lost`;
    try {
      await this.docker.removeNetwork(found.Id);
    } catch (undo) {
      throw new OperationRolledBackError(
        `${what}; removing it failed: remove it with "docker network rm ${found.Id.slice(0, 12)}".`,
        undo,
        true,
      );
    }
    throw new OperationRolledBackError(`${what}; the network was removed again, nothing is left behind.`, cause, false);
  }

  private async reconnect(network: NetworkModel, disconnected: AttachedContainer[], cause: unknown): Promise<never> {
    const failed: string[] = [];
    for (const { container, endpoint } of disconnected) {
      const links = endpoint.links.map((link) => `${link.container}:${link.alias}`);
      try {
        await this.docker.connectNetwork(network.id, connectBody(container.id, endpoint.aliases, links, undefined));
      } catch {
        failed.push(container.name);
      }
    }
    const what = `Removing ${network.name} failed after disconnecting ${disconnected.map((entry) => entry.container.name).join(', ')}`;
    if (failed.length === 0) throw new OperationRolledBackError(`${what}; they were connected again (addresses may differ).`, cause, false);
    throw new OperationRolledBackError(`${what}; reconnecting ${failed.join(', ')} failed too: connect them again by hand.`, cause, true);
  }
}

/** Pure; see NetworkOperations.canCreateOverlay. */
/** libnetwork's refusal on a worker whose daemon still counts itself a manager (seen right after `docker node demote`). */
export const DOCKER_WORKER_CANNOT_CREATE =
  'Cannot create a multi-host network from a worker node. Please create the network from a manager node.';

export function overlaySupport(info: Record<string, unknown>): OverlaySupport {
  const swarm = (info.Swarm ?? {}) as { LocalNodeState?: string; ControlAvailable?: boolean; Error?: string };
  const store = typeof info.ClusterStore === 'string' && info.ClusterStore !== '' ? info.ClusterStore : undefined;
  if (swarm.LocalNodeState === 'active') {
    if (swarm.ControlAvailable) return { ok: true, mode: 'swarm' };
    const reason =
      `This node is a swarm worker, and swarm creates overlay networks on managers only (Docker: "${DOCKER_NOT_SWARM_MANAGER}", ` +
      `or while the node's role is still changing, "${DOCKER_WORKER_CANNOT_CREATE}"). ` +
      'Create it on a manager, or promote this node with "docker node promote".';
    return { ok: false, reason, suggestDiagnostics: false };
  }
  if (store) {
    const advertise = typeof info.ClusterAdvertise === 'string' && info.ClusterAdvertise !== '';
    const note = advertise
      ? undefined
      : `The daemon has a cluster store (${store}) but no --cluster-advertise: overlays will not reach other hosts. Run the cluster-store diagnostics.`;
    return { ok: true, mode: 'cluster-store', note };
  }
  const state = `swarm ${swarm.LocalNodeState ?? 'unknown'}${swarm.Error ? ` (${swarm.Error})` : ''}`;
  const major = Number(String(info.ServerVersion ?? '').split('.')[0]);
  // Docker 23 removed cluster stores: there, pointing to them would send the user the wrong way.
  const storeGone = major >= 23;
  const storeAdvice = storeGone
    ? 'Docker 23 and later no longer support cluster stores, so swarm is the way'
    : 'or start dockerd with --cluster-store and --cluster-advertise; the cluster-store diagnostics check that configuration and the store';
  const reason =
    `Overlay networks need swarm mode or a cluster store, and this daemon has neither (docker info: no ClusterStore, ${state}); ` +
    `Docker would refuse with "${DOCKER_NOT_SWARM_MANAGER}" Run "docker swarm init", ${storeAdvice}.`;
  return { ok: false, reason, suggestDiagnostics: !storeGone };
}

/** Container and network of a spec that passed validation (which reports missing ones). */
function resolvePair(
  spec: { container: string; network: string },
  snapshot: HostSnapshot,
): { container: ContainerModel; network: NetworkModel } {
  const container = findContainer(snapshot, spec.container);
  const network = findNetwork(snapshot, spec.network);
  if (!container || !network) throw refusal(container ? 'network' : 'container', 'Choose a container and a network of this host.');
  return { container, network };
}

function refusal(field: string, message: string): OperationRefusedError {
  return new OperationRefusedError([{ field, message }]);
}

function connectBody(containerId: string, aliases: string[], links: string[], ipv4Address: string | undefined): ConnectBody {
  const endpoint: NonNullable<ConnectBody['EndpointConfig']> = {};
  if (aliases.length > 0) endpoint.Aliases = aliases;
  if (links.length > 0) endpoint.Links = links;
  if (ipv4Address) endpoint.IPAMConfig = { IPv4Address: ipv4Address };
  return Object.keys(endpoint).length > 0 ? { Container: containerId, EndpointConfig: endpoint } : { Container: containerId };
}

/** What the created network lacks of the request; undefined when it matches. */
function differences(created: RawNetwork, body: NetworkCreateBody): string | undefined {
  // libnetwork stores a config-only network with the "null" driver whatever driver was asked for.
  const driver = body.ConfigOnly ? 'null' : body.Driver;
  if (created.Name !== body.Name || created.Driver !== driver) return `it came back as ${created.Name} (${created.Driver})`;
  if ((created.Internal === true) !== body.Internal) return `its "internal" setting is ${created.Internal === true}`;
  if (OPTION_ENCRYPTED in (body.Options ?? {}) && !(OPTION_ENCRYPTED in (created.Options ?? {}))) return 'it is not encrypted';
  const subnets = new Set((created.IPAM?.Config ?? []).map((config) => config.Subnet));
  const missing = (body.IPAM?.Config ?? []).find((config) => !subnets.has(config.Subnet));
  return missing ? `it lacks the subnet ${missing.Subnet}` : undefined;
}

function isPredefined(network: NetworkModel): boolean {
  return network.predefined || (PREDEFINED.has(network.name) && network.scope === 'local');
}

function describeAttached(attached: AttachedContainer[]): string {
  return attached
    .map(
      ({ container, endpoint, running }) =>
        `${container.name} (${running ? 'running' : `${container.state}, would not start again without it`}${endpoint.ipv4 ? `, ${endpoint.ipv4}` : ''})`,
    )
    .join(', ');
}
