/**
 * Real-daemon fixtures for integration tests and the benchmark: a busybox image built without a
 * registry, and a `DockerFixture` that names and labels every network and container it creates
 * so that `cleanup()` can find and remove them all, even ones whose create call failed halfway.
 * Talks to the daemon through dockerode directly, not through the code under test.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { PassThrough } from 'node:stream';
import Dockerode from 'dockerode';
import type { DockerHost, HostEndpoint } from '../../src/core/hosts/dockerHost';
import { mapLimit } from '../../src/core/util/mapLimit';
import { findRepoRoot } from './codeServer';
import { importTool, toolsLib } from './toolModule';
import { socketHost } from './models';

export const TEST_IMAGE = 'dne-busybox:test';
export const TEST_LABEL = 'dne.test';
/** The creating process: lets a later run remove what a killed run (Ctrl-C, SIGPIPE) left. */
export const PID_LABEL = 'dne.test.pid';
/** Served by `httpd -f -p 80 -h /www` in the test image. */
export const INDEX_HTML = '<html><body><h1>dne-busybox test page</h1></body></html>\n';

/** The socket tests use: DOCKER_HOST when it is a unix:// URL, otherwise Docker's default. */
export function defaultSocketPath(): string {
  const fromEnv = process.env.DOCKER_HOST;
  return fromEnv?.startsWith('unix://') ? fromEnv.slice('unix://'.length) : '/var/run/docker.sock';
}

/** The endpoint of a local socket, for a DockerClient. */
export function unixEndpoint(socketPath = defaultSocketPath()): HostEndpoint {
  return { kind: 'unix', socketPath };
}

/** A DockerHost for a local socket, shaped like host resolution would produce it. */
export function unixHost(socketPath = defaultSocketPath(), name = 'test'): DockerHost {
  return socketHost(name, socketPath);
}

/** Builds `dne-busybox:test` from the host's static busybox unless it exists; returns its name. */
export async function ensureTestImage(docker = new Dockerode({ socketPath: defaultSocketPath() })): Promise<string> {
  // The rootfs and import live in tools/docker/busyboxImage.mjs, shared with the lab (tools/lab/).
  const { ensureBusyboxImage } = await importTool<BusyboxImageModule>(findRepoRoot(), 'docker', 'busyboxImage.mjs');
  return ensureBusyboxImage(docker, { image: TEST_IMAGE, indexHtml: INDEX_HTML });
}

interface BusyboxImageModule {
  ensureBusyboxImage(docker: Dockerode, options: { image: string; indexHtml: string }): Promise<string>;
}

export interface ExecResult {
  exitCode: number;
  output: string;
}

/**
 * Runs `cmd` in a running container through the API (as `docker exec`), stdout and stderr
 * together; rejects when it has not finished within `timeoutMs`.
 */
export async function execInContainer(docker: Dockerode, id: string, cmd: string[], timeoutMs = 15_000): Promise<ExecResult> {
  const exec = await docker.getContainer(id).exec({ Cmd: cmd, AttachStdout: true, AttachStderr: true });
  const stream = await exec.start({ hijack: true, stdin: false });
  const chunks: Buffer[] = [];
  const sink = new PassThrough().on('data', (chunk: Buffer) => chunks.push(chunk));
  docker.modem.demuxStream(stream, sink, sink);
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      stream.destroy();
      reject(new Error(`${cmd.join(' ')} did not finish within ${timeoutMs} ms`));
    }, timeoutMs);
    stream.on('end', () => (clearTimeout(timer), resolve()));
    stream.on('error', (error) => (clearTimeout(timer), reject(error)));
  });
  // The stream can end a moment before the daemon records the exit code.
  for (let tries = 0; ; tries++) {
    const info = await exec.inspect();
    if (!info.Running || tries > 50) return { exitCode: info.ExitCode ?? -1, output: Buffer.concat(chunks).toString() };
    await sleep(100);
  }
}

export function statusOf(error: unknown): number | undefined {
  return (error as { statusCode?: number } | undefined)?.statusCode;
}

export interface NetworkOptions {
  /** Suffix; the fixture prepends its per-run prefix. */
  name: string;
  driver?: string;
  subnet?: string;
  gateway?: string;
  ipRange?: string;
  internal?: boolean;
}

/** A network to join, by full name or ID, with endpoint-scoped aliases and links. */
export interface Attachment {
  network: string;
  aliases?: string[];
  /** "container:alias", as `docker run --link` takes them. */
  links?: string[];
}

export interface PublishedPort {
  containerPort: number;
  hostPort: number;
  protocol?: 'tcp' | 'udp';
  hostIp?: string;
}

export interface ContainerOptions {
  /** Suffix; the fixture prepends its per-run prefix. */
  name: string;
  cmd: string[];
  image?: string;
  /** The first is joined at create time, the others are connected before start. Default: bridge. */
  networks?: Array<string | Attachment>;
  ports?: PublishedPort[];
  /** Default true. */
  start?: boolean;
  /** Name servers for /etc/resolv.conf (`--dns`): ['127.0.0.1'] keeps lookups of test names off the host's resolver. */
  dns?: string[];
  /** resolv.conf options (`--dns-option`), e.g. ['timeout:1', 'attempts:1'] for quick misses. */
  dnsOptions?: string[];
}

export interface Created {
  id: string;
  name: string;
}

/**
 * Creates networks and containers for one test run. Everything carries the label
 * `dne.test=<runId>` and the name prefix `dne-test-<runId>-`, so parallel runs never collide and
 * a crashed run's leftovers are recognisable. `cleanup()` is idempotent.
 */
export class DockerFixture {
  readonly runId: string;
  readonly prefix: string;
  readonly docker: Dockerode;
  private readonly labels: Record<string, string>;

  constructor(options: { socketPath?: string; runId?: string } = {}) {
    this.runId = options.runId ?? randomBytes(4).toString('hex');
    this.prefix = `dne-test-${this.runId}-`;
    this.labels = { [TEST_LABEL]: this.runId, [PID_LABEL]: String(process.pid) };
    this.docker = new Dockerode({ socketPath: options.socketPath ?? defaultSocketPath() });
  }

  /** The full name of a resource this fixture creates with `suffix`. */
  name(suffix: string): string {
    return this.prefix + suffix;
  }

  async createNetwork(options: NetworkOptions): Promise<Created> {
    const name = this.name(options.name);
    const hasIpam = options.subnet ?? options.gateway ?? options.ipRange;
    const network = await this.docker.createNetwork({
      Name: name,
      CheckDuplicate: true,
      Driver: options.driver ?? 'bridge',
      Internal: options.internal,
      Labels: this.labels,
      IPAM: hasIpam
        ? { Driver: 'default', Config: [{ Subnet: options.subnet, Gateway: options.gateway, IPRange: options.ipRange }] }
        : undefined,
    });
    return { id: network.id, name };
  }

  async runContainer(options: ContainerOptions): Promise<Created> {
    const name = this.name(options.name);
    const [first, ...others] = (options.networks ?? ['bridge']).map(toAttachment);
    const ports = options.ports ?? [];
    const portKey = (port: PublishedPort) => `${port.containerPort}/${port.protocol ?? 'tcp'}`;
    const container = await this.docker.createContainer({
      name,
      Image: options.image ?? TEST_IMAGE,
      Cmd: options.cmd,
      Labels: this.labels,
      ExposedPorts: Object.fromEntries(ports.map((port) => [portKey(port), {}])),
      HostConfig: {
        NetworkMode: first.network,
        Dns: options.dns,
        DnsOptions: options.dnsOptions,
        PortBindings: Object.fromEntries(
          ports.map((port) => [portKey(port), [{ HostIp: port.hostIp ?? '', HostPort: String(port.hostPort) }]]),
        ),
      },
      // API 1.41 accepts one network at create time; the rest are connected below.
      NetworkingConfig: { EndpointsConfig: { [first.network]: endpointConfig(first) } },
    });
    for (const attachment of others) await this.connect(container.id, attachment);
    if (options.start ?? true) await container.start();
    return { id: container.id, name };
  }

  async connect(container: string, attachment: string | Attachment): Promise<void> {
    const target = toAttachment(attachment);
    await this.docker.getNetwork(target.network).connect({ Container: container, EndpointConfig: endpointConfig(target) });
  }

  async disconnect(container: string, network: string, force = false): Promise<void> {
    await this.docker.getNetwork(network).disconnect({ Container: container, Force: force });
  }

  /**
   * Removes every container (forced) and then every network carrying this run's label. Found by
   * label rather than remembered, so a create that failed after the daemon acted is covered too.
   * Safe to call twice and concurrently (404/409 "already gone/in progress" are fine).
   */
  async cleanup(): Promise<void> {
    const { failures } = await removeLabelled(this.docker, `${TEST_LABEL}=${this.runId}`, () => true);
    if (failures.length) throw new Error(`cleanup of ${this.prefix}* left things behind:\n${failures.join('\n')}`);
  }

  /**
   * Removes what earlier runs on this machine left when they were killed before `cleanup()`:
   * resources whose creating process is gone. Live runs (other test files, a bench) are kept.
   */
  static async sweepOrphans(docker: Dockerode): Promise<SweepResult> {
    const { alive } = await toolsLib(findRepoRoot());
    // A label that is no PID is not ours to judge: kept.
    const gone = (pid: number) => Number.isInteger(pid) && pid > 0 && !alive(pid);
    return removeLabelled(docker, PID_LABEL, (labels) => gone(Number(labels[PID_LABEL])));
  }
}

export interface SweepResult {
  /** Containers and networks found (and removed unless listed in `failures`). */
  removed: number;
  failures: string[];
}

/** Removes containers (forced), then networks, carrying `label` and accepted by `select`. */
async function removeLabelled(docker: Dockerode, label: string, select: (labels: Record<string, string>) => boolean): Promise<SweepResult> {
  const filters = JSON.stringify({ label: [label] });
  const failures: string[] = [];
  const tolerate = (what: string) => (error: unknown) => {
    const status = statusOf(error);
    if (status !== 404 && status !== 409) failures.push(`${what}: ${(error as Error).message}`);
  };
  const containers = (await docker.listContainers({ all: true, filters })).filter((info) => select(info.Labels ?? {}));
  await mapLimit(containers, 16, (info) =>
    docker
      .getContainer(info.Id)
      .remove({ force: true, v: true })
      .catch(tolerate(`remove container ${info.Names[0]}`)),
  );
  const networks = (await docker.listNetworks({ filters })).filter((info) => select(info.Labels ?? {}));
  await mapLimit(networks, 8, (info) =>
    docker
      .getNetwork(info.Id)
      .remove()
      .catch(tolerate(`remove network ${info.Name}`)),
  );
  return { removed: containers.length + networks.length, failures };
}

function toAttachment(value: string | Attachment): Attachment {
  return typeof value === 'string' ? { network: value } : value;
}

function endpointConfig(attachment: Attachment): Dockerode.EndpointSettings {
  return { Aliases: attachment.aliases, Links: attachment.links };
}

/**
 * A dockerd of the test's own beside the main one: separate data/exec roots, pid file and socket,
 * vfs storage, its own network namespace, and no bridge, iptables, masquerading or ip_forward
 * change, so it touches nothing of the main daemon. It spawns its own containerd (state under its exec root) because none
 * listens at /run/containerd; a separate containerd namespace keeps it apart even if one did.
 */
export class PrivateDockerd {
  readonly socketPath: string;
  readonly logFile: string;
  readonly daemonJsonPath: string;
  private child: ReturnType<typeof spawn> | undefined;
  private exited: Promise<void> | undefined;

  /** `netns`: join this existing network namespace (e.g. /run/netns/x) instead of a new one. */
  constructor(
    readonly dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dne-dockerd-')),
    private readonly netns?: string,
    /** More dockerd flags (e.g. a TLS tcp listener). */
    private readonly extraArgs: readonly string[] = [],
    private readonly options: PrivateDockerdOptions = {},
  ) {
    this.socketPath = path.join(dir, 'docker.sock');
    this.logFile = path.join(dir, 'dockerd.log');
    this.daemonJsonPath = path.join(dir, 'daemon.json');
    fs.writeFileSync(this.daemonJsonPath, options.daemonJson ?? '{}\n');
  }

  /** dockerd's own arguments: its roots, socket and config file, then `extraArgs`. */
  get args(): string[] {
    const d = this.dir;
    return [
      `--host=unix://${this.socketPath}`,
      `--data-root=${d}/data`,
      `--exec-root=${d}/exec`,
      `--pidfile=${d}/docker.pid`,
      `--config-file=${this.daemonJsonPath}`,
      '--bridge=none',
      '--iptables=false',
      '--ip-masq=false',
      '--ip-forward=false',
      '--storage-driver=vfs',
      '--containerd-namespace=dne-private',
      '--containerd-plugins-namespace=dne-private-plugins',
      ...this.extraArgs,
    ];
  }

  /** Undefined once it exited, by itself or killed by a signal (a fault test's SIGKILL). */
  get pid(): number | undefined {
    return this.child?.exitCode === null && this.child.signalCode === null ? this.child.pid : undefined;
  }

  /** SIGKILL, as a crash: no clean shutdown; `stop()` afterwards reaps its containerd. */
  async kill(): Promise<void> {
    const pid = this.pid;
    if (pid === undefined) return;
    process.kill(pid, 'SIGKILL');
    await this.exited;
  }

  /** Starts dockerd and waits until it answers /_ping on its socket. */
  async start(timeoutMs = 60_000): Promise<void> {
    const outcome = await this.attempt(timeoutMs);
    if (!outcome.started) throw new Error(`private dockerd exited (${outcome.exitCode}):\n${this.logTail()}`);
  }

  /**
   * Starts dockerd and reports whether it came up (answers /_ping) or exited first, as a daemon
   * refusing its configuration does; throws only when it does neither within `timeoutMs`.
   */
  async attempt(timeoutMs = 60_000): Promise<StartOutcome> {
    if (this.pid) throw new Error(`private dockerd already running (pid ${this.pid})`);
    const log = fs.openSync(this.logFile, 'a');
    // Its own network namespace: a dockerd started with --bridge=none deletes any interface
    // named docker0 it can see (moby's removeDefaultBridgeInterface), which would take the main
    // daemon's default bridge away. The socket lives on the shared filesystem, so it is reachable.
    const [enter, ...enterArgs] = this.netns ? ['nsenter', `--net=${this.netns}`] : ['unshare', '--net'];
    const child = spawn(
      enter,
      [
        ...enterArgs,
        '--',
        // A new namespace's loopback starts down; swarm (tests of swarm overlays) listens on it.
        // `exec` keeps the PID, so stopping this child stops dockerd itself.
        'sh',
        '-c',
        `ip link set lo up && ${this.options.setup ? `${this.options.setup} && ` : ''}exec dockerd "$@"`,
        'dockerd',
        ...this.args,
      ],
      // Own process group: a Ctrl-C aimed at the test runner must not reach it before cleanup.
      { detached: true, stdio: ['ignore', log, log] },
    );
    fs.closeSync(log);
    this.child = child;
    this.exited = new Promise((resolve) => child.once('exit', () => resolve()));
    child.once('error', () => undefined); // surfaced below through exitCode / the log
    const { pingSocket } = await toolsLib(findRepoRoot());
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (child.exitCode !== null || child.pid === undefined) {
        await this.exited;
        return { started: false, exitCode: child.exitCode, log: readOr(this.logFile, '') };
      }
      if (await pingSocket(this.socketPath)) return { started: true };
      await sleep(100);
    }
    throw new Error(`private dockerd did not answer within ${timeoutMs} ms:\n${this.logTail()}`);
  }

  /** SIGTERM, wait for exit (SIGKILL after `timeoutMs`), then make sure its containerd is gone. */
  async stop(timeoutMs = 30_000): Promise<void> {
    const child = this.child;
    if (child?.pid !== undefined && child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(true), timeoutMs)));
      const tooLate = await Promise.race([this.exited!.then(() => false), late]);
      clearTimeout(timer); // a pending timer would keep the test process alive
      if (tooLate) {
        child.kill('SIGKILL');
        await this.exited;
      }
    }
    // A clean dockerd stops its containerd; after a SIGKILL it would be orphaned.
    const pidFile = path.join(this.dir, 'exec', 'containerd', 'containerd.pid');
    const containerdPid = Number(readOr(pidFile, ''));
    const cmdline = containerdPid > 0 ? readOr(`/proc/${containerdPid}/cmdline`, '') : '';
    if (cmdline.includes(this.dir)) {
      process.kill(containerdPid, 'SIGKILL');
    } else if (containerdPid > 0 && cmdline === '') {
      // It died with a killed dockerd and nobody reaped it: a zombie still answers kill(pid, 0), so
      // the next dockerd would wait for it instead of starting its own (a fault test's restart).
      fs.rmSync(pidFile, { force: true });
    }
  }

  logTail(lines = 40): string {
    return readOr(this.logFile, '').split('\n').slice(-lines).join('\n');
  }

  /** Stops the daemon and deletes its directory (after unmounting anything left under it). */
  async dispose(): Promise<void> {
    await this.stop();
    const mounts = readOr('/proc/self/mounts', '')
      .split('\n')
      .map((line) => line.split(' ')[1] ?? '')
      // The kernel lists mounts by real path; TMPDIR may reach the directory through a symlink.
      .filter((mountPoint) => mountPoint.startsWith(fs.realpathSync(this.dir) + '/'))
      .sort((a, b) => b.length - a.length);
    for (const mountPoint of mounts) await run('umount', ['-l', mountPoint]);
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}

export interface PrivateDockerdOptions {
  /** The text of its daemon.json (default `{}`). */
  daemonJson?: string;
  /** Shell commands run inside its network namespace before dockerd (e.g. make an interface). */
  setup?: string;
}

export type StartOutcome = { started: true } | { started: false; exitCode: number | null; log: string };

/**
 * The line dockerd gives up with: the first that is neither a log record (`time=…`) nor a
 * deprecation notice of a flag (`Flag --cluster-store has been deprecated…`).
 */
export function dockerdErrorLine(log: string): string | undefined {
  return log.split('\n').find((line) => line.trim() !== '' && !line.startsWith('time=') && !/^Flag --\S+ has been deprecated/.test(line));
}

function readOr(file: string, fallback: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return fallback;
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function run(command: string, args: string[]): Promise<number | null> {
  return new Promise((resolve) =>
    spawn(command, args, { stdio: 'ignore' })
      .on('close', resolve)
      .on('error', () => resolve(null)),
  );
}
