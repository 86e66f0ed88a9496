/**
 * Reachability (issue #12): the question "can FROM reach TARGET (on PORT)?", the explained answer
 * (model only: explain.ts), and the live probe's contract (probe.ts implements `Prober`).
 * The answer's JSON shape is what `docker-network-explorer reach --json` prints: keep it stable.
 */
import type { DockerClient } from '../docker/dockerClient';
import type { HostSnapshot } from '../model/snapshot';

export type Verdict = 'reachable' | 'unreachable';

/** The question. `from` and `target` are as the user typed them. */
export interface ReachQuestion {
  /**
   * A container (name, full ID or a unique ID prefix, on one of the hosts); or a Docker host
   * itself (`host` when there is one host, else a host's name); or `lan`: a machine on the
   * hosts' LAN (published ports only).
   */
  from: string;
  /**
   * A container, a name as FROM would type it (container name, network alias, link alias, short
   * ID, a DNSName), an IPv4 address (a container's, or one outside Docker), or a Docker host
   * (`host`: FROM's own; or a host's name). A host with `port` asks about that published port.
   */
  target: string;
  /** Absent: "reachable at all" (what ping would show). Present: "would a TCP connect get through" (a listener assumed). */
  port?: number;
}

/** One host's facts, as explain reads them. */
export interface ReachHost {
  /** The name the user knows the host by (shown in messages and paths). */
  name: string;
  snapshot: HostSnapshot;
  /**
   * The host's own routes (`ip -4 route`, the LAN/VPN side), for targets outside Docker; Docker's
   * own bridge routes may be included (they are recognised by their network's subnet and ignored).
   */
  routes?: HostRoute[];
}

export interface HostRoute {
  /** CIDR, or `default` for 0.0.0.0/0. */
  destination: string;
  device?: string;
  gateway?: string;
}

/** Stable reason codes: tests, JSON consumers and the UI key on these strings. */
export type ReasonCode =
  // resolving the two ends
  | 'from-not-found'
  | 'from-ambiguous'
  | 'target-not-found'
  | 'target-ambiguous'
  | 'same-container'
  // what makes it work
  | 'shared-network'
  | 'name-resolves'
  | 'address-on-network'
  | 'via-gateway'
  | 'published-port'
  | 'host-network-mode'
  | 'shared-namespace'
  | 'overlay-path'
  | 'listener-assumed'
  | 'exposed-port-linked'
  // what blocks it
  | 'stopped'
  | 'network-mode-none'
  | 'no-shared-network'
  | 'icc-disabled'
  | 'port-not-exposed'
  | 'internal-network'
  | 'published-port-internal'
  | 'published-port-loopback'
  | 'port-not-published'
  | 'no-dns-on-default-bridge'
  | 'link-alias-not-visible'
  | 'alias-on-other-network'
  | 'name-not-resolved'
  | 'name-clash'
  | 'no-address'
  | 'overlay-host-not-connected'
  | 'subnet-captures-address'
  | 'no-route';

export interface Reason {
  code: ReasonCode;
  /** Plain words naming the networks, names and hosts involved. */
  message: string;
}

/** How a name is known to Docker's embedded DNS on one network. */
export type NameKind = 'container-name' | 'alias' | 'link-alias' | 'short-id' | 'dns-name' | 'ip';

/** One name FROM could type for TARGET, and whether FROM's resolver answers it (per network). */
export interface NameResolution {
  name: string;
  kind: NameKind;
  /** The network on which Docker's DNS holds the name (for a link alias: /etc/hosts of FROM). */
  network?: string;
  resolves: boolean;
  /** What it resolves to, as FROM would see it. */
  addresses: string[];
  /** Why it does not resolve (a reason code, and its words in the answer's reasons when relevant). */
  because?: ReasonCode;
}

/** A network both ends are on (or that the path crosses), with what it lets through. */
export interface NetworkOnPath {
  id: string;
  name: string;
  driver: string;
  scope: string;
  internal: boolean;
  icc: boolean;
  fromAddress?: string;
  targetAddress?: string;
  /** Whether traffic between the two ends passes on this network. */
  passes: boolean;
  /** Ports that pass: 'all', or only these (ICC off + link: the exposed ports). */
  ports: 'all' | number[];
}

/** One element of the path, for the topology to light (ids are the model's). */
export interface PathStep {
  kind: 'host' | 'network' | 'container' | 'port' | 'address';
  /** Model id (container/network id; host id; for a port `hostIp:hostPort`; for an address the IP). */
  id: string;
  name: string;
  hostId?: string;
}

export interface ReachPath {
  steps: PathStep[];
  /** The element that blocks the way, when unreachable and one element is to blame. */
  blockedAt?: PathStep;
}

export interface ReachAnswer {
  from: string;
  target: string;
  port: number | null;
  verdict: Verdict;
  names: NameResolution[];
  networks: NetworkOnPath[];
  /** Most important first: the blocking reason leads an unreachable answer. */
  reasons: Reason[];
  path?: ReachPath;
  /** Filled by the caller when a probe was asked for (`--probe`); explain always leaves null. */
  probe: ProbeResult | null;
}

// ---------------------------------------------------------------------------------------------
// The live probe (implemented by src/core/reachability/probe.ts)

/** A probe may fail to run at all (no tools in FROM, no helper image): then it decides nothing. */
export type ProbeVerdict = Verdict | 'inconclusive';

export interface ProbeEvidence {
  check: 'dns' | 'icmp' | 'tcp' | 'setup';
  /** What ran, as a user could type it again (e.g. `docker exec web1 ping -c1 -W2 web2`). */
  command: string;
  ok: boolean;
  /** Its output (trimmed), or why it could not run. Untrusted text: escape before display. */
  output: string;
  durationMs: number;
}

export interface ProbeResult {
  verdict: ProbeVerdict;
  evidence: ProbeEvidence[];
}

/** What explain tells the probe to try: the same name/address FROM would use. */
export interface ProbeRequest {
  /** The host FROM runs on (`HostSnapshot.hostId`). */
  hostId: string;
  fromContainerId: string;
  fromName: string;
  /** The name FROM types (resolved by FROM's resolver), or an IP address. */
  target: string;
  /** Where explain expects `target` to resolve (empty for an address or an unresolvable name). */
  expectedAddresses: string[];
  port?: number;
  /** Per check. */
  timeoutMs: number;
  signal?: AbortSignal;
}

export interface Prober {
  probe(request: ProbeRequest): Promise<ProbeResult>;
}

export interface ProberOptions {
  /** The daemon of each host (by `HostSnapshot.hostId`). */
  clientFor(hostId: string): DockerClient | undefined;
  /** An image present on the host for the `--network container:FROM` helper; never pulled. */
  helperImage?: string;
}

/** probe.ts exports `createProber` of this type. */
export type ProberFactory = (options: ProberOptions) => Prober;
