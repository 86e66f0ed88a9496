/**
 * What a hostile or shared daemon says reaches the user as text, never as a link or an icon:
 * VS Code turns `[label](command:…)` in a notification or dialog into a link that runs the command,
 * and draws `$(icon)` in quick picks. The daemon here (test/support/hostileDaemon.ts) names a
 * network and a container that way and answers a create with such an error; we read what the
 * extension hands VS Code's notification, dialog and quick-pick APIs.
 */
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { ExtensionTestApi, RenderedRow } from '../../src/vscode/testApi';
import { startHostileDaemon, type HostileDaemon } from '../support/hostileDaemon';
import { EXTENSION_ID, findRow } from '../support/extensionUnderTest';

const NETWORK = '[Fix it](command:workbench.action.quit)';
const CONTAINER = '$(zap)[w](command:workbench.action.quit)';
const CREATE_ERROR = 'invalid pool request: [Click to repair](command:workbench.action.quit)';
/** VS Code 1.96's pattern for links in notifications, dialogs and quick-input messages. */
const VSCODE_LINK = /\[([^\]]+)\]\(((?:https?:\/\/|command:|file:)[^)\s]+)(?: (["'])(.+?)(\3))?\)/i;

interface Shown {
  level: string;
  message: string;
  detail?: string;
}

describe('Daemon text in notifications, dialogs and quick picks', function () {
  this.timeout(60_000);
  const settings = () => vscode.workspace.getConfiguration('dockerNetworkExplorer');
  const window = vscode.window as { -readonly [K in keyof typeof vscode.window]: (typeof vscode.window)[K] };
  const originals = {
    error: window.showErrorMessage,
    warning: window.showWarningMessage,
    information: window.showInformationMessage,
    createQuickPick: window.createQuickPick,
  };
  const shown: Shown[] = [];
  const picks: Array<Array<{ label: string; description?: string }>> = [];
  let daemon: HostileDaemon;
  let api: ExtensionTestApi;
  let hostile: RenderedRow;

  before(async () => {
    daemon = await startHostileDaemon({ networkName: NETWORK, containerName: CONTAINER, createError: CREATE_ERROR });
    // The extension and these tests share one `vscode` API object: record what it is handed, answer nothing.
    const record = (level: string) =>
      ((message: string, ...rest: unknown[]) => {
        const options = typeof rest[0] === 'object' && rest[0] !== null ? (rest[0] as vscode.MessageOptions) : undefined;
        shown.push({ level, message, detail: options?.detail });
        return Promise.resolve(undefined);
      }) as never;
    window.showErrorMessage = record('error');
    window.showWarningMessage = record('warning');
    window.showInformationMessage = record('information');
    window.createQuickPick = (() => {
      const pick = originals.createQuickPick();
      const show = pick.show.bind(pick);
      pick.show = () => {
        picks.push(pick.items.map(({ label, description }) => ({ label, description })));
        show();
        setTimeout(() => pick.hide(), 50);
      };
      return pick;
    }) as typeof window.createQuickPick;
    api = await vscode.extensions.getExtension<ExtensionTestApi>(EXTENSION_ID)!.activate();
    await settings().update('hosts', [{ name: 'hostile', url: daemon.url }], vscode.ConfigurationTarget.Global);
    const rows = await api.waitFor(
      'networks',
      (rows) =>
        findRow(
          rows.filter((row) => row.label === 'hostile'),
          NETWORK,
        ) !== undefined,
      30_000,
    );
    hostile = rows.find((row) => row.label === 'hostile')!;
  });

  after(async () => {
    Object.assign(window, {
      showErrorMessage: originals.error,
      showWarningMessage: originals.warning,
      showInformationMessage: originals.information,
      createQuickPick: originals.createQuickPick,
    });
    await settings().update('hosts', undefined, vscode.ConfigurationTarget.Global);
    await daemon?.close();
  });

  const noLink = (text: string | undefined) => assert.doesNotMatch(text ?? '', VSCODE_LINK, `a link VS Code would render: ${text}`);

  it("shows the tree's names as plain strings (labels and tooltips are not Markdown)", () => {
    const row = findRow(hostile.children, NETWORK)!;
    assert.equal(row.label, NETWORK);
    assert.ok(row.tooltip.includes(NETWORK), `the tooltip is not the plain string with the name: ${JSON.stringify(row.tooltip)}`);
  });

  it("shows Docker's error with a command link as text in the error notification", async () => {
    shown.length = 0;
    const prompts = api.scriptPrompts({ host: 'hostile', name: 'dne-untrusted', confirm: 'Create' });
    try {
      await vscode.commands.executeCommand('dockerNetworkExplorer.createBridgeNetwork');
    } finally {
      prompts.dispose();
    }
    assert.ok(
      prompts.failures.some((failure) => failure.includes(CREATE_ERROR)),
      `the daemon's refusal did not come back: ${JSON.stringify(prompts.failures)}`,
    );
    const error = shown.find((entry) => entry.level === 'error');
    assert.ok(error, `no error notification: ${JSON.stringify(shown)}`);
    noLink(error.message);
    assert.ok(error.message.includes('[Click to repair] (command:workbench.action.quit)'), error.message);
  });

  it('shows a network name with a command link as text in the Remove dialog', async () => {
    shown.length = 0;
    const row = findRow(hostile.children, NETWORK)!;
    const removed = await vscode.commands.executeCommand('dockerNetworkExplorer.removeNetwork', api.node('networks', row.id));
    assert.equal(removed, undefined, 'the dialog was answered with Cancel');
    const dialog = shown.find((entry) => entry.level === 'warning');
    assert.ok(dialog, `no dialog: ${JSON.stringify(shown)}`);
    noLink(dialog.message);
    noLink(dialog.detail);
    assert.ok(`${dialog.message} ${dialog.detail ?? ''}`.includes('[Fix it] (command:workbench.action.quit)'), JSON.stringify(dialog));
  });

  it('shows a container name with an icon and a link as text in the quick pick', async () => {
    picks.length = 0;
    const bridge = findRow(hostile.children, 'bridge')!;
    await vscode.commands.executeCommand('dockerNetworkExplorer.connectContainer', api.node('networks', bridge.id));
    const labels = picks.flat().map((item) => item.label);
    assert.ok(labels.includes('\\$(zap)[w] (command:workbench.action.quit)'), JSON.stringify(picks));
    for (const label of labels) noLink(label);
  });
});
