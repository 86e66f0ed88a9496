/**
 * Create Bridge / Overlay / Macvlan / Ipvlan Network: a multi-step input whose every field is
 * checked by the core's validators as the user types, then NetworkOperations.createNetwork,
 * which checks the whole spec again before anything reaches the daemon.
 */
import * as vscode from 'vscode';
import type { CommandTarget } from './commandTarget';
import type { CreatedNetwork } from '../../core/operations/networkOperations';
import { OperationRefusedError } from '../../core/operations/networkOperations';
import {
  DRIVER_MODES,
  defaultNetworkSpec,
  isLinkDriver,
  present,
  type NetworkDriver,
  type NetworkSpec,
} from '../../core/operations/networkSpec';
import { describeNetworkSpec, exampleName, examplesInSubnet } from '../../core/operations/networkSummary';
import { parseLabels, parseMtu, validateLabels, validateNetworkField, validateNetworkSpec } from '../../core/operations/validateNetwork';
import { resolveHost } from './pickers';
import { BACK, runFlow, type FlowStep, type PickItem } from './prompter';
import { describeFailure, runOperation, type CommandContext, type HostHandle } from './runOperation';
import { notify, statusText } from '../untrusted';

/** The answers as typed; a NetworkSpec once complete. */
interface CreateDraft {
  driver: NetworkDriver;
  name: string;
  subnet: string;
  gateway: string;
  ipRange: string;
  bridgeName: string;
  mtu: string;
  labels: string;
  ipv6Subnet: string;
  ipv6Gateway: string;
  ipv6IpRange: string;
  parent: string;
  /** macvlan/ipvlan: a new network, a config-only template, or `from:<template>`. */
  kind: Kind;
  mode: string;
  /** macvlan/ipvlan: one swarm-scoped, attachable network (`--scope swarm --attachable`). */
  swarm: boolean;
  internal: boolean;
  attachable: boolean;
  encrypted: boolean;
  icc: boolean;
}

type TextField =
  'name' | 'parent' | 'subnet' | 'gateway' | 'ipRange' | 'bridgeName' | 'mtu' | 'labels' | 'ipv6Subnet' | 'ipv6Gateway' | 'ipv6IpRange';
type Kind = 'network' | 'configOnly' | `from:${string}`;
type Toggle = 'internal' | 'attachable' | 'encrypted' | 'icc' | 'swarm';

interface TextQuestion {
  field: TextField;
  prompt: (draft: CreateDraft) => string;
  /** Examples fit what was answered before: the driver, the subnet. */
  placeholder: (draft: CreateDraft) => string;
  /** Asked for these drivers only. */
  drivers?: readonly NetworkDriver[];
  /** Passed over after these answers. */
  skip?: (draft: CreateDraft) => boolean;
}

/** A network made from a config-only template takes every setting from it. */
const fromTemplate = (draft: CreateDraft) => draft.kind.startsWith('from:');
const noSubnet = (draft: CreateDraft) => fromTemplate(draft) || present(draft.subnet) === undefined;
const noIpv6Subnet = (draft: CreateDraft) => fromTemplate(draft) || present(draft.ipv6Subnet) === undefined;
const LINK_DRIVERS: readonly NetworkDriver[] = ['macvlan', 'ipvlan'];

/** In the order asked. Every field but the name may be skipped with Enter. */
const QUESTIONS: TextQuestion[] = [
  {
    field: 'name',
    prompt: () => 'Name of the new network: letters, digits, "_", "." and "-".',
    placeholder: (draft) => `e.g. ${exampleName(draft.driver)}`,
  },
  {
    field: 'parent',
    prompt: (draft) =>
      `Host interface the ${draft.driver} network sits on, or a VLAN sub-interface (eth0.10) Docker creates. Empty: a dummy interface, no traffic leaves the host.`,
    placeholder: () => 'e.g. eth0 or eth0.10',
    drivers: LINK_DRIVERS,
    skip: fromTemplate,
  },
  {
    field: 'subnet',
    prompt: (draft) =>
      isLinkDriver(draft.driver)
        ? 'IPv4 subnet of the LAN the parent is on, in CIDR form (containers get addresses on it).'
        : 'IPv4 subnet in CIDR form. Leave it empty to let Docker pick a free block.',
    placeholder: () => 'optional, e.g. 10.15.20.0/24',
    skip: fromTemplate,
  },
  {
    field: 'gateway',
    prompt: (draft) => `Gateway inside ${draft.subnet.trim()}. Leave it empty for the first address.`,
    placeholder: (draft) => `optional, e.g. ${examplesInSubnet(draft.subnet).gateway}`,
    skip: noSubnet,
  },
  {
    field: 'ipRange',
    prompt: (draft) =>
      `Range inside ${draft.subnet.trim()} that containers get addresses from (--ip-range). Leave it empty for the whole subnet.`,
    placeholder: (draft) => `optional, e.g. ${examplesInSubnet(draft.subnet).ipRange}`,
    skip: noSubnet,
  },
  {
    field: 'bridgeName',
    prompt: () => 'Linux bridge interface name. Leave it empty for Docker\'s "br-<id>".',
    placeholder: () => 'optional, at most 15 characters',
    drivers: ['bridge'],
  },
  {
    field: 'mtu',
    prompt: () => "MTU in bytes. Leave it empty for the daemon's default.",
    placeholder: () => 'optional, e.g. 1450',
    skip: fromTemplate,
  },
  {
    field: 'labels',
    prompt: () => 'Labels as key=value, separated by commas.',
    placeholder: () => 'optional, e.g. env=test,owner=me',
    skip: fromTemplate,
  },
  {
    field: 'ipv6Subnet',
    prompt: () => 'IPv6 subnet; setting one turns IPv6 on (dual-stack with an IPv4 subnet). Leave it empty for IPv4 only.',
    placeholder: () => 'optional, e.g. fd00:15:20::/64',
    skip: fromTemplate,
  },
  {
    field: 'ipv6Gateway',
    prompt: (draft) => `IPv6 gateway inside ${draft.ipv6Subnet.trim()}. Leave it empty for the first address.`,
    placeholder: () => 'optional',
    skip: noIpv6Subnet,
  },
  {
    field: 'ipv6IpRange',
    prompt: (draft) =>
      `IPv6 range inside ${draft.ipv6Subnet.trim()} that containers get addresses from. Leave it empty for the whole subnet.`,
    placeholder: () => 'optional',
    skip: noIpv6Subnet,
  },
];

const TITLES: Record<NetworkDriver, string> = {
  bridge: 'Create Bridge Network',
  overlay: 'Create Overlay Network',
  macvlan: 'Create Macvlan Network',
  ipvlan: 'Create Ipvlan Network',
};

export function createNetworkCommand(driver: NetworkDriver) {
  return async (context: CommandContext, target?: CommandTarget): Promise<CreatedNetwork | undefined> => {
    const title = TITLES[driver];
    const host = await resolveHost(context, title, target);
    if (!host) return undefined;
    if (driver === 'overlay') await checkOverlaySupport(host);
    const spec = await gatherNetworkSpec(context, host, driver, title);
    if (!spec || !(await confirmCreate(context, host, spec))) return undefined;
    return executeCreate(host, spec);
  };
}

/** Asks every field; undefined when the user cancels. */
export async function gatherNetworkSpec(
  context: CommandContext,
  host: HostHandle,
  driver: NetworkDriver,
  title: string,
): Promise<NetworkSpec | undefined> {
  const textSteps = QUESTIONS.map((question): FlowStep<CreateDraft> => ({
    applies: question.drivers === undefined || question.drivers.includes(driver),
    skip: question.skip,
    ask: async (draft, position) => {
      const answer = await context.prompter.input({
        id: question.field,
        title,
        position,
        prompt: question.prompt(draft),
        placeholder: question.placeholder(draft),
        value: draft[question.field],
        // The gateway and range are checked against the subnet typed before them.
        validate: (text) =>
          validateNetworkField(question.field, text, { driver, subnet: draft.subnet, ipv6Subnet: draft.ipv6Subnet }, host.snapshot()),
      });
      return answer === undefined || answer === BACK ? answer : { ...draft, [question.field]: answer.trim() };
    },
  }));
  const optionsStep: FlowStep<CreateDraft> = {
    // A template holds settings only: Docker refuses internal on it.
    skip: (draft) => draft.kind === 'configOnly',
    ask: async (draft, position) => {
      const chosen = await context.prompter.pickMany<Toggle>({
        id: 'options',
        title,
        position,
        // Short, so it is never cut off: the whole network is summed up in the confirmation.
        placeholder: 'Tick the options, then press Enter',
        items: toggles(draft),
      });
      if (chosen === undefined || chosen === BACK) return chosen;
      // ICC is not offered for overlays, where the core requires it on.
      const icc = driver !== 'bridge' || chosen.includes('icc');
      return {
        ...draft,
        internal: chosen.includes('internal'),
        attachable: chosen.includes('attachable'),
        encrypted: driver === 'overlay' && chosen.includes('encrypted'),
        icc,
        swarm: chosen.includes('swarm'),
      };
    },
  };
  const defaults = defaultNetworkSpec(driver);
  const initial: CreateDraft = {
    ...defaults,
    ...{ subnet: '', gateway: '', ipRange: '', bridgeName: '', mtu: '', labels: '', ipv6Subnet: '', ipv6Gateway: '', ipv6IpRange: '' },
    ...{ parent: '', kind: 'network', mode: '', swarm: false, encrypted: false },
  };
  const linkSteps = isLinkDriver(driver) ? linkDriverSteps(context, host, driver, title) : { kind: [], mode: [] };
  const [name, ...rest] = textSteps;
  const draft = await runFlow([...linkSteps.kind, name, rest[0], ...linkSteps.mode, ...rest.slice(1), optionsStep], initial);
  return draft && toSpec(draft);
}

export async function executeCreate(host: HostHandle, spec: NetworkSpec): Promise<CreatedNetwork> {
  const name = spec.name.trim();
  const created = await runOperation(`Creating network ${name}…`, `Network ${name} was not created on ${host.monitor.host.name}`, () =>
    host.operations.createNetwork(spec, host.snapshot()),
  );
  if (created.warning) void notify('warning', `Network ${name} was created; Docker warns: ${created.warning}`);
  vscode.window.setStatusBarMessage(statusText('check', `Created network ${name}`), 5000);
  return created;
}

/** Refuses before any question when the daemon cannot make overlays, with the core's reason. */
async function checkOverlaySupport(host: HostHandle): Promise<void> {
  const hostName = host.monitor.host.name;
  const info = await runOperation(`Checking ${hostName} for overlay support…`, `Cannot read docker info of ${hostName}`, () =>
    host.client.info(),
  );
  const support = host.operations.canCreateOverlay(info);
  if (!support.ok) {
    // The diagnostics (a later view) are named in text; the core's reason usually does already.
    const named = /cluster-store diagnostics/i.test(support.reason);
    const diagnostics = support.suggestDiagnostics && !named ? ' See the cluster-store diagnostics.' : '';
    throw new Error(`Cannot create an overlay network on ${hostName}: ${support.reason}${diagnostics}`);
  }
  if (support.note) void notify('warning', support.note);
}

/**
 * macvlan/ipvlan only: first what to make (a network, a config-only template, or a network from
 * one of this host's templates), then, after the parent, the mode.
 */
function linkDriverSteps(context: CommandContext, host: HostHandle, driver: 'macvlan' | 'ipvlan', title: string) {
  const kind: FlowStep<CreateDraft> = {
    ask: async (draft, position) => {
      const templates = host.snapshot().networks.filter((network) => network.configOnly);
      const items: Array<PickItem<Kind>> = [
        { value: 'network', label: `A ${driver} network`, detail: 'Its own parent interface, mode and subnets.' },
        {
          value: 'configOnly',
          label: 'A config-only template (--config-only)',
          detail: "Settings only, e.g. this host's parent and ip-range: networks made from it on each host use them.",
        },
        ...templates.map((network): PickItem<Kind> => ({
          value: `from:${network.name}`,
          label: `From template ${network.name} (--config-from)`,
          detail: [network.options.parent && `parent ${network.options.parent}`, ...network.ipam.map((pool) => pool.subnet)]
            .filter(Boolean)
            .join(' · '),
        })),
      ];
      const chosen = await context.prompter.pick<Kind>({ id: 'kind', title, position, placeholder: 'What to create', items });
      return chosen === undefined || chosen === BACK ? chosen : { ...draft, kind: chosen };
    },
  };
  const mode: FlowStep<CreateDraft> = {
    skip: fromTemplate,
    ask: async (draft, position) => {
      const items = DRIVER_MODES[driver].map((value, index): PickItem<string> => ({
        value,
        label: value,
        description: index === 0 ? "Docker's default" : undefined,
      }));
      const chosen = await context.prompter.pick<string>({ id: 'mode', title, position, placeholder: `${driver} mode`, items });
      return chosen === undefined || chosen === BACK ? chosen : { ...draft, mode: chosen };
    },
  };
  return { kind: [kind], mode: [mode] };
}

function toggles(draft: CreateDraft): Array<PickItem<Toggle>> {
  const toggle = (value: Toggle, label: string, detail: string): PickItem<Toggle> => ({ value, label, detail, picked: draft[value] });
  const internal = toggle('internal', 'Internal', 'No route out of the network: no NAT, no published ports (--internal).');
  if (draft.driver === 'overlay') {
    return [
      internal,
      toggle('attachable', 'Attachable', 'Standalone containers may join, not only swarm services (--attachable).'),
      toggle('encrypted', 'Encrypted', 'IPsec between nodes; IP protocol 50 (ESP) must pass between them (--opt encrypted).'),
    ];
  }
  if (isLinkDriver(draft.driver)) {
    return [
      internal,
      toggle(
        'swarm',
        'Swarm scope, attachable',
        'One network across the swarm, made on a manager; each node uses its own parent or template (--scope swarm --attachable).',
      ),
    ];
  }
  return [
    internal,
    toggle(
      'icc',
      'Inter-container communication',
      'Containers on the network may talk to each other (com.docker.network.bridge.enable_icc).',
    ),
  ];
}

/**
 * The last step: everything that will be created, the ticked options included, in a dialog
 * that wraps its text (a quick pick's one line cut the summary off).
 */
async function confirmCreate(context: CommandContext, host: HostHandle, spec: NetworkSpec): Promise<boolean> {
  // A spec the core refuses goes straight to it, which says why: nothing to confirm.
  if (validateNetworkSpec(spec, host.snapshot()).length > 0) return true;
  const choice = await context.prompter.confirm({
    id: 'confirm',
    message: `Create ${spec.driver} network ${spec.name.trim()} on ${host.monitor.host.name}?`,
    detail: describeNetworkSpec(spec).join('\n'),
    choices: ['Create'],
  });
  return choice === 'Create';
}

function toSpec(draft: CreateDraft): NetworkSpec {
  // parseLabels assumes valid text. The input box never accepts invalid text, but a scripted
  // answer can submit it, and a garbled record would then pass the core's check.
  const labelsProblem = validateLabels(draft.labels);
  if (labelsProblem) {
    const refusal = new OperationRefusedError([{ field: 'labels', message: labelsProblem }]);
    throw new Error(describeFailure(`Network ${draft.name} was not created`, refusal));
  }
  const link = isLinkDriver(draft.driver);
  const configFrom = link && draft.kind.startsWith('from:') ? draft.kind.slice('from:'.length) : undefined;
  // Typed before the kind was changed to a template (going back): the template decides them.
  const subnet = configFrom ? undefined : present(draft.subnet);
  const ipv6Subnet = configFrom ? undefined : present(draft.ipv6Subnet);
  return {
    ...defaultNetworkSpec(draft.driver, draft.name),
    subnet,
    // Typed before the subnet was cleared (going back): meaningless without it.
    gateway: subnet ? present(draft.gateway) : undefined,
    ipRange: subnet ? present(draft.ipRange) : undefined,
    bridgeName: draft.driver === 'bridge' ? present(draft.bridgeName) : undefined,
    mtu: configFrom ? undefined : parseMtu(draft.mtu),
    labels: configFrom ? {} : parseLabels(draft.labels),
    ipv6Subnet,
    ipv6Gateway: ipv6Subnet ? present(draft.ipv6Gateway) : undefined,
    ipv6IpRange: ipv6Subnet ? present(draft.ipv6IpRange) : undefined,
    parent: link && !configFrom ? present(draft.parent) : undefined,
    mode: link && !configFrom ? present(draft.mode) : undefined,
    configOnly: draft.kind === 'configOnly' || undefined,
    configFrom,
    scope: link && draft.swarm ? 'swarm' : undefined,
    internal: draft.internal,
    attachable: link ? draft.swarm : draft.attachable,
    ...(draft.driver === 'overlay' && draft.encrypted ? { encrypted: true } : {}),
    icc: draft.icc,
  };
}
