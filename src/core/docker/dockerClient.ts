import * as fs from 'node:fs';
import * as https from 'node:https';
import type Dockerode from 'dockerode';
import type Modem from 'docker-modem';
import type * as z from 'zod/mini';
import type { HostEndpoint } from '../hosts/dockerHost';
import type { DaemonVersion } from '../model/snapshot';
import { HostKeyTrust } from '../ssh/hostKeyTrust';
import { SshHostCheck } from './sshHostCheck';
import { describeSshFailure } from './sshFailure';
import { timerMs } from '../util/timeouts';
import { DockerEventStream, type DockerEvent } from './dockerEvents';
import { dockerLibraries } from './dockerLibraries';
import { jsonGetFor, type JsonGet } from './jsonGet';
import type * as Answers from './responseSchemas';
import { isUnexpectedAnswerError } from './unexpectedAnswer';

/** The answer schemas, loaded with the Docker libraries (dist/docker.js). */
const answers = (): typeof Answers => dockerLibraries().answers;

export type RawNetwork = Dockerode.NetworkInspectInfo;
export type RawContainer = Dockerode.ContainerInfo;
export type RawContainerInspect = Dockerode.ContainerInspectInfo;
/** The checked fields, and whatever else the daemon sent. */
export type VersionAnswer = z.infer<typeof Answers.versionAnswer> & Record<string, unknown>;
export type InfoAnswer = z.infer<typeof Answers.infoAnswer> & Record<string, unknown>;
export type NodeAnswer = z.infer<typeof Answers.nodeListAnswer>[number];

/**
 * The newest Engine API whose answers the model reads (Engine 29: `DNSNames`, `EnableIPv4`,
 * `GwPriority`, gateway modes; top-level `NetworkSettings.IPAddress` gone, which we never read).
 * A daemon is spoken to in min(its version, this), as the docker CLI negotiates.
 */
export const NEWEST_KNOWN_API = '1.52';

export interface DockerClientOptions {
  /** Upper bound of every request/response call (not of the long-lived event stream). */
  timeoutMs: number;
  /**
   * How an ssh host's key is judged (known_hosts; what to do with an unknown key). Absent: a key
   * not in known_hosts is refused, as `ssh -o StrictHostKeyChecking=yes` does.
   */
  hostKeys?: HostKeyTrust;
}

/** Without a way to ask the user, an unknown ssh host key is refused. */
const REFUSE_UNKNOWN_HOST_KEYS = new HostKeyTrust();

/** A daemon call that failed, with the host and operation in its message. */
export class DockerCallError extends Error {
  constructor(
    readonly operation: string,
    readonly hostName: string,
    readonly reason: string,
    readonly statusCode?: number,
    options?: ErrorOptions,
  ) {
    super(`${operation} on ${hostName} failed: ${reason}`, options);
  }
}

/** The ssh layer failed (no sshd, login refused, host key refused): dockerd on that host was never asked. */
export class SshLayerError extends DockerCallError {}

/** The call got an answer, but not of the shape it promises (responseSchemas.ts). */
export function isUnexpectedAnswer(error: unknown): error is DockerCallError {
  return error instanceof DockerCallError && isUnexpectedAnswerError(error.cause);
}

/**
 * The only place that talks to a Docker daemon. Every call has a timeout, is counted (the
 * benchmark proves zero calls while idle) and fails with a `DockerCallError`.
 */
export class DockerClient {
  private readonly api: Dockerode;
  /** The event stream must not share the call modem: its idle timeout would cut the stream. */
  private readonly streamApi: Dockerode;
  private calls = 0;
  private negotiated: DaemonVersion | undefined;
  /** ssh endpoints only: their host key check. */
  private readonly sshCheck: SshHostCheck | undefined;
  /** The lean read path (jsonGet.ts); undefined over ssh, where docker-modem carries the reads. */
  private readonly jsonGet: JsonGet | undefined;
  /** `/v1.41` once negotiated, as docker-modem prefixes its paths. */
  private apiPrefix = '';

  /** `hostName` is how messages name the daemon ("list networks on docker1 failed: …"). */
  constructor(
    readonly endpoint: HostEndpoint,
    readonly hostName: string,
    private readonly options: DockerClientOptions,
  ) {
    this.sshCheck = endpoint.kind === 'ssh' ? new SshHostCheck(endpoint, options.hostKeys ?? REFUSE_UNKNOWN_HOST_KEYS) : undefined;
    this.api = withModem(createModem(endpoint, timerMs(options.timeoutMs), this.sshCheck));
    this.streamApi = withModem(createModem(endpoint, undefined, this.sshCheck));
    this.jsonGet = jsonGetFor(endpoint);
  }

  /** Forgets a declined ssh host key, so the next connection asks again (an explicit Retry). */
  forgetDeclinedHostKey(): void {
    this.sshCheck?.forgetDeclined();
  }

  /** Number of daemon requests made so far (the event stream counts once per open). */
  get callCount(): number {
    return this.calls;
  }

  /** Engine and API versions, once `negotiate()` has run. */
  get daemon(): DaemonVersion | undefined {
    return this.negotiated;
  }

  /**
   * Asks the daemon its versions (`GET /version` answers on every API version) and pins every
   * later call to the negotiated API, so a newer daemon keeps answering in shapes we know and an
   * older one is never asked for a version it lacks. Called on each (re)connect.
   */
  async negotiate(): Promise<DaemonVersion> {
    this.setApiVersion(undefined);
    const raw = await this.version();
    this.negotiated = negotiateVersion(raw);
    this.setApiVersion(this.negotiated.negotiatedApi);
    return this.negotiated;
  }

  private setApiVersion(version: string | undefined): void {
    this.apiPrefix = version ? `/v${version}` : '';
    for (const api of [this.api, this.streamApi]) (api.modem as { version?: string }).version = version ? `v${version}` : undefined;
  }

  ping(): Promise<unknown> {
    return this.call('ping', () => this.api.ping());
  }

  /** GET /version as the daemon sent it, its fields checked (responseSchemas.ts). */
  version(): Promise<VersionAnswer> {
    return this.read('version', '/version', () => this.api.version() as unknown as Promise<VersionAnswer>, answers().versionAnswer);
  }

  info(): Promise<InfoAnswer> {
    return this.read('info', '/info', () => this.api.info() as Promise<InfoAnswer>, answers().infoAnswer);
  }

  // Each answer is checked against its schema (responseSchemas.ts) and then returned as the
  // daemon sent it, typed as dockerode declares it (or, above, as the schema reads it).
  listNetworks(): Promise<RawNetwork[]> {
    return this.read('list networks', '/networks', () => this.api.listNetworks(), answers().networkListAnswer);
  }

  /** GET /nodes: a swarm manager only ("This node is not a swarm manager…" elsewhere). */
  listNodes(): Promise<NodeAnswer[]> {
    return this.call('list nodes', async () => checked(answers().nodeListAnswer, (await this.api.listNodes()) as NodeAnswer[]));
  }

  listContainers(): Promise<RawContainer[]> {
    return this.read(
      'list containers',
      '/containers/json?all=true',
      () => this.api.listContainers({ all: true }),
      answers().containerListAnswer,
    );
  }

  /** One container's list entry (`filters={"id":[id]}`: the daemon looks it up, no walk of all); [] when gone. */
  listContainer(id: string): Promise<RawContainer[]> {
    const filters = { id: [id] };
    return this.read(
      `list container ${id.slice(0, 12)}`,
      `/containers/json?all=true&filters=${encodeURIComponent(JSON.stringify(filters))}`,
      () => this.api.listContainers({ all: true, filters }),
      answers().containerListAnswer,
    );
  }

  /** One network's list entry (`filters={"id":[id]}`), as `listNetworks` has it; [] when gone. */
  listNetwork(id: string): Promise<RawNetwork[]> {
    const filters = { id: [id] };
    return this.read(
      `list network ${id.slice(0, 12)}`,
      `/networks?filters=${encodeURIComponent(JSON.stringify(filters))}`,
      () => this.api.listNetworks({ filters }),
      answers().networkListAnswer,
    );
  }

  inspectContainer(id: string): Promise<RawContainerInspect> {
    return this.read(
      `inspect container ${id.slice(0, 12)}`,
      `/containers/${encodeURIComponent(id)}/json`,
      () => this.api.getContainer(id).inspect(),
      answers().containerInspectAnswer,
    );
  }

  /** `verbose`: a swarm network's `Services` too (its tasks on every node), as `docker network inspect -v`. */
  inspectNetwork(id: string, { verbose = false } = {}): Promise<RawNetwork> {
    const network = this.api.getNetwork(id);
    // dockerode passes options on as the query string; its typings do not say so.
    const inspect = network.inspect.bind(network) as (options: { verbose?: boolean }) => Promise<unknown>;
    return this.read(
      `inspect network ${id.slice(0, 12)}`,
      `/networks/${encodeURIComponent(id)}${verbose ? '?verbose=true' : ''}`,
      async () => (await inspect(verbose ? { verbose: true } : {})) as RawNetwork,
      answers().networkAnswer,
    );
  }

  /** A GET through the lean path where there is one (jsonGet.ts), else dockerode; checked either way. */
  private read<T>(
    operation: string,
    path: string,
    viaDockerode: () => Promise<T>,
    schema: Parameters<typeof Answers.checkAnswer>[0],
  ): Promise<T> {
    const get = this.jsonGet;
    return this.call(operation, async () =>
      checked(schema, get ? ((await get(`${this.apiPrefix}${path}`, timerMs(this.options.timeoutMs))) as T) : await viaDockerode()),
    );
  }

  /**
   * Opens the daemon's event stream for network and container events. `onEnd` is called once,
   * with the reason, when the stream breaks (daemon stopped, socket closed).
   */
  async followEvents(onEvent: (event: DockerEvent) => void, onEnd: (reason: string) => void): Promise<DockerEventStream> {
    const stream = await this.call('open event stream', () => this.streamApi.getEvents({ filters: { type: ['network', 'container'] } }));
    return new DockerEventStream(stream, onEvent, onEnd);
  }

  /**
   * Runs any dockerode call with this client's timeout, counter and error mapping: the one
   * door for operations that have no method of their own here (network create, connect...).
   */
  request<T>(operation: string, run: (api: Dockerode) => Promise<T>): Promise<T> {
    return this.call(operation, () => run(this.api));
  }

  private async call<T>(operation: string, run: () => Promise<T>): Promise<T> {
    this.calls++;
    let timer: NodeJS.Timeout | undefined;
    const timeoutMs = timerMs(this.options.timeoutMs);
    const timeout = new Promise<never>((_, reject) => {
      // Time spent by the user reading a host key question is not the daemon's: the call waits,
      // and gets its full time again once they answered.
      const arm = (ms: number) => {
        timer = setTimeout(() => {
          if (this.sshCheck?.askingUser()) return arm(timeoutMs);
          const sinceAnswer = Date.now() - (this.sshCheck?.answeredAt ?? 0);
          if (sinceAnswer < timeoutMs) return arm(timeoutMs - sinceAnswer);
          reject(new DockerCallError(operation, this.hostName, `no answer within ${timeoutMs} ms`));
        }, ms);
      };
      arm(timeoutMs);
    });
    try {
      return await Promise.race([run(), timeout]);
    } catch (error) {
      if (error instanceof DockerCallError) throw error;
      if (isUnexpectedAnswerError(error)) throw new DockerCallError(operation, this.hostName, error.message, undefined, { cause: error });
      const sshFailure =
        this.endpoint.kind === 'ssh' ? (this.sshCheck?.refusalBehind(error) ?? describeSshFailure(error, this.endpoint)) : undefined;
      if (sshFailure) throw new SshLayerError(operation, this.hostName, sshFailure, undefined, { cause: error });
      throw toCallError(operation, this.hostName, error);
    } finally {
      clearTimeout(timer);
    }
  }
}

/** `answer` once `schema` accepts it: the daemon's own object, not zod's copy of it. */
function checked<T>(schema: Parameters<typeof Answers.checkAnswer>[0], answer: T): T {
  answers().checkAnswer(schema, answer);
  return answer;
}

/** The API version to speak: min(the daemon's, ours); the daemon's answer checked, never trusted. */
export function negotiateVersion(raw: Record<string, unknown>): DaemonVersion {
  const text = (value: unknown) => (typeof value === 'string' && value.trim() ? value.trim() : undefined);
  const apiVersion = text(raw.ApiVersion);
  if (!apiVersion || !/^\d+\.\d+$/.test(apiVersion)) {
    throw new Error(`the daemon's /version has no usable ApiVersion (${JSON.stringify(raw.ApiVersion ?? null)})`);
  }
  return {
    engine: text(raw.Version) ?? 'unknown',
    apiVersion,
    minApiVersion: text(raw.MinAPIVersion),
    negotiatedApi: compareApi(apiVersion, NEWEST_KNOWN_API) <= 0 ? apiVersion : NEWEST_KNOWN_API,
  };
}

/** Compares "1.41" and "1.45" as numbers per part ("1.9" < "1.41"). */
export function compareApi(a: string, b: string): number {
  const [aMajor, aMinor] = a.split('.').map(Number);
  const [bMajor, bMinor] = b.split('.').map(Number);
  return aMajor - bMajor || aMinor - bMinor;
}

function toCallError(operation: string, hostName: string, error: unknown): DockerCallError {
  const err = (error ?? {}) as { statusCode?: number; json?: { message?: string }; message?: string; code?: string };
  const reason =
    describeHttpsMismatch(err.statusCode, err.json?.message ?? err.message) ??
    err.json?.message ??
    describeSocketError(err.code, err.message) ??
    String(error);
  return new DockerCallError(operation, hostName, reason, err.statusCode);
}

/** dockerd answers 400 to plain HTTP on its TLS port: say what to change. */
function describeHttpsMismatch(statusCode: number | undefined, message: string | undefined): string | undefined {
  return statusCode === 400 && message?.includes('HTTP request to an HTTPS server')
    ? `${message.trim()} The daemon expects TLS: give the host its certificates (tlsCertPath in the hosts setting, or DOCKER_CERT_PATH with DOCKER_TLS_VERIFY=1).`
    : undefined;
}

/** Turns Node's terse socket codes into something a user can act on. */
function describeSocketError(code: string | undefined, message: string | undefined): string | undefined {
  switch (code) {
    case 'ENOENT':
      return `no Docker socket there (${message ?? code}); is dockerd running?`;
    case 'ECONNREFUSED':
      return `connection refused (${message ?? code}); is dockerd running?`;
    case 'EACCES':
      return `permission denied on the Docker socket (${message ?? code}); is your user in the docker group?`;
    case 'UNABLE_TO_VERIFY_LEAF_SIGNATURE':
    case 'SELF_SIGNED_CERT_IN_CHAIN':
    case 'DEPTH_ZERO_SELF_SIGNED_CERT':
    case 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY':
      return `${message ?? code}: the daemon's certificate is not signed by the ca.pem given (tlsCertPath / DOCKER_CERT_PATH); use that daemon's CA`;
    case 'ERR_TLS_CERT_ALTNAME_INVALID':
      return `${message ?? code}: connect by a name or address the daemon's certificate lists`;
    case 'CERT_HAS_EXPIRED':
      return `${message ?? code}: the daemon's certificate has expired`;
    default:
      return message;
  }
}

/** dockerode accepts a ready modem (`opts.modem`), which its typings do not declare. */
function withModem(modem: Modem): Dockerode {
  return new (dockerLibraries().Dockerode)({ modem } as Dockerode.DockerOptions);
}

/**
 * docker-modem reads DOCKER_HOST, DOCKER_TLS_VERIFY and DOCKER_CERT_PATH from process.env even
 * when explicit options are given, and throws on a malformed DOCKER_HOST. Host resolution has
 * already interpreted those variables, so hide them while the modem is constructed. Synchronous,
 * so nothing else can observe the change.
 */
function createModem(endpoint: HostEndpoint, timeoutMs: number | undefined, ssh: SshHostCheck | undefined): Modem {
  const hidden = ['DOCKER_HOST', 'DOCKER_TLS_VERIFY', 'DOCKER_CERT_PATH', 'DOCKER_CLIENT_TIMEOUT'];
  const saved = hidden.map((name) => [name, process.env[name]] as const);
  for (const name of hidden) delete process.env[name];
  try {
    // docker-modem's idle `timeout` calls setTimeout on the socket, which an ssh channel lacks
    // (TypeError, uncaught), and its connectionTimeout would abort a call while the user is asked
    // about the host key: over ssh only our own timer (call()) bounds a call.
    const overSsh = endpoint.kind === 'ssh';
    return new (dockerLibraries().Modem)({
      ...modemOptions(endpoint, ssh),
      timeout: overSsh ? undefined : timeoutMs,
      connectionTimeout: overSsh ? undefined : timeoutMs,
    });
  } finally {
    for (const [name, value] of saved) if (value !== undefined) process.env[name] = value;
  }
}

function modemOptions(endpoint: HostEndpoint, ssh: SshHostCheck | undefined): Modem.ConstructorOptions {
  switch (endpoint.kind) {
    case 'unix':
      return { socketPath: endpoint.socketPath };
    case 'ssh':
      return {
        protocol: 'ssh',
        host: endpoint.host,
        port: endpoint.port,
        username: endpoint.username,
        // Passed to ssh2's Client.connect. Without a hostVerifier ssh2 accepts any host key.
        sshOptions: {
          agent: endpoint.auth?.agentSocket,
          privateKey: endpoint.auth?.identityFile ? fs.readFileSync(endpoint.auth.identityFile) : undefined,
          hostVerifier: ssh?.verify,
          ...(ssh?.algorithms ? { algorithms: { serverHostKey: ssh.algorithms } } : {}),
        } as Modem.ConstructorOptions['sshOptions'],
      };
    case 'tcp': {
      const tls = endpoint.tls;
      if (!tls) return { protocol: 'http', host: endpoint.host, port: endpoint.port };
      const read = (file: string | undefined) => (file ? fs.readFileSync(file) : undefined);
      const files = { ca: read(tls.ca), cert: read(tls.cert), key: read(tls.key) };
      return {
        protocol: 'https',
        host: endpoint.host,
        port: endpoint.port,
        ...files,
        // Verification off is the user's explicit choice (context SkipTLSVerify, or cert path
        // without DOCKER_TLS_VERIFY); host resolution has already warned about it.
        agent: tls.verify ? undefined : new https.Agent({ ...files, rejectUnauthorized: false }),
      };
    }
  }
}
