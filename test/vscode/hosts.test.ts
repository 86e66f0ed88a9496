/**
 * Add Docker Host / Remove Docker Host inside a real VS Code: the scripted answers go through the
 * very commands the palette runs; we check the setting they write and the tree that follows it.
 * A host that cannot be reached never blanks the local one.
 */
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { ExtensionTestApi, RenderedRow } from '../../src/vscode/testApi';
import { EXTENSION_ID } from '../support/extensionUnderTest';

describe('Adding and removing Docker hosts', function () {
  this.timeout(60_000);
  const settings = () => vscode.workspace.getConfiguration('dockerNetworkExplorer');
  const socket = `/tmp/dne-no-daemon-${process.pid}/docker.sock`;
  let api: ExtensionTestApi;
  const ghost = (rows: readonly RenderedRow[]) => rows.find((row) => row.label === 'ghost');

  before(async () => {
    api = await vscode.extensions.getExtension<ExtensionTestApi>(EXTENSION_ID)!.activate();
  });
  after(() => settings().update('hosts', undefined, vscode.ConfigurationTarget.Global));

  it('adds a host by address: written to the setting, shown with why it cannot be reached', async () => {
    const prompts = api.scriptPrompts({ hostKind: 'Address', url: `unix://${socket}` });
    try {
      const entry = await vscode.commands.executeCommand('dockerNetworkExplorer.addHost');
      // The name offered is the socket's folder; the test accepts it as a user pressing Enter would.
      assert.deepEqual(entry, { name: `dne-no-daemon-${process.pid}`, url: `unix://${socket}` });
      assert.deepEqual(prompts.entry('url')?.validation, undefined);
    } finally {
      prompts.dispose();
    }
    assert.deepEqual(settings().get('hosts'), [{ name: `dne-no-daemon-${process.pid}`, url: `unix://${socket}` }]);
    await settings().update('hosts', [{ name: 'ghost', url: `unix://${socket}` }], vscode.ConfigurationTarget.Global);
    const rows = await api.waitFor('networks', (rows) => ghost(rows)?.contextValue === 'hostUnreachable.removable', 30_000);
    assert.match(ghost(rows)!.children[0].label, /^Cannot reach the Docker daemon: .*no Docker socket there/);
    assert.ok(
      rows.some((row) => row.contextValue === 'hostConnected'),
      'the local host went away with the unreachable one',
    );
  });

  it('refuses a malformed address and a taken name while the user types', async () => {
    const prompts = api.scriptPrompts({ hostKind: 'Address', url: 'http://docker2:2375' });
    try {
      await vscode.commands.executeCommand('dockerNetworkExplorer.addHost').then(undefined, () => undefined);
      assert.match(prompts.entry('url')?.validation ?? '', /unsupported scheme "http:\/\/"/);
    } finally {
      prompts.dispose();
    }
    const named = api.scriptPrompts({ hostKind: 'Address', url: 'unix:///run/other.sock', name: 'ghost' });
    try {
      await vscode.commands.executeCommand('dockerNetworkExplorer.addHost').then(undefined, () => undefined);
      assert.match(named.entry('name')?.validation ?? '', /A host named "ghost" is already shown/);
    } finally {
      named.dispose();
    }
    assert.equal(settings().get<unknown[]>('hosts')?.length, 1, 'a refused answer still changed the setting');
  });

  it('removes a host from its row after asking, and only that host', async () => {
    const row = ghost(api.render('networks'));
    assert.ok(row);
    const prompts = api.scriptPrompts({ confirm: 'Remove' });
    try {
      const removed = await vscode.commands.executeCommand('dockerNetworkExplorer.removeHost', api.node('networks', row.id));
      assert.equal(removed, 'ghost');
      assert.match(prompts.entry('confirm')?.title ?? '', /Remove host "ghost" from the Docker Networks view\?/);
    } finally {
      prompts.dispose();
    }
    assert.deepEqual(settings().get('hosts'), []);
    const rows = await api.waitFor('networks', (rows) => ghost(rows) === undefined, 10_000);
    assert.ok(rows.some((entry) => entry.contextValue === 'hostConnected'));
  });
});
