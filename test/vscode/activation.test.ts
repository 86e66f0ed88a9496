/**
 * A light activation (#17), in the real extension host: a plain package.json wakes the extension
 * (onLanguage:json, kept for /etc/docker/daemon.json) but loads neither the Docker client
 * (dist/docker.js: dockerode, docker-modem, ssh2) nor the YAML parser (dist/yaml.js); showing a
 * view loads the first, a compose file the second. Which bundles are loaded is read from Node's
 * own module cache, where the extension host's `require` puts every file it loads. This file's
 * name sorts first, so it meets the extension before any other test has woken it.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { EXTENSION_ID } from '../support/extensionUnderTest';
import { startupPerformanceRow, until } from '../support/startupPerformance';

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

describe('Light activation', function () {
  const extension = vscode.extensions.getExtension(EXTENSION_ID)!;
  const bundle = (name: string) => path.join(extension.extensionPath, 'dist', name);
  const loaded = (name: string) => require.cache[bundle(name)] !== undefined;
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'dne-activation-'));

  after(() => fs.rmSync(folder, { recursive: true, force: true }));

  it('a plain package.json activates the extension without loading the Docker client or the YAML parser, typing in it too', async () => {
    assert.equal(
      extension.isActive,
      false,
      'something activated the extension before this test: its first measurement would not be of package.json',
    );
    assert.ok(fs.existsSync(bundle('docker.js')) && fs.existsSync(bundle('yaml.js')), 'the lazy bundles are built (node tools/build.mjs)');
    const file = path.join(folder, 'package.json');
    fs.writeFileSync(file, `${JSON.stringify({ name: 'app', version: '1.0.0', scripts: { test: 'node --test' } }, null, 2)}\n`);
    const editor = await vscode.window.showTextDocument(vscode.Uri.file(file));
    assert.equal(editor.document.languageId, 'json');
    assert.ok(await until(() => extension.isActive, 10_000), 'onLanguage:json did not activate the extension');
    await editor.edit((edit) => edit.insert(new vscode.Position(1, 2), '"private": true,\n  '));
    await sleep(500);
    // VS Code's numbers, printed (npm run bench -- activation --code-server measures fresh instances).
    const row = await startupPerformanceRow();
    console.log(`[activation] ${JSON.stringify(row ?? null)}`);
    assert.deepEqual({ docker: loaded('docker.js'), yaml: loaded('yaml.js') }, { docker: false, yaml: false });
    assert.ok(loaded('extension.js'), 'the module cache is where the extension host loads extensions (else this test proves nothing)');
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  it('a compose file loads the YAML parser; showing a view loads the Docker client', async () => {
    const compose = path.join(folder, 'compose.yaml');
    fs.writeFileSync(compose, 'services:\n  kv:\n    image: quay.io/coreos/etcd:v3.4.27\n');
    await vscode.window.showTextDocument(vscode.Uri.file(compose));
    assert.ok(await until(() => loaded('yaml.js'), 5_000), 'the compose file was not diagnosed (yaml.js never loaded)');
    assert.equal(loaded('docker.js'), false, 'a compose file alone dials nothing');
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
    await vscode.commands.executeCommand('dockerNetworkExplorer.networks.focus');
    assert.ok(await until(() => loaded('docker.js'), 10_000), 'the Networks view was shown but the Docker client never loaded');
  });
});
