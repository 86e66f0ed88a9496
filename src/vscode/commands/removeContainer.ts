/**
 * Remove Container: a stopped container, from its row (Containers view) or the topology's
 * context menu, else picked among the stopped ones; a modal confirmation, then
 * NetworkOperations.removeContainer (which refuses a running one).
 */
import * as vscode from 'vscode';
import type { CommandTarget } from './commandTarget';
import { findContainer } from '../../core/operations/validateConnect';
import { containerItem, resolveHost } from './pickers';
import { BACK } from './prompter';
import { runOperation, type CommandContext, type HostHandle } from './runOperation';
import { statusText } from '../untrusted';

const TITLE = 'Remove Container';

export async function removeContainer(context: CommandContext, target?: CommandTarget): Promise<string | undefined> {
  const host = await resolveHost(context, TITLE, target);
  if (!host) return undefined;
  const containerId = target?.on === 'container' ? target.subject.id : await pickStopped(context, host);
  if (!containerId) return undefined;
  const snapshot = host.snapshot();
  const container = findContainer(snapshot, containerId);
  // A running or unknown container goes straight to the core, which says why it refuses.
  if (container && container.state !== 'running') {
    const choice = await context.prompter.confirm({
      id: 'confirm',
      message: host.operations.containerRemovalConfirmation(container, snapshot),
      choices: ['Remove'],
    });
    if (choice !== 'Remove') return undefined;
  }
  const name = container?.name ?? containerId;
  await runOperation(`Removing container ${name}…`, `Container ${name} was not removed`, () =>
    host.operations.removeContainer(containerId, snapshot),
  );
  vscode.window.setStatusBarMessage(statusText('check', `Removed container ${name}`), 5000);
  return name;
}

async function pickStopped(context: CommandContext, host: HostHandle): Promise<string | undefined> {
  const snapshot = host.snapshot();
  const stopped = snapshot.containers.filter(
    (container) => container.state !== 'running' && container.state !== 'paused' && container.state !== 'restarting',
  );
  if (stopped.length === 0)
    throw new Error(`${host.monitor.host.name} has no stopped container: only a stopped container is removed here.`);
  const chosen = await context.prompter.pick({
    id: 'container',
    title: TITLE,
    placeholder: 'Stopped container to remove',
    items: stopped.map((container) => containerItem(container, snapshot)),
  });
  return chosen === BACK ? undefined : chosen;
}
