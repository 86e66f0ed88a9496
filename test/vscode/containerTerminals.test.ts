/**
 * Open Shell and Show Logs on a container row, against the real daemon: the terminal runs the
 * docker CLI with our argv (no shell between), and what it does is checked where it happened —
 * the logs command ends by itself with status 0 once an exited container's output is printed
 * (a wrong host or ID ends it with 1); the shell really is inside the container: a line it writes
 * to the container's PID 1 shows up in the container's own log, read through the API.
 */
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { ExtensionTestApi } from '../../src/vscode/testApi';
import { DockerFixture, ensureTestImage } from '../support/dockerFixture';
import { EXTENSION_ID, findRow } from '../support/extensionUnderTest';

function nextTerminal(): Promise<vscode.Terminal> {
  return new Promise((resolve) => {
    const subscription = vscode.window.onDidOpenTerminal((terminal) => {
      subscription.dispose();
      resolve(terminal);
    });
  });
}

function closed(terminal: vscode.Terminal, timeoutMs: number): Promise<vscode.TerminalExitStatus | undefined> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      subscription.dispose();
      resolve(undefined);
    }, timeoutMs);
    const subscription = vscode.window.onDidCloseTerminal((ended) => {
      if (ended !== terminal) return;
      clearTimeout(timer);
      subscription.dispose();
      resolve(ended.exitStatus);
    });
  });
}

describe('Container terminals: Open Shell and Show Logs', function () {
  this.timeout(60_000);
  const fixture = new DockerFixture();
  let api: ExtensionTestApi;

  before(async () => {
    api = await vscode.extensions.getExtension<ExtensionTestApi>(EXTENSION_ID)!.activate();
    await ensureTestImage(fixture.docker);
  });
  after(() => fixture.cleanup());

  const row = async (name: string, state: string) => {
    const rows = await api.waitFor('containers', (rows) => findRow(rows, name)?.contextValue === `container.${state}`, 15_000);
    return api.node('containers', findRow(rows, name)!.id);
  };

  it('Show Logs runs `docker --host=unix://… logs --follow <id>` in a terminal, which prints the log and ends with 0', async () => {
    const created = await fixture.runContainer({ name: 'terminal-logs', cmd: ['sh', '-c', 'echo dne-terminal-logs-line'] });
    await fixture.docker.getContainer(created.id).wait();
    const opened = nextTerminal();
    await vscode.commands.executeCommand('dockerNetworkExplorer.showLogs', await row(created.name, 'stopped'));
    const terminal = await opened;
    const options = terminal.creationOptions as vscode.TerminalOptions;
    assert.match(options.shellPath ?? '', /\/docker$/);
    assert.deepEqual(options.shellArgs, ['--host=unix:///var/run/docker.sock', 'logs', '--follow', created.id]);
    assert.equal(terminal.name, `logs: ${created.name} · local`);
    assert.deepEqual(await closed(terminal, 20_000), { code: 0, reason: vscode.TerminalExitReason.Process });
  });

  it('Open Shell runs `docker … exec -it <id> sh` inside the container: what it types reaches the container, its exit status the terminal', async () => {
    const created = await fixture.runContainer({ name: 'terminal-shell', cmd: ['sleep', '600'] });
    const opened = nextTerminal();
    await vscode.commands.executeCommand('dockerNetworkExplorer.openShell', await row(created.name, 'running'));
    const terminal = await opened;
    assert.deepEqual((terminal.creationOptions as vscode.TerminalOptions).shellArgs, [
      '--host=unix:///var/run/docker.sock',
      'exec',
      '--interactive',
      '--tty',
      created.id,
      'sh',
    ]);
    const ended = closed(terminal, 20_000);
    terminal.sendText('echo dne-terminal-shell-$((6*7)) > /proc/1/fd/1; exit 7');
    assert.deepEqual(await ended, { code: 7, reason: vscode.TerminalExitReason.Process });
    const log = (await fixture.docker.getContainer(created.id).logs({ stdout: true, stderr: true })).toString('latin1');
    assert.match(log, /dne-terminal-shell-42/);
  });
});
