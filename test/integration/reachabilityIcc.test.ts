/**
 * ICC off on the default bridge, for real: a private dockerd (its own network namespace, so its
 * docker0 and iptables rules are its own) started with `--icc=false`, a server exposing port 80,
 * a client with a legacy link to it, and a container without one. Each question is asked of the
 * model (explain), the live probe and a plain `docker exec … ping/nc`; all three must agree.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import Dockerode from 'dockerode';
import { DockerClient } from '../../src/core/docker/dockerClient';
import { LiveProber } from '../../src/core/reachability/probe';
import { DockerFixture, ensureTestImage, PrivateDockerd, TEST_IMAGE, unixEndpoint } from '../support/dockerFixture';
import { currentEngine } from '../support/engine';
import { assertBothWays, describeAnswer, explainerFor, WAIT_SECONDS, type Explainer } from '../support/reachProof';

const httpd = ['httpd', '-f', '-p', '80', '-h', '/www'];

describe(
  `ICC off with a legacy link on a private dockerd (Engine ${currentEngine()})`,
  { skip: process.getuid?.() !== 0 && 'needs root' },
  () => {
    // Its own bridge and iptables in its own namespace: `--bridge=` (empty) undoes the fixture's
    // --bridge=none, so the daemon makes a docker0 there, with ICC off.
    const daemon = new PrivateDockerd(undefined, undefined, ['--bridge=', '--iptables=true', '--ip-forward=true', '--icc=false']);
    let fixture: DockerFixture;
    let prober: LiveProber;
    let explainer: ReturnType<typeof explainerFor>;
    /** The probe, plain docker exec and explain agree on `question` (assertBothWays on this daemon). */
    const both = (question: Parameters<Explainer>[0], expected: 'reachable' | 'unreachable') =>
      assertBothWays(prober, daemon.socketPath, explainer, question, expected);
    let serverIp = '';
    const n = (suffix: string) => fixture.name(suffix);

    before(async () => {
      await daemon.start();
      fixture = new DockerFixture({ socketPath: daemon.socketPath, runId: `rli${Math.random().toString(16).slice(2, 6)}` });
      await ensureTestImage(fixture.docker);
      prober = new LiveProber(new DockerClient(unixEndpoint(daemon.socketPath), 'icc-off', { timeoutMs: 20_000 }), {
        waitSeconds: WAIT_SECONDS,
        helperImages: [TEST_IMAGE],
      });
      explainer = explainerFor([{ name: 'icc-off', socketPath: daemon.socketPath }]);
      // Published only inside the private namespace; what matters is that 80 is exposed.
      await fixture.runContainer({ name: 'srv', cmd: httpd, ports: [{ containerPort: 80, hostPort: 18080 }] });
      await linkedClient(fixture.docker, n('client'), fixture.runId, `${n('srv')}:web`);
      await fixture.runContainer({ name: 'loner', cmd: ['sleep', '3600'] });
      serverIp = (await fixture.docker.getContainer(n('srv')).inspect()).NetworkSettings.Networks.bridge?.IPAddress ?? '';
    });

    after(async () => {
      await fixture?.cleanup().catch(() => undefined);
      await daemon.dispose();
    });

    it('the daemon really runs with ICC off on its docker0', async () => {
      const bridge = await fixture.docker.getNetwork('bridge').inspect();
      assert.equal(bridge.Options?.['com.docker.network.bridge.enable_icc'], 'false');
    });

    it('ping is refused even between linked containers', async () => {
      const { probe, explained } = await both({ from: n('client'), target: serverIp }, 'unreachable');
      assert.match(probe.summary, /no ping reply/);
      assert.ok(
        explained.reasons.some((reason) => reason.code === 'icc-disabled'),
        describeAnswer(explained),
      );
    });

    it('the linked client reaches the exposed port 80, by its link alias and by address', async () => {
      const { probe } = await both({ from: n('client'), target: 'web', port: 80 }, 'reachable');
      assert.deepEqual(probe.addresses, [serverIp]);
      await both({ from: n('client'), target: serverIp, port: 80 }, 'reachable');
    });

    it('a port the server does not expose is dropped, link or not', async () => {
      const { probe } = await both({ from: n('client'), target: serverIp, port: 81 }, 'unreachable');
      assert.match(probe.summary, /no TCP answer/);
    });

    it('a container without the link does not get through to port 80', async () => {
      const { probe } = await both({ from: n('loner'), target: serverIp, port: 80 }, 'unreachable');
      assert.match(probe.summary, /no TCP answer/);
    });
  },
);

/** `docker run --link srv:web` on the default bridge: the legacy link lives in HostConfig.Links. */
async function linkedClient(docker: Dockerode, name: string, runId: string, link: string): Promise<void> {
  const container = await docker.createContainer({
    name,
    Image: TEST_IMAGE,
    Cmd: ['sleep', '3600'],
    Labels: { 'dne.test': runId, 'dne.test.pid': String(process.pid) },
    HostConfig: { NetworkMode: 'bridge', Links: [link] },
  });
  await container.start();
}
