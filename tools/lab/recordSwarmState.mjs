#!/usr/bin/env node
// Records what each host of the swarm lab answers right now, as the swarm doctor's unit fixture
// of one state (test/fixtures/swarm/README.md says what each holds and how it was broken):
//
//   export DNELAB_ID=N; npm run lab -- up --swarm [--engine 26]
//   … break the lab (stop a host, lock one) …
//   node tools/lab/recordSwarmState.mjs <state>     # → test/fixtures/swarm/<engine>/<state>.json
//
// Per host: GET /info cut to Name, ServerVersion and the Swarm fields the doctor reads (null: no
// answer), and GET /nodes as status and body (Description cut to Hostname; status 0: no answer).
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { HOST_NAMES, hostLayout } from './config.mjs';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const state = process.argv[2];
if (!state || !/^[\w-]+$/.test(state)) {
  console.error('usage: node tools/lab/recordSwarmState.mjs <state>   (a name like docker2-locked)');
  process.exit(2);
}

/** GET on a host's socket: status and parsed body; status 0 and null when it does not answer in 20 s. */
function get(name, urlPath) {
  return new Promise((resolve) => {
    const request = http.get({ socketPath: hostLayout(name).socket, path: urlPath, timeout: 20_000 }, (response) => {
      let text = '';
      response.setEncoding('utf8');
      response.on('data', (chunk) => (text += chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body: JSON.parse(text) }));
    });
    request.on('timeout', () => request.destroy(new Error('timeout')));
    request.on('error', () => resolve({ status: 0, body: null }));
  });
}

const pick = (object, keys) => Object.fromEntries(keys.filter((key) => object?.[key] !== undefined).map((key) => [key, object[key]]));

function cutInfo(info) {
  const swarm = info.Swarm ?? {};
  return {
    Name: info.Name,
    ServerVersion: info.ServerVersion,
    Swarm: {
      ...pick(swarm, ['NodeID', 'NodeAddr', 'LocalNodeState', 'ControlAvailable', 'Error', 'RemoteManagers', 'Nodes', 'Managers']),
      ...(swarm.Cluster ? { Cluster: pick(swarm.Cluster, ['ID', 'DefaultAddrPool', 'SubnetSize', 'DataPathPort']) } : {}),
    },
  };
}

const cutNode = (node) => ({
  ID: node.ID,
  Description: { Hostname: node.Description?.Hostname },
  Status: pick(node.Status, ['State', 'Addr', 'Message']),
  ...(node.ManagerStatus ? { ManagerStatus: node.ManagerStatus } : {}),
});

const recorded = {};
let engine = '';
for (const name of HOST_NAMES) {
  const info = await get(name, '/info');
  const nodes = info.status === 200 ? await get(name, '/nodes') : { status: 0, body: null };
  if (info.status === 200) engine ||= info.body.ServerVersion.startsWith('20.10') ? '20.10' : info.body.ServerVersion.split('.')[0];
  recorded[name] = {
    info: info.status === 200 ? cutInfo(info.body) : null,
    nodes: { status: nodes.status, body: Array.isArray(nodes.body) ? nodes.body.map(cutNode) : nodes.body },
  };
}
if (!engine) {
  console.error('no lab host answered: is the swarm lab up (DNELAB_ID as when it was brought up)?');
  process.exit(1);
}
const file = path.join(repo, 'test/fixtures/swarm', engine, `${state}.json`);
fs.writeFileSync(file, `${JSON.stringify(recorded, null, 2)}\n`);
console.log(`recorded ${state} of Engine ${engine}: ${path.relative(repo, file)}`);
