// The lab as an API: up, down, status, stopping/starting one host's daemon, and breaking it on
// purpose (breakage.mjs: a host restarted with other store/advertise flags, the store stopped). Used by the
// CLI (lab.mjs) and by the integration test (through test/support/lab.ts).
import * as fs from 'node:fs';
import { DEFAULT_LAB_DIR, HOST_NAMES, LAB_DIR, LAN_NS, ROOT_IP, hostLayout, hosts, storeUrl } from './config.mjs';
import { claimLabDir } from './labDir.mjs';
import { daemonPid, ensureDaemon, stopDaemon } from './daemons.mjs';
import { pingSocket } from '../lib/pingSocket.mjs';
import { checkSubnetFree, ensureLan, labNamespaces, labRootLinks, netnsExists } from './net.mjs';
import { readState, recordOverrides, writeState } from './state.mjs';
import { labProcesses, requireRoot } from './proc.mjs';
import { STORE_KINDS, ensureStore, storeStatus } from './store.mjs';
import { dockerFor, ensureSeed } from './seed.mjs';
import { ensureSwarm } from './swarm.mjs';
import { engineHasClusterStore, normalizeEngine } from '../docker/engines.mjs';

export { labDown } from './down.mjs';
export { restartHost, storeStart, storeStop } from './breakage.mjs';
export { readState } from './state.mjs';
export { rejoinSwarm } from './swarm.mjs';

const quiet = () => undefined;

/**
 * Builds the lab, or repairs what is missing; `alreadyUp` when nothing had to be done. `engine`
 * (default $DNE_ENGINE, else 20.10) is the Docker Engine every host runs (tools/docker/engines.mjs).
 */
export async function labUp({ store = 'etcd', log = quiet, engine = process.env.DNE_ENGINE || '20.10' } = {}) {
  requireRoot();
  engine = normalizeEngine(engine);
  if (!STORE_KINDS.includes(store) && store !== 'swarm') throw new Error(`unknown store "${store}" (use ${STORE_KINDS.join(' or ')})`);
  if (store !== 'swarm' && !engineHasClusterStore(engine)) {
    throw new Error(
      `Docker Engine ${engine} has no cluster store (removed in 23.0): its lab runs in swarm mode, \`npm run lab -- up --swarm --engine ${engine}\``,
    );
  }
  const state = readState();
  if (state && state.store !== store) {
    throw new Error(`the lab is up with ${state.store}; run \`npm run lab -- down\` before switching to ${store}`);
  }
  if (state && (state.engine ?? '20.10') !== engine) {
    throw new Error(`the lab is up on Engine ${state.engine ?? '20.10'}; run \`npm run lab -- down\` before switching to ${engine}`);
  }
  if (!netnsExists(LAN_NS)) checkSubnetFree().forEach((warning) => log(`note: ${warning}`));
  // Made and marked as the lab's, or refused if DNELAB_DIR names a directory holding anything else.
  claimLabDir(LAB_DIR, { legacyDir: DEFAULT_LAB_DIR });
  // Hosts left running with overrides (`restart --store/--advertise`) are put back on the lab's flags.
  const overridden = Object.keys(state?.overrides ?? {});
  writeState({ store, storeUrl: storeUrl(store), engine, overrides: state?.overrides ?? {} });
  let changes = 0;
  const created = ensureLan();
  changes += created.length;
  log(created.length ? `LAN: created ${created.join(', ')}` : 'LAN: already there');
  if (store !== 'swarm') {
    const storeRun = await ensureStore(store);
    if (storeRun.started) changes++;
    log(`${store}: ${storeRun.started ? 'started' : 'already running'} (pid ${storeRun.pid}) at ${storeUrl(store)}`);
  }
  for (const name of overridden) {
    const pid = await stopDaemon(hostLayout(name));
    recordOverrides(name, {});
    log(`${name}: ${pid ? `dockerd ${pid} stopped` : 'not running'}, to start again with the lab's own flags`);
  }
  const daemons = await Promise.all(hosts().map((host) => ensureDaemon(host, store)));
  daemons.forEach((run, i) => {
    if (run.started) changes++;
    log(`${HOST_NAMES[i]}: dockerd ${run.started ? 'started' : 'already running'} (pid ${run.pid})`);
  });
  const restartHost = async (name) => {
    await stopDaemon(hostLayout(name));
    await ensureDaemon(hostLayout(name), store);
  };
  if (store === 'swarm') changes += await ensureSwarm(log);
  changes += await ensureSeed(log, { containers: store !== 'zookeeper', restartHost, swarm: store === 'swarm' });
  return { alreadyUp: changes === 0, store, hosts: hostEntries() };
}

/** Name and unix:// URL of each host, as the dockerNetworkExplorer.hosts setting takes them. */
export function hostEntries() {
  return hosts().map((host) => ({ name: host.name, url: `unix://${host.socket}` }));
}

export async function labStatus() {
  const state = readState();
  const perHost = await Promise.all(
    hosts().map(async (host) => {
      const pid = daemonPid(host);
      const answers = fs.existsSync(host.socket) && (await pingSocket(host.socket));
      const networks = answers ? (await dockerFor(host.name).listNetworks()).length : undefined;
      return { name: host.name, pid, alive: pid !== undefined, socket: `unix://${host.socket}`, answers, networks };
    }),
  );
  return {
    up: state !== undefined,
    store: state && state.store !== 'swarm' ? storeStatus(state.store) : undefined,
    mode: state?.store,
    engine: state ? (state.engine ?? '20.10') : undefined,
    storeUrl: state?.storeUrl,
    namespaces: labNamespaces(),
    /** The root namespace's port on the LAN (dnelab-root, ROOT_IP) when it exists. */
    rootAddress: labRootLinks().length ? ROOT_IP : undefined,
    overrides: state?.overrides ?? {},
    hosts: perHost,
    processes: labProcesses().length,
  };
}

/** Stops one host's dockerd (its containers, containerd and shims go with it). */
export const stopHost = (name) => stopDaemon(hostLayout(name));

/** Starts one host's dockerd again on the lab's store, with the lab's own flags. */
export async function startHost(name) {
  const store = readState()?.store;
  if (!store) throw new Error('the lab is not up');
  recordOverrides(name, {});
  return ensureDaemon(hostLayout(name), store);
}
