// The LAN: a `dnelab-lan` namespace holding bridge br0 (the switch), and per host a namespace
// whose eth0 is one end of a veth pair, the other end plugged into br0. Nothing is added to the
// root namespace, so the machine's own interfaces, docker0 and iptables are never touched, and
// deleting the namespaces removes the bridge and every veth with them.
import * as fs from 'node:fs';
import { BRIDGE, LAN_IP, LAN_NS, SUBNET_PREFIX, hosts } from './config.mjs';
import { sh } from './proc.mjs';

const ip = (...args) => sh('ip', args);
const inNs = (ns, ...args) => sh('ip', ['-n', ns, ...args]);

export const netnsExists = (name) => fs.existsSync(`/run/netns/${name}`);

/** The subnet must be free in the root namespace (a clash would make the lab ambiguous). */
export function checkSubnetFree() {
  const used = sh('ip', ['-4', '-o', 'addr']).stdout;
  if (used.includes(` ${SUBNET_PREFIX}.`)) throw new Error(`${SUBNET_PREFIX}.0/24 is already used here:\n${used}`);
}

function ensureNetns(name) {
  if (!netnsExists(name)) ip('netns', 'add', name);
  // A new namespace's loopback is down; etcd's peer URL and dockerd's own calls need it.
  inNs(name, 'link', 'set', 'lo', 'up');
}

function linkExists(ns, link) {
  return sh('ip', ['-n', ns, 'link', 'show', link], { allowFail: true }).status === 0;
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
  return created;
}

/** Deletes the lab's namespaces (and with them br0 and the veths); returns those deleted. */
export function deleteLan() {
  const deleted = [];
  for (const name of [...hosts().map((host) => host.netns), LAN_NS]) {
    if (!netnsExists(name)) continue;
    ip('netns', 'del', name);
    deleted.push(name);
  }
  return deleted;
}

/** Lab namespaces that exist now. */
export const labNamespaces = () => [LAN_NS, ...hosts().map((host) => host.netns)].filter(netnsExists);
