// Processes: run a command, start a long-lived one detached with its own log, and find and stop
// the lab's processes by PID. Lab processes are recognised by what they carry (the lab
// directory in their command line, a lab network namespace, a lab cgroup), never by their name,
// so other dockerds, etcds and ZooKeepers on the machine are left alone.
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import { alive } from '../lib/processes.mjs';
import { LAB_DIR, PREFIX } from './config.mjs';

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Runs a command to completion; throws with its stderr unless `allowFail`. */
export function sh(command, args, { allowFail = false, input } = {}) {
  const result = spawnSync(command, args, { encoding: 'utf8', input });
  const status = result.status ?? 1;
  if (status !== 0 && !allowFail) {
    throw new Error(`${command} ${args.join(' ')} failed (${status}): ${(result.stderr || result.error?.message || '').trim()}`);
  }
  return { status, stdout: result.stdout ?? '', stderr: result.stderr ?? '' };
}

/** Starts a process in its own session, output appended to `log`; returns its PID. */
export function startDetached(command, args, log, env = process.env) {
  const fd = fs.openSync(log, 'a');
  fs.writeSync(fd, `===== ${new Date().toISOString()} ${command} ${args.join(' ')}\n`);
  const child = spawn(command, args, { detached: true, stdio: ['ignore', fd, fd], env });
  fs.closeSync(fd);
  child.on('error', () => undefined); // seen through alive() and the log
  child.unref();
  return child.pid;
}

export { alive };

/** The lab creates network namespaces and runs dockerd: root only. */
export function requireRoot() {
  if (process.getuid?.() !== 0) {
    throw new Error('the lab needs root (it creates network namespaces and runs dockerd): run `sudo npm run lab -- up`');
  }
}

/** SIGTERM, then SIGKILL after `graceMs`; resolves when the process is gone. */
export async function stopPid(pid, graceMs = 10_000) {
  if (!alive(pid)) return;
  signal(pid, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  while (alive(pid) && Date.now() < deadline) await sleep(100);
  if (alive(pid)) signal(pid, 'SIGKILL');
  while (alive(pid)) await sleep(50);
}

function signal(pid, name) {
  try {
    process.kill(pid, name);
  } catch (error) {
    if (error.code !== 'ESRCH') throw error;
  }
}

export function readOr(file, fallback) {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return fallback;
  }
}

export const readPid = (file) => Number(readOr(file, '').trim()) || undefined;

/** The inode of each lab network namespace (what /proc/PID/ns/net links to). */
function labNetnsInodes() {
  const inodes = new Set();
  for (const name of readdirOr('/run/netns')) {
    if (name.startsWith(`${PREFIX}-`)) inodes.add(`net:[${fs.statSync(`/run/netns/${name}`).ino}]`);
  }
  return inodes;
}

/**
 * Every process that belongs to the lab: its command line names LAB_DIR (dockerd, containerd,
 * shims by their `-address LAB_DIR/…` argument, etcd, ZooKeeper), it sits in a lab network
 * namespace, or in a lab cgroup (container processes, which have namespaces of their own).
 */
export function labProcesses() {
  const netns = labNetnsInodes();
  const found = [];
  for (const entry of readdirOr('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid) || pid === process.pid || !alive(pid)) continue;
    const cmdline = readOr(`/proc/${pid}/cmdline`, '').split('\0').join(' ').trim();
    let ns = '';
    try {
      ns = fs.readlinkSync(`/proc/${pid}/ns/net`);
    } catch {
      continue;
    }
    const inLabCgroup = readOr(`/proc/${pid}/cgroup`, '').includes(`:/${PREFIX}-`);
    if (cmdline.includes(LAB_DIR + '/') || netns.has(ns) || inLabCgroup) found.push({ pid, cmdline });
  }
  return found;
}

/** Resident memory of the lab's processes, in bytes. */
export function labRss() {
  return labProcesses().reduce((sum, { pid }) => {
    const match = readOr(`/proc/${pid}/status`, '').match(/^VmRSS:\s+(\d+) kB/m);
    return sum + (match ? Number(match[1]) * 1024 : 0);
  }, 0);
}

export function readdirOr(dir) {
  try {
    return fs.readdirSync(dir);
  } catch {
    return [];
  }
}
