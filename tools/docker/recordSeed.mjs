#!/usr/bin/env node
// Records what a real daemon answers for a small seed, as a unit-test fixture of that engine:
// `GET /version`, `GET /networks`, `GET /containers/json?all=1` and the container inspects.
//
//   sudo DNE_ENGINE=26 tools/docker/ensureDockerd.sh start   # the engine to record
//   node tools/docker/recordSeed.mjs                          # → test/unit/fixtures/engines/<engine>.json
//
// The seed: network dne-rec-tb1 (10.15.20.0/24, gateway .1, ip-range .128/25); dne-rec-w1 (httpd,
// alias webone, 8081→80, also on bridge); dne-rec-w2 (link dne-rec-w1:wone); dne-rec-w3 created on
// dne-rec-tb1 with alias three and stopped (26 answers its Aliases null and its DNSNames anyway).
// Everything made is removed afterwards. Only the seed's networks and containers are kept.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import Dockerode from 'dockerode';
import { ensureBusyboxImage } from './busyboxImage.mjs';
import { normalizeEngine } from './engines.mjs';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const P = 'dne-rec-';
const IMAGE = 'dne-busybox:record';
const docker = new Dockerode({ socketPath: process.env.DOCKER_HOST?.replace(/^unix:\/\//, '') || '/var/run/docker.sock' });

async function cleanup() {
  for (const name of ['w1', 'w2', 'w3'])
    await docker
      .getContainer(P + name)
      .remove({ force: true })
      .catch(() => undefined);
  await docker
    .getNetwork(`${P}tb1`)
    .remove()
    .catch(() => undefined);
}

async function main() {
  const version = await docker.version();
  const engine = normalizeEngine(version.Version);
  await cleanup();
  await ensureBusyboxImage(docker, { image: IMAGE, indexHtml: '<p>record</p>\n' });
  try {
    await docker.createNetwork({
      Name: `${P}tb1`,
      CheckDuplicate: true,
      IPAM: { Driver: 'default', Config: [{ Subnet: '10.15.20.0/24', Gateway: '10.15.20.1', IPRange: '10.15.20.128/25' }] },
    });
    const create = (name, network, endpoint, extra = {}) =>
      docker.createContainer({
        name: P + name,
        Image: IMAGE,
        Cmd: ['httpd', '-f', '-p', '80', '-h', '/www'],
        HostConfig: { NetworkMode: network, ...extra.HostConfig },
        ExposedPorts: extra.ExposedPorts,
        NetworkingConfig: { EndpointsConfig: { [network]: endpoint } },
      });
    const w1 = await create(
      'w1',
      `${P}tb1`,
      { Aliases: ['webone'] },
      { ExposedPorts: { '80/tcp': {} }, HostConfig: { PortBindings: { '80/tcp': [{ HostPort: '8081' }] } } },
    );
    await docker.getNetwork('bridge').connect({ Container: w1.id });
    await w1.start();
    const w2 = await create('w2', `${P}tb1`, { Links: [`${P}w1:wone`] });
    await w2.start();
    const w3 = await create('w3', `${P}tb1`, { Aliases: ['three'] });
    await w3.start();
    await w3.stop({ t: 0 });
    const ids = new Set([w1.id, w2.id, w3.id]);
    const networks = (await docker.listNetworks()).filter((n) => ['bridge', 'host', 'none', `${P}tb1`].includes(n.Name));
    const containers = (await docker.listContainers({ all: true })).filter((c) => ids.has(c.Id));
    const inspects = [];
    for (const id of ids) {
      const inspect = await docker.getContainer(id).inspect();
      inspects.push({
        Id: inspect.Id,
        Name: inspect.Name,
        State: { Status: inspect.State.Status },
        HostConfig: { NetworkMode: inspect.HostConfig.NetworkMode },
        NetworkSettings: { Networks: inspect.NetworkSettings.Networks },
      });
    }
    const fixture = {
      recorded: `${new Date().toISOString().slice(0, 10)} from dockerd ${version.Version} (API ${version.ApiVersion}) by tools/docker/recordSeed.mjs`,
      version: { Version: version.Version, ApiVersion: version.ApiVersion, MinAPIVersion: version.MinAPIVersion },
      networks,
      containers,
      inspects,
    };
    const file = path.join(repo, 'test', 'unit', 'fixtures', 'engines', `${engine}.json`);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, `${JSON.stringify(fixture, null, 1)}\n`);
    console.log(
      `recorded ${networks.length} networks, ${containers.length} containers from ${version.Version} into ${path.relative(repo, file)}`,
    );
  } finally {
    await cleanup();
  }
}

main().catch((error) => {
  console.error(`[record] ${error.message}`);
  process.exit(1);
});
