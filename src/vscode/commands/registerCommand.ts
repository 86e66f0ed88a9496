import * as vscode from 'vscode';
import { notify } from '../untrusted';
import { errorMessage } from '../../core/util/errors';

type Handler = (...args: never[]) => unknown;

/** The registered commands' own functions, for runCommand. */
const handlers = new Map<string, { run: Handler; log: vscode.LogOutputChannel }>();

/**
 * Registers a command whose failures are logged and shown once, cleanly: no exception escapes
 * to VS Code's generic "command failed" toast, no stack trace in the user's face.
 */
export function registerCommand(log: vscode.LogOutputChannel, id: string, run: Handler): vscode.Disposable {
  handlers.set(id, { run, log });
  const registration = vscode.commands.registerCommand(id, async (...args: never[]) => {
    try {
      return await run(...args);
    } catch (error) {
      const message = errorMessage(error);
      log.error(`${id}: ${message}`);
      void notify('error', message, {}, 'Show Log').then((choice) => {
        if (choice) log.show();
      });
      return undefined;
    }
  });
  return {
    dispose: () => {
      if (handlers.get(id)?.run === run) handlers.delete(id);
      registration.dispose();
    },
  };
}

/**
 * Runs a command registered here for a caller that shows the outcome itself (the topology
 * answers its webview): a failure is logged as usual, then rejects with its message instead of
 * becoming a notification, which `vscode.commands.executeCommand` would have shown and swallowed.
 */
export async function runCommand(id: string, ...args: unknown[]): Promise<unknown> {
  const handler = handlers.get(id);
  // Registered some other way: VS Code runs it (a failure it shows itself may not reach us).
  if (!handler) return vscode.commands.executeCommand(id, ...args);
  try {
    return await handler.run(...(args as never[]));
  } catch (error) {
    handler.log.error(`${id}: ${errorMessage(error)}`);
    throw error;
  }
}
