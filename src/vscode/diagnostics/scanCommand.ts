/**
 * "Docker Networks: Scan Host Configuration": reads this machine's dockerd configuration
 * (read-only) and the configuration and compose files of the workspace, asks the running
 * daemons, and publishes everything in the Problems panel, open or not.
 */
import * as vscode from 'vscode';
import { classifyConfigFile } from '../../core/diagnostics/configFiles';
import type { ConfigDiagnostics, LiveDiagnostic } from './configDiagnostics';
import { readHostFiles } from '../../core/diagnostics/hostFiles/readHostFiles';
import type { HostDocuments } from './hostDocuments';
import { hostPathOf, underRoot } from '../../core/diagnostics/hostFiles/hostPaths';
import { liveDiagnostics, type ScannedFile } from './liveFindings';

export const SCAN_COMMAND = 'dockerNetworkExplorer.scanHostConfiguration';
const SECTION = 'dockerNetworkExplorer.diagnostics';

/** Pre-filters for the workspace search; classifyConfigFile decides what each file is. */
const WORKSPACE_GLOBS = [
  '**/daemon.json', '**/docker.service', '**/docker.socket', '**/*.service.d/*.conf', '**/*.socket.d/*.conf',
  '**/sysconfig/docker', '**/default/docker', '**/*compose*.{yml,yaml}',
];
const EXCLUDE = '**/{node_modules,.git}/**';
const MAX_WORKSPACE_FILES = 200;

export interface ScanDependencies {
  diagnostics: ConfigDiagnostics;
  hostDocuments: HostDocuments;
  hosts(): ReadonlyArray<{ name: string; url: string; implicit?: boolean }>;
  timeoutMs(): number;
  docsUri: vscode.Uri;
  log: vscode.LogOutputChannel;
}

/** What the scan found; the command returns it (the tests read it). */
export interface ScanSummary {
  files: string[];
  unreadable: string[];
  problems: number;
}

export function scanHostConfiguration(deps: ScanDependencies): Thenable<ScanSummary> {
  const settings = vscode.workspace.getConfiguration(SECTION);
  const root = settings.get<string>('hostConfigRoot', '/') || '/';
  const askDaemons = settings.get<boolean>('liveChecks', true);
  return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: 'Scanning Docker host configuration' }, async (progress) => {
    progress.report({ message: `reading ${root === '/' ? '' : root}/etc/docker/daemon.json, systemd units, env files…` });
    const host = await readHostFiles(root);
    progress.report({ message: 'looking for compose and configuration files in the workspace…' });
    const workspace = await workspaceFiles();
    const folders = (vscode.workspace.workspaceFolders ?? []).map((folder) => folder.uri.path);
    const scanned: Array<ScannedFile & { onDisk: string }> = [];
    for (const { uri, text: onDisk } of [...host.files.map((file) => ({ uri: vscode.Uri.file(file.file), text: file.text })), ...workspace]) {
      const { corePath } = hostPathOf(uri.path, folders);
      // An open file is checked as the user sees it, unsaved edits included, like as-you-type.
      const text = vscode.workspace.textDocuments.find((document) => document.uri.toString() === uri.toString())?.getText() ?? onDisk;
      if (classifyConfigFile(corePath, text) && !scanned.some((known) => known.uri.toString() === uri.toString())) scanned.push({ uri, corePath, text, onDisk });
    }
    // Once closed, a file is diagnosed with what is on disk.
    deps.diagnostics.setScanned(scanned.map((file) => ({ uri: file.uri, text: file.onDisk })));
    let live: LiveDiagnostic[] = [];
    if (askDaemons) {
      progress.report({ message: 'asking the running Docker daemons and their cluster stores…' });
      // The root's own files, not a workspace folder mirroring another host.
      const rootKey = hostPathOf(underRoot(vscode.Uri.file(root).path, '/etc/docker/daemon.json'), folders).hostKey;
      const localFiles = scanned.filter((file) => hostPathOf(file.uri.path, folders).hostKey === rootKey);
      live = await liveDiagnostics({
        hosts: deps.hosts(), localFiles, timeoutMs: Math.min(deps.timeoutMs(), 3000), hostDocuments: deps.hostDocuments, docsUri: deps.docsUri,
      });
    }
    deps.diagnostics.setLive(live);
    const summary: ScanSummary = {
      files: scanned.map((file) => file.uri.fsPath),
      unreadable: host.unreadable.map((item) => `${item.file}: ${item.reason}`),
      problems: deps.diagnostics.problemsIn([...scanned.map((file) => file.uri), ...live.map((item) => item.uri)]),
    };
    deps.log.info(`scan of ${root}: ${summary.files.length} file(s), ${summary.problems} problem(s)${summary.unreadable.length ? `; could not read ${summary.unreadable.join('; ')}` : ''}`);
    void tell(summary, root);
    return summary;
  });
}

async function workspaceFiles(): Promise<Array<{ uri: vscode.Uri; text: string }>> {
  const found = (await Promise.all(WORKSPACE_GLOBS.map((glob) => vscode.workspace.findFiles(glob, EXCLUDE, MAX_WORKSPACE_FILES)))).flat();
  const unique = [...new Map(found.map((uri) => [uri.toString(), uri])).values()].slice(0, MAX_WORKSPACE_FILES);
  const read = await Promise.all(unique.map(async (uri) => {
    try {
      return { uri, text: new TextDecoder().decode(await vscode.workspace.fs.readFile(uri)) };
    } catch {
      return undefined;
    }
  }));
  return read.filter((file): file is { uri: vscode.Uri; text: string } => file !== undefined);
}

/** Not awaited: the command ends while the message stays. */
async function tell(summary: ScanSummary, root: string): Promise<void> {
  const cannotRead = summary.unreadable.length ? ` Could not read: ${summary.unreadable.join('; ')}.` : '';
  if (summary.files.length === 0) {
    void vscode.window.showInformationMessage(`No Docker configuration files found under ${root} or in the workspace.${cannotRead}`);
    return;
  }
  const checked = `${summary.files.length} configuration file${summary.files.length === 1 ? '' : 's'} checked`;
  if (summary.problems === 0) {
    void vscode.window.showInformationMessage(`Docker host configuration: no problems found (${checked}).${cannotRead}`);
    return;
  }
  const choice = await vscode.window.showWarningMessage(
    `Docker host configuration: ${summary.problems} problem${summary.problems === 1 ? '' : 's'} found (${checked}).${cannotRead}`,
    'Show Problems',
  );
  if (choice) await vscode.commands.executeCommand('workbench.actions.view.problems');
}
