// The lab's fixed layout: names, addresses and paths. Everything the lab creates carries the
// `dnelab` prefix or lives under LAB_DIR, which is how `down` finds it again (by PID, never by
// process name).
import * as path from 'node:path';

/**
 * Which lab: DNELAB_ID=1..9 runs a second, separate lab beside the default one (its own prefix,
 * /24, directory, namespaces and cgroups), so two people or two test runs can each have one.
 */
export const LAB_ID = labId(process.env.DNELAB_ID);
/** What every name the lab gives starts with: namespaces, cgroups, the root namespace's link. */
export const PREFIX = LAB_ID === 0 ? 'dnelab' : `dnelab${LAB_ID}`;
/** Where the lab lives unless DNELAB_DIR says otherwise (labDir.mjs checks it before anything is torn down). */
export const DEFAULT_LAB_DIR = `/run/${PREFIX}`;
export const LAB_DIR = process.env.DNELAB_DIR ?? DEFAULT_LAB_DIR;
/** A private /24 not used on this machine (checked against `ip -4 addr` when the lab was made). */
export const SUBNET_PREFIX = `192.168.${77 + LAB_ID}`;
export const LAN_NS = `${PREFIX}-lan`;
/** The LAN bridge; it lives in LAN_NS, so its name cannot collide with the root namespace. */
export const BRIDGE = 'br0';
/** The LAN address of the bridge: the cluster store listens here. */
export const LAN_IP = `${SUBNET_PREFIX}.1`;
/**
 * The root namespace's own port on the LAN (a veth pair: ROOT_LINK here, ROOT_LAN_PORT on br0),
 * so the extension and the live doctor, which run in the root namespace, can reach the store and
 * the hosts' advertise addresses. Only a connected route to the /24 comes with it.
 */
export const ROOT_LINK = `${PREFIX}-root`;
export const ROOT_LAN_PORT = 'veth-root';
export const ROOT_IP = `${SUBNET_PREFIX}.254`;
export const ETCD_PORT = 2379;
export const ZK_PORT = 2181;
export const IMAGE = 'dne-busybox:lab';
export const INDEX_HTML = '<html><body><h1>dne-busybox lab page</h1></body></html>\n';

export const HOST_NAMES = ['docker1', 'docker2', 'docker3'];

/** Per host: namespace, addresses and the dockerd's files. */
export function hostLayout(name) {
  const index = HOST_NAMES.indexOf(name);
  if (index < 0) throw new Error(`no lab host named ${name} (hosts: ${HOST_NAMES.join(', ')})`);
  const dir = path.join(LAB_DIR, name);
  return {
    name,
    netns: `${PREFIX}-${name}`,
    ip: `${SUBNET_PREFIX}.${11 + index}`,
    /** The veth end left on the bridge, in LAN_NS. */
    lanVeth: `veth-${name}`,
    dir,
    socket: path.join(dir, 'docker.sock'),
    pidfile: path.join(dir, 'docker.pid'),
    log: path.join(dir, 'dockerd.log'),
    cgroupParent: `/${PREFIX}-${name}`,
  };
}

export const hosts = () => HOST_NAMES.map(hostLayout);

/** The store's files: data, config and log. */
export function storeLayout(kind) {
  const dir = path.join(LAB_DIR, kind);
  return { kind, dir, log: path.join(dir, `${kind}.log`), pidfile: path.join(dir, `${kind}.pid`) };
}

export function storeUrl(kind) {
  if (kind === 'swarm') return undefined;
  return kind === 'zookeeper' ? `zk://${LAN_IP}:${ZK_PORT}` : `etcd://${LAN_IP}:${ETCD_PORT}`;
}

/** Records what `up` built (store kind), so `status`/`down` and a second `up` know. */
export const STATE_FILE = path.join(LAB_DIR, 'lab.json');

function labId(text) {
  if (text === undefined || text === '') return 0;
  if (!/^[0-9]$/.test(text)) throw new Error(`DNELAB_ID=${text}: give one digit, 0 (the default lab) to 9`);
  return Number(text);
}
