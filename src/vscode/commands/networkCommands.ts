import * as vscode from 'vscode';
import type { HostRegistry } from '../../core/docker/hostRegistry';
import { commandTarget, type CommandTarget } from './commandTarget';
import { connectContainer } from './connectContainer';
import { createNetworkCommand } from './createNetwork';
import { disconnectContainer } from './disconnectContainer';
import { addHost, removeHost } from './hostCommands';
import type { Prompter } from './prompter';
import { registerCommand } from './registerCommand';
import { removeContainer } from './removeContainer';
import { pruneNetworks, removeNetwork } from './removeNetwork';
import type { CommandContext } from './runOperation';
import { VsCodePrompter } from './vscodePrompter';
import { errorMessage } from '../../core/util/errors';

export interface NetworkCommands extends vscode.Disposable {
  /**
   * Until the returned disposable is disposed, the commands ask `prompter` instead of the
   * user (the extension-host tests' scripted answers, through the test API).
   */
  usePrompter(prompter: Prompter): vscode.Disposable;
}

const HOSTS_READY_MS = 5000;

type NetworkCommand = (context: CommandContext, target?: CommandTarget) => Promise<unknown>;

const COMMANDS: Record<string, NetworkCommand> = {
  'dockerNetworkExplorer.createBridgeNetwork': createNetworkCommand('bridge'),
  'dockerNetworkExplorer.createOverlayNetwork': createNetworkCommand('overlay'),
  'dockerNetworkExplorer.createMacvlanNetwork': createNetworkCommand('macvlan'),
  'dockerNetworkExplorer.createIpvlanNetwork': createNetworkCommand('ipvlan'),
  'dockerNetworkExplorer.connectContainer': connectContainer,
  'dockerNetworkExplorer.disconnectContainer': disconnectContainer,
  'dockerNetworkExplorer.removeNetwork': removeNetwork,
  'dockerNetworkExplorer.pruneNetworks': pruneNetworks,
  'dockerNetworkExplorer.removeContainer': removeContainer,
  'dockerNetworkExplorer.addHost': addHost,
  'dockerNetworkExplorer.removeHost': removeHost,
};

/**
 * Create, connect, disconnect, remove and prune. Each command gathers its input through a
 * Prompter, then runs one NetworkOperations call; failures reach registerCommand's wrapper,
 * which logs and shows them.
 */
export function registerNetworkCommands(registry: HostRegistry, log: vscode.LogOutputChannel): NetworkCommands {
  const ui = new VsCodePrompter();
  let prompter: Prompter = ui;
  const registrations = Object.entries(COMMANDS).map(([id, command]) =>
    // A tree row (its menu) or a CommandTarget (the topology's menu).
    registerCommand(log, id, async (arg?: unknown) => {
      // Run from the palette before any view was shown: follow the hosts and let them connect.
      await registry.ready(HOSTS_READY_MS);
      const context: CommandContext = { registry, prompter };
      try {
        return await command(context, commandTarget(arg));
      } catch (error) {
        context.prompter.failed(errorMessage(error));
        throw error;
      }
    }),
  );
  return {
    usePrompter(replacement) {
      prompter = replacement;
      return new vscode.Disposable(() => {
        if (prompter === replacement) prompter = ui;
      });
    },
    dispose() {
      registrations.forEach((registration) => registration.dispose());
    },
  };
}
