/**
 * Decides which Docker daemons the explorer shows: the one the docker CLI would use (DOCKER_HOST,
 * else DOCKER_CONTEXT, else config.json's currentContext, else the default socket), then the
 * hosts from the user's settings. Pure core: the environment and home directory are inputs, so
 * tests never depend on the machine, and nothing here imports `vscode`.
 */
import * as path from 'path';
import { contextHost, DEFAULT_CONTEXT, dockerConfigDir, isRecord, presentTlsFiles, readCurrentContext } from './dockerContexts';
import { DEFAULT_SOCKET, parseDockerUrl } from './dockerUrl';
import type { DockerHost, HostEndpoint, TlsFiles } from './dockerHost';
import { defaultKnownHostsFiles } from '../ssh/hostKeyTrust';
import { isFile } from '../util/isFile';

export { parseDockerUrl } from './dockerUrl';

export interface HostResolutionInput {
  /** Never read process.env inside the module: the caller passes it (tests pass their own). */
  env: Record<string, string | undefined>;
  /** Where `.docker/` lives; DOCKER_CONFIG in `env` overrides `<homeDir>/.docker`. */
  homeDir: string;
  /** From the user's settings; the shape is not trusted. */
  settingHosts: readonly unknown[];
}

type Env = HostResolutionInput['env'];

export function resolveHosts(input: HostResolutionInput): DockerHost[] {
  const configDir = dockerConfigDir(input.env, input.homeDir);
  const candidates = [primaryHost(input.env, configDir), ...input.settingHosts.map((entry, index) => settingHost(entry, index, configDir))];
  return uniqueIdsAndNames(
    dropSameEndpoint(candidates.map(addEndpointWarnings).map((host) => addSshDefaults(host, input.env, input.homeDir))),
  );
}

/** The docker CLI's TLS flags (`--tls`, `--tlsverify`, `--tlscacert`, `--tlscert`, `--tlskey`), as given. */
export interface TlsFlags {
  tls?: boolean;
  tlsVerify?: boolean;
  ca?: string;
  cert?: string;
  key?: string;
}

/**
 * The daemons `diagnose --host URL… | --context NAME` names, with their full connection settings,
 * read as the docker CLI reads its flags (cli/flags/options.go): `--tlsverify` (or
 * DOCKER_TLS_VERIFY) turns TLS on and verifies; `--tls` alone encrypts without verifying; a file
 * flag not given defaults to DOCKER_CERT_PATH (else the Docker config directory)'s ca.pem,
 * cert.pem, key.pem, the certificate and key only when present. TLS settings apply to tcp://
 * hosts; ssh hosts get ssh's defaults (agent or key, known_hosts) as in the explorer.
 */
export function resolveCliHosts(input: {
  env: Env;
  homeDir: string;
  urls: readonly string[];
  context?: string;
  tls?: TlsFlags;
}): DockerHost[] {
  const configDir = dockerConfigDir(input.env, input.homeDir);
  const hosts =
    input.context !== undefined
      ? [namedContext(input.context, configDir, '--context')]
      : input.urls.map((url) => cliUrlHost(url, input.env, configDir, input.tls ?? {}));
  return hosts.map(addEndpointWarnings).map((host) => addSshDefaults(host, input.env, input.homeDir));
}

function cliUrlHost(url: string, env: Env, configDir: string, flags: TlsFlags): DockerHost {
  const base: DockerHost = { id: url, name: url, source: 'setting', url, warnings: [] };
  const plain = parseDockerUrl(url);
  if (plain.problem !== undefined) return { ...base, problem: plain.problem };
  if (plain.endpoint?.kind !== 'tcp') return { ...base, endpoint: plain.endpoint };
  const verify = flags.tlsVerify ?? (env.DOCKER_TLS_VERIFY ?? '') !== '';
  if (!verify && !flags.tls && flags.tlsVerify === undefined) return { ...base, endpoint: plain.endpoint };
  const dir = nonEmpty(env.DOCKER_CERT_PATH) ?? configDir;
  const present = presentTlsFiles(dir);
  const files: TlsFiles = { verify, ca: flags.ca ?? present.ca, cert: flags.cert ?? present.cert, key: flags.key ?? present.key };
  const unreadable = (['ca', 'cert', 'key'] as const).filter((field) => flags[field] !== undefined && !isFile(flags[field]!));
  if (unreadable.length)
    return {
      ...base,
      problem: `${unreadable.map((field) => `--tls${field === 'ca' ? 'cacert' : field} ${flags[field]}`).join(', ')}: no such file`,
    };
  if (verify && files.ca === undefined)
    return { ...base, problem: `--tlsverify needs the CA certificate: give --tlscacert, or put ca.pem in ${dir}` };
  if ((files.cert === undefined) !== (files.key === undefined))
    return { ...base, problem: `a client certificate needs its key and the key its certificate (--tlscert and --tlskey)` };
  return { ...base, endpoint: parseDockerUrl(url, files).endpoint };
}

function primaryHost(env: Env, configDir: string): DockerHost {
  const dockerHost = nonEmpty(env.DOCKER_HOST);
  if (dockerHost !== undefined) return envHost(dockerHost, env, configDir);
  const envContext = nonEmpty(env.DOCKER_CONTEXT);
  if (envContext !== undefined) return namedContext(envContext, configDir, 'DOCKER_CONTEXT');
  const current = readCurrentContext(configDir);
  // Without a readable config.json we cannot know which daemon the CLI would pick: don't guess.
  if (current.problem !== undefined)
    return { id: 'default', name: 'local', source: 'default', url: '', problem: current.problem, warnings: [] };
  if (current.name === undefined) return { ...defaultHost(), implicit: true };
  return namedContext(current.name, configDir, `"currentContext" in ${path.join(configDir, 'config.json')}`);
}

function namedContext(name: string, configDir: string, origin: string): DockerHost {
  return name === DEFAULT_CONTEXT ? defaultHost() : contextHost(name, configDir, origin);
}

function defaultHost(): DockerHost {
  const endpoint: HostEndpoint = { kind: 'unix', socketPath: DEFAULT_SOCKET };
  return { id: 'default', name: 'local', source: 'default', url: `unix://${DEFAULT_SOCKET}`, endpoint, warnings: [] };
}

function envHost(value: string, env: Env, configDir: string): DockerHost {
  const base: DockerHost = { id: 'env', name: 'DOCKER_HOST', source: 'DOCKER_HOST', url: value, warnings: [] };
  // DOCKER_HOST wins over DOCKER_CONTEXT in the CLI too; say so rather than silently ignore it.
  if (nonEmpty(env.DOCKER_CONTEXT) !== undefined) {
    base.warnings.push(`DOCKER_CONTEXT="${env.DOCKER_CONTEXT}" is ignored because DOCKER_HOST is set (the docker CLI does the same).`);
  }
  const plain = parseDockerUrl(value);
  if (plain.problem !== undefined) return { ...base, problem: `DOCKER_HOST ${plain.problem}` };
  // TLS variables only mean something for tcp; the port default (2375/2376) depends on them.
  if (plain.endpoint?.kind !== 'tcp') return { ...base, endpoint: plain.endpoint };
  const tls = envTls(env, configDir);
  if (tls.problem !== undefined) return { ...base, problem: tls.problem };
  const endpoint = parseDockerUrl(value, tls.files).endpoint;
  return { ...base, endpoint, warnings: [...base.warnings, ...tls.warnings] };
}

interface EnvTls {
  files?: TlsFiles;
  problem?: string;
  warnings: string[];
}

/** DOCKER_TLS_VERIFY / DOCKER_CERT_PATH, read as the docker CLI reads them (not as docker-modem). */
function envTls(env: Env, configDir: string): EnvTls {
  const verifyValue = env.DOCKER_TLS_VERIFY ?? '';
  const certPath = nonEmpty(env.DOCKER_CERT_PATH);
  const dir = certPath ?? configDir;
  const files = presentTlsFiles(dir);
  if (verifyValue !== '') {
    const missing = (['ca', 'cert', 'key'] as const).filter((field) => files[field] === undefined).map((f) => `${f}.pem`);
    if (missing.length > 0) {
      const source = certPath !== undefined ? 'DOCKER_CERT_PATH' : 'the Docker config directory, as DOCKER_CERT_PATH is unset';
      return {
        problem: `DOCKER_TLS_VERIFY is set but ${missing.join(', ')} ${missing.length === 1 ? 'is' : 'are'} missing from ${dir} (${source}).`,
        warnings: [],
      };
    }
    return { files: { verify: true, ...files }, warnings: verifyValue === '1' ? [] : [ambiguousVerifyWarning(verifyValue)] };
  }
  if (certPath !== undefined) {
    const warning =
      'DOCKER_CERT_PATH is set but DOCKER_TLS_VERIFY is not: TLS is used without verifying the daemon certificate. Set DOCKER_TLS_VERIFY=1 to verify it.';
    return { files: { verify: false, ...files }, warnings: [warning] };
  }
  return { warnings: [] };
}

/** docker-modem reads only "1" as on, so "true"/"yes"/"0" would silently mean plaintext there. */
function ambiguousVerifyWarning(value: string): string {
  return `DOCKER_TLS_VERIFY="${value}" is read as on, as the docker CLI does (any non-empty value); other tools (e.g. docker-modem) may read it as off and connect without TLS. Use DOCKER_TLS_VERIFY=1.`;
}

/**
 * One entry of the `dockerNetworkExplorer.hosts` setting: `{ "context": "docker2" }` (any Docker
 * context, not only the current one), or `{ "name", "url" }` with, for tcp, `tlsCertPath`
 * (ca.pem/cert.pem/key.pem, as DOCKER_CERT_PATH) and `tlsVerify` (default true with a cert path).
 */
function settingHost(entry: unknown, index: number, configDir: string): DockerHost {
  const label = `setting #${index + 1}`;
  const invalid = (why: string): DockerHost => ({
    id: `setting:#${index + 1}`,
    name: label,
    source: 'setting',
    url: '',
    problem: `Hosts ${label}: ${why}`,
    warnings: [],
  });
  if (!isRecord(entry))
    return invalid(`expected an object like {"name": "docker2", "url": "unix:///run/docker2.sock"}, got ${kindOf(entry)}.`);
  const { name, url, context } = entry;
  if (context !== undefined) {
    if (typeof context !== 'string' || context.trim() === '')
      return invalid(`"context" must be a Docker context name, got ${kindOf(context)}.`);
    const host = namedContext(context.trim(), configDir, label);
    const display = typeof name === 'string' && name.trim() ? name.trim() : host.name;
    return { ...host, id: `setting:${display}`, name: display, source: 'setting' };
  }
  if (typeof name !== 'string' || name.trim() === '') return invalid(`"name" must be a non-empty string, got ${kindOf(name)}.`);
  if (typeof url !== 'string') return invalid(`"url" must be a string like "tcp://192.168.1.10:2376", got ${kindOf(url)}.`);
  const display = name.trim();
  const base: DockerHost = { id: `setting:${display}`, name: display, source: 'setting', url, warnings: [] };
  const tls = settingTls(entry);
  if (typeof tls === 'string') return { ...base, problem: `Host "${display}": ${tls}` };
  const parsed = parseDockerUrl(url, tls);
  if (parsed.problem !== undefined) return { ...base, problem: `Host "${display}": ${parsed.problem}` };
  const { identityFile } = entry;
  if (identityFile !== undefined && (typeof identityFile !== 'string' || parsed.endpoint?.kind !== 'ssh')) {
    return { ...base, problem: `Host "${display}": "identityFile" must be a key file path, for ssh:// hosts only.` };
  }
  return {
    ...base,
    endpoint: parsed.endpoint?.kind === 'ssh' && identityFile ? { ...parsed.endpoint, auth: { identityFile } } : parsed.endpoint,
  };
}

/** TLS files of a setting entry; a string is the problem with them. */
function settingTls(entry: Record<string, unknown>): TlsFiles | undefined | string {
  const { tlsCertPath, tlsVerify } = entry;
  if (tlsVerify !== undefined && typeof tlsVerify !== 'boolean') return `"tlsVerify" must be true or false, got ${kindOf(tlsVerify)}.`;
  if (tlsCertPath === undefined)
    return tlsVerify === undefined ? undefined : '"tlsVerify" needs "tlsCertPath", the folder holding ca.pem, cert.pem and key.pem.';
  if (typeof tlsCertPath !== 'string' || tlsCertPath.trim() === '')
    return `"tlsCertPath" must be a folder path, got ${kindOf(tlsCertPath)}.`;
  const files = presentTlsFiles(tlsCertPath);
  const verify = tlsVerify ?? true;
  const missing = (
    [
      ['ca', 'ca.pem'],
      ['cert', 'cert.pem'],
      ['key', 'key.pem'],
    ] as const
  )
    .filter(([field]) => files[field] === undefined && (field !== 'ca' || verify))
    .map(([, file]) => file);
  if (missing.length) return `${missing.join(', ')} missing from ${tlsCertPath} ("tlsCertPath").`;
  return { verify, ...files };
}

function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'string' ? `"${value}"` : typeof value;
}

/**
 * ssh's own defaults: the agent, else the first of ~/.ssh/id_ed25519, id_ecdsa, id_rsa (a setting's
 * identityFile wins); the host key is checked against ~/.ssh/known_hosts and /etc/ssh/ssh_known_hosts.
 */
function addSshDefaults(host: DockerHost, env: Env, homeDir: string): DockerHost {
  if (host.endpoint?.kind !== 'ssh') return host;
  const endpoint = { ...host.endpoint, knownHostsFiles: defaultKnownHostsFiles(homeDir) };
  if (endpoint.auth?.identityFile) return { ...host, endpoint };
  const agentSocket = nonEmpty(env.SSH_AUTH_SOCK);
  const identityFile = ['id_ed25519', 'id_ecdsa', 'id_rsa'].map((name) => path.join(homeDir, '.ssh', name)).find(isFile);
  if (!agentSocket && !identityFile) {
    return withWarning(
      { ...host, endpoint },
      `No ssh agent (SSH_AUTH_SOCK) and no key in ${path.join(homeDir, '.ssh')}: set "identityFile" for this host.`,
    );
  }
  return {
    ...host,
    endpoint: { ...endpoint, auth: { ...(agentSocket ? { agentSocket } : {}), ...(identityFile ? { identityFile } : {}) } },
  };
}

/** Risks of a working endpoint, added once here so every source (env, context, setting) gets them. */
function addEndpointWarnings(host: DockerHost): DockerHost {
  const endpoint = host.endpoint;
  if (endpoint?.kind !== 'tcp') return host;
  const address = `${endpoint.host}:${endpoint.port}`;
  if (!endpoint.tls) {
    return withWarning(
      host,
      `Plain tcp to ${address}: the connection is unencrypted and unauthenticated; anyone who can reach that port is root on that host.`,
    );
  }
  if (!endpoint.tls.verify) {
    return withWarning(
      host,
      `TLS to ${address} does not verify the daemon certificate, so anyone on the network path can impersonate the daemon.`,
    );
  }
  return host;
}

function withWarning(host: DockerHost, warning: string): DockerHost {
  return { ...host, warnings: [...host.warnings, warning] };
}

/** Two entries for one daemon would show every network twice; the first one wins. */
function dropSameEndpoint(hosts: DockerHost[]): DockerHost[] {
  const kept: DockerHost[] = [];
  const byKey = new Map<string, number>();
  for (const host of hosts) {
    const key = host.endpoint && endpointKey(host.endpoint);
    const first = key === undefined ? undefined : byKey.get(key);
    if (first === undefined) {
      if (key !== undefined) byKey.set(key, kept.length);
      kept.push(host);
    } else {
      kept[first] = withWarning(kept[first], `"${host.name}" (${host.url}) reaches the same daemon and is not listed separately.`);
    }
  }
  return kept;
}

function endpointKey(endpoint: HostEndpoint): string {
  switch (endpoint.kind) {
    case 'unix':
      return `unix:${path.posix.normalize(endpoint.socketPath)}`;
    case 'tcp':
    case 'ssh':
      return `${endpoint.kind}:${endpoint.host.toLowerCase()}:${endpoint.port}`;
  }
}

/** Ids key tree state, so they must be unique; names are what users tell apart. */
function uniqueIdsAndNames(hosts: DockerHost[]): DockerHost[] {
  const ids = new Set<string>();
  const names = new Set<string>();
  return hosts.map((host) => {
    const id = claim(ids, host.id, (n) => `${host.id}#${n}`);
    const name = claim(names, host.name, (n) => `${host.name} (${n})`);
    return id === host.id && name === host.name ? host : { ...host, id, name };
  });
}

function claim(taken: Set<string>, wanted: string, variant: (n: number) => string): string {
  let candidate = wanted;
  for (let n = 2; taken.has(candidate); n++) candidate = variant(n);
  taken.add(candidate);
  return candidate;
}

function nonEmpty(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed ? trimmed : undefined;
}
