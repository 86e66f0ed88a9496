#!/usr/bin/env node
// The two Docker Engines every Docker-facing test runs on: Debian 12's own `docker.io` 20.10
// (API 1.41, the system's dockerd) and Debian trixie's `docker.io` 26.1 (API 1.45), fetched from
// Debian's archive into a private root without touching the system's apt configuration.
//
//   node tools/docker/engines.mjs bin 26        # fetches if needed; prints the bin dir to put first on PATH
//   node tools/docker/engines.mjs version 26    # the engine's own `dockerd --version`
//   import { engineEnv } from './engines.mjs'; spawn(cmd, args, { env: await engineEnv('26') })
//
// Every dockerd the project starts (the CI daemon, tests' private daemons, the lab) is spawned as
// plain `dockerd` from PATH, so choosing an engine is choosing PATH. trixie's runc and dynamic
// tini need glibc 2.38 (bookworm has 2.36): bookworm's own runc and trixie's static tini stand in.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The engines, oldest first. `system` engines are whatever `dockerd` the OS put on PATH. */
export const ENGINES = ['20.10', '26'];
const PACKAGES = ['docker.io', 'docker-cli', 'containerd', 'tini'];
const SUITE = 'trixie';
const KEYRING = '/usr/share/keyrings/debian-archive-keyring.gpg';

export function cacheRoot() {
  const base = process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
  return path.join(base, 'docker-network-explorer');
}

/** Accepts "26", "26.1", "20.10", "20" or a daemon's version ("26.1.5+dfsg1"); throws on others. */
export function normalizeEngine(name) {
  const value = String(name ?? '').trim();
  const [major, minor] = value.split(/[.+-]/);
  if (major === '20' && (minor === undefined || minor === '10')) return '20.10';
  if (major === '26' && (minor === undefined || minor === '1')) return '26';
  throw new Error(`unknown engine "${value}": use one of ${ENGINES.join(', ')}`);
}

/** Cluster stores (`--cluster-store`) were removed in Engine 23. */
export function engineHasClusterStore(engine) {
  return normalizeEngine(engine) === '20.10';
}

function engineDir(engine) {
  return path.join(cacheRoot(), `engine-${engine}`);
}

/**
 * The folder to put first on PATH for `engine` (fetching it when missing), or undefined for the
 * system's own 20.10. Throws with the reason when it cannot be had.
 */
export function engineBinDir(engine, log = () => undefined) {
  engine = normalizeEngine(engine);
  if (engine === '20.10') return undefined;
  const dir = engineDir(engine);
  const bin = path.join(dir, 'bin');
  if (!fs.existsSync(path.join(bin, '.complete'))) fetchEngine(dir, log);
  return bin;
}

/** process.env (or `env`) with the engine's bin dir first on PATH and DNE_ENGINE set. */
export function engineEnv(engine, env = process.env, log) {
  engine = normalizeEngine(engine);
  const bin = engineBinDir(engine, log);
  const rest = (env.PATH ?? '').split(path.delimiter).filter((entry) => entry && !entry.startsWith(path.join(cacheRoot(), 'engine-')));
  return { ...env, DNE_ENGINE: engine, PATH: [...(bin ? [bin] : []), ...rest].join(path.delimiter) };
}

/** The archive URI the system's apt already uses for Debian (so a mirror setting is honoured). */
function debianUri() {
  const files = ['/etc/apt/sources.list.d/debian.sources', '/etc/apt/sources.list'];
  for (const file of files) {
    const text = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
    const deb822 = text.match(/^URIs:\s*(\S+\/debian)\/?\s*$/m);
    if (deb822) return deb822[1];
    const oneLine = text.match(/^deb\s+(?:\[[^\]]*\]\s+)?(\S+\/debian)\/?\s+/m);
    if (oneLine) return oneLine[1];
  }
  return 'http://deb.debian.org/debian';
}

function run(command, args, what) {
  const result = spawnSync(command, args, { encoding: 'utf8' });
  if (result.status !== 0) {
    throw new Error(
      `${what} failed (${command} ${args.join(' ')}):\n${(result.stderr || result.stdout || String(result.error ?? '')).trim()}`,
    );
  }
  return result.stdout;
}

/** apt-get with a throwaway state: the system's sources, lists and package database are untouched. */
function fetchEngine(dir, log) {
  for (const tool of ['apt-get', 'dpkg']) {
    if (spawnSync('sh', ['-c', `command -v ${tool}`]).status !== 0)
      throw new Error(`Engine 26 is fetched with Debian's ${tool}: not found`);
  }
  const runc = ['/usr/sbin/runc', '/usr/bin/runc'].find((file) => fs.existsSync(file));
  if (!runc) throw new Error("Engine 26 runs with bookworm's runc: apt-get install docker.io (it brings runc)");
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'dne-engine-'));
  try {
    log(`fetching Docker Engine 26 (Debian ${SUITE}: ${PACKAGES.join(', ')}) into ${dir}`);
    const sources = path.join(work, 'sources.list');
    fs.writeFileSync(sources, `deb [signed-by=${KEYRING}] ${debianUri()} ${SUITE} main\n`);
    const lists = path.join(work, 'lists');
    const archives = path.join(work, 'archives');
    fs.mkdirSync(path.join(lists, 'partial'), { recursive: true });
    fs.mkdirSync(path.join(archives, 'partial'), { recursive: true });
    const apt = [
      `-o=Dir::Etc::sourcelist=${sources}`,
      '-o=Dir::Etc::sourceparts=-',
      `-o=Dir::State::Lists=${lists}`,
      `-o=Dir::Cache::archives=${archives}`,
      '-o=Dir::Cache::pkgcache=',
      '-o=Dir::Cache::srcpkgcache=',
      '-o=Dir::State::status=/dev/null',
      '-o=APT::Sandbox::User=root',
      '-q',
    ];
    run('apt-get', [...apt, 'update'], `apt-get update (${SUITE})`);
    const debs = path.join(work, 'debs');
    fs.mkdirSync(debs);
    spawnSyncOk('apt-get', [...apt, 'download', ...PACKAGES], debs, `apt-get download ${PACKAGES.join(' ')}`);
    const root = path.join(dir, 'root');
    fs.rmSync(dir, { recursive: true, force: true });
    fs.mkdirSync(root, { recursive: true });
    for (const deb of fs.readdirSync(debs).filter((file) => file.endsWith('.deb')))
      run('dpkg', ['-x', path.join(debs, deb), root], `dpkg -x ${deb}`);
    const bin = path.join(dir, 'bin');
    fs.mkdirSync(bin);
    const links = {
      dockerd: 'usr/sbin/dockerd',
      'docker-proxy': 'usr/sbin/docker-proxy',
      docker: 'usr/bin/docker',
      containerd: 'usr/bin/containerd',
      'containerd-shim-runc-v2': 'usr/bin/containerd-shim-runc-v2',
      ctr: 'usr/bin/ctr',
      'docker-init': 'usr/bin/tini-static',
    };
    for (const [name, target] of Object.entries(links)) {
      const file = path.join(root, target);
      if (!fs.existsSync(file)) throw new Error(`the ${SUITE} packages have no ${target}`);
      fs.symlinkSync(file, path.join(bin, name));
    }
    fs.symlinkSync(runc, path.join(bin, 'runc'));
    const version = run(path.join(bin, 'dockerd'), ['--version'], 'dockerd --version').trim();
    fs.writeFileSync(path.join(bin, '.complete'), `${version}\n`);
    log(`${version} ready in ${bin}`);
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

function spawnSyncOk(command, args, cwd, what) {
  const result = spawnSync(command, args, { cwd, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`${what} failed:\n${(result.stderr || result.stdout).trim()}`);
}

const here = path.dirname(fileURLToPath(import.meta.url));

/** The engine answering on the default socket now ("20.10", "26"), or undefined. */
export function answeringEngine() {
  const result = spawnSync('docker', ['-H', 'unix:///var/run/docker.sock', 'version', '--format', '{{.Server.Version}}'], {
    encoding: 'utf8',
    timeout: 15_000,
  });
  try {
    return result.status === 0 ? normalizeEngine(result.stdout.trim()) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Puts `engine` on /var/run/docker.sock (ensureDockerd.sh: root, and only over a daemon that script
 * started); its output goes to this terminal. False when it cannot.
 */
export function useDefaultDaemon(engine) {
  const script = path.join(here, 'ensureDockerd.sh');
  return (
    spawnSync('bash', [script, 'start'], { stdio: 'inherit', env: { ...process.env, DNE_ENGINE: normalizeEngine(engine) } }).status === 0
  );
}

/** `dockerd --version` of the engine, e.g. "Docker version 26.1.5+dfsg1, build 411e817". */
export function engineVersion(engine) {
  const result = spawnSync('dockerd', ['--version'], { env: engineEnv(engine), encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`dockerd --version failed: ${(result.stderr || String(result.error ?? '')).trim()}`);
  return result.stdout.trim();
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const [command, name] = process.argv.slice(2);
  const log = (line) => console.error(`[engines] ${line}`);
  try {
    if (command === 'normalize') console.log(normalizeEngine(name));
    else if (command === 'bin')
      console.log(engineBinDir(name, log) ?? path.dirname(run('sh', ['-c', 'command -v dockerd'], 'dockerd on PATH').trim()));
    else if (command === 'version') console.log(engineVersion(name));
    else {
      console.error('usage: engines.mjs bin|version|normalize 20.10|26');
      process.exit(2);
    }
  } catch (error) {
    console.error(`[engines] ${error.message}`);
    process.exit(1);
  }
}
