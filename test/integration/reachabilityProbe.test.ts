/**
 * The live reachability probe on the real daemon (/var/run/docker.sock), each seed scenario built
 * for real and asked both ways: the probe, and a plain `docker exec … ping/nc`. Host mode, the
 * default bridge (ICC on, no DNS), an internal bridge and the second NIC on `bridge` that brings
 * its published port back, aliases vs links on a user-defined bridge, `none` mode, a stopped
 * container, a container without tools (the helper), and a probed matrix of 10 containers.
 * Every name server is 127.0.0.1 inside the container, so no lookup of a test name leaves it.
 * The test image links ping and wget but not nc: the probe finds nc as a busybox applet.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import Dockerode from 'dockerode';
import { DockerClient } from '../../src/core/docker/dockerClient';
import { createProber, HELPER_LABEL, LiveProber, probeMany } from '../../src/core/reachability/probe';
import type { ProbeRequest } from '../../src/core/reachability/types';
import { DockerFixture, defaultSocketPath, ensureTestImage, PrivateDockerd, TEST_IMAGE, unixEndpoint } from '../support/dockerFixture';
import { currentEngine } from '../support/engine';
import {
  assertBothWays,
  connects,
  importBareImage,
  removeBareImage,
  describeAnswer,
  describeProbe,
  dockerExec,
  explainerFor,
  WAIT_SECONDS,
} from '../support/reachProof';

/**
 * DNE_REACH_DAEMON=private: the same scenarios on a private dockerd of the engine first on PATH
 * (its own network namespace, docker0 and iptables), e.g. Engine 26 beside the system's 20.10.
 * This process is outside that namespace: its own connects to the host's address are left out.
 */
const privateDaemon =
  process.env.DNE_REACH_DAEMON === 'private'
    ? new PrivateDockerd(undefined, undefined, ['--bridge=', '--iptables=true', '--ip-forward=true'])
    : undefined;
const socketPath = privateDaemon?.socketPath ?? defaultSocketPath();
/** Whether this process connecting to address:port gets through; undefined on a private daemon. */
const fromHere = (address: string, port: number) => (privateDaemon ? Promise.resolve(undefined) : connects(address, port));
/** Lookups of test names stay in the container (127.0.0.1) and give up after 1 s. */
const QUIET_DNS = { dns: ['127.0.0.1'], dnsOptions: ['timeout:1', 'attempts:1'] };
const httpd = ['httpd', '-f', '-p', '80', '-h', '/www'];
const idle = ['sleep', '3600'];

describe(
  `reachability probe on ${privateDaemon ? 'a private' : 'the'} daemon (Engine ${currentEngine()})`,
  { skip: !!privateDaemon && process.getuid?.() !== 0 && 'a private daemon needs root' },
  () => {
    const fixture = new DockerFixture({ socketPath, runId: `rl${Math.random().toString(16).slice(2, 8)}` });
    const client = new DockerClient(unixEndpoint(socketPath), 'test', { timeoutMs: 20_000 });
    const prober = new LiveProber(client, { waitSeconds: WAIT_SECONDS, helperImages: [TEST_IMAGE] });
    const explainer = explainerFor([{ name: 'test', socketPath }]);
    const n = (suffix: string) => fixture.name(suffix);
    const bareImage = `dne-test-nosh:${fixture.runId}`;
    const ipOn = async (container: string, network: string) =>
      (await fixture.docker.getContainer(container).inspect()).NetworkSettings.Networks[network]?.IPAddress ?? '';
    const gatewayOf = async (network: string) => (await fixture.docker.getNetwork(network).inspect()).IPAM?.Config?.[0]?.Gateway ?? '';
    const hostPort = 20000 + Math.floor(Math.random() * 9000);

    before(async () => {
      await privateDaemon?.start();
      await ensureTestImage(fixture.docker);
      await importBareImage(fixture.docker, bareImage);
    });

    after(async () => {
      await fixture.cleanup();
      await removeBareImage(fixture.docker, bareImage);
      await privateDaemon?.dispose();
    });

    describe('host mode', () => {
      let gateway = '';
      before(async () => {
        const hostnet = await fixture.createNetwork({ name: 'hostnet' });
        gateway = await gatewayOf(hostnet.name);
        // Serves on the host's own address: the gateway of a bridge this test made (not the LAN).
        await fixture.runContainer({
          name: 'hosted',
          networks: ['host'],
          cmd: ['httpd', '-f', '-p', `${gateway}:${hostPort}`, '-h', '/www'],
        });
        await fixture.runContainer({ name: 'hostclient', networks: [hostnet.name], cmd: idle, ...QUIET_DNS });
      });

      it("a container on a bridge reaches the host-mode container's port on the host's address", async () => {
        const { probe } = await assertBothWays(
          prober,
          socketPath,
          explainer,
          { from: n('hostclient'), target: gateway, port: hostPort },
          'reachable',
        );
        assert.equal(probe.venue.kind, 'container');
        assert.deepEqual(
          probe.evidence.map((step) => step.check),
          ['hosts', 'icmp', 'tcp'],
        );
      });

      it('the host-mode container reaches a bridge container by its address (the host routes to the bridge)', async () => {
        const address = await ipOn(n('hostclient'), n('hostnet'));
        await assertBothWays(prober, socketPath, explainer, { from: n('hosted'), target: address }, 'reachable');
      });
    });

    describe('default bridge, ICC on', () => {
      let serverIp = '';
      before(async () => {
        await fixture.runContainer({ name: 'b-server', cmd: httpd, ...QUIET_DNS });
        await fixture.runContainer({ name: 'b-client', cmd: idle, ...QUIET_DNS });
        serverIp = await ipOn(n('b-server'), 'bridge');
      });

      it('reaches the other container by address: ping and port 80', async () => {
        await assertBothWays(prober, socketPath, explainer, { from: n('b-client'), target: serverIp }, 'reachable');
        const { probe } = await assertBothWays(
          prober,
          socketPath,
          explainer,
          { from: n('b-client'), target: serverIp, port: 80 },
          'reachable',
        );
        assert.match(probe.summary, /TCP connection to .*:80 made/);
      });

      it('a port nothing listens on is refused', async () => {
        // explain assumes a listener (the question is whether the path lets it through); the
        // refusal proves the path open: the server's kernel answered.
        const { probe, explained } = await assertBothWays(
          prober,
          socketPath,
          explainer,
          { from: n('b-client'), target: serverIp, port: 81 },
          'unreachable',
          { explain: 'reachable' },
        );
        assert.match(probe.summary, /refused/);
        assert.ok(
          explained.reasons.some((reason) => reason.code === 'listener-assumed'),
          describeAnswer(explained),
        );
      });

      it('does not reach it by name: the default bridge has no embedded DNS', async () => {
        const { probe } = await assertBothWays(
          prober,
          socketPath,
          explainer,
          { from: n('b-client'), target: n('b-server') },
          'unreachable',
        );
        assert.deepEqual(probe.addresses, []);
        assert.match(probe.summary, /cannot resolve/);
      });
    });

    describe('internal bridge, then a second NIC on bridge', () => {
      let outerGateway = '';
      before(async () => {
        const internal = await fixture.createNetwork({ name: 'int', internal: true });
        const outer = await fixture.createNetwork({ name: 'outer' });
        outerGateway = await gatewayOf(outer.name);
        // Published on the gateway of a bridge this test made, so never on the LAN.
        await fixture.runContainer({
          name: 'i-web',
          networks: [internal.name],
          cmd: httpd,
          ...QUIET_DNS,
          ports: [{ containerPort: 80, hostPort, hostIp: outerGateway }],
        });
        await fixture.runContainer({ name: 'i-peer', networks: [internal.name], cmd: idle, ...QUIET_DNS });
        await fixture.runContainer({ name: 'o-peer', networks: [outer.name], cmd: httpd, ...QUIET_DNS });
        // `hosted` (host mode, above) stands for the host itself.
        if (
          !(await fixture.docker
            .getContainer(n('hosted'))
            .inspect()
            .catch(() => undefined))
        ) {
          await fixture.runContainer({ name: 'hosted', networks: ['host'], cmd: idle });
        }
      });

      it('containers on the internal network reach each other by name', async () => {
        await assertBothWays(prober, socketPath, explainer, { from: n('i-peer'), target: n('i-web'), port: 80 }, 'reachable');
      });

      it('no egress: the internal container reaches nothing off its network', async () => {
        const { probe } = await assertBothWays(
          prober,
          socketPath,
          explainer,
          { from: n('i-web'), target: await ipOn(n('o-peer'), n('outer')) },
          'unreachable',
        );
        // 20.10 still gives the container a default route via the internal bridge's gateway; the
        // daemon's iptables rules drop what leaves the subnet, so the ping goes out unanswered.
        assert.match(probe.evidence.find((step) => step.check === 'icmp')?.output ?? '', /0 packets received|unreachable/i);
      });

      it('its published port is dead: the host gets no answer on it', async () => {
        await assertBothWays(prober, socketPath, explainer, { from: n('hosted'), target: outerGateway, port: hostPort }, 'unreachable', {
          explain: false,
        });
        assert.notEqual(await fromHere(outerGateway, hostPort), true);
        const asHost = await explainer({ from: n('hosted'), target: 'host', port: hostPort });
        assert.equal(asHost.verdict, 'unreachable', describeAnswer(asHost));
      });

      it('explain agrees when the published port is asked for by the address it is bound to', async () => {
        const explained = await explainer({ from: n('hosted'), target: outerGateway, port: hostPort });
        assert.equal(explained.verdict, 'unreachable', describeAnswer(explained));
      });

      it('a second NIC on bridge brings the published port back', async () => {
        await fixture.connect(n('i-web'), 'bridge');
        await assertBothWays(prober, socketPath, explainer, { from: n('hosted'), target: outerGateway, port: hostPort }, 'reachable');
        assert.notEqual(await fromHere(outerGateway, hostPort), false);
      });
    });

    describe('aliases vs links on a user-defined bridge', () => {
      before(async () => {
        const ud = await fixture.createNetwork({ name: 'ud' });
        const other = await fixture.createNetwork({ name: 'ud-other' });
        await fixture.runContainer({ name: 'web2', networks: [{ network: ud.name, aliases: ['web2svc'] }], cmd: httpd, ...QUIET_DNS });
        await fixture.runContainer({
          name: 'web1',
          networks: [{ network: ud.name, links: [`${n('web2')}:db`] }],
          cmd: httpd,
          ...QUIET_DNS,
        });
        await fixture.runContainer({ name: 'web3', networks: [other.name], cmd: idle, ...QUIET_DNS });
      });

      it("web1 resolves web2's link alias (its own link) and reaches it", async () => {
        const { probe } = await assertBothWays(prober, socketPath, explainer, { from: n('web1'), target: 'db', port: 80 }, 'reachable');
        assert.deepEqual(probe.addresses, [await ipOn(n('web2'), n('ud'))]);
      });

      it('web2 does not resolve the link alias: it is local to the container that declared it', async () => {
        const { probe } = await assertBothWays(prober, socketPath, explainer, { from: n('web2'), target: 'db' }, 'unreachable', {
          explain: false,
        });
        assert.deepEqual(probe.addresses, []);
      });

      it("explain agrees that web2 does not resolve web1's link alias for it", async () => {
        const explained = await explainer({ from: n('web2'), target: 'db' });
        assert.equal(explained.verdict, 'unreachable', describeAnswer(explained));
      });

      it('the network alias resolves for every container on that network, and nowhere else', async () => {
        await assertBothWays(prober, socketPath, explainer, { from: n('web1'), target: 'web2svc' }, 'reachable');
        await assertBothWays(prober, socketPath, explainer, { from: n('web3'), target: 'web2svc' }, 'unreachable');
      });
    });

    describe('none mode and stopped containers', () => {
      before(async () => {
        const ud = await fixture.createNetwork({ name: 'st' });
        await fixture.runContainer({ name: 'st-web', networks: [ud.name], cmd: httpd, ...QUIET_DNS });
        await fixture.runContainer({ name: 'st-gone', networks: [ud.name], cmd: httpd, ...QUIET_DNS });
        await fixture.docker.getContainer(n('st-gone')).stop({ t: 0 });
        await fixture.runContainer({ name: 'nobody', networks: ['none'], cmd: idle, ...QUIET_DNS });
      });

      it('a none-mode container reaches nothing, and nothing reaches it by name', async () => {
        const { probe } = await assertBothWays(
          prober,
          socketPath,
          explainer,
          { from: n('nobody'), target: await ipOn(n('st-web'), n('st')) },
          'unreachable',
        );
        assert.match(probe.evidence.find((step) => step.check === 'icmp')?.output ?? '', /unreachable/i);
        await assertBothWays(prober, socketPath, explainer, { from: n('st-web'), target: n('nobody') }, 'unreachable');
      });

      it('a stopped target does not resolve; a stopped FROM runs nothing', async () => {
        await assertBothWays(prober, socketPath, explainer, { from: n('st-web'), target: n('st-gone') }, 'unreachable');
        const fromStopped = await prober.probe({ from: n('st-gone'), target: n('st-web') });
        assert.equal(fromStopped.verdict, 'unreachable', describeProbe(fromStopped));
        assert.match(fromStopped.summary, /is exited: nothing in it can send traffic/);
        const explained = await explainer({ from: n('st-gone'), target: n('st-web') });
        assert.equal(explained.verdict, 'unreachable', describeAnswer(explained));
        const plain = await dockerExec(socketPath, n('st-gone'), ['ping', '-c', '1', n('st-web')]);
        assert.notEqual(plain.exitCode, 0);
        assert.match(plain.output, /is not running/);
      });
    });

    describe('a container without sh or ping: the helper', () => {
      let target = '';
      before(async () => {
        const hn = await fixture.createNetwork({ name: 'hn' });
        await fixture.runContainer({ name: 'h-web', networks: [hn.name], cmd: httpd, ...QUIET_DNS });
        await fixture.runContainer({ name: 'bare', image: bareImage, networks: [hn.name], cmd: idle, ...QUIET_DNS });
        target = n('h-web');
      });

      it('checks from a helper in --network container:FROM, made from a present image, then removes it', async () => {
        const probe = await prober.probe({ from: n('bare'), target, port: 80 });
        assert.equal(probe.verdict, 'reachable', describeProbe(probe));
        assert.deepEqual(probe.venue, { kind: 'helper', container: n('bare'), image: TEST_IMAGE });
        const plain = await dockerExec(socketPath, n('bare'), ['ping', '-c', '1', target]);
        assert.notEqual(plain.exitCode, 0, 'the bare image must really lack ping');
        // The plain equivalent of the helper.
        const run = await new Promise<number>((resolve) =>
          spawn(
            'docker',
            [
              '-H',
              `unix://${socketPath}`,
              'run',
              '--rm',
              '--network',
              `container:${n('bare')}`,
              TEST_IMAGE,
              'busybox',
              'nc',
              '-w',
              '2',
              target,
              '80',
            ],
            { stdio: 'ignore' },
          ).on('close', (code) => resolve(code ?? -1)),
        );
        assert.equal(run, 0);
        const bareId = (await fixture.docker.getContainer(n('bare')).inspect()).Id;
        assert.deepEqual(await helpersOf(fixture.docker, bareId), [], 'the helper is gone');
      });

      it('starts nothing when a helper is not allowed, and pulls nothing when no helper image is present', async () => {
        const never = await new LiveProber(client, { helper: 'never' }).probe({ from: n('bare'), target });
        assert.equal(never.verdict, 'inconclusive', describeProbe(never));
        assert.match(never.summary, /a helper container is not allowed/);
        const absent = 'dne-test-absent-image:never';
        const noImage = await new LiveProber(client, { helperImages: [absent] }).probe({ from: n('bare'), target });
        assert.equal(noImage.verdict, 'inconclusive', describeProbe(noImage));
        assert.match(noImage.summary, /none is pulled/);
        await assert.rejects(fixture.docker.getImage(absent).inspect(), (error: { statusCode?: number }) => error.statusCode === 404);
      });
    });

    describe('a probed matrix of 10 containers', () => {
      const names = Array.from({ length: 10 }, (_, i) => `mx${i}`);
      before(async () => {
        const mx = await fixture.createNetwork({ name: 'mx' });
        await Promise.all(names.map((name) => fixture.runContainer({ name, networks: [mx.name], cmd: httpd, ...QUIET_DNS })));
      });

      it('probes all 90 ordered pairs on port 80 in parallel within 10 s, in the contract shape', async (t) => {
        const inspected = await Promise.all(names.map((name) => fixture.docker.getContainer(n(name)).inspect()));
        const requests: ProbeRequest[] = inspected.flatMap((from) =>
          inspected
            .filter((to) => to.Id !== from.Id)
            .map((to) => ({
              hostId: 'test',
              fromContainerId: from.Id,
              fromName: from.Name.slice(1),
              target: to.Name.slice(1),
              expectedAddresses: [to.NetworkSettings.Networks[n('mx')]?.IPAddress ?? ''],
              port: 80,
              timeoutMs: WAIT_SECONDS * 1000,
            })),
        );
        const contract = createProber({ clientFor: (hostId) => (hostId === 'test' ? client : undefined), helperImage: TEST_IMAGE });
        const began = Date.now();
        const results = await probeMany(contract, requests, 10);
        const elapsed = Date.now() - began;
        t.diagnostic(`90 probes (10 at a time): ${elapsed} ms`);
        assert.equal(results.length, 90);
        results.forEach((result, i) =>
          assert.equal(result.verdict, 'reachable', `${requests[i].fromName} → ${requests[i].target}: ${JSON.stringify(result.evidence)}`),
        );
        const first = results[0];
        assert.equal(first.evidence[0].check, 'setup');
        assert.ok(
          first.evidence.every((line) => line.command.startsWith(`docker exec ${requests[0].fromName}`)),
          JSON.stringify(first.evidence),
        );
        assert.deepEqual(
          first.evidence.map((line) => line.check),
          ['setup', 'dns', 'icmp', 'tcp'],
        );
        assert.ok(elapsed <= 10_000, `${elapsed} ms`);
      });
    });
  },
);

/** Helper containers (running or not) made for probes from `fromId`. */
async function helpersOf(docker: Dockerode, fromId: string): Promise<string[]> {
  const all = await docker.listContainers({ all: true, filters: JSON.stringify({ label: [`${HELPER_LABEL}=${fromId}`] }) });
  return all.map((info) => info.Names[0] ?? info.Id);
}
