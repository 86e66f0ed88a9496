/**
 * Where a second Docker Engine (26.1) can be had for a private dockerd: a bin directory to put
 * first on PATH (PrivateDockerdOptions.binDir), or the reason there is none here.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { findRepoRoot } from './codeServer';

export type EngineBin = { binDir: string } | { missing: string };

/** The engine's bin dir: tools/docker/engines.mjs when the repository has it, else an extracted root. */
export function engineBin(version: '26'): EngineBin {
  const tool = path.join(findRepoRoot(), 'tools', 'docker', 'engines.mjs');
  if (fs.existsSync(tool)) {
    try {
      const binDir = execFileSync(process.execPath, [tool, 'bin', version], { encoding: 'utf8', timeout: 600_000 }).trim().split('\n').pop() ?? '';
      if (fs.existsSync(path.join(binDir, 'dockerd'))) return { binDir };
      return { missing: `${tool} bin ${version} printed no directory with a dockerd: ${binDir}` };
    } catch (error) {
      return { missing: `${tool} bin ${version} failed: ${error instanceof Error ? error.message : String(error)}` };
    }
  }
  return fromExtractedRoot(process.env.DNE_ENGINE26_ROOT ?? '/tmp/e26/root');
}

/** Debian trixie's docker.io/containerd extracted under `root`, with bookworm's runc and tini. */
function fromExtractedRoot(root: string): EngineBin {
  const dockerd = path.join(root, 'usr', 'sbin', 'dockerd');
  if (!fs.existsSync(dockerd)) return { missing: `no Engine 26 here: neither tools/docker/engines.mjs nor ${dockerd}` };
  const binDir = path.join(os.tmpdir(), `dne-engine26-bin-${process.getuid?.() ?? 0}`);
  fs.mkdirSync(binDir, { recursive: true });
  const links: Record<string, string> = {
    dockerd,
    'docker-proxy': path.join(root, 'usr', 'sbin', 'docker-proxy'),
    containerd: path.join(root, 'usr', 'bin', 'containerd'),
    'containerd-shim-runc-v2': path.join(root, 'usr', 'bin', 'containerd-shim-runc-v2'),
    runc: '/usr/sbin/runc',
    'docker-init': '/usr/bin/tini-static',
  };
  for (const [name, target] of Object.entries(links)) {
    if (!fs.existsSync(target)) return { missing: `${target} missing for Engine 26's ${name}` };
    const link = path.join(binDir, name);
    fs.rmSync(link, { force: true });
    fs.symlinkSync(target, link);
  }
  return { binDir };
}
