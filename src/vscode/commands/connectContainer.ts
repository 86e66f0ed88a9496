/**
 * Connect Container to Network: container and network (one of them given by the row the
 * command was opened on), then aliases, links and a static IPv4, each checked as typed by the
 * core's validators, then NetworkOperations.connect.
 */
import * as vscode from 'vscode';
import type { CommandTarget } from './commandTarget';
import { present } from '../../core/operations/networkSpec';
import {
  findContainer,
  findNetwork,
  splitList,
  suggestFreeIpv4,
  validateAliases,
  validateConnectTarget,
  validateLinks,
  validateStaticIpv4,
  type ConnectSpec,
} from '../../core/operations/validateConnect';
import { containerItem, networkItem, pairNames, pickAccepted, resolveHost, type Pair } from './pickers';
import { BACK, runFlow, type FlowStep, type InputStep } from './prompter';
import { runOperation, type CommandContext, type HostHandle } from './runOperation';
import { statusText } from '../untrusted';
import { swarmNameWarning } from '../../core/operations/swarmNames';

const CONNECT_TITLE = 'Connect Container to Network';

interface ConnectDraft {
  container: string;
  network: string;
  aliases: string;
  links: string;
  /** Empty unless typed: `docker network connect` pins no address either. */
  ipv4Address?: string;
}

/** From a network row the network is given, from a container row the container. */
export async function connectContainer(context: CommandContext, target?: CommandTarget): Promise<ConnectSpec | undefined> {
  const host = await resolveHost(context, CONNECT_TITLE, target);
  if (!host) return undefined;
  const preset: Pair = {
    container: target?.on === 'container' ? target.subject.id : '',
    network: target?.on === 'network' ? target.subject.id : '',
  };
  const spec = await gatherConnectSpec(context, host, preset);
  if (!spec || !(await acceptSwarmName(context, host, spec))) return undefined;
  await executeConnect(host, spec);
  return spec;
}

export async function gatherConnectSpec(context: CommandContext, host: HostHandle, preset: Pair): Promise<ConnectSpec | undefined> {
  const snapshot = host.snapshot;
  const network = (draft: Pair) => findNetwork(snapshot(), draft.network);
  // Docker's own networks take neither aliases nor fixed addresses (the core says why if tried).
  const userDefined = (draft: Pair) => network(draft)?.predefined === false;
  const suggestion = (draft: Pair) => {
    const target = network(draft);
    return target && !target.predefined ? suggestFreeIpv4(target, snapshot()) : undefined;
  };
  const text = (
    id: 'aliases' | 'links' | 'ipv4Address',
    question: (draft: ConnectDraft) => Omit<InputStep, 'id' | 'title' | 'position'>,
    offered?: (draft: ConnectDraft) => boolean,
  ): FlowStep<ConnectDraft> => ({
    skip: offered && ((draft) => !offered(draft)),
    ask: async (draft, position) => {
      const answer = await context.prompter.input({ id, title: CONNECT_TITLE, position, ...question(draft) });
      return answer === undefined || answer === BACK ? answer : { ...draft, [id]: answer.trim() };
    },
  });
  const steps: Array<FlowStep<ConnectDraft>> = [
    {
      applies: preset.container === '',
      ask: async (draft, position) => {
        const chosen = await pickAccepted(
          context,
          {
            id: 'container',
            title: CONNECT_TITLE,
            position,
            placeholder: `Container to connect to ${network(draft)?.name ?? 'a network'}`,
          },
          snapshot().containers.map((container) => ({
            item: containerItem(container, snapshot()),
            problem: draft.network ? validateConnectTarget(container.id, draft.network, snapshot()) : undefined,
          })),
          `No container can be connected to ${network(draft)?.name ?? 'this network'}.`,
        );
        return chosen === undefined || chosen === BACK ? chosen : { ...draft, container: chosen };
      },
    },
    {
      applies: preset.network === '',
      ask: async (draft, position) => {
        const name = findContainer(snapshot(), draft.container)?.name ?? draft.container;
        const chosen = await pickAccepted(
          context,
          { id: 'network', title: CONNECT_TITLE, position, placeholder: `Network to connect ${name} to` },
          snapshot().networks.map((candidate) => ({
            item: networkItem(candidate),
            problem: validateConnectTarget(draft.container, candidate.id, snapshot()),
          })),
          `${name} cannot be connected to any other network.`,
        );
        return chosen === undefined || chosen === BACK ? chosen : { ...draft, network: chosen };
      },
    },
    text(
      'aliases',
      (draft) => ({
        prompt: `Network-scoped aliases: names other containers on ${network(draft)?.name} resolve to this one. Separate several with commas.`,
        placeholder: 'optional, e.g. webone',
        value: draft.aliases,
        validate: (typed) => validateAliases(typed, network(draft)),
      }),
      userDefined,
    ),
    text('links', (draft) => ({
      prompt: 'Links as container:alias: names only this container resolves. Separate several with commas.',
      placeholder: 'optional, e.g. web2:webtwo',
      value: draft.links,
      validate: (typed) => validateLinks(typed, draft.container, network(draft), snapshot()),
    })),
    text(
      'ipv4Address',
      (draft) => ({
        prompt: `Static IPv4 address on ${network(draft)?.name}, optional. Leave it empty and Docker assigns one.`,
        placeholder: `empty: Docker assigns one (a free static address: ${suggestion(draft) ?? 'none'})`,
        value: draft.ipv4Address ?? '',
        validate: (typed) => validateStaticIpv4(typed, network(draft), snapshot()),
      }),
      (draft) => suggestion(draft) !== undefined,
    ),
  ];
  const draft = await runFlow(steps, { ...preset, aliases: '', links: '' });
  if (!draft) return undefined;
  return {
    container: draft.container,
    network: draft.network,
    aliases: splitList(draft.aliases),
    links: splitList(draft.links),
    ipv4Address: present(draft.ipv4Address),
  };
}

/** A name already on a swarm overlay (any host): asks first, since Docker may not refuse it. */
async function acceptSwarmName(context: CommandContext, host: HostHandle, spec: ConnectSpec): Promise<boolean> {
  const container = findContainer(host.snapshot(), spec.container);
  const network = findNetwork(host.snapshot(), spec.network);
  if (!container || !network) return true;
  const warning = swarmNameWarning(container.name, network, context.registry.hostViews(), {
    hostId: host.monitor.host.id,
    containerId: container.id,
  });
  if (!warning) return true;
  const choice = await context.prompter.confirm({
    id: 'confirm',
    message: `Connect ${container.name} to ${network.name}?`,
    detail: warning,
    choices: ['Connect Anyway'],
  });
  return choice === 'Connect Anyway';
}

export async function executeConnect(host: HostHandle, spec: ConnectSpec): Promise<void> {
  const { container, network } = pairNames(host.snapshot(), spec);
  await runOperation(`Connecting ${container} to ${network}…`, `${container} was not connected to ${network}`, () =>
    host.operations.connect(spec, host.snapshot()),
  );
  // Docker announces nothing when a stopped container is connected (20.10 and 26), so no event
  // would show it until something else happens on the host: load it again now.
  if (findContainer(host.snapshot(), spec.container)?.state !== 'running') await host.monitor.refresh();
  vscode.window.setStatusBarMessage(statusText('check', `Connected ${container} to ${network}`), 5000);
}
