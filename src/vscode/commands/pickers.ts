/**
 * The host, network and container a command works on: taken from the tree row the command was
 * opened on when there is one, otherwise asked with a quick pick.
 */
import { formatIpam, networkBadges } from '../../core/model/format';
import type { ContainerModel, HostSnapshot, NetworkModel } from '../../core/model/snapshot';
import { findContainer, findNetwork } from '../../core/operations/validateConnect';
import type { CommandTarget, Pair } from './commandTarget';
import { hostHandle, type CommandContext, type HostHandle } from './runOperation';
import { BACK, type Answer, type PickItem, type StepPosition } from './prompter';

/**
 * The host of the target (a host, or what is on it), else the only connected host, else the
 * one the user picks. Undefined when the user cancels the pick.
 */
export async function resolveHost(
  context: CommandContext,
  title: string,
  target: CommandTarget | undefined,
): Promise<HostHandle | undefined> {
  const monitors = context.registry.all;
  const fromRow = target?.hostId;
  if (fromRow !== undefined) {
    const monitor = context.registry.monitor(fromRow);
    if (!monitor) throw new Error(`Host ${fromRow} is no longer in the explorer.`);
    return hostHandle(monitor);
  }
  const connected = monitors.filter((monitor) => monitor.state.kind === 'connected');
  if (connected.length === 0) throw new Error('No Docker host is connected: see the Docker Networks view for why.');
  if (connected.length === 1) return hostHandle(connected[0]);
  const picked = await context.prompter.pick({
    id: 'host',
    title,
    placeholder: 'Docker host',
    items: connected.map((monitor) => ({ label: monitor.host.name, description: monitor.host.url, value: monitor })),
  });
  return picked === undefined || picked === BACK ? undefined : hostHandle(picked);
}

export type { Pair } from './commandTarget';

/** The pair by name, for titles and messages. */
export function pairNames(snapshot: HostSnapshot, pair: Pair): Pair {
  return {
    container: findContainer(snapshot, pair.container)?.name ?? pair.container,
    network: findNetwork(snapshot, pair.network)?.name ?? pair.network,
  };
}

export function networkItem(network: NetworkModel): PickItem<string> {
  const details = [`${network.driver} · ${network.scope}`, formatIpam(network.ipam), ...networkBadges(network)];
  return { label: network.name, description: details.filter(Boolean).join(' · '), value: network.id };
}

export function containerItem(container: ContainerModel, snapshot: HostSnapshot): PickItem<string> {
  const networks = snapshot.endpoints
    .filter((endpoint) => endpoint.containerId === container.id)
    .map((endpoint) => snapshot.networks.find((network) => network.id === endpoint.networkId)?.name ?? endpoint.networkId.slice(0, 12));
  const on = networks.length ? `on ${networks.join(', ')}` : 'on no network';
  return { label: container.name, description: `${container.state} · ${on}`, value: container.id };
}

/**
 * A pick of candidates the core accepts (`problem` undefined). When it accepts none, the user
 * gets the core's reason instead of an empty list.
 */
export async function pickAccepted<T>(
  context: CommandContext,
  step: { id: 'container' | 'network'; title: string; placeholder: string; position?: StepPosition },
  candidates: ReadonlyArray<{ item: PickItem<T>; problem: string | undefined }>,
  noneMessage: string,
): Promise<Answer<T>> {
  const accepted = candidates.filter((candidate) => candidate.problem === undefined);
  if (accepted.length === 0) {
    const reasons = [...new Set(candidates.flatMap((candidate) => (candidate.problem ? [candidate.problem] : [])))];
    throw new Error(reasons.length === 1 ? `${noneMessage} ${reasons[0]}` : noneMessage);
  }
  return context.prompter.pick({ ...step, items: accepted.map((candidate) => candidate.item) });
}
