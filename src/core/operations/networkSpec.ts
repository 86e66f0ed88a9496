/**
 * What the user asks for when creating a network, and the exact `POST /networks/create` body
 * it becomes. Pure: validation lives in validateNetwork.ts, daemon calls in networkOperations.ts.
 */
import type { IpamConfigBody, NetworkCreateBody } from '../docker/dockerOperationsClient';

export type NetworkDriver = 'bridge' | 'overlay' | 'macvlan' | 'ipvlan';

/** Drivers whose containers sit directly on a host interface (the parent) with their own addresses. */
export type LinkDriver = 'macvlan' | 'ipvlan';

export function isLinkDriver(driver: string): driver is LinkDriver {
  return driver === 'macvlan' || driver === 'ipvlan';
}

/** The modes each driver accepts (`-o macvlan_mode` / `-o ipvlan_mode`), Docker's default first. */
export const DRIVER_MODES: Record<LinkDriver, readonly string[]> = {
  macvlan: ['bridge', 'private', 'vepa', 'passthru'],
  // l3s: Engine 26 knows it; 20.10 refuses it (test/integration/networkDrivers.test.ts).
  ipvlan: ['l2', 'l3', 'l3s'],
};

export interface NetworkSpec {
  name: string;
  driver: NetworkDriver;
  /** IPv4 block in CIDR form; empty/absent lets Docker pick one from its default pools. */
  subnet?: string;
  gateway?: string;
  ipRange?: string;
  /** No route out of the network: no NAT, no published ports. */
  internal: boolean;
  /** Overlay only: standalone containers may join (swarm-scoped overlays refuse them otherwise). */
  attachable: boolean;
  /** Overlay only: IPsec between nodes (`--opt encrypted`; IP protocol 50 must pass between them). Absent: off. */
  encrypted?: boolean;
  /** Bridge only: containers on the network may talk to each other (Docker's default: true). */
  icc: boolean;
  /** Bridge only: Linux interface name instead of Docker's `br-<id>`. */
  bridgeName?: string;
  /** Bytes; absent means the daemon's default (1500 on most hosts). */
  mtu?: number;
  labels: Record<string, string>;
  /** Setting it turns IPv6 on (EnableIPv6). */
  ipv6Subnet?: string;
  ipv6Gateway?: string;
  ipv6IpRange?: string;
  /** macvlan/ipvlan: the host interface containers sit on (eth0, or a VLAN sub-interface eth0.10). */
  parent?: string;
  /** macvlan/ipvlan: one of DRIVER_MODES; absent is Docker's default (bridge, l2). */
  mode?: string;
  /** A template of settings only (`--config-only`): never attached, read by `configFrom` networks. */
  configOnly?: boolean;
  /** Take every setting from this config-only network (`--config-from`), e.g. one per host. */
  configFrom?: string;
  /** `swarm` makes a macvlan/ipvlan network swarm-scoped (`--scope swarm`, on a manager). */
  scope?: 'local' | 'swarm';
}

/** Field names of NetworkSpec, for per-field problems and the UI's step order. */
export type NetworkField = keyof NetworkSpec;

/** A spec with Docker's defaults, to start a multi-step input from. */
export function defaultNetworkSpec(driver: NetworkDriver = 'bridge', name = ''): NetworkSpec {
  return { name, driver, internal: false, attachable: false, icc: true, labels: {} };
}

export const OPTION_ENABLE_ICC = 'com.docker.network.bridge.enable_icc';
export const OPTION_BRIDGE_NAME = 'com.docker.network.bridge.name';
export const OPTION_MTU = 'com.docker.network.driver.mtu';
export const OPTION_PARENT = 'parent';
export const MODE_OPTION: Record<LinkDriver, string> = { macvlan: 'macvlan_mode', ipvlan: 'ipvlan_mode' };
/** libnetwork's overlay driver encrypts when this option is present, whatever its value (`--opt encrypted` sends ""). */
export const OPTION_ENCRYPTED = 'encrypted';

/** The body for `POST /networks/create`. Assumes a spec that passed validateNetworkSpec. */
export function toCreateOptions(spec: NetworkSpec): NetworkCreateBody {
  const config: IpamConfigBody[] = [];
  const subnet = present(spec.subnet);
  if (subnet) config.push(ipamEntry(subnet, spec.gateway, spec.ipRange));
  const ipv6Subnet = present(spec.ipv6Subnet);
  if (ipv6Subnet) config.push(ipamEntry(ipv6Subnet, spec.ipv6Gateway, spec.ipv6IpRange));

  const options: Record<string, string> = {};
  if (spec.driver === 'bridge') {
    // Sent even when true so the body says what was asked, as `docker network inspect` shows it.
    options[OPTION_ENABLE_ICC] = String(spec.icc);
    const bridgeName = present(spec.bridgeName);
    if (bridgeName) options[OPTION_BRIDGE_NAME] = bridgeName;
  }
  if (isLinkDriver(spec.driver)) {
    const parent = present(spec.parent);
    if (parent) options[OPTION_PARENT] = parent;
    const mode = present(spec.mode);
    if (mode) options[MODE_OPTION[spec.driver]] = mode;
  }
  if (spec.mtu !== undefined) options[OPTION_MTU] = String(spec.mtu);
  const configFrom = present(spec.configFrom);
  if (spec.driver === 'overlay' && spec.encrypted) options[OPTION_ENCRYPTED] = '';

  return {
    Name: spec.name.trim(),
    CheckDuplicate: true,
    Driver: spec.driver,
    Internal: spec.internal,
    // Overlays, and macvlan/ipvlan made swarm-scoped (validateDrivers.ts refuses it elsewhere).
    Attachable: (spec.driver === 'overlay' || (isLinkDriver(spec.driver) && spec.scope === 'swarm')) && spec.attachable,
    EnableIPv6: ipv6Subnet !== undefined,
    ...(config.length > 0 ? { IPAM: { Driver: 'default' as const, Config: config } } : {}),
    Options: options,
    Labels: { ...spec.labels },
    ...(spec.configOnly ? { ConfigOnly: true } : {}),
    ...(configFrom ? { ConfigFrom: { Network: configFrom } } : {}),
    ...(spec.scope === 'swarm' ? { Scope: 'swarm' } : {}),
  };
}

function ipamEntry(subnet: string, gateway: string | undefined, ipRange: string | undefined): IpamConfigBody {
  const entry: IpamConfigBody = { Subnet: subnet };
  const gw = present(gateway);
  if (gw) entry.Gateway = gw;
  const range = present(ipRange);
  if (range) entry.IPRange = range;
  return entry;
}

/** Trimmed text, or undefined when the user left the field empty. */
export function present(text: string | undefined): string | undefined {
  const trimmed = text?.trim();
  return trimmed ? trimmed : undefined;
}
