/**
 * DNE200 proven on the lab in swarm mode (either engine): a network whose subnet overlaps a host's
 * route cuts off what lies there. The lab's LAN is a route of docker1 (its eth0), and this
 * machine's end of it (the root namespace, `rootIp`) is the "machine there". Broken both ways:
 *
 * - a swarm overlay over it: a container on the overlay no longer reaches rootIp, a container on
 *   the default bridge and docker1 itself still do; recreated with another subnet, it does again;
 * - a local bridge over it: docker1 itself no longer reaches rootIp; removed, it does again.
 *
 * The finding is computed from docker1's real networks and its real route table (read in its
 * namespace: the live scan reads routes only for the daemon on this machine's default socket).
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import Dockerode from 'dockerode';
import { addressPoolDrafts } from '../../src/core/diagnostics/live/addressPools';
import { probeDocker } from '../../src/core/diagnostics/live/docker';
import { parseProcNetRoute } from '../../src/core/reachability/routes';
import { execInContainer } from '../support/dockerFixture';
import { claimLab, labLayout, labUpOrExplain, type Lab } from '../support/lab';

const LAYOUT = labLayout();
const P = 'dne-shadow-';
/** A /28 of the lab's LAN holding rootIp (.254): 14 addresses, far from the hosts' .11–.13. */
const OVER_LAN = LAYOUT.rootIp.replace(/\.\d+$/, '.240/28');
const docker1 = new Dockerode({ socketPath: LAYOUT.socket('docker1') });
const manager = new Dockerode({ socketPath: LAYOUT.socket('docker3') });

const routesOfDocker1 = () =>
  parseProcNetRoute(execFileSync('ip', ['netns', 'exec', LAYOUT.netns('docker1'), 'cat', '/proc/net/route'], { encoding: 'utf8' }));

async function shadowDrafts() {
  const facts = await probeDocker({ name: 'docker1', url: `unix://${LAYOUT.socket('docker1')}` }, 10_000);
  assert.equal(facts.kind, 'ok');
  if (facts.kind !== 'ok') return [];
  return addressPoolDrafts('docker1', facts.networks, routesOfDocker1(), undefined).filter((draft) => draft.code === 'DNE200');
}

/** A sleeping container on docker1 (the lab's image), on `network` ('host' for docker1's own namespace). */
async function sleeper(name: string, network: string): Promise<string> {
  const container = await docker1.createContainer({
    name: `${P}${name}`,
    Image: 'dne-busybox:lab',
    Cmd: ['sleep', '600'],
    StopTimeout: 1,
    HostConfig: { NetworkMode: network },
  });
  await container.start();
  return container.id;
}

/** Whether rootIp answers a ping from that container (two tries: the first may wait on ARP). */
async function reachesRoot(id: string): Promise<boolean> {
  const result = await execInContainer(docker1, id, ['ping', '-c', '2', '-W', '2', LAYOUT.rootIp], 20_000);
  return result.exitCode === 0;
}

async function overlay(name: string, subnet: string): Promise<void> {
  await manager.createNetwork({ Name: `${P}${name}`, Driver: 'overlay', Attachable: true, IPAM: { Config: [{ Subnet: subnet }] } });
  // docker1 lists a new swarm network once the managers' store has it.
  for (let tries = 0; tries < 150; tries++) {
    if ((await docker1.listNetworks()).some((network) => network.Name === `${P}${name}`)) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

describe(
  'DNE200 on the swarm lab: a subnet over a host route, an overlay’s and a bridge’s',
  { skip: process.getuid?.() !== 0 && 'needs root', timeout: 600_000 },
  () => {
    let lab: Lab | undefined;

    before(async () => {
      lab = await claimLab();
      await labUpOrExplain(lab, { store: 'swarm' });
    });
    after(async () => {
      for (const container of await docker1.listContainers({ all: true, filters: JSON.stringify({ name: [P] }) }).catch(() => []))
        await docker1
          .getContainer(container.Id)
          .remove({ force: true })
          .catch(() => undefined);
      for (const network of await manager.listNetworks({ filters: JSON.stringify({ name: [P] }) }).catch(() => []))
        await manager
          .getNetwork(network.Id)
          .remove()
          .catch(() => undefined);
      for (const network of await docker1.listNetworks({ filters: JSON.stringify({ name: [P] }) }).catch(() => []))
        await docker1
          .getNetwork(network.Id)
          .remove()
          .catch(() => undefined);
      await lab?.labDown();
    });

    it('a swarm overlay over the LAN: its containers lose rootIp, the host keeps it, as DNE200 says; another subnet mends it', async () => {
      const lan = routesOfDocker1().find((route) => route.destination === `${LAYOUT.rootIp.replace(/\.\d+$/, '.0')}/24`);
      assert.ok(lan?.device, `docker1 has a route to the lab LAN: ${JSON.stringify(routesOfDocker1())}`);
      const onBridge = await sleeper('bridge', 'bridge');
      const onHost = await sleeper('host', 'host');
      assert.equal(await reachesRoot(onBridge), true, 'from the default bridge before anything');
      assert.deepEqual(await shadowDrafts(), [], 'the healthy lab has a DNE200');

      await overlay('over', OVER_LAN);
      const onOverlay = await sleeper('over', `${P}over`);
      const [draft, ...more] = await shadowDrafts();
      assert.deepEqual(more, []);
      assert.equal(
        draft?.message.split(' — ')[0],
        `Swarm overlay ${P}over (${OVER_LAN}) overlaps docker1's route to ${lan.destination} via ${lan.device}: ` +
          `containers on ${P}over send anything in ${OVER_LAN} onto ${P}over, not to ${lan.device}`,
      );
      assert.match(draft.message, /docker1 itself still uses its route/);
      // What it says, as it happens.
      assert.equal(await reachesRoot(onOverlay), false, `a container on ${P}over still reaches ${LAYOUT.rootIp}`);
      assert.equal(await reachesRoot(onHost), true, 'docker1 itself lost its route');
      assert.equal(await reachesRoot(onBridge), true, 'a container on the default bridge lost the LAN');

      // The fix it names: the overlay again, with a --subnet outside the route.
      await docker1.getContainer(onOverlay).remove({ force: true });
      await manager.getNetwork(`${P}over`).remove();
      await overlay('moved', '10.10.97.0/24');
      const onMoved = await sleeper('moved', `${P}moved`);
      assert.equal(await reachesRoot(onMoved), true, 'the overlay on another subnet still cut off the LAN');
      assert.deepEqual(await shadowDrafts(), []);
    });

    it('a bridge over the LAN: docker1 itself loses rootIp, as DNE200 says; removed, it is back', async () => {
      const onHost =
        (await docker1.listContainers({ filters: JSON.stringify({ name: [`${P}host`] }) }))[0]?.Id ?? (await sleeper('host', 'host'));
      assert.equal(await reachesRoot(onHost), true, 'docker1 reaches the root namespace before');
      await docker1.createNetwork({ Name: `${P}br`, Driver: 'bridge', IPAM: { Config: [{ Subnet: OVER_LAN }] } });
      const [draft, ...more] = await shadowDrafts();
      assert.deepEqual(more, []);
      assert.match(
        draft?.message ?? '',
        new RegExp(
          `^Docker network ${P}br \\(${OVER_LAN.replace(/\./g, '\\.')}\\) overlaps docker1's route to .* docker1 sends traffic for ${OVER_LAN.replace(/\./g, '\\.')} to ${P}br, not to`,
        ),
      );
      assert.equal(await reachesRoot(onHost), false, `docker1 still reaches ${LAYOUT.rootIp} with ${P}br over it`);
      await docker1.getNetwork(`${P}br`).remove();
      assert.equal(await reachesRoot(onHost), true, 'docker1 reaches the root namespace again once the bridge is gone');
    });
  },
);
