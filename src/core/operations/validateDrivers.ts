/**
 * Validation of the macvlan/ipvlan fields (parent interface, mode) and of config-only /
 * config-from pairs, field by field and for a whole spec. Where Docker's own refusal is the
 * clearest reason, its words are quoted (DOCKER_SAYS), exactly as dockerd 20.10 and 26 print them:
 * test/integration/networkDrivers.test.ts sends each input past this validation and compares.
 */
import type { HostSnapshot, NetworkModel } from '../model/snapshot';
import { DRIVER_MODES, OPTION_PARENT, isLinkDriver, present, type NetworkDriver, type NetworkField, type NetworkSpec } from './networkSpec';
import type { FieldProblem } from './validateNetwork';

/** Linux IFNAMSIZ is 16 bytes including the terminating NUL. */
export const INTERFACE_NAME_MAX_LENGTH = 15;
const VLAN_MIN = 1;
const VLAN_MAX = 4094;

/** Docker's words for inputs it refuses (libnetwork's macvlan/ipvlan drivers and network.go). */
export const DOCKER_SAYS = {
  mode: (driver: 'macvlan' | 'ipvlan', mode: string) =>
    driver === 'macvlan'
      ? `requested macvlan mode '${mode}' is not valid, 'bridge' mode is the macvlan driver default`
      : `requested ipvlan mode '${mode}' is not valid, 'l2' mode is the ipvlan driver default`,
  vlanRange: (vlan: number) => `vlan id must be between 1-4094, received: ${vlan}`,
  vlanUnparsable: (suffix: string) => `unable to parse a valid vlan id from: ${suffix} (ex. eth0.10 for vlan 10)`,
  noSuchParent: (parent: string) => `invalid subinterface vlan name ${parent}, example formatting is eth0.10`,
  configFromSettings: 'user specified configurations are not supported if the network depends on a configuration network',
  configFromOptions: 'network driver options are not supported if the network depends on a configuration network',
  configFromMissing: (name: string) => `configuration network "${name}" does not exist`,
  configOnlyOperator:
    'configuration network can only contain network specific fields. Network operator fields like [ ingress | internal | attachable | scope ] are not supported.',
} as const;

export function validateParent(text: string, driver: NetworkDriver, snapshot: HostSnapshot): string | undefined {
  const parent = present(text);
  if (!parent) return undefined;
  if (!isLinkDriver(driver)) return 'A parent interface applies to macvlan and ipvlan networks only: leave it empty.';
  if (parent.length > INTERFACE_NAME_MAX_LENGTH) {
    return `"${parent}" is ${parent.length} characters: Linux interface names have at most ${INTERFACE_NAME_MAX_LENGTH} (IFNAMSIZ).`;
  }
  if (/[\s/:]/.test(parent))
    return `"${parent}" is not a valid interface name: no spaces, "/" or ":". Enter the host's interface, e.g. eth0.`;
  if (parent === 'lo') return `The loopback interface cannot carry a ${driver} network: enter the host's LAN interface, e.g. eth0.`;
  const vlanProblem = subInterfaceProblem(parent);
  if (vlanProblem) return vlanProblem;
  const user = parentUser(snapshot, driver, parent);
  if (user) {
    return `Network "${user.name}" already uses ${parent} as its ${driver} parent, and Docker allows one ${driver} network per parent: connect containers to "${user.name}", or use a VLAN sub-interface such as ${parent.split('.')[0]}.10.`;
  }
  return undefined;
}

/**
 * A dot makes the parent a VLAN sub-interface ("eth0.10"), which Docker creates when the host
 * lacks it: it must be one name, a dot and a VLAN id from 1 to 4094.
 */
function subInterfaceProblem(parent: string): string | undefined {
  if (!parent.includes('.')) return undefined;
  const parts = parent.split('.');
  const example = `${parts[0] || 'eth0'}.10`;
  if (parts.length !== 2 || parts[0] === '') {
    return `"${parent}" is not a VLAN sub-interface: write the interface, a dot and the VLAN id, e.g. ${example}.`;
  }
  const suffix = parts[1];
  if (!/^\d+$/.test(suffix)) return `"${suffix}" is not a VLAN id (Docker: "${DOCKER_SAYS.vlanUnparsable(suffix)}"): e.g. ${example}.`;
  const vlan = Number(suffix);
  if (vlan < VLAN_MIN || vlan > VLAN_MAX) {
    return `VLAN ${vlan} does not exist on Ethernet (Docker: "${DOCKER_SAYS.vlanRange(vlan)}"): use an id from ${VLAN_MIN} to ${VLAN_MAX}, e.g. ${example}.`;
  }
  return undefined;
}

/** The network of `driver` that already has `parent` (config-only networks hold no link). */
function parentUser(snapshot: HostSnapshot, driver: NetworkDriver, parent: string): NetworkModel | undefined {
  return snapshot.networks.find((network) => network.driver === driver && !network.configOnly && network.options[OPTION_PARENT] === parent);
}

export function validateMode(text: string, driver: NetworkDriver): string | undefined {
  const mode = present(text);
  if (!mode) return undefined;
  if (!isLinkDriver(driver)) return 'A mode applies to macvlan and ipvlan networks only: leave it empty.';
  const modes = DRIVER_MODES[driver];
  if (modes.includes(mode)) return undefined;
  return `"${mode}" is not a ${driver} mode (Docker: "${DOCKER_SAYS.mode(driver, mode)}"): choose ${modes[0]} (the default), ${modes.slice(1).join(', ')}.`;
}

/**
 * `--config-from`: a config-only network on this host. Docker stores every config-only network
 * with the "null" driver, so which driver it was meant for cannot be checked.
 */
export function validateConfigFrom(text: string, driver: NetworkDriver, snapshot: HostSnapshot): string | undefined {
  const name = present(text);
  if (!name) return undefined;
  if (!isLinkDriver(driver)) return 'Taking settings from a config-only network is offered for macvlan and ipvlan networks only.';
  const templates = snapshot.networks.filter((network) => network.configOnly).map((network) => network.name);
  const choices = templates.length ? `one of: ${templates.join(', ')}` : 'none here yet: create one first (marked config-only)';
  const network = snapshot.networks.find((candidate) => candidate.name === name);
  if (!network)
    return `There is no network "${name}" on this host (Docker: "${DOCKER_SAYS.configFromMissing(name)}"). Config-only networks: ${choices}.`;
  if (!network.configOnly)
    return `"${name}" is not a config-only network, so it cannot lend its settings. Config-only networks: ${choices}.`;
  return undefined;
}

/** What a whole spec gets wrong about drivers, config-only and config-from. */
export function driverSpecProblems(spec: NetworkSpec): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const add = (field: NetworkField, message: string) => problems.push({ field, message });
  const linkDriver = isLinkDriver(spec.driver);
  if (!linkDriver) {
    if (spec.configOnly) add('configOnly', 'Config-only networks are offered for macvlan and ipvlan networks only.');
    if (spec.scope === 'swarm')
      add('scope', 'Swarm scope is offered for macvlan and ipvlan networks only (an overlay is swarm-scoped already).');
  }
  if (spec.driver !== 'bridge' && !spec.icc) add('icc', `Turning off ICC applies to bridge networks only: leave it on for ${spec.driver}.`);
  // Standalone containers join a swarm-scoped macvlan/ipvlan only when it is attachable, as for overlays.
  if (spec.attachable && !spec.configOnly && !attachableDriver(spec)) {
    add('attachable', `Attachable applies to overlay and swarm-scoped macvlan/ipvlan networks only: leave it off for ${spec.driver}.`);
  }
  if (spec.configOnly) {
    if (present(spec.configFrom)) add('configFrom', 'A config-only network cannot take its settings from another config-only network.');
    if (spec.internal || spec.attachable || spec.scope === 'swarm') {
      add(
        'configOnly',
        `A config-only network holds settings only (Docker: "${DOCKER_SAYS.configOnlyOperator}"): set internal or swarm scope on the network created from it.`,
      );
    }
  }
  if (present(spec.configFrom) && !spec.configOnly) {
    const own = configFromConflicts(spec);
    if (own.length) {
      add(
        own[0],
        `Every setting comes from the config-only network "${spec.configFrom?.trim()}" (Docker: "${own[0] === 'parent' || own[0] === 'mode' || own[0] === 'mtu' ? DOCKER_SAYS.configFromOptions : DOCKER_SAYS.configFromSettings}"): leave ${own.join(', ')} empty.`,
      );
    }
  }
  return problems;
}

export function attachableDriver(spec: Pick<NetworkSpec, 'driver' | 'scope'>): boolean {
  return spec.driver === 'overlay' || (isLinkDriver(spec.driver) && spec.scope === 'swarm');
}

/** Fields set on a config-from network that Docker refuses there (it takes them from the template). */
function configFromConflicts(spec: NetworkSpec): NetworkField[] {
  const set: Array<[NetworkField, boolean]> = [
    ['parent', present(spec.parent) !== undefined],
    ['mode', present(spec.mode) !== undefined],
    ['mtu', spec.mtu !== undefined],
    ['subnet', present(spec.subnet) !== undefined],
    ['gateway', present(spec.gateway) !== undefined],
    ['ipRange', present(spec.ipRange) !== undefined],
    ['ipv6Subnet', present(spec.ipv6Subnet) !== undefined],
    ['labels', Object.keys(spec.labels).length > 0],
  ];
  return set.filter(([, isSet]) => isSet).map(([field]) => field);
}
