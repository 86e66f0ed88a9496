import * as vscode from 'vscode';

const SECTION = 'dockerNetworkExplorer';

/** Settings are read on use, so a change applies without reloading the window. */
export function readSettings() {
  const config = vscode.workspace.getConfiguration(SECTION);
  return {
    // Every entry, even malformed ones: resolveHosts turns those into a row that says what is wrong.
    hosts: config.get<unknown[]>('hosts', []),
    timeoutMs: Math.max(1, config.get<number>('requestTimeoutSeconds', 10)) * 1000,
  };
}

export function affectsHosts(event: vscode.ConfigurationChangeEvent): boolean {
  return event.affectsConfiguration(`${SECTION}.hosts`) || event.affectsConfiguration(`${SECTION}.requestTimeoutSeconds`);
}
