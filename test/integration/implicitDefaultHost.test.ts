/**
 * The default socket nobody chose (issue 10: "a phantom local host"), beside a host the user did
 * choose — the real dockerd. While the default stays silent it is in no view, no topology and no
 * scan finding; the moment something answers there, it is a host like any other. The default is
 * played by a socket path of this test's own (resolution always names /var/run/docker.sock,
 * which answers on this machine); a symlink to the real daemon's socket makes it answer.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { diagnoseLive } from '../../src/core/diagnostics/live';
import { buildExplorerTree } from '../../src/core/explorer/explorerTree';
import type { DockerHost } from '../../src/core/hosts/dockerHost';
import { HostRegistry } from '../../src/core/docker/hostRegistry';
import { buildTopology } from '../../src/core/topology/topologyModel';
import { defaultSocketPath, unixHost } from '../support/dockerFixture';
import { isConnected, waitForState } from '../support/hostStates';

describe('the default socket nobody chose, beside a chosen host (real dockerd)', { timeout: 60_000 }, () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dne-implicit-'));
  const socketPath = path.join(dir, 'docker.sock');
  const implicit: DockerHost = { ...unixHost(socketPath, 'local'), id: 'default', source: 'default', implicit: true };
  const chosen = unixHost(defaultSocketPath(), 'docker1');
  const registry = new HostRegistry({ timeoutMs: 5_000, retryInitialMs: 100, retryMaxMs: 200 });
  after(() => {
    registry.dispose();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('silent: no row in either view, no box in the topology, no scan finding', async () => {
    registry.setHosts([implicit, chosen]);
    await registry.ready(10_000);
    assert.equal(registry.monitor('default')?.state.kind, 'absent');
    const views = registry.hostViews();
    assert.deepEqual(
      views.map((view) => [view.host.name, view.state.kind]),
      [['docker1', 'connected']],
    );
    for (const view of ['networks', 'containers'] as const) {
      assert.deepEqual(
        buildExplorerTree(view, views).map((row) => row.label),
        ['docker1'],
      );
    }
    assert.deepEqual(
      buildTopology(views)
        .filter((element) => element.data.kind === 'host')
        .map((element) => element.data.label),
      ['docker1'],
    );
    const findings = await diagnoseLive(
      registry.hosts.map((host) => ({ name: host.name, url: host.url, implicit: host.implicit })),
      { timeoutMs: 2_000 },
    );
    assert.deepEqual(
      findings.filter((finding) => finding.file === implicit.url),
      [],
    );
  });

  it('answering: shown as a host like any other, by itself', async () => {
    fs.symlinkSync(defaultSocketPath(), socketPath);
    await waitForState(registry.monitor('default')!, isConnected, 'connection once the socket answers', 10_000);
    assert.deepEqual(
      registry.hostViews().map((view) => [view.host.name, view.state.kind]),
      [
        ['local', 'connected'],
        ['docker1', 'connected'],
      ],
    );
  });
});
