/**
 * Remove Network (modal confirmation naming the containers still attached) and Prune Unused
 * Networks (confirmation listing them), on top of NetworkOperations.
 */
import * as vscode from 'vscode';
import type { CommandTarget } from './commandTarget';
import type { HostSnapshot, NetworkModel } from '../../core/model/snapshot';
import type { PruneResult } from '../../core/operations/networkOperations';
import { findNetwork } from '../../core/operations/validateConnect';
import { networkItem, resolveHost } from './pickers';
import { BACK } from './prompter';
import { runOperation, type CommandContext, type HostHandle } from './runOperation';
import { notify, statusText } from '../untrusted';

const REMOVE_TITLE = 'Remove Network';

export async function removeNetwork(context: CommandContext, target?: CommandTarget): Promise<string | undefined> {
  const host = await resolveHost(context, REMOVE_TITLE, target);
  if (!host) return undefined;
  const networkId = target?.on === 'network' ? target.subject.id : await pickNetwork(context, host);
  if (!networkId) return undefined;
  // Confirmation and removal work on the same snapshot: exactly the containers the user was
  // told about are disconnected. One that joined since makes Docker refuse, and the core
  // reconnects the others.
  const snapshot = host.snapshot();
  const network = findNetwork(snapshot, networkId);
  // A predefined network (only reachable through a direct call: menus hide the command there)
  // goes straight to the core, which refuses it with its own message: nothing to confirm.
  if (network && !network.predefined) {
    const choice = await context.prompter.confirm({
      id: 'confirm',
      message: host.operations.removalConfirmation(network, snapshot),
      choices: ['Remove'],
    });
    if (choice !== 'Remove') return undefined;
  }
  const name = network?.name ?? networkId;
  await runOperation(`Removing network ${name}…`, `Network ${name} was not removed`, () =>
    host.operations.removeNetwork(networkId, snapshot, { disconnectAttached: true }),
  );
  vscode.window.setStatusBarMessage(statusText('check', `Removed network ${name}`), 5000);
  return name;
}

export async function pruneNetworks(context: CommandContext, target?: CommandTarget): Promise<PruneResult | undefined> {
  const host = await resolveHost(context, 'Prune Unused Networks', target);
  if (!host) return undefined;
  const candidates = host.operations.pruneCandidates(host.snapshot());
  const hostName = host.monitor.host.name;
  if (candidates.length === 0) {
    void notify(
      'information',
      `${hostName} has no unused networks: every network of its own has a container attached, running or stopped.`,
    );
    return { removed: [], failed: [] };
  }
  const choice = await context.prompter.confirm({
    id: 'confirm',
    message: `Remove ${candidates.length} unused network${candidates.length === 1 ? '' : 's'} on ${hostName}?`,
    detail: `${candidates.map((network) => network.name).join(', ')}.\nNo container, running or stopped, is attached to them.`,
    choices: ['Remove'],
  });
  if (choice !== 'Remove') return undefined;
  const result = await runOperation(`Removing ${candidates.length} unused networks…`, 'Pruning networks failed', () =>
    host.operations.prune(candidates),
  );
  if (result.failed.length > 0) {
    const failures = result.failed.map(({ network, error }) => `${network.name}: ${error.message}`).join('; ');
    throw new Error(`Removed ${result.removed.length} of ${candidates.length} unused networks on ${hostName}. Not removed: ${failures}`);
  }
  vscode.window.setStatusBarMessage(statusText('check', `Removed ${result.removed.length} unused networks`), 5000);
  return result;
}

/** Networks the user created: predefined ones are not offered (the core would refuse them). */
async function pickNetwork(context: CommandContext, host: HostHandle): Promise<string | undefined> {
  const snapshot: HostSnapshot = host.snapshot();
  const removable = snapshot.networks.filter((network: NetworkModel) => !network.predefined);
  if (removable.length === 0) throw new Error(`${host.monitor.host.name} has only Docker's predefined networks, which cannot be removed.`);
  const chosen = await context.prompter.pick({
    id: 'network',
    title: REMOVE_TITLE,
    placeholder: 'Network to remove',
    items: removable.map(networkItem),
  });
  return chosen === BACK ? undefined : chosen;
}
