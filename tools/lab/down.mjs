// `down`: everything the lab made goes, found by PID, namespace, cgroup and directory: daemons
// (after their containers), the store, then any lab process still alive (containerd, shims,
// containers of a daemon that died), the root namespace's dnelab-root link, the namespaces
// (taking br0 and the veths), the cgroup
// parents and the lab directory. Returns what is left, so callers can prove nothing is.
import * as fs from 'node:fs';
import { labCgroupsLeft, removeLabCgroups } from './cgroups.mjs';
import { DEFAULT_LAB_DIR, HOST_NAMES, LAB_DIR, hosts } from './config.mjs';
import { assertLabDir } from './labDir.mjs';
import { daemonPid, stopDaemon } from './daemons.mjs';
import { pingSocket } from '../lib/pingSocket.mjs';
import { deleteLan, labNamespaces, labRootLinks } from './net.mjs';
import { labProcesses, readOr, requireRoot, sh, stopPid } from './proc.mjs';
import { dockerFor } from './seed.mjs';
import { STORE_KINDS, stopStore } from './store.mjs';

const quiet = () => undefined;

/** Removes everything the lab made; returns what was left behind (empty lists when clean). */
export async function labDown({ log = quiet } = {}) {
  requireRoot();
  // Before anything is stopped or unmounted: DNELAB_DIR must be a directory the lab made.
  assertLabDir(LAB_DIR, { legacyDir: DEFAULT_LAB_DIR });
  // Containers first, killed: httpd as PID 1 ignores SIGTERM, and each daemon would wait for it.
  const killed = await Promise.all(hosts().map(killContainers));
  if (killed.some((n) => n > 0)) log(`killed ${killed.reduce((a, b) => a + b, 0)} containers`);
  const stopped = await Promise.all(hosts().map(stopDaemon));
  stopped.forEach((pid, i) => pid && log(`${HOST_NAMES[i]}: dockerd ${pid} stopped`));
  for (const kind of STORE_KINDS) {
    const pid = await stopStore(kind);
    if (pid) log(`${kind}: ${pid} stopped`);
  }
  // Whatever is still there: containers of a daemon that died, shims, a store started by hand.
  const leftovers = labProcesses();
  await Promise.all(leftovers.map(({ pid }) => stopPid(pid, 3000)));
  if (leftovers.length) log(`stopped ${leftovers.length} more lab processes: ${leftovers.map((p) => p.pid).join(' ')}`);
  const deleted = deleteLan();
  if (deleted.length) log(`deleted ${deleted.join(', ')} (with br0 and the veths)`);
  const cgroups = removeLabCgroups();
  if (cgroups.removed.length) log(`removed ${cgroups.removed.length} cgroup directories`);
  unmountUnder(LAB_DIR);
  fs.rmSync(LAB_DIR, { recursive: true, force: true });
  log(`removed ${LAB_DIR}`);
  return {
    processes: labProcesses(),
    namespaces: labNamespaces(),
    links: labRootLinks(),
    cgroups: labCgroupsLeft(),
    labDir: fs.existsSync(LAB_DIR),
  };
}

async function killContainers(host) {
  if (!daemonPid(host) || !(await pingSocket(host.socket))) return 0;
  const docker = dockerFor(host.name);
  const running = await docker.listContainers();
  await Promise.all(
    running.map((c) =>
      docker
        .getContainer(c.Id)
        .kill()
        .catch(() => undefined),
    ),
  );
  return running.length;
}

/** Daemon mounts live in their own mount namespaces; this catches any that reached ours. */
function unmountUnder(dir) {
  const mounts = readOr('/proc/self/mounts', '')
    .split('\n')
    .map((line) => line.split(' ')[1] ?? '');
  for (const target of mounts.filter((m) => m.startsWith(dir + '/')).sort((a, b) => b.length - a.length)) {
    sh('umount', ['-l', target], { allowFail: true });
  }
}
