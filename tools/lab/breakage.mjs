// Breaking the lab on purpose, and mending it: one host's dockerd restarted with another
// --cluster-store / --cluster-advertise (or back to the lab's own), and the store stopped or
// started. The doctor's lab test and `npm run lab -- restart|store` use these.
import { hostLayout } from './config.mjs';
import { ensureDaemon, stopDaemon } from './daemons.mjs';
import { pingSocket } from '../lib/pingSocket.mjs';
import { readState, recordOverrides } from './state.mjs';
import { ensureStore, stopStore } from './store.mjs';
import { dockerFor, ensureSeed } from './seed.mjs';

const quiet = () => undefined;

function labStore() {
  const store = readState()?.store;
  if (!store) throw new Error('the lab is not up: `npm run lab -- up` first');
  return store;
}

/**
 * Stops (as a user would: not restarted by their restart policy) the host's running containers
 * on a global network. A daemon that cannot reach its store holds its API back 60 s before it
 * gives up restoring them (moby's waitForNetworks, a fixed timeout); the seed repair on the way
 * back starts them again.
 */
async function stopOverlayContainers(name, log) {
  const docker = dockerFor(name);
  if (!(await pingSocket(hostLayout(name).socket))) return;
  const global = new Set((await docker.listNetworks()).filter((n) => n.Scope === 'global').map((n) => n.Id));
  const running = (await docker.listContainers()).filter((c) =>
    Object.values(c.NetworkSettings?.Networks ?? {}).some((n) => global.has(n.NetworkID)),
  );
  await Promise.all(running.map((c) => docker.getContainer(c.Id).stop({ t: 0 })));
  if (running.length)
    log(
      `${name}: stopped ${running.map((c) => c.Names[0].slice(1)).join(', ')} first (on an overlay: a daemon without its store would wait 60 s to restore them)`,
    );
}

/** The "failed to start daemon: …" line (or the last error line) of a start that died. */
function daemonFailure(daemonLog) {
  const lines = daemonLog.split('\n').filter((line) => /level=(fatal|error)|failed to start daemon/.test(line));
  const fatal = lines.find((line) => /failed to start daemon/.test(line)) ?? lines.at(-1) ?? daemonLog.trim().split('\n').at(-1);
  const message = /msg="((?:[^"\\]|\\.)*)"/.exec(fatal ?? '');
  return message ? message[1].replace(/\\"/g, '"') : (fatal ?? '');
}

/**
 * Stops the host's dockerd and starts it with `overrides` ({ store, advertise }; none: the lab's
 * own flags). A broken daemon may refuse to start: then `answers` is false and `failure` quotes
 * what it said. Back on the lab's flags it must answer, and the seed is repaired if it needs it.
 */
export async function restartHost(name, overrides = {}, { log = quiet } = {}) {
  const store = labStore();
  if (store === 'swarm' && (overrides.store || overrides.advertise)) throw new Error('a swarm lab has no cluster store to override');
  const host = hostLayout(name);
  const broken = Boolean(overrides.store || overrides.advertise);
  if (overrides.store) await stopOverlayContainers(name, log);
  const stopped = await stopDaemon(host);
  log(`${name}: dockerd ${stopped ? `${stopped} stopped` : 'was not running'}`);
  recordOverrides(name, overrides);
  try {
    const run = await ensureDaemon(host, store, { overrides });
    log(`${name}: dockerd started (pid ${run.pid})${broken ? ` with ${describe(overrides)}` : ''}`);
    if (!broken) await ensureSeed(log, { containers: store !== 'zookeeper', swarm: store === 'swarm' });
    return { pid: run.pid, answers: true, failure: undefined };
  } catch (error) {
    if (!broken || typeof error.daemonLog !== 'string') throw error;
    const failure = daemonFailure(error.daemonLog);
    log(`${name}: dockerd refused to start with ${describe(overrides)}: ${failure}`);
    return { pid: undefined, answers: false, failure };
  }
}

export const describe = (overrides) =>
  [overrides.store && `--cluster-store=${overrides.store}`, overrides.advertise && `--cluster-advertise=${overrides.advertise}`]
    .filter(Boolean)
    .join(' ');

/** Stops the lab's store (the daemons keep running, and find it gone). Resolves with its PID. */
export async function storeStop() {
  const store = labStore();
  if (store === 'swarm') throw new Error('a swarm lab has no cluster store');
  return stopStore(store);
}

/** Starts the lab's store again (same data: the overlays are still in it). */
export async function storeStart() {
  const store = labStore();
  if (store === 'swarm') throw new Error('a swarm lab has no cluster store');
  return ensureStore(store);
}
