// One dockerd per lab host, inside the host's network namespace. `ip netns exec` remounts /sys,
// which hides the cgroup hierarchies dockerd needs, so each daemon starts under
// `unshare --uts --mount` with a boot step that re-mounts the host's hierarchies (same options,
// read from /proc/1/mounts), sets the host's own hostname (two daemons named alike break the
// overlay's gossip: "serf: Node name conflicts"), hides the machine's /run/docker and
// /run/containerd behind private tmpfs, and gives it a resolv.conf that points into the lab.
// Every step execs the next, so the PID spawned is dockerd's own.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { LAN_IP, storeUrl } from './config.mjs';
import { alive, labProcesses, readOr, readPid, sleep, startDetached, stopPid } from './proc.mjs';
import { tail } from './store.mjs';
import { readState } from './state.mjs';
import { engineEnv } from '../docker/engines.mjs';
import { pingSocket } from '../lib/pingSocket.mjs';

const BOOT = `set -e
hostname "$DNELAB_HOST"
mount -t tmpfs -o mode=755 dnelab-cgroup /sys/fs/cgroup
while read -r source target type options _; do
  case "$target" in /sys/fs/cgroup/*)
    mkdir -p "$target"; mount -t "$type" -o "$options" "$source" "$target";;
  esac
done < /proc/1/mounts
for dir in /run/docker /run/containerd; do mkdir -p "$dir"; mount -t tmpfs -o mode=711 dnelab-run "$dir"; done
mount --bind "$DNELAB_DIR/resolv.conf" /etc/resolv.conf
exec dockerd "$@"`;

export const DEFAULT_ADVERTISE = 'eth0:2376';

/** The PID we recorded at start, if that process is still this host's dockerd. */
export function daemonPid(host) {
  const pid = readPid(path.join(host.dir, 'dockerd.pid'));
  const cmdline = pid ? readOr(`/proc/${pid}/cmdline`, '') : '';
  return alive(pid) && cmdline.includes(host.socket) ? pid : undefined;
}

/**
 * The flags of one dockerd. `overrides` ({ store, advertise }) replace the lab's
 * --cluster-store / --cluster-advertise, to break one host on purpose (`lab restart`).
 */
function dockerdArgs(host, store, overrides = {}) {
  const clusterStore = overrides.store ?? storeUrl(store);
  const advertise = overrides.advertise ?? DEFAULT_ADVERTISE;
  return [
    `--host=unix://${host.socket}`,
    `--data-root=${host.dir}/data`,
    `--exec-root=${host.dir}/exec`,
    `--pidfile=${host.pidfile}`,
    `--config-file=${host.dir}/daemon.json`,
    `--cgroup-parent=${host.cgroupParent}`,
    '--storage-driver=vfs', // a tiny busybox image: copying beats stacking mounts in nested namespaces
    '--shutdown-timeout=3', // httpd as PID 1 ignores SIGTERM; do not wait the default 15 s for it
    // Swarm refuses to run beside a cluster store ("incompatible with swarm mode").
    ...(store === 'swarm' ? [] : [`--cluster-store=${clusterStore}`, `--cluster-advertise=${advertise}`]),
  ];
}

/**
 * Starts the host's dockerd unless it runs; waits until it answers /_ping. When it exits instead,
 * throws an error whose `daemonLog` is that start's own log (what dockerd said before it died).
 */
export async function ensureDaemon(host, store, { timeoutMs = 60_000, overrides } = {}) {
  let pid = daemonPid(host);
  const started = !pid;
  if (!pid) {
    // A daemon that was killed leaves its containerd, shims and containers: a new dockerd
    // would trip over them (pid files, sockets, endpoints), so they go first.
    await stopLeftovers(host);
    // Runtime state only. After a hard kill it names overlay sandboxes whose namespaces died with
    // the old daemon's mount namespace; a new daemon would fail every join ("failed to set into
    // network namespace … while creating netlink socket").
    fs.rmSync(path.join(host.dir, 'exec'), { recursive: true, force: true });
    fs.mkdirSync(host.dir, { recursive: true });
    fs.writeFileSync(path.join(host.dir, 'resolv.conf'), `nameserver ${LAN_IP}\n`);
    // Its own trust key: daemons sharing /etc/docker/key.json would share one engine ID.
    fs.writeFileSync(path.join(host.dir, 'daemon.json'), `${JSON.stringify({ 'deprecated-key-path': `${host.dir}/key.json` })}\n`);
    // The lab's engine (lab.json, from `up --engine`) puts its dockerd first on PATH.
    const env = { ...engineEnv(readState()?.engine ?? '20.10'), DNELAB_HOST: host.name, DNELAB_DIR: host.dir };
    const args = [
      'netns',
      'exec',
      host.netns,
      'unshare',
      '--uts',
      '--mount',
      '--',
      'sh',
      '-c',
      BOOT,
      'dockerd',
      ...dockerdArgs(host, store, overrides),
    ];
    pid = startDetached('ip', args, host.log, env);
    fs.writeFileSync(path.join(host.dir, 'dockerd.pid'), `${pid}\n`);
  }
  const deadline = Date.now() + timeoutMs;
  while (!(await pingSocket(host.socket))) {
    if (!alive(pid)) {
      const daemonLog = lastStartLog(host.log);
      throw Object.assign(new Error(`${host.name}: dockerd exited; ${host.log}:\n${tail(host.log)}`), { daemonLog });
    }
    if (Date.now() > deadline) throw new Error(`${host.name}: dockerd did not answer within ${timeoutMs} ms; see ${host.log}`);
    await sleep(100);
  }
  return { pid, started };
}

/**
 * Stops the host's dockerd (SIGTERM: it stops its containers and its containerd), then anything
 * of that host still running (containerd, shims found by their `-address <dir>/…` argument).
 */
export async function stopDaemon(host) {
  const pid = daemonPid(host);
  if (pid) await stopPid(pid, 20_000);
  await stopLeftovers(host);
  return pid;
}

/** The host's processes other than dockerd: by their `<dir>/` argument or their cgroup. */
async function stopLeftovers(host) {
  const mine = (p) => p.cmdline.includes(host.dir + '/') || readOr(`/proc/${p.pid}/cgroup`, '').includes(`:${host.cgroupParent}/`);
  await Promise.all(
    labProcesses()
      .filter(mine)
      .map((p) => stopPid(p.pid, 3000)),
  );
}

/** The log of the latest start only: startDetached heads each start with a `=====` line. */
function lastStartLog(log) {
  const text = readOr(log, '');
  return text.slice(text.lastIndexOf('\n=====') + 1);
}
