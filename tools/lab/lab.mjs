#!/usr/bin/env node
// `npm run lab -- up [--store etcd|zookeeper | --swarm] [--engine 20.10|26] | down | status`: three Docker hosts (docker1..3)
// on this machine, each a dockerd in its own network namespace on a private LAN, sharing one
// cluster store, with the seed's overlay and containers. Needs root. See tools/lab/index.mjs.
// To break it on purpose: `restart docker2 [--advertise eth9:2376] [--store etcd://…:2399]` (no
// option: back to the lab's own flags) and `store stop|start`.
import { DEFAULT_LAB_DIR, LAB_DIR, LAN_IP, ROOT_IP, ROOT_LINK, hostLayout } from './config.mjs';
import { assertLabDir } from './labDir.mjs';
import { hostEntries, labDown, labStatus, labUp, restartHost, storeStart, storeStop } from './index.mjs';
import { requireRoot } from './proc.mjs';
import { describe } from './breakage.mjs';
import { firewallClear, firewallDrop, rules } from './firewall.mjs';

const [command, ...rest] = process.argv.slice(2);
const log = (line) => console.log(`[lab] ${line}`);
const option = (name) => {
  const at = rest.indexOf(`--${name}`);
  return at >= 0 ? rest[at + 1] : undefined;
};
const seconds = (since) => `${((Date.now() - since) / 1000).toFixed(1)} s`;

async function up() {
  const began = Date.now();
  const store = rest.includes('--swarm') ? 'swarm' : (option('store') ?? 'etcd');
  const result = await labUp({ store, log, engine: option('engine') });
  log(result.alreadyUp ? `already up (${result.store}); nothing to repair` : `up in ${seconds(began)} (${result.store})`);
  for (const host of result.hosts) log(`${host.name}: ${host.url}`);
  console.log('\nPaste into your VS Code settings (run VS Code as root, or make the sockets readable to you):');
  console.log(JSON.stringify({ 'dockerNetworkExplorer.hosts': hostEntries() }, null, 2));
  console.log(`\nTry: docker -H ${result.hosts[1].url} exec web2 wget -qO- http://web1/`);
  console.log(`     ip netns exec ${hostLayout('docker1').netns} curl -s http://127.0.0.1:8080/   (front, published on docker1)`);
  if (result.store !== 'swarm')
    console.log(`     curl -s http://${LAN_IP}:2379/version   (the store, from here: this namespace is ${ROOT_IP} on the LAN)`);
}

async function restart() {
  const name = rest[0];
  const overrides = { store: option('store'), advertise: option('advertise') };
  const result = await restartHost(name, overrides, { log });
  if (!result.answers) {
    log(`${name} is down on purpose; \`npm run lab -- restart ${name}\` puts it back`);
    return;
  }
  log(
    describe(overrides)
      ? `${name} runs with ${describe(overrides)}; \`npm run lab -- restart ${name}\` puts it back`
      : `${name} is back on the lab's own flags`,
  );
}

async function store() {
  const action = rest[0];
  if (action === 'stop') {
    const pid = await storeStop();
    return log(pid ? `store ${pid} stopped; the daemons keep running without it` : 'the store was not running');
  }
  if (action !== 'start') throw new Error('usage: npm run lab -- store stop|start');
  const run = await storeStart();
  log(`store ${run.started ? 'started' : 'already running'} (pid ${run.pid})`);
}

/** `firewall docker2 drop tcp 7946 | drop esp | clear`: iptables inside that host's namespace only. */
async function firewall() {
  const [name, action, protocol, port] = rest;
  hostLayout(name);
  if (action === 'clear') {
    firewallClear(name);
    return log(`${name}: the lab's firewall rules removed`);
  }
  if (action !== 'drop' || !['tcp', 'udp', 'esp'].includes(protocol) || (protocol !== 'esp' && !/^\d+$/.test(port ?? '')))
    throw new Error('usage: npm run lab -- firewall docker1|docker2|docker3 drop tcp|udp PORT | drop esp | clear');
  for (const rule of firewallDrop(name, { protocol, port: protocol === 'esp' ? undefined : Number(port) })) log(`${name}: ${rule}`);
}

async function status() {
  const s = await labStatus();
  if (!s.up && s.namespaces.length === 0 && s.processes === 0) return log('down (nothing of the lab exists)');
  if (s.engine) log(`engine: Docker ${s.engine}`);
  if (s.mode === 'swarm') log('mode: swarm (no cluster store)');
  if (s.store) {
    const run = s.store.alive ? `pid ${s.store.pid}, ${s.store.answers ? 'answering' : 'NOT answering'}` : 'NOT running';
    log(`store: ${s.store.kind} ${s.storeUrl} ${run}`);
  }
  if (s.rootAddress) log(`this namespace is on the LAN as ${s.rootAddress} (${ROOT_LINK})`);
  for (const h of s.hosts) {
    const daemon = h.alive ? `pid ${h.pid} alive` : 'not running';
    const flags = s.overrides[h.name] ? ` [restarted with ${describe(s.overrides[h.name])}]` : '';
    const dropped = s.namespaces.includes(hostLayout(h.name).netns) ? rules(h.name) : [];
    const firewalled = dropped.length ? ` [firewall: ${dropped.join('; ')}]` : '';
    log(`${h.name}: dockerd ${daemon}, ${h.socket}, ${h.answers ? `${h.networks} networks` : 'not answering'}${flags}${firewalled}`);
  }
  log(`namespaces: ${s.namespaces.join(' ') || 'none'}; lab processes: ${s.processes}`);
}

async function down() {
  const began = Date.now();
  const left = await labDown({ log });
  const problems = [
    ...left.processes.map((p) => `process ${p.pid}: ${p.cmdline}`),
    ...left.namespaces.map((n) => `namespace ${n}`),
    ...left.links.map((l) => `link ${l} in the root namespace`),
    ...left.cgroups.map((c) => `cgroup ${c}`),
    ...(left.labDir ? [LAB_DIR] : []),
  ];
  if (problems.length) throw new Error(`down left these behind:\n${problems.join('\n')}`);
  log(`down in ${seconds(began)}; nothing left behind`);
}

const commands = { up, down, status, restart, store, firewall };
const USAGE = `usage: npm run lab -- up [--store etcd|zookeeper | --swarm] | down | status
       npm run lab -- restart docker1|docker2|docker3 [--store URL] [--advertise IFACE:PORT]
       npm run lab -- store stop|start
       npm run lab -- firewall docker1|docker2|docker3 drop tcp|udp PORT | drop esp | clear`;
try {
  if (!commands[command]) throw new Error(USAGE);
  requireRoot();
  // restart and store stop/start remove and start things under the lab's directory too (down checks for itself).
  if (command === 'restart' || command === 'store' || command === 'firewall') assertLabDir(LAB_DIR, { legacyDir: DEFAULT_LAB_DIR });
  await commands[command]();
} catch (error) {
  console.error(`[lab] ${error.message}`);
  process.exit(1);
}
