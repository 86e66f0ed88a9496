#!/usr/bin/env node
// Records a real daemon's events for a short scenario, with what the monitor reads for each (the
// list entry by ID and the inspect of the container an event names, a new network's list entry)
// and the full lists after each step: the unit tests of the in-place step (applyEvent.ts) replay
// them and compare with a full build.
//
//   node tools/docker/recordEvents.mjs          # the daemon of DOCKER_HOST (default socket)
//   → test/unit/fixtures/events/<engine>.json
//
// Engine 26 from a private dockerd: start one (test/support/dockerFixture.ts PrivateDockerd, with
// `node tools/docker/engines.mjs bin 26` first on PATH) and point DOCKER_HOST at its socket.
// Steps: network create; container create (not started) and start; a second network; connect
// with an alias; rename; disconnect; stop; start; remove (forced); networks removed. Only the
// scenario's own networks, containers and events are kept. Everything made is removed.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import Dockerode from 'dockerode';
import { ensureBusyboxImage } from './busyboxImage.mjs';
import { normalizeEngine } from './engines.mjs';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const P = 'dne-recev-';
const IMAGE = 'dne-busybox:record';
const docker = new Dockerode({ socketPath: process.env.DOCKER_HOST?.replace(/^unix:\/\//, '') || '/var/run/docker.sock' });
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function cleanup() {
  for (const name of ['c1', 'c1b'])
    await docker
      .getContainer(P + name)
      .remove({ force: true })
      .catch(() => undefined);
  for (const name of ['n1', 'n2'])
    await docker
      .getNetwork(P + name)
      .remove()
      .catch(() => undefined);
}

async function inspectOrNull(id) {
  try {
    return await docker.getContainer(id).inspect();
  } catch (error) {
    if (error.statusCode === 404) return null;
    throw error;
  }
}

async function main() {
  const version = await docker.version();
  const engine = normalizeEngine(version.Version);
  await cleanup();
  await ensureBusyboxImage(docker, { image: IMAGE, indexHtml: '<p>record</p>\n' });
  const lines = [];
  const stream = await docker.getEvents({ filters: { type: ['network', 'container'] } });
  let buffer = '';
  stream.on('data', (chunk) => {
    buffer += chunk.toString();
    for (let nl = buffer.indexOf('\n'); nl >= 0; nl = buffer.indexOf('\n')) {
      lines.push(buffer.slice(0, nl));
      buffer = buffer.slice(nl + 1);
    }
  });
  const ids = { networks: new Set(), containers: new Set() };
  const steps = [];
  const step = async (name, run) => {
    await run();
    await sleep(500);
    const events = lines.splice(0).filter((line) => {
      const event = JSON.parse(line);
      const attributes = event.Actor?.Attributes ?? {};
      return ids.networks.has(event.Actor?.ID) || ids.containers.has(event.Actor?.ID) || ids.containers.has(attributes.container);
    });
    // What the monitor reads for each subject the events name, read once the step is done.
    const containers = {};
    const networks = {};
    for (const line of events) {
      const event = JSON.parse(line);
      const container = event.Type === 'container' ? event.Actor.ID : event.Actor.Attributes?.container;
      if (container && !(container in containers)) {
        const [listed, inspect] = [
          await docker.listContainers({ all: true, filters: { id: [container] } }),
          await inspectOrNull(container),
        ];
        containers[container] = { list: listed, inspect };
      }
      if (event.Type === 'network' && event.Action === 'create')
        networks[event.Actor.ID] = await docker.listNetworks({ filters: { id: [event.Actor.ID] } });
    }
    const after = {
      networks: (await docker.listNetworks()).filter((network) => ids.networks.has(network.Id)),
      containers: (await docker.listContainers({ all: true })).filter((container) => ids.containers.has(container.Id)),
    };
    after.inspects = [];
    for (const container of after.containers) after.inspects.push(await docker.getContainer(container.Id).inspect());
    steps.push({ name, events, answers: { containers, networks }, after });
    console.error(`[record] ${name}: ${events.length} events`);
  };
  try {
    let n1;
    let n2;
    let c1;
    await step('network create n1', async () => {
      n1 = await docker.createNetwork({ Name: `${P}n1`, CheckDuplicate: true });
      ids.networks.add(n1.id);
    });
    await step('container create c1 on n1 (not started)', async () => {
      c1 = await docker.createContainer({ name: `${P}c1`, Image: IMAGE, Cmd: ['sleep', '86400'], HostConfig: { NetworkMode: `${P}n1` } });
      ids.containers.add(c1.id);
    });
    await step('start c1', () => c1.start());
    await step('network create n2', async () => {
      n2 = await docker.createNetwork({ Name: `${P}n2`, CheckDuplicate: true });
      ids.networks.add(n2.id);
    });
    await step('connect c1 to n2 with alias two', () => n2.connect({ Container: c1.id, EndpointConfig: { Aliases: ['two'] } }));
    await step('rename c1 to c1b', () => c1.rename({ name: `${P}c1b` }));
    await step('disconnect c1b from n2', () => n2.disconnect({ Container: c1.id }));
    await step('stop c1b', () => c1.stop({ t: 0 }));
    await step('start c1b', () => c1.start());
    await step('remove c1b (forced)', () => c1.remove({ force: true }));
    await step('remove n2 and n1', async () => {
      await n2.remove();
      await n1.remove();
    });
    const fixture = {
      recorded: `${new Date().toISOString().slice(0, 10)} from dockerd ${version.Version} (API ${version.ApiVersion}) by tools/docker/recordEvents.mjs`,
      steps,
    };
    const file = path.join(repo, 'test', 'unit', 'fixtures', 'events', `${engine}.json`);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, `${JSON.stringify(fixture, null, 1)}\n`);
    console.log(`recorded ${steps.length} steps from ${version.Version} into ${path.relative(repo, file)}`);
  } finally {
    stream.destroy();
    await cleanup();
  }
}

main().catch((error) => {
  console.error(`[record] ${error.message}`);
  process.exit(1);
});
