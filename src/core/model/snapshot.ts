/**
 * The normalized picture of one Docker host: what the tree, the topology view and the rules
 * read. Built from raw API answers by `buildHostSnapshot`; never mutated after that.
 */

export interface IpamConfig {
  subnet?: string;
  gateway?: string;
  ipRange?: string;
}

export interface NetworkModel {
  id: string;
  name: string;
  driver: string;
  /** local, global (legacy cluster-store overlay) or swarm. */
  scope: string;
  internal: boolean;
  attachable: boolean;
  ingress: boolean;
  enableIPv6: boolean;
  /** False only when `com.docker.network.bridge.enable_icc` is "false". */
  icc: boolean;
  /** bridge, host and none: Docker creates them and refuses to remove them. */
  predefined: boolean;
  ipam: IpamConfig[];
  /** Set (false) only when API ≥ 1.48 (Engine 28) says `EnableIPv4: false`: an IPv6-only network. */
  enableIPv4?: false;
  /** Set only on a `--config-only` network: a template of settings (macvlan/ipvlan per host), never attached. */
  configOnly?: true;
  /** The config-only network this one takes its settings from (`--config-from`). */
  configFrom?: string;
  /** `--opt encrypted` on an overlay: libnetwork checks only that the option is there (IPsec, IP protocol 50, between nodes). */
  encrypted?: true;
  /** Swarm: the nodes carrying this network (inspect `Peers`); absent when the inspect was not read. */
  peers?: SwarmPeer[];
  /**
   * Swarm, verbose inspect (`docker network inspect -v`): the services on this network and their
   * tasks, every node's. Standalone containers on an attachable overlay are the tasks of the
   * service named "" — the only place one host learns which containers the others attached.
   */
  services?: SwarmService[];
  options: Record<string, string>;
  labels: Record<string, string>;
  created?: string;
}

/** One node of a swarm network's gossip (`Peers[]`): Docker's node name there is its memberlist ID. */
export interface SwarmPeer {
  name: string;
  /** The node's advertise address. */
  ip: string;
}

export interface SwarmService {
  /** "" for the standalone containers attached to an attachable overlay. */
  name: string;
  /** The service's virtual IP; absent for "" and DNSRR services (Docker prints "<nil>"). */
  vip?: string;
  tasks: SwarmTask[];
}

export interface SwarmTask {
  /** The container's name (a service task's: `svc.1.<task id>`). */
  name: string;
  endpointId: string;
  ip?: string;
  /** The advertise address of the node running it (`Info["Host IP"]`). */
  hostIp?: string;
}

export interface PortModel {
  /** Host address the port is published on (0.0.0.0, ::, 127.0.0.1); absent when only exposed. */
  hostIp?: string;
  hostPort?: number;
  containerPort: number;
  protocol: string;
}

export interface LinkModel {
  /** The linked container's name as Docker stored it. */
  container: string;
  alias: string;
}

export interface ContainerModel {
  id: string;
  name: string;
  image: string;
  /** running, exited, created, paused, restarting, dead. */
  state: string;
  /**
   * Times that stay true (Docker's Status text, "Up 44 seconds", is stale as soon as it is
   * shown): created from the list (Unix seconds), started/finished (ISO) from the inspect.
   */
  created?: number;
  startedAt?: string;
  finishedAt?: string;
  /** An exited container's code, from the list's Status ("Exited (137) 3 minutes ago"). */
  exitCode?: number;
  /**
   * Why its last start failed, in Docker's words (inspect State.Error), while it is not running:
   * e.g. "could not find a network matching network mode multihost: network multihost not found".
   */
  startError?: string;
  ports: PortModel[];
  labels: Record<string, string>;
  /** The list's HostConfig.NetworkMode: default, bridge, host, none, container:<id>, or a network name. */
  networkMode?: string;
  /**
   * Legacy links this container declared (`--link other:alias` on the default bridge): they live
   * in Docker's name registry, which the list shows as the linked container's extra name
   * `/<this>/<alias>`, not on the endpoint.
   */
  legacyLinks?: LinkModel[];
  /**
   * The ports asked for (inspect HostConfig.PortBindings), set only when the inspect was read:
   * Docker publishes none of them for a container only on internal networks.
   */
  portBindings?: PortModel[];
}

/** One container's attachment to one network. */
export interface EndpointModel {
  networkId: string;
  containerId: string;
  endpointId: string;
  /** Without prefix length; absent when the container is stopped or has none. */
  ipv4?: string;
  ipv4PrefixLen?: number;
  ipv6?: string;
  ipv6PrefixLen?: number;
  mac?: string;
  gateway?: string;
  /** Network-scoped aliases the user gave (Docker's implicit short-ID alias removed). */
  aliases: string[];
  /**
   * Every name Docker's embedded DNS resolves to this endpoint on this network (container name,
   * aliases, short ID), as the daemon itself says (`DNSNames`, API ≥ 1.44); absent from older engines.
   */
  dnsNames?: string[];
  /** API ≥ 1.48: which endpoint's gateway becomes the default route (highest wins). */
  gwPriority?: number;
  links: LinkModel[];
  /**
   * Docker's name for an endpoint the container did not ask for: a container on an overlay
   * also gets one on docker_gwbridge, `gateway_<sandbox>`, its way out (the container's eth1).
   */
  gatewayName?: string;
}

/** What `GET /version` told us, and the API version chosen for every later call. */
export interface DaemonVersion {
  engine: string;
  /** The daemon's newest API. */
  apiVersion: string;
  minApiVersion?: string;
  /** What this client speaks to it: min(apiVersion, the newest API the client knows). */
  negotiatedApi: string;
}

export interface HostSnapshot {
  hostId: string;
  networks: NetworkModel[];
  containers: ContainerModel[];
  endpoints: EndpointModel[];
}

/**
 * Global (legacy cluster-store overlay) and swarm networks are ONE network seen from every host
 * it lives on, with the same ID everywhere: views draw them once, members merged.
 */
export function spansHosts(network: Pick<NetworkModel, 'scope'>): boolean {
  return network.scope === 'global' || network.scope === 'swarm';
}
