/**
 * A daemon that answers something unexpected (null version fields, `Networks` as an object, odd
 * IPAM) — played by test/support/hostileDaemon.ts on loopback, since no real dockerd can be made
 * to — costs that host its tree with a clear reason, and the doctor a finding (DNE167); never a
 * TypeError, never the other hosts or the rest of the scan.
 */
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { HostMonitor } from '../../src/core/docker/hostMonitor';
import { buildExplorerTree } from '../../src/core/explorer/explorerTree';
import type { HostView } from '../../src/core/docker/hostMonitor';
import { diagnoseLive } from '../../src/core/diagnostics/live';
import { Codes } from '../../src/core/diagnostics/codes';
import { parseDockerUrl } from '../../src/core/hosts/dockerUrl';
import type { DockerHost } from '../../src/core/hosts/dockerHost';
import { startHostileDaemon, type HostileAnswers, type HostileDaemon } from '../support/hostileDaemon';
import { describeState, isSettled, waitForState } from '../support/hostStates';

const NAMES = { networkName: 'tb1', containerName: 'w2', createError: 'no' } satisfies Omit<HostileAnswers, 'bodies'>;
const UNEXPECTED = 'the daemon answered something unexpected';

describe('a daemon answering something unexpected', () => {
  const daemons: HostileDaemon[] = [];
  const monitors: HostMonitor[] = [];
  after(async () => {
    monitors.forEach((monitor) => monitor.dispose());
    await Promise.all(daemons.map((daemon) => daemon.close()));
  });

  async function daemon(bodies: HostileAnswers['bodies']): Promise<HostileDaemon> {
    const started = await startHostileDaemon({ ...NAMES, bodies });
    daemons.push(started);
    return started;
  }

  function hostAt(name: string, url: string): DockerHost {
    const { endpoint } = parseDockerUrl(url);
    assert.ok(endpoint, url);
    return { id: name, name, source: 'setting', url, endpoint, warnings: [] };
  }

  it('costs that host its tree, with the field named, while a sound host beside it loads', async () => {
    const odd = await daemon({ networks: [{ Id: 'n1', Name: 'x', IPAM: { Config: { Subnet: '10.0.0.0/24' } } }] });
    const sound = await daemon(undefined);
    const hosts = [hostAt('dne-unexpected-odd', odd.url), hostAt('dne-unexpected-sound', sound.url)];
    const views: HostView[] = [];
    for (const host of hosts) {
      const monitor = new HostMonitor(host, { timeoutMs: 5000, retryInitialMs: 60_000 });
      monitors.push(monitor);
      void monitor.start();
      views.push({ host, state: await waitForState(monitor, isSettled, 'connection or a reason', 10_000) });
    }
    const [oddState, soundState] = views.map((view) => view.state);
    assert.equal(oddState.kind, 'unreachable', describeState(oddState));
    assert.equal(
      'reason' in oddState && oddState.reason,
      `list networks on dne-unexpected-odd failed: ${UNEXPECTED}: [0].IPAM.Config: expected array, got object`,
    );
    assert.equal(soundState.kind, 'connected', describeState(soundState));
    // The explorer says it on the host's row; the sound host shows its networks.
    const tree = buildExplorerTree('networks', views);
    const oddRow = tree.find((node) => node.label === 'dne-unexpected-odd');
    assert.match(oddRow?.children[0]?.label ?? '', new RegExp(`${UNEXPECTED}: \\[0\\]\\.IPAM\\.Config`));
    const soundRow = tree.find((node) => node.label === 'dne-unexpected-sound');
    assert.ok(
      soundRow?.children.some((node) => node.label === 'tb1'),
      JSON.stringify(soundRow?.children.map((node) => node.label)),
    );
  });

  it('gives the doctor a finding per odd answer and keeps the rest of the scan', async () => {
    const odd = await daemon({ version: { Version: null, ApiVersion: '1.41', KernelVersion: null }, networks: { bridge: {} } });
    const unreadable = await daemon({ info: { Name: 'h', Swarm: 'active' } });
    const findings = await diagnoseLive(
      [
        { name: 'dne-unexpected-odd', url: odd.url },
        { name: 'dne-unexpected-info', url: unreadable.url },
      ],
      { timeoutMs: 3000, upgradeCheck: true },
    );
    const unexpected = findings.filter((finding) => finding.code === Codes.daemonUnexpectedAnswer).map((finding) => finding.message);
    assert.equal(unexpected.length, 3, JSON.stringify(findings, null, 1));
    assert.ok(
      unexpected.some((message) =>
        message.includes(`version on dne-unexpected-odd failed: ${UNEXPECTED}: Version: expected string, got null.`),
      ),
      unexpected.join('\n'),
    );
    assert.ok(
      unexpected.some((message) =>
        message.includes(`list networks on dne-unexpected-odd failed: ${UNEXPECTED}: (the answer): expected array, got object.`),
      ),
      unexpected.join('\n'),
    );
    assert.ok(
      unexpected.some((message) =>
        message.includes(`info on dne-unexpected-info failed: ${UNEXPECTED}: Swarm: expected object, got string.`),
      ),
      unexpected.join('\n'),
    );
    // Neither host is called unreachable: both answered.
    assert.equal(findings.filter((finding) => finding.code === Codes.daemonUnreachable).length, 0, JSON.stringify(findings, null, 1));
  });
});
