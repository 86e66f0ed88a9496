/**
 * DNE166 on the real local dockerd, through the built CLI: a container with a per-interface
 * --sysctl and one exposing a port it does not publish on a bridge network are named, each
 * with the release note of what breaks, as far as the engine running now has not passed them.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { versionBelow } from '../../src/core/diagnostics/engine';
import { diagnoseLive } from '../../src/core/diagnostics/live';
import { findRepoRoot } from '../support/codeServer';
import { defaultSocketPath, DockerFixture, ensureTestImage, PID_LABEL, TEST_IMAGE, TEST_LABEL } from '../support/dockerFixture';

const cli = path.join(findRepoRoot(), 'dist', 'cli.js');
const hostUrl = `unix://${defaultSocketPath()}`;

describe('diagnose --upgrade-check against the local dockerd', () => {
  const fixture = new DockerFixture();
  let engine = { version: '', api: '' };

  before(async () => {
    await ensureTestImage(fixture.docker);
    const version = await fixture.docker.version();
    engine = { version: version.Version, api: version.ApiVersion };
    const labels = { [TEST_LABEL]: fixture.runId, [PID_LABEL]: String(process.pid) };
    const network = await fixture.createNetwork({ name: 'upgrade', subnet: '10.231.7.0/24' });
    const create = async (name: string, extra: { ExposedPorts?: Record<string, object>; Sysctls?: Record<string, string> }) => {
      const container = await fixture.docker.createContainer({
        name: fixture.name(name),
        Image: TEST_IMAGE,
        Cmd: ['sleep', '600'],
        Labels: labels,
        ExposedPorts: extra.ExposedPorts,
        HostConfig: { NetworkMode: network.name, Sysctls: extra.Sysctls },
      });
      await container.start();
    };
    await create('sysctl', { Sysctls: { 'net.ipv4.conf.eth0.rp_filter': '2' } });
    await create('web', { ExposedPorts: { '80/tcp': {} } });
  });
  after(() => fixture.cleanup());

  it('one finding for the host: the changes that apply to what it runs, each with its release note', () => {
    const result = spawnSync(cli, ['diagnose', '--json', '--upgrade-check', '--host', hostUrl], { encoding: 'utf8', timeout: 60_000 });
    assert.equal(result.status, 0, result.stderr);
    const findings = (JSON.parse(result.stdout) as { findings: Array<{ code: string; severity: string; file: string; message: string }> })
      .findings;
    const upgrade = findings.filter((finding) => finding.code === 'DNE166');
    if (!versionBelow(engine.version, [29])) {
      assert.deepEqual(upgrade, []);
      return;
    }
    assert.equal(upgrade.length, 1, JSON.stringify(findings));
    const [finding] = upgrade;
    assert.equal(finding.file, hostUrl);
    const message = finding.message;
    assert.match(
      message,
      new RegExp(
        `^Moving "${hostUrl.replace(/[/.]/g, '\\$&')}" from Docker ${engine.version.replace(/[.+]/g, '\\$&')} to 28/29 breaks: \\(1\\) `,
      ),
    );
    if (versionBelow(engine.version, [28])) {
      assert.match(message, /Direct routed access to container ports that are not exposed using p\/-publish is now blocked/);
      assert.match(message, new RegExp(`${fixture.name('web')} \\(10\\.231\\.7\\.\\d+: 80/tcp\\)`));
    }
    // From 27.0 (API 1.46) the daemon moves an eth0 --sysctl to the endpoint when the container is created
    // (moby v27.0.1 handleSysctlBC): only older engines, 20.10 and 26.1 among them, keep it in HostConfig.
    if (versionBelow(engine.api, [1, 46])) {
      assert.match(
        message,
        new RegExp(`${fixture.name('sysctl')} \\(net\\.ipv4\\.conf\\.eth0\\.rp_filter\\) cannot be created again that way`),
      );
      assert.equal(finding.severity, 'warning');
    }
    if (versionBelow(engine.api, [1, 44])) assert.match(message, new RegExp(`client version ${engine.api.replace('.', '\\.')} is too old`));
    assert.doesNotMatch(message, /Engine 23\.0 removed/, 'no cluster store on this daemon');
  });

  it("diagnoseLive with a host's files: on 23+ its store settings are DNE161 in that engine's words; before, the running store is compared", async () => {
    const text = '{\n  "cluster-store": "etcd://127.0.0.1:1",\n  "cluster-advertise": "127.0.0.1:2376"\n}\n';
    const findings = await diagnoseLive(
      [{ name: 'local', url: hostUrl, files: { daemonJson: { file: '/etc/docker/daemon.json', text } } }],
      { timeoutMs: 2000 },
    );
    const codes = findings.map((finding) => finding.code);
    if (versionBelow(engine.version, [23])) {
      assert.ok(codes.includes('DNE163') && !codes.includes('DNE161'), codes.join());
    } else {
      assert.deepEqual(
        codes.filter((code) => code === 'DNE161' || code === 'DNE165'),
        ['DNE161', 'DNE161', 'DNE165'],
      );
      assert.match(
        findings.find((finding) => finding.code === 'DNE161')!.message,
        new RegExp(`^Docker ${engine.version.replace(/[.+]/g, '\\$&')} does not start with "cluster-store"`),
      );
    }
  });
});
