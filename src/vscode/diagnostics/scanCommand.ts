/**
 * "Docker Networks: Scan Host Configuration": reads this machine's dockerd configuration
 * (read-only) and the configuration and compose files of the workspace, asks the running
 * daemons, and publishes everything in the Problems panel, open or not.
 */
import * as vscode from 'vscode';
import type { LiveHost } from '../../core/diagnostics/live/types';
import type { HostKeyTrust } from '../../core/ssh/hostKeyTrust';
import { classifyConfigFile } from '../../core/diagnostics/configFiles';
import { scanMessage } from '../../core/diagnostics/scanReport';
import { decodeConfigBytes } from '../../core/diagnostics/decode';
import type { ConfigDiagnostics, LiveDiagnostic } from './configDiagnostics';
import { readHostFiles } from '../../core/diagnostics/hostFiles/readHostFiles';
import type { HostDocuments } from './hostDocuments';
import { hostPathOf, underRoot } from '../../core/diagnostics/hostFiles/hostPaths';
import { liveDiagnostics, type ScannedFile } from './liveFindings';
import { readHelperImages, readScanSettings } from '../settings';
import { notify } from '../untrusted';

export const SCAN_COMMAND = 'dockerNetworkExplorer.scanHostConfiguration';

/** Pre-filters for the workspace search; classifyConfigFile decides what each file is. */
const WORKSPACE_GLOBS = [
  '**/daemon.json',
  '**/docker.service',
  '**/docker.socket',
  '**/*.service.d/*.conf',
  '**/*.socket.d/*.conf',
  '**/sysconfig/docker',
  '**/default/docker',
  '**/*compose*.{yml,yaml}',
];
const EXCLUDE = '**/{node_modules,.git}/**';
const MAX_WORKSPACE_FILES = 200;

export interface ScanDependencies {
  diagnostics: ConfigDiagnostics;
  hostDocuments: HostDocuments;
  hosts(): ReadonlyArray<LiveHost>;
  hostKeys: HostKeyTrust;
  timeoutMs(): number;
  docsUri: vscode.Uri;
  log: vscode.LogOutputChannel;
}

/** What the scan found; the command returns it (the tests read it). */
export interface ScanSummary {
  files: string[];
  unreadable: string[];
  problems: number;
  /** The message shown when it is done, which names the files read. */
  message: string;
}

export function scanHostConfiguration(deps: ScanDependencies): Thenable<ScanSummary> {
  // Restricted settings: from user settings only in an untrusted workspace.
  const { root, liveChecks: askDaemons, upgradeCheck, probeFromNodes } = readScanSettings();
  return vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: 'Scanning Docker host configuration' },
    async (progress) => {
      progress.report({ message: `reading ${root === '/' ? '' : root}/etc/docker/daemon.json, systemd units, env files…` });
      const host = await readHostFiles(root);
      progress.report({ message: 'looking for compose and configuration files in the workspace…' });
      const workspace = await workspaceFiles();
      const folders = (vscode.workspace.workspaceFolders ?? []).map((folder) => folder.uri.path);
      const scanned: Array<ScannedFile & { onDisk: string }> = [];
      for (const { uri, text: onDisk } of [
        ...host.files.map((file) => ({ uri: vscode.Uri.file(file.file), text: file.text })),
        ...workspace,
      ]) {
        const { corePath } = hostPathOf(uri.path, folders);
        // An open file is checked as the user sees it, unsaved edits included, like as-you-type.
        const text = vscode.workspace.textDocuments.find((document) => document.uri.toString() === uri.toString())?.getText() ?? onDisk;
        if (classifyConfigFile(corePath, text) && !scanned.some((known) => known.uri.toString() === uri.toString()))
          scanned.push({ uri, corePath, text, onDisk });
      }
      // Once closed, a file is diagnosed with what is on disk.
      deps.diagnostics.setScanned(scanned.map((file) => ({ uri: file.uri, text: file.onDisk })));
      let live: LiveDiagnostic[] = [];
      let localEngine: string | undefined;
      let liveFailure: string | undefined;
      // The root's own files, not a workspace folder mirroring another host.
      const rootKey = hostPathOf(underRoot(vscode.Uri.file(root).path, '/etc/docker/daemon.json'), folders).hostKey;
      if (askDaemons) {
        progress.report({ message: 'asking the running Docker daemons and their cluster stores…' });
        const localFiles = scanned.filter((file) => hostPathOf(file.uri.path, folders).hostKey === rootKey);
        try {
          ({ diagnostics: live, localEngine } = await liveDiagnostics({
            hosts: deps.hosts(),
            hostKeys: deps.hostKeys,
            localFiles,
            timeoutMs: Math.min(deps.timeoutMs(), 3000),
            upgradeCheck,
            probeFromNodes,
            helperImages: readHelperImages(),
            hostDocuments: deps.hostDocuments,
            docsUri: deps.docsUri,
          }));
        } catch (error) {
          // The files' findings stand; the message says the daemons' part is missing, and why.
          liveFailure = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
          deps.log.error(`live checks: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
        }
      }
      // The root's files are checked for the engine its daemon runs (its words, its rules); unknown when it did not answer.
      deps.diagnostics.setEngine(rootKey, localEngine);
      deps.diagnostics.setLive(live);
      const files = scanned.map((file) => file.uri.fsPath);
      const unreadable = host.unreadable.map((item) => `${item.file}: ${item.reason}`);
      const problems = deps.diagnostics.problemsIn([...scanned.map((file) => file.uri), ...live.map((item) => item.uri)]);
      // Workspace files by their path in the workspace; the root's files by their full path.
      const shown = scanned.map((file) => (underFolder(file.uri, folders) ? vscode.workspace.asRelativePath(file.uri) : file.uri.fsPath));
      const message = scanMessage({ files: shown, unreadable, problems, root, liveFailure });
      deps.log.info(
        `scan of ${root}: ${problems} problem(s)${unreadable.length ? `; could not read ${unreadable.join('; ')}` : ''}; read ${files.length} file(s)${files.map((file) => `\n  ${file}`).join('')}`,
      );
      void tell(message);
      return { files, unreadable, problems, message: message.text };
    },
  );
}

async function workspaceFiles(): Promise<Array<{ uri: vscode.Uri; text: string }>> {
  const found = (await Promise.all(WORKSPACE_GLOBS.map((glob) => vscode.workspace.findFiles(glob, EXCLUDE, MAX_WORKSPACE_FILES)))).flat();
  const unique = [...new Map(found.map((uri) => [uri.toString(), uri])).values()].slice(0, MAX_WORKSPACE_FILES);
  const read = await Promise.all(
    unique.map(async (uri) => {
      try {
        return { uri, text: decodeConfigBytes(await vscode.workspace.fs.readFile(uri)).text };
      } catch {
        return undefined;
      }
    }),
  );
  return read.filter((file): file is { uri: vscode.Uri; text: string } => file !== undefined);
}

function underFolder(uri: vscode.Uri, folders: readonly string[]): boolean {
  return folders.some((folder) => uri.path.startsWith(`${folder.replace(/\/$/, '')}/`));
}

/** Not awaited: the command ends while the message stays. */
async function tell(message: { text: string; severity: 'info' | 'warning' }): Promise<void> {
  if (message.severity === 'info') {
    void notify('information', message.text);
    return;
  }
  const choice = await notify('warning', message.text, {}, 'Show Problems');
  if (choice) await vscode.commands.executeCommand('workbench.actions.view.problems');
}
