/**
 * Disconnect Container from Network: from an endpoint row (under a network) or an attachment
 * row (under a container), else picked; a modal confirmation with a Force choice, then
 * NetworkOperations.disconnect.
 */
import * as vscode from 'vscode';
import type { CommandTarget } from './commandTarget';
import { OperationRefusedError } from '../../core/operations/networkOperations';
import { validateDisconnect, type DisconnectSpec } from '../../core/operations/validateConnect';
import { containerItem, networkItem, pairNames, pickAccepted, resolveHost, type Pair } from './pickers';
import { BACK, runFlow, type FlowStep } from './prompter';
import { describeFailure, runOperation, type CommandContext, type HostHandle } from './runOperation';
import { statusText } from '../untrusted';

const DISCONNECT_TITLE = 'Disconnect Container from Network';

/** From an endpoint (a row under a network or a container, an edge in the graph), else picked. */
export async function disconnectContainer(context: CommandContext, target?: CommandTarget): Promise<DisconnectSpec | undefined> {
  const host = await resolveHost(context, DISCONNECT_TITLE, target);
  if (!host) return undefined;
  const pair = (target?.on === 'endpoint' ? target.pair : undefined) ?? (await pickEndpoint(context, host));
  if (!pair) return undefined;
  const { container, network } = pairNames(host.snapshot(), pair);
  const failure = `${container} was not disconnected from ${network}`;
  // The core would refuse too; asking first to confirm something it refuses would be silly.
  const problem = validateDisconnect(pair, host.snapshot());
  if (problem) throw new Error(describeFailure(failure, new OperationRefusedError([{ field: 'network', message: problem }])));
  const choice = await context.prompter.confirm({
    id: 'confirm',
    message: `Disconnect ${container} from ${network}?`,
    detail: 'Force Disconnect removes the endpoint even when Docker cannot clean it up normally (docker network disconnect --force).',
    choices: ['Disconnect', 'Force Disconnect'],
  });
  if (!choice) return undefined;
  const spec: DisconnectSpec = { ...pair, force: choice === 'Force Disconnect' };
  await executeDisconnect(host, spec);
  return spec;
}

export async function executeDisconnect(host: HostHandle, spec: DisconnectSpec): Promise<void> {
  const { container, network } = pairNames(host.snapshot(), spec);
  await runOperation(`Disconnecting ${container} from ${network}…`, `${container} was not disconnected from ${network}`, () =>
    host.operations.disconnect(spec, host.snapshot()),
  );
  vscode.window.setStatusBarMessage(statusText('check', `Disconnected ${container} from ${network}`), 5000);
}

/** From the palette: a container that is on some network, then one of its networks. */
async function pickEndpoint(context: CommandContext, host: HostHandle): Promise<Pair | undefined> {
  const snapshot = host.snapshot;
  const steps: Array<FlowStep<Pair>> = [
    {
      ask: async (draft, position) => {
        const chosen = await pickAccepted(
          context,
          { id: 'container', title: DISCONNECT_TITLE, position, placeholder: 'Container to disconnect' },
          snapshot().containers.map((container) => ({
            item: containerItem(container, snapshot()),
            problem: snapshot().endpoints.some((endpoint) => endpoint.containerId === container.id)
              ? undefined
              : `${container.name} is on no network.`,
          })),
          'No container is connected to a network.',
        );
        return chosen === undefined || chosen === BACK ? chosen : { ...draft, container: chosen };
      },
    },
    {
      ask: async (draft, position) => {
        const chosen = await pickAccepted(
          context,
          { id: 'network', title: DISCONNECT_TITLE, position, placeholder: 'Network to disconnect it from' },
          snapshot().networks.map((network) => ({
            item: networkItem(network),
            problem: validateDisconnect({ container: draft.container, network: network.id }, snapshot()),
          })),
          'It can be disconnected from none of its networks.',
        );
        return chosen === undefined || chosen === BACK ? chosen : { ...draft, network: chosen };
      },
    },
  ];
  return runFlow(steps, { container: '', network: '' });
}
