#!/usr/bin/env node
// `npm run lab -- up [--store etcd|zookeeper | --swarm] | down | status`: three Docker hosts (docker1..3)
// on this machine, each a dockerd in its own network namespace on a private LAN, sharing one
// cluster store, with the seed's overlay and containers. Needs root. See tools/lab/index.mjs.
import { LAB_DIR } from './config.mjs';
import { hostEntries, labDown, labStatus, labUp, requireRoot } from './index.mjs';

const [command, ...rest] = process.argv.slice(2);
const log = (line) => console.log(`[lab] ${line}`);
const option = (name) => {
  const at = rest.indexOf(`--${name}`);
  return at >= 0 ? rest[at + 1] : undefined;
};
const seconds = (since) => `${((Date.now() - since) / 1000).toFixed(1)} s`;

async function up() {
  const began = Date.now();
  const store = rest.includes('--swarm') ? 'swarm' : option('store') ?? 'etcd';
  const result = await labUp({ store, log });
  log(result.alreadyUp ? `already up (${result.store}); nothing to repair` : `up in ${seconds(began)} (${result.store})`);
  for (const host of result.hosts) log(`${host.name}: ${host.url}`);
  console.log('\nPaste into your VS Code settings (run VS Code as root, or make the sockets readable to you):');
  console.log(JSON.stringify({ 'dockerNetworkExplorer.hosts': hostEntries() }, null, 2));
  console.log(`\nTry: docker -H ${result.hosts[1].url} exec web2 wget -qO- http://web1/`);
  console.log('     ip netns exec dnelab-docker1 curl -s http://127.0.0.1:8080/   (front, published on docker1)');
}

async function status() {
  const s = await labStatus();
  if (!s.up && s.namespaces.length === 0 && s.processes === 0) return log('down (nothing of the lab exists)');
  if (s.mode === 'swarm') log('mode: swarm (no cluster store)');
  if (s.store) {
    const run = s.store.alive ? `pid ${s.store.pid}, ${s.store.answers ? 'answering' : 'NOT answering'}` : 'NOT running';
    log(`store: ${s.store.kind} ${s.storeUrl} ${run}`);
  }
  for (const h of s.hosts) {
    const daemon = h.alive ? `pid ${h.pid} alive` : 'not running';
    log(`${h.name}: dockerd ${daemon}, ${h.socket}, ${h.answers ? `${h.networks} networks` : 'not answering'}`);
  }
  log(`namespaces: ${s.namespaces.join(' ') || 'none'}; lab processes: ${s.processes}`);
}

async function down() {
  const began = Date.now();
  const left = await labDown({ log });
  const problems = [
    ...left.processes.map((p) => `process ${p.pid}: ${p.cmdline}`),
    ...left.namespaces.map((n) => `namespace ${n}`),
    ...left.cgroups.map((c) => `cgroup ${c}`),
    ...(left.labDir ? [LAB_DIR] : []),
  ];
  if (problems.length) throw new Error(`down left these behind:\n${problems.join('\n')}`);
  log(`down in ${seconds(began)}; nothing left behind`);
}

const commands = { up, down, status };
try {
  if (!commands[command]) throw new Error('usage: npm run lab -- up [--store etcd|zookeeper | --swarm] | down | status');
  requireRoot();
  await commands[command]();
} catch (error) {
  console.error(`[lab] ${error.message}`);
  process.exit(1);
}
