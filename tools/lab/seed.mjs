// The seed scenario on the lab: an overlay created on docker3 and seen by all three hosts, an
// internal overlay beside it, web1 (docker3) and web2 (docker2) serving pages to each other by
// name across hosts, and `front` on docker1 joining the overlay to docker1's default bridge
// through a published port. Each step checks first, so running it again repairs what is missing.
import Dockerode from 'dockerode';
import { ensureBusyboxImage } from '../docker/busyboxImage.mjs';
import { IMAGE, INDEX_HTML, hostLayout } from './config.mjs';
import { unreachableContainers } from './health.mjs';
import { sleep } from './proc.mjs';

export const LABEL = 'dnelab';
export const NETWORKS = [
  { name: 'multihost', subnet: '10.10.10.0/24', createdOn: 'docker3', internal: false },
  { name: 'multihost-internal', subnet: '10.10.20.0/24', createdOn: 'docker1', internal: true },
];
/** Each httpd serves a page naming itself, so an answer proves which container replied. */
export const CONTAINERS = [
  { name: 'web1', host: 'docker3', networks: ['multihost', 'multihost-internal'] },
  { name: 'web2', host: 'docker2', networks: ['multihost', 'multihost-internal'] },
  { name: 'front', host: 'docker1', networks: ['bridge', 'multihost'], publish: { container: 80, host: 8080 } },
];
export const pageOf = (container) => `${container.name} on ${container.host}\n`;

// A bound on every call: a hung daemon must not hang `up` or `down` with it.
export const dockerFor = (hostName) => new Dockerode({ socketPath: hostLayout(hostName).socket, timeout: 30_000 });

/**
 * Creates what is missing; returns how many things it had to create or start. With ZooKeeper
 * the containers are left out: dockerd 20.10 panics on the first endpoint of a global network
 * (libnetwork `(*endpointCnt).Key` on nil, from processEndpointCreate's watch), seen here every time.
 */
export async function ensureSeed(log, { containers = true, restartHost, swarm = false } = {}) {
  let changes = 0;
  const names = [...new Set(CONTAINERS.map((c) => c.host).concat(NETWORKS.map((n) => n.createdOn)))];
  await Promise.all(names.map((name) => ensureBusyboxImage(dockerFor(name), { image: IMAGE, indexHtml: INDEX_HTML })));
  log(`image ${IMAGE} present on ${names.join(', ')}`);
  for (const network of NETWORKS) {
    const created = await ensureNetwork(network, swarm);
    if (created) changes++;
    // The other hosts learn it from the store: wait until each lists it before using it there.
    await Promise.all(['docker1', 'docker2', 'docker3'].map((host) => waitForNetwork(host, network.name)));
    log(
      `overlay ${network.name} ${network.subnet}${network.internal ? ' (internal)' : ''}: ${created ? `created on ${network.createdOn}` : 'already there'}, seen on all hosts`,
    );
  }
  if (!containers) {
    log('containers skipped: with a ZooKeeper store dockerd 20.10 panics when a container joins an overlay');
    return changes;
  }
  for (const container of CONTAINERS) {
    const outcome = await ensureContainerOnSwarm(container, swarm, log).catch(async (error) => {
      // A daemon that came back after a hard kill can keep a dead overlay sandbox in memory
      // ("could not get network sandbox (oper true)"); a clean restart of it clears that.
      if (!restartHost || !/network sandbox join failed/.test(error.message)) throw error;
      log(`${container.name} on ${container.host}: ${error.message.trim()}; restarting ${container.host}'s dockerd`);
      await restartHost(container.host);
      return ensureContainerOnSwarm(container, swarm, log);
    });
    if (outcome !== 'already running') changes++;
    log(`${container.name} on ${container.host}: ${outcome}`);
  }
  return changes + (await repairUnreachable(log, restartHost, swarm));
}

/**
 * Recreates containers that reach no peer over the overlay; if that does not help, restarts
 * their daemon cleanly once (seen once in CI: web1 on docker3 stayed cut off after a recreate);
 * throws if even that does not help.
 */
async function repairUnreachable(log, restartHost, swarm) {
  const broken = await unreachableContainers(CONTAINERS, 'multihost', dockerFor);
  if (broken.length === 0) {
    log('every seed container reaches the others by name over multihost');
    return 0;
  }
  for (const spec of broken) {
    log(`${spec.name} on ${spec.host} reaches no peer over multihost: recreating it`);
    await dockerFor(spec.host).getContainer(spec.name).remove({ force: true });
    // On swarm, a recreate meets Engine 25+'s network-mode refusal as any start does.
    await ensureContainerOnSwarm(spec, swarm, log);
  }
  let still = await unreachableContainers(CONTAINERS, 'multihost', dockerFor, 10);
  if (still.length && restartHost) {
    for (const host of new Set(still.map((spec) => spec.host))) {
      log(
        `${still
          .filter((spec) => spec.host === host)
          .map((spec) => spec.name)
          .join(', ')} on ${host} still cut off: restarting ${host}'s dockerd`,
      );
      await restartHost(host);
    }
    for (const spec of still) await ensureContainerOnSwarm(spec, swarm, log);
    still = await unreachableContainers(CONTAINERS, 'multihost', dockerFor, 10);
  }
  if (still.length)
    throw new Error(
      `still unreachable over multihost: ${still.map((s) => `${s.name} on ${s.host}`).join(', ')}; try \`npm run lab -- down\` and \`up\``,
    );
  return broken.length;
}

async function findNetwork(docker, name) {
  return (await docker.listNetworks({ filters: JSON.stringify({ name: [name] }) })).find((n) => n.Name === name);
}

async function ensureNetwork(network, swarm) {
  const docker = dockerFor(network.createdOn);
  if (await findNetwork(docker, network.name)) return false;
  await docker.createNetwork({
    Name: network.name,
    Driver: 'overlay',
    CheckDuplicate: true,
    Internal: network.internal,
    // On a swarm only an attachable overlay takes plain containers (not services).
    Attachable: swarm || undefined,
    Labels: { [LABEL]: 'seed' },
    IPAM: { Driver: 'default', Config: [{ Subnet: network.subnet }] },
  });
  return true;
}

async function waitForNetwork(host, name, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await findNetwork(dockerFor(host), name))) {
    if (Date.now() > deadline) throw new Error(`${host} does not list overlay ${name} after ${timeoutMs} ms`);
    await sleep(200);
  }
}

/**
 * Engine 25+ refuses, now and then, to start a container on an attachable swarm overlay that it
 * also joins to a second overlay: "could not find a network matching network mode multihost:
 * network multihost not found". Docker's fault, not the lab's (moby daemon/container_operations.go:
 * connectToNetwork → normalizeNetMode looks the container's first network up among the networks
 * this node has attached while it joins the others, in Go's random map order; when the second
 * network comes first and nothing else on the node uses the first, the start fails; after a
 * dockerd restart it then stays `exited`, since dockerd tries once). Seen on `up` about once in
 * three runs, and by DNE240. The sure way round it, the one DNE240 names: join the first network
 * alone, start, then connect the others again.
 */
async function ensureContainerOnSwarm(spec, swarm, log) {
  try {
    return await ensureContainer(spec);
  } catch (error) {
    if (!swarm || !/could not find a network matching network mode/.test(error.message)) throw error;
    log(`${spec.name} on ${spec.host}: ${error.message.trim()}; starting it on ${spec.networks[0]} alone, then connecting the others`);
    const docker = dockerFor(spec.host);
    const others = spec.networks.slice(1);
    for (const network of others)
      await docker
        .getNetwork(network)
        .disconnect({ Container: spec.name })
        .catch(() => undefined);
    await startPastPendingJoin(docker, spec.name, log);
    for (const network of others) await docker.getNetwork(network).connect({ Container: spec.name });
    return 'started on its first network alone, then connected to the others';
  }
}

/** Docker's answer to a start whose swarm overlay join a failed start left pending (below). */
export const PENDING_JOIN = /^network \S+ not found$/;

/**
 * Starts a container on a swarm overlay, once more when Docker answers "network <id> not found":
 * right after a failed start, that attempt's join can still be registered on the node, and moby
 * (daemon/cluster/networks.go AttachNetwork) then hands the new start its empty config, looks the
 * network up, rolls the join back and answers that (daemon/container_operations.go
 * findAndAttachNetwork); the next start joins afresh. Seen in CI on Engine 26, on the start DNE240
 * names. Tries up to 5 times, a second apart; other refusals are thrown at once.
 */
export async function startPastPendingJoin(docker, name, log = () => undefined) {
  for (let attempt = 1; ; attempt++) {
    try {
      return await docker.getContainer(name).start();
    } catch (error) {
      const message = error?.json?.message ?? '';
      if (!PENDING_JOIN.test(message.trim()) || attempt === 5) throw error;
      log(`${name}: Docker answered "${message.trim()}" (a join left pending by the failed start); starting it again`);
      await sleep(1000);
    }
  }
}

async function ensureContainer(spec) {
  const docker = dockerFor(spec.host);
  const existing = (await docker.listContainers({ all: true, filters: JSON.stringify({ name: [`^/${spec.name}$`] }) }))[0];
  if (existing?.State === 'running') return 'already running';
  if (existing) {
    try {
      await docker.getContainer(existing.Id).start();
      return 'started again';
    } catch (error) {
      // After a hard kill its overlay sandbox can be stale ("network sandbox join failed").
      await docker.getContainer(existing.Id).remove({ force: true });
      return `${await createContainer(docker, spec)} again (start failed: ${error.message.trim()})`;
    }
  }
  return createContainer(docker, spec);
}

async function createContainer(docker, spec) {
  const [first, ...others] = spec.networks;
  const port = spec.publish && `${spec.publish.container}/tcp`;
  const script = `echo '${pageOf(spec).trim()}' > /www/index.html && exec httpd -f -p 80 -h /www`;
  const container = await docker.createContainer({
    name: spec.name,
    Hostname: spec.name,
    Image: IMAGE,
    Cmd: ['sh', '-c', script],
    Labels: { [LABEL]: 'seed' },
    // httpd as PID 1 ignores SIGTERM: without this every daemon stop waits 10 s per container
    // ("Container failed to exit within 10s of signal 15"); --shutdown-timeout does not shorten it.
    StopTimeout: 1,
    ExposedPorts: port ? { [port]: {} } : undefined,
    HostConfig: {
      NetworkMode: first,
      // Back after its daemon restarts (the lab's stop/start of a host) without anyone acting.
      RestartPolicy: { Name: 'unless-stopped' },
      PortBindings: port ? { [port]: [{ HostIp: '', HostPort: String(spec.publish.host) }] } : undefined,
    },
  });
  // API 1.41 joins one network at create time; the others are connected before start.
  for (const network of others) await docker.getNetwork(network).connect({ Container: container.id });
  await container.start();
  return 'created and started';
}
