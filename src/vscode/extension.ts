import * as os from 'node:os';
import * as vscode from 'vscode';
import { HostRegistry } from '../core/docker/hostRegistry';
import { resolveHosts } from '../core/hosts/resolveHosts';
import { HostKeyTrust } from '../core/ssh/hostKeyTrust';
import { registerExplorerCommands } from './commands/explorerCommands';
import { registerRevealInTree } from './commands/revealInTree';
import { registerNetworkCommands } from './commands/networkCommands';
import { registerDiagnostics } from './diagnostics/registerDiagnostics';
import { INSPECT_SCHEME, InspectDocuments } from './inspect/inspectDocuments';
import { askAboutHostKey } from './hostKeyQuestion';
import { affectsHosts, readSettings } from './settings';
import { loadTestApi } from './loadTestApi';
import type { ExtensionTestApi } from './testApi';
import { registerReachability } from './reachability/reachCommands';
import { registerTopology } from './topology/topologyPanel';
import { ExplorerTreeProvider } from './tree/explorerTreeProvider';

/** Returns the test API only under the extension-host tests (loadTestApi.ts). */
export function activate(context: vscode.ExtensionContext): ExtensionTestApi | undefined {
  const log = vscode.window.createOutputChannel('Docker Network Explorer', { log: true });
  const settings = readSettings();
  // One for all hosts, so one question is asked per host key, whichever monitor meets it first.
  const hostKeys = new HostKeyTrust({ askUnknown: askAboutHostKey });
  const registry = new HostRegistry({ timeoutMs: settings.timeoutMs, logger: log, hostKeys });
  const networks = new ExplorerTreeProvider('networks', registry);
  const containers = new ExplorerTreeProvider('containers', registry);
  const inspectDocuments = new InspectDocuments();
  const networkCommands = registerNetworkCommands(registry, log);
  const trees = {
    networks: {
      provider: networks,
      view: vscode.window.createTreeView('dockerNetworkExplorer.networks', { treeDataProvider: networks, showCollapseAll: true }),
    },
    containers: {
      provider: containers,
      view: vscode.window.createTreeView('dockerNetworkExplorer.containers', { treeDataProvider: containers, showCollapseAll: true }),
    },
  };

  const applyHosts = () => {
    const current = readSettings();
    if (current.timeoutNote) log.warn(current.timeoutNote);
    const hosts = resolveHosts({ env: process.env, homeDir: os.homedir(), settingHosts: current.hosts });
    for (const host of hosts) {
      for (const warning of host.warnings) log.warn(`${host.name}: ${warning}`);
      if (host.problem) log.error(`${host.name}: ${host.problem}`);
    }
    log.info(`following ${hosts.length} Docker host(s): ${hosts.map((host) => `${host.name} (${host.url})`).join(', ')}`);
    registry.setHosts(hosts);
  };

  const topology = registerTopology(context, registry);
  context.subscriptions.push(
    log,
    registry,
    networks,
    containers,
    inspectDocuments,
    trees.networks.view,
    trees.containers.view,
    registerRevealInTree(log, trees),
    vscode.workspace.registerTextDocumentContentProvider(INSPECT_SCHEME, inspectDocuments),
    ...registerExplorerCommands(registry, inspectDocuments, log),
    networkCommands,
    registerReachability(registry, log, topology),
    registerDiagnostics({
      extensionUri: context.extensionUri,
      log,
      // Each host with its full settings (TLS files, ssh login), asked about ssh keys as the views are.
      hosts: () => registry.hosts.map((host) => ({ name: host.name, url: host.url, implicit: host.implicit, config: host })),
      hostKeys,
      timeoutMs: () => readSettings().timeoutMs,
    }),
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (!affectsHosts(event)) return;
      registry.updateOptions({ timeoutMs: readSettings().timeoutMs, logger: log, hostKeys });
      applyHosts();
    }),
  );
  applyHosts();
  // Daemons are dialled once someone looks: a view shown now or later (the topology panel and
  // the commands ask the registry themselves).
  for (const { view } of [trees.networks, trees.containers]) {
    if (view.visible) registry.follow();
    context.subscriptions.push(view.onDidChangeVisibility((event) => event.visible && registry.follow()));
  }
  return loadTestApi({ providers: { networks, containers }, registry, networkCommands });
}

export function deactivate(): void {
  // Everything is in context.subscriptions.
}
