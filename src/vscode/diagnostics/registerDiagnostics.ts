/**
 * The cluster-store doctor in VS Code: diagnostics as you type, quick fixes, and the scan
 * command. Everything it creates is returned as one disposable.
 */
import * as vscode from 'vscode';
import type { LiveHost } from '../../core/diagnostics/live/types';
import type { HostKeyTrust } from '../../core/ssh/hostKeyTrust';
import { registerCommand } from '../commands/registerCommand';
import { ConfigDiagnostics } from './configDiagnostics';
import { HostDocuments } from './hostDocuments';
import { ConfigQuickFixes } from './quickFixes';
import { SCAN_COMMAND, scanHostConfiguration, type ScanDependencies } from './scanCommand';

export interface DiagnosticsOptions {
  extensionUri: vscode.Uri;
  log: vscode.LogOutputChannel;
  /** The Docker hosts shown in the views: the scan asks each daemon. */
  hosts(): ReadonlyArray<LiveHost>;
  /** The explorer's: an unknown ssh host key is asked about once, whichever asks first. */
  hostKeys: HostKeyTrust;
  timeoutMs(): number;
}

export function registerDiagnostics(options: DiagnosticsOptions): vscode.Disposable {
  // Each code links to its section of the README (`#dne112`).
  const docsUri = vscode.Uri.joinPath(options.extensionUri, 'README.md');
  const diagnostics = new ConfigDiagnostics(docsUri, options.log);
  const hostDocuments = new HostDocuments();
  const deps: ScanDependencies = {
    diagnostics,
    hostDocuments,
    hosts: options.hosts,
    hostKeys: options.hostKeys,
    timeoutMs: options.timeoutMs,
    docsUri,
    log: options.log,
  };
  const quickFixes = new ConfigQuickFixes(diagnostics);
  // Registered for the files recognised as Docker's only (each by its exact path, which VS Code's
  // document filter compares first), so the editor asks us nothing about any other file.
  let registration: vscode.Disposable | undefined;
  const register = (uris: readonly vscode.Uri[]) => {
    registration?.dispose();
    registration =
      uris.length === 0
        ? undefined
        : vscode.languages.registerCodeActionsProvider(
            uris.map((uri) => ({ scheme: 'file', pattern: uri.fsPath })),
            quickFixes,
            ConfigQuickFixes.metadata,
          );
  };
  return vscode.Disposable.from(
    diagnostics,
    hostDocuments,
    diagnostics.onDidChangeRecognised(register),
    { dispose: () => registration?.dispose() },
    registerCommand(options.log, SCAN_COMMAND, () => scanHostConfiguration(deps)),
  );
}
