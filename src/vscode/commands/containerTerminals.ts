/**
 * Open Shell and Show Logs on a container: a VS Code terminal running the docker CLI against the
 * container's own host (`docker --host=… exec -it <id> sh`, `docker --host=… logs --follow <id>`,
 * core/hosts/dockerCliArgs.ts). The CLI is started directly with an argument list, never through
 * a shell, and is given the container's ID, never its name.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { commandTarget } from './commandTarget';
import { containerLogsArgs, containerShellArgs, dockerCliHost, DOCKER_CLI_ENVIRONMENT } from '../../core/hosts/dockerCliArgs';
import type { HostRegistry } from '../../core/docker/hostRegistry';
import { neutralise } from '../../core/util/untrustedText';
import { BACK } from './prompter';
import { registerCommand } from './registerCommand';
import { VsCodePrompter } from './vscodePrompter';

type Kind = 'shell' | 'logs';

export function registerContainerTerminals(registry: HostRegistry, log: vscode.LogOutputChannel): vscode.Disposable[] {
  return [
    registerCommand(log, 'dockerNetworkExplorer.openShell', (arg?: unknown) => openTerminal(registry, log, 'shell', arg)),
    registerCommand(log, 'dockerNetworkExplorer.showLogs', (arg?: unknown) => openTerminal(registry, log, 'logs', arg)),
  ];
}

async function openTerminal(
  registry: HostRegistry,
  log: vscode.LogOutputChannel,
  kind: Kind,
  arg: unknown,
): Promise<vscode.Terminal | undefined> {
  // A tree row or the graph's typed target (commandTarget); from the palette, asked.
  const given = commandTarget(arg);
  const target = given?.on === 'container' ? given.subject : await pickContainer(registry, kind);
  if (!target) return undefined;
  const host = registry.monitor(target.hostId)?.host;
  if (!host) throw new Error(`Host ${target.hostId} is no longer in the explorer.`);
  const docker = findOnPath('docker');
  if (!docker) throw new Error('The docker CLI is not on PATH: Open Shell and Show Logs run it in a terminal.');
  const args = kind === 'shell' ? containerShellArgs(host, target.id) : containerLogsArgs(host, target.id);
  for (const note of dockerCliHost(host).notes) log.warn(`${host.name}: ${note}`);
  log.info(`${kind === 'shell' ? 'Open Shell' : 'Show Logs'}: ${docker} ${args.map((arg) => JSON.stringify(arg)).join(' ')}`);
  const terminal = vscode.window.createTerminal({
    // The name is the daemon's text: shown with its control characters escaped.
    name: neutralise(`${kind === 'shell' ? 'sh' : 'logs'}: ${target.name} · ${host.name}`),
    shellPath: docker,
    shellArgs: args,
    // Our flags name the host; these would otherwise point the CLI elsewhere, or add TLS to a socket.
    env: Object.fromEntries(DOCKER_CLI_ENVIRONMENT.map((name) => [name, null])),
    iconPath: new vscode.ThemeIcon(kind === 'shell' ? 'terminal' : 'output'),
  });
  terminal.show();
  return terminal;
}

/** Run from the palette: the containers of the connected hosts (running ones only for a shell). */
async function pickContainer(registry: HostRegistry, kind: Kind) {
  registry.follow();
  const items = registry.all.flatMap((monitor) => {
    const state = monitor.state;
    if (state.kind !== 'connected') return [];
    return state.snapshot.containers
      .filter((container) => kind === 'logs' || container.state === 'running')
      .map((container) => ({
        label: container.name,
        description: `${container.state} · ${monitor.host.name}`,
        value: { hostId: monitor.host.id, type: 'container' as const, id: container.id, name: container.name },
      }));
  });
  if (items.length === 0)
    throw new Error(kind === 'shell' ? 'No running container on a connected host.' : 'No container on a connected host.');
  // The one quick pick of real use (it escapes the daemon's names).
  const title = kind === 'shell' ? 'Open Shell in Container' : 'Show Container Logs';
  const picked = await new VsCodePrompter().pick({ id: 'container', title, placeholder: 'Container', items });
  return picked === undefined || picked === BACK ? undefined : picked;
}

function findOnPath(command: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter).filter(Boolean)) {
    const candidate = path.join(dir, command);
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      if (fs.statSync(candidate).isFile()) return candidate;
    } catch {
      // Not here: the next folder.
    }
  }
  return undefined;
}
