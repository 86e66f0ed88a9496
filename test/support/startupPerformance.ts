// VS Code's own numbers for this extension's activation, read inside the extension host: its
// row in Developer: Startup Performance (the workbench's perf view, a text document the
// extension host also sees). The same numbers the issue (#17) measured by hand.
import * as vscode from 'vscode';
import { EXTENSION_ID } from './extensionUnderTest';

export interface ActivationRow {
  eager: string;
  loadCodeMs: number;
  callActivateMs: number;
  finishActivateMs: number;
  event: string;
}

export async function until(condition: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) return false;
    await new Promise<void>((resolve) => setTimeout(resolve, 50));
  }
  return true;
}

export async function startupPerformanceRow(): Promise<ActivationRow | undefined> {
  await vscode.commands.executeCommand('perfview.show');
  let row: string | undefined;
  await until(() => {
    const perf = vscode.workspace.textDocuments.find((document) => document.uri.scheme === 'perf');
    row = perf
      ?.getText()
      .split('\n')
      .find((line) => line.includes(`| ${EXTENSION_ID} |`));
    return row !== undefined;
  }, 10_000);
  await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  if (!row) return undefined;
  const [, eager, loadCode, callActivate, finishActivate, event] = row
    .split('|')
    .slice(1, -1)
    .map((cell) => cell.trim());
  return { eager, loadCodeMs: Number(loadCode), callActivateMs: Number(callActivate), finishActivateMs: Number(finishActivate), event };
}
