#!/usr/bin/env node
// Records what the swarm lab's daemons answer, as a unit-test fixture of that engine:
//
//   export DNELAB_ID=N; npm run lab -- up --swarm [--engine 26]
//   node tools/lab/recordSwarm.mjs          # → test/unit/fixtures/engines/swarm-<engine>.json
//
// On top of the seed (multihost, multihost-internal, web1/web2/front) it makes an encrypted
// attachable overlay dne-swarmrec-enc (10.10.40.0/24) on docker3, a service dne-swarmrec-svc
// (one task) on it, dne-swarmrec-a on it from docker3, then a second dne-swarmrec-a from docker1
// (what the engine says to that is recorded too). Per host: GET /version, /info's Swarm, GET
// /networks, GET /containers/json?all=1, each container's inspect and each swarm network's
// verbose inspect. Everything it made is removed afterwards.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { IMAGE } from './config.mjs';
import { dockerFor } from './seed.mjs';
import { normalizeEngine } from '../docker/engines.mjs';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const P = 'dne-swarmrec-';
const NETWORK = `${P}enc`;
const SERVICE = `${P}svc`;
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function cleanup() {
  await dockerFor('docker3')
    .getService(SERVICE)
    .remove()
    .catch(() => undefined);
  for (const host of ['docker1', 'docker3'])
    await dockerFor(host)
      .getContainer(`${P}a`)
      .remove({ force: true })
      .catch(() => undefined);
  for (let tries = 0; tries < 30; tries++) {
    const gone = await dockerFor('docker3')
      .getNetwork(NETWORK)
      .remove()
      .then(() => true)
      .catch((error) => error.statusCode === 404);
    if (gone) return;
    await sleep(500);
  }
}

async function runOn(host, network) {
  const docker = dockerFor(host);
  const container = await docker.createContainer({
    name: `${P}a`,
    Image: IMAGE,
    Cmd: ['sleep', '3600'],
    StopTimeout: 1,
    HostConfig: { NetworkMode: network },
  });
  await container.start();
}

async function record(host) {
  const docker = dockerFor(host);
  const [version, info, networks, containers] = await Promise.all([
    docker.version(),
    docker.info(),
    docker.listNetworks(),
    docker.listContainers({ all: true }),
  ]);
  const inspects = await Promise.all(containers.map((container) => docker.getContainer(container.Id).inspect()));
  const swarmNetworks = await Promise.all(
    networks.filter((network) => network.Scope === 'swarm').map((network) => docker.getNetwork(network.Id).inspect({ verbose: true })),
  );
  return {
    version,
    swarm: info.Swarm && {
      LocalNodeState: info.Swarm.LocalNodeState,
      NodeAddr: info.Swarm.NodeAddr,
      ControlAvailable: info.Swarm.ControlAvailable,
    },
    networks,
    containers,
    inspects,
    swarmNetworks,
  };
}

async function main() {
  const engine = normalizeEngine((await dockerFor('docker3').version()).Version);
  await cleanup();
  try {
    await dockerFor('docker3').createNetwork({
      Name: NETWORK,
      Driver: 'overlay',
      CheckDuplicate: true,
      Attachable: true,
      Options: { encrypted: '' },
      IPAM: { Driver: 'default', Config: [{ Subnet: '10.10.40.0/24' }] },
    });
    await dockerFor('docker3').createService({
      Name: SERVICE,
      TaskTemplate: {
        ContainerSpec: { Image: IMAGE, Command: ['sleep', '3600'] },
        Networks: [{ Target: NETWORK }],
        Placement: { Constraints: ['node.hostname==docker3'] },
      },
      Mode: { Replicated: { Replicas: 1 } },
    });
    await runOn('docker3', NETWORK);
    let clash;
    try {
      await runOn('docker1', NETWORK);
      clash = { accepted: true };
    } catch (error) {
      clash = { accepted: false, error: error.json?.message ?? error.message };
    }
    // The service's task reaches "running" within seconds (the image is on docker3 already).
    for (let tries = 0; tries < 60; tries++) {
      const tasks = await dockerFor('docker3').listTasks({ filters: JSON.stringify({ service: [SERVICE], 'desired-state': ['running'] }) });
      if (tasks.some((task) => task.Status?.State === 'running')) break;
      await sleep(500);
    }
    const hosts = {};
    for (const host of ['docker1', 'docker2', 'docker3']) hosts[host] = await record(host);
    const fixture = {
      recorded: `${new Date().toISOString().slice(0, 10)} from the swarm lab on dockerd ${hosts.docker3.version.Version} by tools/lab/recordSwarm.mjs`,
      clash,
      hosts,
    };
    const file = path.join(repo, 'test/unit/fixtures/engines', `swarm-${engine}.json`);
    fs.writeFileSync(file, `${JSON.stringify(fixture, null, 1)}\n`);
    console.log(`recorded ${file} (second ${P}a from docker1: ${clash.accepted ? 'accepted' : `refused: ${clash.error}`})`);
  } finally {
    await cleanup();
  }
}

await main();
