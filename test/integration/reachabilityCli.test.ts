/**
 * `docker-network-explorer reach --probe` (the built dist/cli.js) on the real daemon: the probe's
 * verdict and evidence in the --json answer, its agreement with the explanation, the exit code
 * from what really happened, and the helper container — started only for a FROM without tools,
 * from the image given, removed after — while an absent helper image is never pulled. The CLI's
 * default --timeout (5 s per daemon call and per check): the shared daemon here is busy.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { HELPER_LABEL } from '../../src/core/reachability/probe';
import type { ReachAnswer } from '../../src/core/reachability/types';
import { findRepoRoot } from '../support/codeServer';
import { DockerFixture, ensureTestImage, TEST_IMAGE } from '../support/dockerFixture';
import { importBareImage, removeBareImage } from '../support/reachProof';

const cli = path.join(findRepoRoot(), 'dist', 'cli.js');
const QUIET_DNS = { dns: ['127.0.0.1'], dnsOptions: ['timeout:1', 'attempts:1'] };

function reach(...args: string[]): { status: number | null; answer: ReachAnswer & { probeAgrees?: boolean | null }; stderr: string } {
  const result = spawnSync(process.execPath, [cli, 'reach', '--json', ...args], { encoding: 'utf8', timeout: 60_000 });
  return { status: result.status, answer: JSON.parse(result.stdout || 'null'), stderr: result.stderr };
}

describe('reach --probe (built CLI, real dockerd)', () => {
  const fixture = new DockerFixture({ runId: `rlc${Math.random().toString(16).slice(2, 6)}` });
  const n = (suffix: string) => fixture.name(suffix);
  const bareImage = `dne-test-nosh:${fixture.runId}`;
  let outsiderIp = '';

  before(async () => {
    assert.ok(fs.existsSync(cli), `${cli} missing: run node tools/build.mjs`);
    await ensureTestImage(fixture.docker);
    await importBareImage(fixture.docker, bareImage);
    const app = await fixture.createNetwork({ name: 'app' });
    const other = await fixture.createNetwork({ name: 'other' });
    const httpd = ['httpd', '-f', '-p', '80', '-h', '/www'];
    await fixture.runContainer({ name: 'web1', cmd: httpd, networks: [app.name], ...QUIET_DNS });
    await fixture.runContainer({ name: 'web2', cmd: httpd, networks: [{ network: app.name, aliases: ['api'] }], ...QUIET_DNS });
    await fixture.runContainer({ name: 'bare', image: bareImage, cmd: ['sleep', '3600'], networks: [app.name], ...QUIET_DNS });
    const outsider = await fixture.runContainer({ name: 'outsider', cmd: httpd, networks: [other.name], ...QUIET_DNS });
    outsiderIp = (await fixture.docker.getContainer(outsider.id).inspect()).NetworkSettings.Networks[other.name].IPAddress;
  });
  after(async () => {
    await fixture.cleanup();
    await removeBareImage(fixture.docker, bareImage);
  });

  it('reachable, proven from inside web1: exit 0, the probe agrees, its evidence as typed again', () => {
    const { status, answer, stderr } = reach(n('web1'), 'api', '--port', '80', '--probe');
    assert.equal(status, 0, stderr);
    assert.equal(answer.verdict, 'reachable');
    assert.equal(answer.probe?.verdict, 'reachable', JSON.stringify(answer.probe));
    assert.equal(answer.probeAgrees, true);
    assert.deepEqual(
      answer.probe?.evidence.map((line) => [line.check, line.ok]),
      [
        ['setup', true],
        ['dns', true],
        ['icmp', true],
        ['tcp', true],
      ],
    );
    assert.equal(answer.probe?.evidence.at(-1)?.command, `docker exec ${n('web1')} sh -c 'nc -w 5 api 80 </dev/null'`);
  });

  it('unreachable by address across networks: the ping goes unanswered; exit 1, agreeing', () => {
    const { status, answer } = reach(n('web1'), outsiderIp, '--probe');
    assert.equal(status, 1);
    assert.deepEqual([answer.verdict, answer.probe?.verdict, answer.probeAgrees], ['unreachable', 'unreachable', true]);
    assert.match(answer.probe?.evidence.find((line) => line.check === 'icmp')?.output ?? '', /no ping reply|unreachable/);
  });

  it('a FROM without tools: a helper from --helper-image, removed after', async () => {
    const { status, answer, stderr } = reach(n('bare'), n('web2'), '--port', '80', '--probe', '--helper-image', TEST_IMAGE);
    assert.equal(status, 0, stderr);
    assert.equal(answer.probe?.verdict, 'reachable', JSON.stringify(answer.probe));
    assert.equal(answer.probe?.evidence[0].command, `docker run --rm --network container:${n('bare')} ${TEST_IMAGE}`);
    const bareId = (await fixture.docker.getContainer(n('bare')).inspect()).Id;
    const left = await fixture.docker.listContainers({ all: true, filters: JSON.stringify({ label: [`${HELPER_LABEL}=${bareId}`] }) });
    assert.deepEqual(left, []);
  });

  it('an absent helper image is not pulled: the probe is inconclusive and the explanation decides', async () => {
    const absent = 'dne-test-absent-image:never';
    const { status, answer } = reach(n('bare'), n('web2'), '--port', '80', '--probe', '--helper-image', absent);
    assert.equal(status, 0);
    assert.equal(answer.probe?.verdict, 'inconclusive');
    assert.match(answer.probe?.evidence[0].output ?? '', /none is pulled/);
    await assert.rejects(fixture.docker.getImage(absent).inspect(), (error: { statusCode?: number }) => error.statusCode === 404);
  });
});
