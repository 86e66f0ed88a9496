import * as vscode from 'vscode';
import type { ExplorerNode, NodeTarget } from '../../core/explorer/explorerTree';
import type { HostRegistry } from '../../core/docker/hostRegistry';
import type { InspectDocuments } from '../inspect/inspectDocuments';
import { commandTarget } from './commandTarget';
import { COMPOSE_GROUPING_SETTING } from '../settings';
import { registerContainerTerminals } from './containerTerminals';
import { registerCommand } from './registerCommand';

/** Refresh, retry, inspect, log, a container's shell and logs: the commands of the explorer views. */
export function registerExplorerCommands(
  registry: HostRegistry,
  inspectDocuments: InspectDocuments,
  log: vscode.LogOutputChannel,
): vscode.Disposable[] {
  return [
    registerCommand(log, 'dockerNetworkExplorer.refresh', () => {
      registry.follow();
      return registry.refreshAll();
    }),
    registerCommand(log, 'dockerNetworkExplorer.retryHost', (target: ExplorerNode | string | undefined) => {
      const hostId = typeof target === 'string' ? target : target?.command?.hostId;
      const monitors = hostId ? [registry.monitor(hostId)] : registry.all;
      return Promise.all(monitors.map((monitor) => monitor?.retryNow()));
    }),
    // A tree row (its menu) or a CommandTarget (the topology's menu).
    registerCommand(log, 'dockerNetworkExplorer.inspect', (arg: unknown) => {
      const target = commandTarget(arg);
      return inspect(registry, inspectDocuments, target?.on === 'host' ? undefined : target?.subject);
    }),
    registerCommand(log, 'dockerNetworkExplorer.showLog', () => log.show()),
    registerCommand(log, 'dockerNetworkExplorer.toggleComposeGrouping', () => toggleComposeGrouping()),
    ...registerContainerTerminals(registry, log),
  ];
}

async function inspect(registry: HostRegistry, documents: InspectDocuments, target: NodeTarget | undefined): Promise<void> {
  if (!target) throw new Error('Inspect works on a network or a container in the Docker Networks views.');
  const monitor = registry.monitor(target.hostId);
  const client = monitor?.client;
  if (!monitor || !client) throw new Error(`Host ${target.hostId} is not connected.`);
  const value = await vscode.window.withProgress<unknown>(
    { location: { viewId: `dockerNetworkExplorer.${target.type === 'network' ? 'networks' : 'containers'}` } },
    () => (target.type === 'network' ? client.inspectNetwork(target.id) : client.inspectContainer(target.id)),
  );
  await documents.show(monitor.host.name, target.type, target.name, value);
}

/** Flips the Containers view's grouping where it is set (the workspace's value, else the user's). */
async function toggleComposeGrouping(): Promise<void> {
  const config = vscode.workspace.getConfiguration('dockerNetworkExplorer');
  const inspected = config.inspect<boolean>(COMPOSE_GROUPING_SETTING);
  const target = inspected?.workspaceValue !== undefined ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global;
  await config.update(COMPOSE_GROUPING_SETTING, !config.get<boolean>(COMPOSE_GROUPING_SETTING, false), target);
}
