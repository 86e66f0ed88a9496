/**
 * Reads the docker CLI's own configuration (config.json and the context store) so the explorer
 * shows the daemon `docker` itself would talk to. docker-modem knows nothing about contexts.
 * Every failure becomes a `problem` naming the file and the context: never an exception.
 */
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { parseDockerUrl } from './dockerUrl';
import { isFile } from '../util/isFile';
import type { DockerHost, TlsFiles } from './dockerHost';
import { errorMessage } from '../util/errors';

/** The context name the CLI reserves for "DOCKER_HOST or the default socket". */
export const DEFAULT_CONTEXT = 'default';

/** DOCKER_CONFIG replaces `<home>/.docker` entirely, as in the docker CLI. */
export function dockerConfigDir(env: Record<string, string | undefined>, homeDir: string): string {
  const override = env.DOCKER_CONFIG?.trim();
  return override ? override : path.join(homeDir, '.docker');
}

/** `currentContext` from config.json; a missing file or field means the default context. */
export function readCurrentContext(configDir: string): { name?: string; problem?: string } {
  const file = path.join(configDir, 'config.json');
  const read = readJson(file);
  if (read.kind === 'missing') return {};
  if (read.kind === 'error') return { problem: read.message };
  if (!isRecord(read.value)) return { problem: `${file} does not contain a JSON object.` };
  const current = read.value.currentContext;
  if (current === undefined || current === '') return {};
  if (typeof current !== 'string') return { problem: `"currentContext" in ${file} is not a string.` };
  return { name: current };
}

/**
 * Every context the docker CLI knows (`docker context ls`): "default" plus the names stored in
 * contexts/meta/<sha256>/meta.json. Unreadable entries are skipped: this only offers choices.
 */
export function listContextNames(configDir: string): string[] {
  const metaDir = path.join(configDir, 'contexts', 'meta');
  let digests: string[] = [];
  try {
    digests = fs.readdirSync(metaDir);
  } catch {
    return [DEFAULT_CONTEXT];
  }
  const names = digests.flatMap((digest) => {
    const read = readJson(path.join(metaDir, digest, 'meta.json'));
    return read.kind === 'ok' && isRecord(read.value) && typeof read.value.Name === 'string' ? [read.value.Name] : [];
  });
  return [DEFAULT_CONTEXT, ...names.filter((name) => name !== DEFAULT_CONTEXT).sort()];
}

/** Resolves a named (non-default) context; `origin` says where the name came from, for messages. */
export function contextHost(name: string, configDir: string, origin: string): DockerHost {
  const base = { id: `context:${name}`, name, source: 'context' as const, url: '', warnings: [] };
  // The store is keyed by the sha256 of the name, which also keeps odd names out of the path.
  const digest = createHash('sha256').update(name).digest('hex');
  const metaFile = path.join(configDir, 'contexts', 'meta', digest, 'meta.json');
  const where = `Docker context "${name}" (from ${origin})`;
  const read = readJson(metaFile);
  if (read.kind === 'missing') {
    return { ...base, problem: `${where} does not exist: ${metaFile} not found. "docker context ls" lists the available contexts.` };
  }
  if (read.kind === 'error') return { ...base, problem: `${where}: ${read.message}` };
  const docker = dockerEndpoint(read.value);
  if (!docker) return { ...base, problem: `${where}: ${metaFile} has no Endpoints.docker.Host string.` };
  const tlsDir = path.join(configDir, 'contexts', 'tls', digest, 'docker');
  const tls = contextTls(tlsDir, docker.skipTlsVerify);
  if (typeof tls === 'string') return { ...base, url: docker.host, problem: `${where}: ${tls}` };
  const parsed = parseDockerUrl(docker.host, tls);
  if (parsed.problem) return { ...base, url: docker.host, problem: `${where} in ${metaFile}: ${parsed.problem}` };
  return { ...base, url: docker.host, endpoint: parsed.endpoint };
}

function dockerEndpoint(meta: unknown): { host: string; skipTlsVerify: boolean } | undefined {
  const endpoints = isRecord(meta) ? meta.Endpoints : undefined;
  const docker = isRecord(endpoints) ? endpoints.docker : undefined;
  if (!isRecord(docker) || typeof docker.Host !== 'string') return undefined;
  return { host: docker.Host, skipTlsVerify: docker.SkipTLSVerify === true };
}

/**
 * Like the CLI: TLS is on when the context stores any TLS file or asks to skip verification.
 * A certificate without its key (or the reverse) cannot work, so that is a problem (a string).
 */
function contextTls(dir: string, skipVerify: boolean): TlsFiles | undefined | string {
  const files = presentTlsFiles(dir);
  if ((files.cert === undefined) !== (files.key === undefined)) {
    return `${dir} holds ${files.cert ? 'cert.pem without key.pem' : 'key.pem without cert.pem'}.`;
  }
  const hasFiles = files.ca !== undefined || files.cert !== undefined;
  return hasFiles || skipVerify ? { verify: !skipVerify, ...files } : undefined;
}

/** Paths (not contents) of whichever of ca.pem / cert.pem / key.pem exist in `dir`. */
export function presentTlsFiles(dir: string): Omit<TlsFiles, 'verify'> {
  const found: Omit<TlsFiles, 'verify'> = {};
  for (const [field, file] of [
    ['ca', 'ca.pem'],
    ['cert', 'cert.pem'],
    ['key', 'key.pem'],
  ] as const) {
    const full = path.join(dir, file);
    if (isFile(full)) found[field] = full;
  }
  return found;
}

type JsonRead = { kind: 'missing' } | { kind: 'error'; message: string } | { kind: 'ok'; value: unknown };

function readJson(file: string): JsonRead {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return { kind: 'missing' };
    return { kind: 'error', message: `cannot read ${file}: ${errorMessage(error)}` };
  }
  try {
    return { kind: 'ok', value: JSON.parse(text) };
  } catch (error) {
    return { kind: 'error', message: `${file} is not valid JSON (${errorMessage(error)}).` };
  }
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function errorCode(error: unknown): unknown {
  return isRecord(error) ? error.code : undefined;
}
