import * as vscode from 'vscode';
import { notify } from '../untrusted';

/**
 * Registers a command whose failures are logged and shown once, cleanly: no exception escapes
 * to VS Code's generic "command failed" toast, no stack trace in the user's face.
 */
export function registerCommand(
  log: vscode.LogOutputChannel,
  id: string,
  run: (...args: never[]) => unknown,
): vscode.Disposable {
  return vscode.commands.registerCommand(id, async (...args: never[]) => {
    try {
      return await run(...args);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      log.error(`${id}: ${message}`);
      void notify('error', message, {}, 'Show Log').then((choice) => {
        if (choice) log.show();
      });
      return undefined;
    }
  });
}
