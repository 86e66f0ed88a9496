// The lab daemons put their containers under /dnelab-<host> in every cgroup hierarchy
// (--cgroup-parent). dockerd removes the containers' own cgroups; the parents stay until `down`
// removes them (rmdir only: a cgroup directory is deleted with rmdir, never with its files).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { PREFIX } from './config.mjs';
import { readdirOr } from './proc.mjs';

const ROOT = '/sys/fs/cgroup';

function labCgroups() {
  const found = [];
  for (const hierarchy of readdirOr(ROOT)) {
    for (const entry of readdirOr(path.join(ROOT, hierarchy))) {
      const dir = path.join(ROOT, hierarchy, entry);
      if (entry.startsWith(`${PREFIX}-`) && fs.statSync(dir).isDirectory()) found.push(dir);
    }
  }
  return found;
}

/** Children first; returns the directories removed and those that would not go. */
export function removeLabCgroups() {
  const removed = [];
  const failed = [];
  const removeTree = (dir) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) if (entry.isDirectory()) removeTree(path.join(dir, entry.name));
    try {
      fs.rmdirSync(dir);
      removed.push(dir);
    } catch (error) {
      failed.push(`${dir}: ${error.code}`);
    }
  };
  for (const dir of labCgroups()) removeTree(dir);
  return { removed, failed };
}

export const labCgroupsLeft = () => labCgroups();
