/**
 * The built `docker-network-explorer reach` (dist/cli.js) against the real local dockerd: one
 * reachable pair (an alias on a user-defined bridge, port 80) and one unreachable pair (no shared
 * network), each answer checked against what a plain `docker exec … wget/ping` shows, and proof
 * that without --probe the daemon's containers and networks are untouched.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { findRepoRoot } from '../support/codeServer';
import { DockerFixture, ensureTestImage } from '../support/dockerFixture';

const cli = path.join(findRepoRoot(), 'dist', 'cli.js');

function run(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', timeout: 60_000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

function docker(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync('docker', args, { encoding: 'utf8', timeout: 30_000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('docker-network-explorer reach (built CLI, real dockerd)', () => {
  const fixture = new DockerFixture({ runId: `reach${process.pid}` });
  const name = (suffix: string) => fixture.name(suffix);
  let web2Address = '';

  before(async () => {
    assert.ok(fs.existsSync(cli), `${cli} missing: run node tools/build.mjs`);
    await ensureTestImage(fixture.docker);
    const app = await fixture.createNetwork({ name: 'app' });
    const other = await fixture.createNetwork({ name: 'other' });
    const httpd = ['httpd', '-f', '-p', '80', '-h', '/www'];
    await fixture.runContainer({ name: 'web1', cmd: httpd, networks: [app.name] });
    const web2 = await fixture.runContainer({ name: 'web2', cmd: httpd, networks: [{ network: app.name, aliases: ['api'] }] });
    await fixture.runContainer({ name: 'outsider', cmd: httpd, networks: [other.name] });
    const inspect = await fixture.docker.getContainer(web2.id).inspect();
    web2Address = inspect.NetworkSettings.Networks[app.name].IPAddress;
  });
  after(() => fixture.cleanup());

  it("reachable: web1 → api (web2's alias) on port 80, as wget from web1 shows; exit 0", () => {
    const { status, stdout, stderr } = run('reach', '--json', name('web1'), 'api', '--port', '80');
    assert.equal(status, 0, stderr);
    const answer = JSON.parse(stdout);
    assert.deepEqual([answer.from, answer.target, answer.port, answer.verdict, answer.probe], [name('web1'), 'api', 80, 'reachable', null]);
    assert.deepEqual(answer.names, [{ name: 'api', kind: 'alias', network: name('app'), resolves: true, addresses: [web2Address] }]);
    assert.deepEqual(
      answer.networks.map((net: { name: string; passes: boolean; targetAddress: string }) => [net.name, net.passes, net.targetAddress]),
      [[name('app'), true, web2Address]],
    );
    assert.deepEqual(
      answer.reasons.map((reason: { code: string }) => reason.code),
      ['shared-network', 'name-resolves', 'listener-assumed'],
    );
    assert.deepEqual(
      answer.path.steps.map((step: { name: string }) => step.name),
      [name('web1'), name('app'), name('web2')],
    );
    const wget = docker('exec', name('web1'), 'wget', '-qO-', 'http://api/');
    assert.equal(wget.status, 0, `wget from web1 to api failed: ${wget.stderr}`);
  });

  it('unreachable: web1 → outsider (no shared network), as ping from web1 shows; exit 1', () => {
    const { status, stdout, stderr } = run('reach', '--json', name('web1'), name('outsider'));
    assert.equal(status, 1, stderr);
    const answer = JSON.parse(stdout);
    assert.deepEqual([answer.verdict, answer.port, answer.reasons[0].code], ['unreachable', null, 'no-shared-network']);
    assert.match(answer.reasons[0].message, new RegExp(`is only on ${name('other')} — a network ${name('web1')} is not on`));
    assert.deepEqual(answer.names, [
      { name: name('outsider'), kind: 'container-name', resolves: false, addresses: [], because: 'no-shared-network' },
    ]);
    const ping = docker('exec', name('web1'), 'ping', '-c', '1', '-W', '2', name('outsider'));
    assert.notEqual(ping.status, 0);
    assert.match(ping.stderr + ping.stdout, /bad address/);
  });

  it('text output names the networks; bad usage exits 2; nothing on the daemon changes without --probe', () => {
    const before = docker('ps', '-aq', '--no-trunc').stdout + docker('network', 'ls', '-q', '--no-trunc').stdout;
    const text = run('reach', name('web1'), name('web2'));
    assert.equal(text.status, 0, text.stderr);
    assert.match(text.stdout, new RegExp(`^${name('web1')} → ${name('web2')}: REACHABLE\\n`));
    assert.match(text.stdout, /\[shared-network\]/);
    assert.equal(run('reach', name('web1')).status, 2);
    assert.equal(run('reach', 'dne-no-such-container', name('web2')).status, 2);
    assert.equal(run('reach', name('web1'), name('web2'), '--port', 'http').status, 2);
    const after = docker('ps', '-aq', '--no-trunc').stdout + docker('network', 'ls', '-q', '--no-trunc').stdout;
    assert.equal(after, before);
  });
});
