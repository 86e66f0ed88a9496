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
