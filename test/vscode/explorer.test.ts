/**
 * The explorer inside a real VS Code (code-server's Node extension host) against real daemons:
 * tree rows as VS Code receives them, updates that arrive from Docker's event stream with no
 * refresh command, Inspect, and a daemon that goes away and comes back.
 */
import assert from 'node:assert/strict';
import * as net from 'node:net';
import * as vscode from 'vscode';
import type { ExtensionTestApi, RenderedRow } from '../../src/vscode/testApi';
import { DockerFixture, ensureTestImage, PrivateDockerd } from '../support/dockerFixture';
import { currentEngine } from '../support/engine';
import { EXTENSION_ID, findRow } from '../support/extensionUnderTest';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

describe('Docker Networks views on the local daemon', function () {
  this.timeout(60_000);
  const fixture = new DockerFixture();
  let api: ExtensionTestApi;

  before(async () => {
    const extension = vscode.extensions.getExtension<ExtensionTestApi>(EXTENSION_ID);
    assert.ok(extension, `${EXTENSION_ID} is not loaded`);
    api = await extension.activate();
    await ensureTestImage(fixture.docker);
  });
  after(() => fixture.cleanup());

  it('shows the local host, connected, with the predefined networks marked', async () => {
    const rows = await api.waitFor('networks', (rows) => rows.some((entry) => entry.contextValue === 'hostConnected'), 30_000);
    const host = rows.find((entry) => entry.contextValue === 'hostConnected')!;
    assert.match(host.description, /^\d+ networks?, \d+ containers? · unix:\/\/\/var\/run\/docker\.sock$/);
    // The API negotiated with this engine: its own newest (1.41 on 20.10, 1.45 on 26.1).
    const apiVersion = currentEngine() === '26' ? '1.45' : '1.41';
    assert.match(
      host.tooltip,
      new RegExp(`^Engine: Docker ${currentEngine().replace('.', '\\.')}\\.\\d+\\S* · API ${apiVersion.replace('.', '\\.')}$`, 'm'),
    );
    for (const name of ['bridge', 'host', 'none']) {
      const network = host.children.find((entry) => entry.label === name);
      assert.ok(network, `no ${name} row`);
      assert.equal(network.contextValue, 'network.predefined');
    }
  });

  it('a network created outside the extension appears by itself, with subnet, gateway and range', async () => {
    const created = await fixture.createNetwork({
      name: 'outside',
      subnet: '10.15.77.0/24',
      gateway: '10.15.77.1',
      ipRange: '10.15.77.128/25',
    });
    const rows = await api.waitFor('networks', (rows) => findRow(rows, created.name) !== undefined, 10_000);
    const network = findRow(rows, created.name)!;
    assert.equal(network.description, 'bridge · local · 10.15.77.0/24 gw 10.15.77.1 range 10.15.77.128/25');
    assert.equal(network.contextValue, 'network.custom');
    assert.match(network.tooltip, /Inter-container communication: enabled/);
  });

  it('a container joining two networks shows under both, with its address, alias and ports', async () => {
    const networkName = fixture.name('outside');
    const port = await freePort();
    const web = await fixture.runContainer({
      name: 'web',
      cmd: ['httpd', '-f', '-p', '80', '-h', '/www'],
      networks: [{ network: networkName, aliases: ['webalias'] }, 'bridge'],
      ports: [{ containerPort: 80, hostPort: port }],
    });
    // The row appears at connect time, before the container starts and gets its address.
    const rows = await api.waitFor(
      'networks',
      (rows) => (findRow(rows, networkName)?.children ?? []).some((entry) => entry.label === web.name && /^10\./.test(entry.description)),
      10_000,
    );
    const endpoint = findRow(rows, networkName)!.children.find((entry) => entry.label === web.name)!;
    assert.match(endpoint.description, /^10\.15\.77\.(12[89]|1[3-9]\d|2[0-5]\d)\/24 · aliases webalias$/);
    assert.match(endpoint.tooltip, /^MAC: 02:42:0a:0f:4d:[0-9a-f]{2}$/m);

    const containers = await api.waitFor('containers', (rows) => findRow(rows, web.name)?.children.length === 2, 10_000);
    const container = findRow(containers, web.name)!;
    assert.equal(container.description, `running · 0.0.0.0:${port}→80/tcp`);
    assert.deepEqual(
      container.children.map((entry) => entry.label),
      ['bridge', networkName].sort((a, b) => a.localeCompare(b)),
    );
  });

  it('Inspect opens the network JSON in a read-only editor', async () => {
    const networkName = fixture.name('outside');
    const target = findRow(api.render('networks'), networkName)!;
    await vscode.commands.executeCommand('dockerNetworkExplorer.inspect', api.node('networks', target.id));
    const editor = vscode.window.activeTextEditor;
    assert.ok(editor, 'no editor opened');
    assert.equal(editor.document.uri.scheme, 'docker-inspect');
    assert.equal(editor.document.languageId, 'json');
    const inspected = JSON.parse(editor.document.getText()) as { Name: string; IPAM: { Config: Array<{ Subnet: string }> } };
    assert.equal(inspected.Name, networkName);
    assert.equal(inspected.IPAM.Config[0].Subnet, '10.15.77.0/24');
    const edited = await editor.edit((builder) => builder.insert(new vscode.Position(0, 0), 'x'));
    assert.equal(edited && editor.document.isDirty, false, 'the inspect document accepted an edit');
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });

  it('a removed network disappears by itself', async () => {
    const networkName = fixture.name('outside');
    await fixture.docker.getContainer(fixture.name('web')).remove({ force: true });
    await fixture.docker.getNetwork(networkName).remove();
    await api.waitFor('networks', (rows) => findRow(rows, networkName) === undefined, 10_000);
  });
});

describe('A daemon that goes away and comes back', function () {
  this.timeout(120_000);
  const daemon = new PrivateDockerd();
  const settings = () => vscode.workspace.getConfiguration('dockerNetworkExplorer');
  let api: ExtensionTestApi;
  const privateHost = (rows: readonly RenderedRow[]) => rows.find((entry) => entry.label === 'private');

  before(async () => {
    api = await vscode.extensions.getExtension<ExtensionTestApi>(EXTENSION_ID)!.activate();
    await daemon.start();
    await settings().update('hosts', [{ name: 'private', url: `unix://${daemon.socketPath}` }], vscode.ConfigurationTarget.Global);
  });
  after(async () => {
    await settings().update('hosts', undefined, vscode.ConfigurationTarget.Global);
    await daemon.dispose();
  });

  it('a host from the settings joins the tree beside the local one', async () => {
    const rows = await api.waitFor('networks', (rows) => privateHost(rows)?.contextValue === 'hostConnected.removable', 30_000);
    assert.ok(rows.length >= 2, 'the local host is gone');
    assert.deepEqual(
      privateHost(rows)!.children.map((entry) => entry.label),
      ['host', 'none'],
    );
  });

  it('says in one item why the daemon cannot be reached, with a retry', async () => {
    await daemon.stop();
    const rows = await api.waitFor('networks', (rows) => privateHost(rows)?.contextValue === 'hostUnreachable.removable', 30_000);
    const host = privateHost(rows)!;
    assert.equal(host.description, 'unreachable');
    assert.equal(host.children.length, 1);
    assert.match(host.children[0].label, /^Cannot reach the Docker daemon: .*(no Docker socket there|connection refused)/);
    assert.equal(host.children[0].contextValue, 'hostUnreachable');
    // The local host is untouched by the other one's outage.
    assert.ok(rows.some((entry) => entry.label !== 'private' && entry.contextValue === 'hostConnected'));
  });

  it('reconnects by itself when the daemon is back', async () => {
    await daemon.start();
    const rows = await api.waitFor('networks', (rows) => privateHost(rows)?.contextValue === 'hostConnected.removable', 60_000);
    assert.deepEqual(
      privateHost(rows)!.children.map((entry) => entry.label),
      ['host', 'none'],
    );
  });
});
