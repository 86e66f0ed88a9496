// `up --swarm`: the same three hosts joined as one swarm instead of sharing a cluster store.
// All three are managers, because a worker lists a swarm overlay only while one of its own
// containers uses it, and the lab wants the overlay visible everywhere. Overlays made on a
// swarm must be attachable for plain `docker run` containers (what the seed uses) to join them.
import { hostLayout } from './config.mjs';
import { dockerFor } from './seed.mjs';

const MANAGER = 'docker3';

async function swarmState(name) {
  return (await dockerFor(name).info()).Swarm?.LocalNodeState;
}

/** Initialises the swarm on docker3 and joins docker1 and docker2 as managers; returns changes. */
export async function ensureSwarm(log) {
  let changes = 0;
  const manager = dockerFor(MANAGER);
  if ((await swarmState(MANAGER)) !== 'active') {
    const ip = hostLayout(MANAGER).ip;
    await manager.swarmInit({ ListenAddr: `${ip}:2377`, AdvertiseAddr: ip });
    changes++;
    log(`swarm initialised on ${MANAGER} (${ip}:2377)`);
  }
  const token = (await manager.swarmInspect()).JoinTokens.Manager;
  for (const name of ['docker1', 'docker2']) {
    if ((await swarmState(name)) === 'active') continue;
    const ip = hostLayout(name).ip;
    await dockerFor(name).swarmJoin({
      ListenAddr: `${ip}:2377`,
      AdvertiseAddr: ip,
      RemoteAddrs: [`${hostLayout(MANAGER).ip}:2377`],
      JoinToken: token,
    });
    changes++;
    log(`${name} joined the swarm as a manager`);
  }
  const nodes = await manager.listNodes();
  log(
    `swarm: ${nodes.map((n) => `${n.Description?.Hostname} ${n.Status?.State}/${n.ManagerStatus?.Reachability ?? 'worker'}`).join(', ')}`,
  );
  return changes;
}

/**
 * Breaks one node's swarm membership on purpose: it is demoted, leaves, and joins again as a
 * worker advertising `advertise` (an address no host has, so its peers dial nowhere), or through
 * `manager` (an address where no manager answers: Docker gives up waiting after 20 s with its
 * 503, which this rethrows, and keeps trying: the node stays pending, then turns to error).
 * Without either: it leaves and joins again as a manager on its own address (ensureSwarm). Either
 * way its old node entries are removed first. Not for docker3, which holds the swarm together.
 */
export async function rejoinSwarm(name, { advertise, manager: remote } = {}, log = () => undefined) {
  if (name === MANAGER) throw new Error(`${MANAGER} made the swarm: rejoin docker1 or docker2`);
  const manager = dockerFor(MANAGER);
  const mine = (await manager.listNodes()).filter((node) => node.Description?.Hostname === name);
  for (const node of mine.filter((entry) => entry.Spec?.Role === 'manager')) {
    await manager.getNode(node.ID).update({ _query: { version: node.Version.Index }, _body: { ...node.Spec, Role: 'worker' } });
  }
  if ((await swarmState(name)) !== 'inactive') await dockerFor(name).swarmLeave({ force: true });
  for (const node of mine) await manager.getNode(node.ID).remove({ force: true });
  log(`${name} left the swarm`);
  if (!advertise && !remote) return ensureSwarm(log);
  const ip = hostLayout(name).ip;
  await dockerFor(name).swarmJoin({
    ListenAddr: `${ip}:2377`,
    AdvertiseAddr: advertise ?? ip,
    RemoteAddrs: [remote ?? `${hostLayout(MANAGER).ip}:2377`],
    JoinToken: (await manager.swarmInspect()).JoinTokens.Worker,
  });
  log(`${name} joined the swarm as a worker advertising ${advertise ?? ip}${remote ? ` through ${remote}` : ''}`);
  return 1;
}
