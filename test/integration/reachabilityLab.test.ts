/**
 * Reachability across hosts on the three-host lab (tools/lab/): web1 (docker3) and web2 (docker2)
 * over the overlay `multihost` and the internal overlay beside it, and `front` on docker1, the
 * seed's HAProxy, joining the overlay to docker1's bridge with port 8080 published. Each question
 * is asked of the model (explain over all three hosts' snapshots), the live probe and a plain
 * `docker exec … ping/nc`; the outside (this machine, 192.168.77.254 on the lab's LAN) connects
 * itself. The lab is claimed as the other lab tests do (never one somebody else brought up) and
 * taken down after. etcd store on 20.10; swarm on engines without cluster stores.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import Dockerode from 'dockerode';
import { DockerClient } from '../../src/core/docker/dockerClient';
import { LiveProber } from '../../src/core/reachability/probe';
import { unixEndpoint } from '../support/dockerFixture';
import { engineHasClusterStore } from '../support/engine';
import { claimLab, labLayout, labUpOrExplain, type Lab, type LabHostName } from '../support/lab';
import { assertBothWays, connects, describeAnswer, explainerFor, WAIT_SECONDS, type Explainer } from '../support/reachProof';

const HOSTS: LabHostName[] = ['docker1', 'docker2', 'docker3'];
const socketOf = (name: LabHostName) => labLayout().socket(name);
/** The hosts' LAN addresses (tools/lab/config.mjs). */
const LAN_IP: Record<LabHostName, string> = {
  docker1: labLayout().hostIp('docker1'),
  docker2: labLayout().hostIp('docker2'),
  docker3: labLayout().hostIp('docker3'),
};
const IMAGE = 'dne-busybox:lab';

describe('reachability across the three-host lab', { skip: process.getuid?.() !== 0 && 'needs root' }, () => {
  let lab: Lab | undefined;
  let explainer: Explainer;
  const probers = new Map<LabHostName, LiveProber>();
  const proberOn = (host: LabHostName) => probers.get(host)!;
  const ipOf = async (host: LabHostName, container: string, network: string) =>
    (await new Dockerode({ socketPath: socketOf(host) }).getContainer(container).inspect()).NetworkSettings.Networks[network]?.IPAddress ??
    '';

  before(async () => {
    lab = await claimLab();
    await labUpOrExplain(lab, { store: engineHasClusterStore() ? 'etcd' : 'swarm' });
    for (const host of HOSTS) {
      probers.set(
        host,
        new LiveProber(new DockerClient(unixEndpoint(socketOf(host)), host, { timeoutMs: 20_000 }), {
          waitSeconds: WAIT_SECONDS,
          helperImages: [IMAGE],
        }),
      );
    }
    explainer = explainerFor(HOSTS.map((name) => ({ name, socketPath: socketOf(name) })));
  });

  after(async () => {
    if (lab) await lab.labDown();
  });

  it('web2 (docker2) reaches web1 (docker3) by name over multihost, ping and port 80, and back', async () => {
    const there = await assertBothWays(proberOn('docker2'), socketOf('docker2'), explainer, { from: 'web2', target: 'web1' }, 'reachable');
    assert.deepEqual(there.probe.addresses, [await ipOf('docker3', 'web1', 'multihost')]);
    assert.ok(
      there.explained.networks.some((network) => network.name === 'multihost' && network.passes),
      describeAnswer(there.explained),
    );
    await assertBothWays(proberOn('docker2'), socketOf('docker2'), explainer, { from: 'web2', target: 'web1', port: 80 }, 'reachable');
    await assertBothWays(proberOn('docker3'), socketOf('docker3'), explainer, { from: 'web1', target: 'web2', port: 80 }, 'reachable');
  });

  it('web1 and web2 reach each other on the internal overlay; front, not on it, does not', async () => {
    const web1Internal = await ipOf('docker3', 'web1', 'multihost-internal');
    assert.match(web1Internal, /^10\.10\.20\.\d+$/);
    await assertBothWays(
      proberOn('docker2'),
      socketOf('docker2'),
      explainer,
      { from: 'web2', target: web1Internal, port: 80 },
      'reachable',
    );
    await assertBothWays(proberOn('docker1'), socketOf('docker1'), explainer, { from: 'front', target: web1Internal }, 'unreachable');
  });

  it('front (docker1) reaches both web servers by name over the overlay', async () => {
    await assertBothWays(proberOn('docker1'), socketOf('docker1'), explainer, { from: 'front', target: 'web1', port: 80 }, 'reachable');
    await assertBothWays(proberOn('docker1'), socketOf('docker1'), explainer, { from: 'front', target: 'web2', port: 80 }, 'reachable');
  });

  it("the outside reaches front's published port 8080, and neither web server", async () => {
    assert.equal(await connects(LAN_IP.docker1, 8080), true);
    assert.equal(await connects(LAN_IP.docker3, 80), false, 'web1 publishes nothing on docker3');
    assert.equal(await connects(LAN_IP.docker2, 80), false, 'web2 publishes nothing on docker2');
    // Overlay addresses (10.10.x) are not tried from here: this machine would route them out of
    // its default route, to whatever owns them on the real network.
    const toFront = await explainer({ from: 'lan', target: 'docker1', port: 8080 });
    assert.equal(toFront.verdict, 'reachable', describeAnswer(toFront));
    const toWeb1 = await explainer({ from: 'lan', target: 'docker3', port: 80 });
    assert.equal(toWeb1.verdict, 'unreachable', describeAnswer(toWeb1));
  });
});
