// The LAN: a `dnelab-lan` namespace holding bridge br0 (the switch), and per host a namespace
// whose eth0 is one end of a veth pair, the other end plugged into br0. The root namespace gets
// one thing only: its own port on the LAN (dnelab-root, 192.168.77.254/24, hence a connected
// route to the /24), so the extension can probe the store and the advertise addresses. No default
// route, no iptables rule; the machine's interfaces and docker0 are never touched, and deleting
// the namespaces removes the bridge and every veth with them (dnelab-root is deleted first anyway).
import * as fs from 'node:fs';
import { BRIDGE, LAN_IP, LAN_NS, ROOT_IP, ROOT_LAN_PORT, ROOT_LINK, SUBNET_PREFIX, hosts } from './config.mjs';
import { sh } from './proc.mjs';

const ip = (...args) => sh('ip', args);
const inNs = (ns, ...args) => sh('ip', ['-n', ns, ...args]);

export const netnsExists = (name) => fs.existsSync(`/run/netns/${name}`);

/**
 * The subnet must be free in the root namespace, as an address or a route: the lab adds its own
 * address and connected route there, and a clash would send the probes elsewhere. A wider route
 * that covers it (a Docker network on 192.168.64.0/20, say) is not refused: the lab's /24 wins
 * by prefix length while it is up; returns a warning naming it.
 */
export function checkSubnetFree() {
  const used = `${sh('ip', ['-4', '-o', 'addr']).stdout}${sh('ip', ['-4', 'route', 'show', 'table', 'all']).stdout}`;
  const clash = used.split('\n').filter((line) => line.includes(` ${SUBNET_PREFIX}.`) || line.startsWith(`${SUBNET_PREFIX}.`));
  if (clash.length) throw new Error(`${SUBNET_PREFIX}.0/24 is already used here:\n${clash.join('\n')}`);
  const covering = sh('ip', ['-4', 'route', 'show'])
    .stdout.split('\n')
    .filter((line) => coversLab(line.split(' ')[0]));
  return covering.map(
    (route) => `the route "${route.trim()}" covers ${SUBNET_PREFIX}.0/24: while the lab is up, those addresses go to the lab`,
  );
}

const toNumber = (ip) => ip.split('.').reduce((sum, part) => sum * 256 + Number(part), 0);

/** A prefix shorter than /24 (but not the default route) that contains the lab's /24. */
function coversLab(cidr) {
  const match = /^(\d+\.\d+\.\d+\.\d+)\/(\d+)$/.exec(cidr ?? '');
  if (!match || Number(match[2]) === 0 || Number(match[2]) >= 24) return false;
  const size = 2 ** (32 - Number(match[2]));
  return Math.floor(toNumber(`${SUBNET_PREFIX}.0`) / size) === Math.floor(toNumber(match[1]) / size);
}

function ensureNetns(name) {
  if (!netnsExists(name)) ip('netns', 'add', name);
  // A new namespace's loopback is down; etcd's peer URL and dockerd's own calls need it.
  inNs(name, 'link', 'set', 'lo', 'up');
}

function linkExists(ns, link) {
  const where = ns ? ['-n', ns] : [];
  return sh('ip', [...where, 'link', 'show', link], { allowFail: true }).status === 0;
}

/** A per-interface sysctl of our own link (never a machine-wide one). */
function setLinkSysctl(family, link, key, value) {
  fs.writeFileSync(`/proc/sys/net/${family}/conf/${link}/${key}`, `${value}\n`);
}

/** The root namespace's port on br0; returns what it had to create. */
function ensureRootLink() {
  const created = [];
  if (!linkExists(undefined, ROOT_LINK)) {
    if (linkExists(LAN_NS, ROOT_LAN_PORT)) inNs(LAN_NS, 'link', 'del', ROOT_LAN_PORT);
    ip('link', 'add', ROOT_LINK, 'type', 'veth', 'peer', 'name', ROOT_LAN_PORT, 'netns', LAN_NS);
    created.push(`${ROOT_LINK}<->${LAN_NS}:${ROOT_LAN_PORT}`);
  }
  // Before it comes up: no IPv6 link-local chatter (router solicitations, DAD) onto the LAN, and
  // nothing arriving from the lab is routed on by the root namespace (docker enables forwarding).
  setLinkSysctl('ipv6', ROOT_LINK, 'disable_ipv6', 1);
  setLinkSysctl('ipv4', ROOT_LINK, 'forwarding', 0);
  ip('addr', 'replace', `${ROOT_IP}/24`, 'dev', ROOT_LINK);
  ip('link', 'set', ROOT_LINK, 'up');
  inNs(LAN_NS, 'link', 'set', ROOT_LAN_PORT, 'master', BRIDGE, 'up');
  return created;
}

/** Builds (or completes) the LAN; returns what it had to create. */
export function ensureLan() {
  const created = [];
  if (!netnsExists(LAN_NS)) created.push(LAN_NS);
  ensureNetns(LAN_NS);
  if (!linkExists(LAN_NS, BRIDGE)) {
    inNs(LAN_NS, 'link', 'add', BRIDGE, 'type', 'bridge');
    inNs(LAN_NS, 'addr', 'add', `${LAN_IP}/24`, 'dev', BRIDGE);
    created.push(BRIDGE);
  }
  inNs(LAN_NS, 'link', 'set', BRIDGE, 'up');
  for (const host of hosts()) {
    if (!netnsExists(host.netns)) created.push(host.netns);
    ensureNetns(host.netns);
    if (!linkExists(host.netns, 'eth0')) {
      // A half-made pair (eth0 missing) is replaced whole.
      if (linkExists(LAN_NS, host.lanVeth)) inNs(LAN_NS, 'link', 'del', host.lanVeth);
      inNs(LAN_NS, 'link', 'add', host.lanVeth, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', host.netns);
      inNs(host.netns, 'addr', 'add', `${host.ip}/24`, 'dev', 'eth0');
      created.push(`${host.lanVeth}<->${host.netns}:eth0`);
    }
    inNs(LAN_NS, 'link', 'set', host.lanVeth, 'master', BRIDGE, 'up');
    inNs(host.netns, 'link', 'set', 'eth0', 'up');
    // No default route: nothing from the lab can leave it. The store is on the LAN itself.
  }
  return [...created, ...ensureRootLink()];
}

/** Deletes the lab's namespaces (and with them br0 and the veths); returns those deleted. */
export function deleteLan() {
  const deleted = [];
  // Goes with dnelab-lan (a veth pair dies whole), but not if that namespace was already gone.
  if (linkExists(undefined, ROOT_LINK)) {
    ip('link', 'del', ROOT_LINK);
    deleted.push(ROOT_LINK);
  }
  for (const name of [...hosts().map((host) => host.netns), LAN_NS]) {
    if (!netnsExists(name)) continue;
    ip('netns', 'del', name);
    deleted.push(name);
  }
  return deleted;
}

/** Lab namespaces that exist now. */
export const labNamespaces = () => [LAN_NS, ...hosts().map((host) => host.netns)].filter(netnsExists);

/** Lab links left in the root namespace. */
export const labRootLinks = () => [ROOT_LINK].filter((link) => linkExists(undefined, link));
