/**
 * Real cluster stores for integration tests, from Debian's packages: etcd 3.4 (/usr/bin/etcd)
 * and ZooKeeper 3.8 (/usr/share/java/zookeeper.jar). Each runs on free ports with its own temp
 * directory and is stopped by its PID. Also a network namespace joined to the root one by a
 * veth pair, so a private dockerd and the test process can reach the same store address.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import * as tls from 'node:tls';

/** A port nothing listens on right now (bound and released by the kernel's choice). */
export function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, host, () => {
      const port = (server.address() as net.AddressInfo).port;
      server.close(() => resolve(port));
    });
  });
}

/** A child process of the test, its directory, and how to stop both. */
class StoreProcess {
  private readonly exited: Promise<void>;

  constructor(
    readonly child: ChildProcess,
    readonly dir: string,
    readonly logFile: string,
  ) {
    this.exited = new Promise((resolve) => child.once('exit', () => resolve()));
    child.once('error', () => undefined); // seen through exitCode and the log
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  logTail(lines = 30): string {
    try {
      return fs.readFileSync(this.logFile, 'utf8').split('\n').slice(-lines).join('\n');
    } catch {
      return '';
    }
  }

  async waitUntil(ready: () => Promise<boolean>, what: string, timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (!this.running) throw new Error(`${what} exited (${this.child.exitCode}):\n${this.logTail()}`);
      if (await ready()) return;
      await sleep(100);
    }
    throw new Error(`${what} not ready within ${timeoutMs} ms:\n${this.logTail()}`);
  }

  /** SIGTERM by PID, SIGKILL after 10 s, then the directory goes. Idempotent. */
  async stop(): Promise<void> {
    if (this.running) {
      this.child.kill('SIGTERM');
      const timer = setTimeout(() => this.child.kill('SIGKILL'), 10_000);
      await this.exited;
      clearTimeout(timer);
    }
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}

function startProcess(prefix: string, command: string, args: (dir: string) => string[]): StoreProcess {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  const logFile = path.join(dir, 'log');
  const log = fs.openSync(logFile, 'a');
  const child = spawn(command, args(dir), { stdio: ['ignore', log, log], detached: true });
  fs.closeSync(log);
  return new StoreProcess(child, dir, logFile);
}

export interface RunningStore {
  host: string;
  port: number;
  url: string;
  pid: number | undefined;
  stop(): Promise<void>;
}

/** Server side TLS for etcd: its certificate and key, and the CA its clients' certificates must chain to. */
export interface EtcdTls {
  certFile: string;
  keyFile: string;
  trustedCaFile: string;
}

/**
 * etcd on `host`:free port; `enableV2` decides whether Docker's v2 store client can use it.
 * `tls`: HTTPS only, client certificates required. `advertise`: the client URL it advertises
 * (default its own), `alsoLoopback`: also listen on 127.0.0.1 at the same port.
 */
export async function startEtcd(options: {
  enableV2: boolean;
  host?: string;
  tls?: EtcdTls;
  advertise?: (port: number) => string;
  alsoLoopback?: boolean;
}): Promise<RunningStore> {
  const host = options.host ?? '127.0.0.1';
  const port = await freePort(host);
  const peerPort = await freePort();
  const peer = `http://127.0.0.1:${peerPort}`;
  const scheme = options.tls ? 'https' : 'http';
  const listen = [`${scheme}://${host}:${port}`, ...(options.alsoLoopback ? [`${scheme}://127.0.0.1:${port}`] : [])].join(',');
  const proc = startProcess('dne-etcd-', '/usr/bin/etcd', (dir) => [
    '--name',
    'dne',
    '--data-dir',
    path.join(dir, 'data'),
    '--listen-client-urls',
    listen,
    '--advertise-client-urls',
    options.advertise?.(port) ?? `${scheme}://${host}:${port}`,
    '--listen-peer-urls',
    peer,
    '--initial-advertise-peer-urls',
    peer,
    '--initial-cluster',
    `dne=${peer}`,
    ...(options.enableV2 ? ['--enable-v2=true'] : []),
    ...(options.tls
      ? [
          '--cert-file',
          options.tls.certFile,
          '--key-file',
          options.tls.keyFile,
          '--trusted-ca-file',
          options.tls.trustedCaFile,
          '--client-cert-auth',
        ]
      : []),
  ]);
  const store = { host, port, url: `etcd://${host}:${port}`, pid: proc.child.pid, stop: () => proc.stop() };
  // Over TLS: up once it completes a handshake (it asks a client certificate of every request after that).
  const ready = options.tls ? () => tlsHandshake(host, port) : async () => (await get(host, port, '/health')).includes('"health":"true"');
  try {
    await proc.waitUntil(ready, 'etcd');
  } catch (error) {
    await proc.stop();
    throw error;
  }
  return store;
}

/** A ZooKeeper secureClientPort's server side: PEM files as zoo.cfg's ssl.keyStore / ssl.trustStore read them. */
export interface ZookeeperTls {
  /** The server's private key (PKCS#8) followed by its certificate. */
  keyStoreFile: string;
  /** The CA its clients' certificates must chain to. */
  trustStoreFile: string;
}

/** True when a TLS server answers there: a completed handshake, or its alert. */
function tlsAnswers(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = tls.connect({ host, port, rejectUnauthorized: false }, () => (socket.destroy(), resolve(true)));
    socket.setTimeout(2000, () => socket.destroy());
    socket.on('error', (error: NodeJS.ErrnoException) => resolve(/ALERT/.test(error.code ?? '')));
    socket.on('close', () => resolve(false));
  });
}

/** True when a TLS handshake completes there (nothing is verified). */
function tlsHandshake(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = tls.connect({ host, port, rejectUnauthorized: false }, () => {
      socket.destroy();
      resolve(true);
    });
    socket.setTimeout(2000, () => socket.destroy());
    socket.on('error', () => resolve(false));
    socket.on('close', () => resolve(false));
  });
}

/**
 * ZooKeeper 3.8 on `host` (default 127.0.0.1):free port. `withoutQuorum` configures a two-server ensemble and
 * starts only this one: it stays LOOKING, and answers `srvr` with "This ZooKeeper instance is
 * not currently serving requests" and closes session handshakes (srvr cannot be switched off in
 * 3.8: it is always whitelisted, so the session fallback is tested directly on these servers).
 * `tls`: clients only on a secureClientPort (Netty, client certificates required), no plain port.
 */
export async function startZookeeper(options: { withoutQuorum?: boolean; host?: string; tls?: ZookeeperTls } = {}): Promise<RunningStore> {
  const host = options.host ?? '127.0.0.1';
  const port = await freePort(host);
  const quorumPorts = options.withoutQuorum ? await Promise.all([1, 2, 3, 4].map(() => freePort())) : [];
  const proc = startProcess('dne-zk-', '/usr/bin/java', (dir) => {
    fs.mkdirSync(path.join(dir, 'data'));
    fs.writeFileSync(path.join(dir, 'data', 'myid'), '1\n');
    const config = [
      'tickTime=2000',
      'initLimit=5',
      'syncLimit=2',
      `dataDir=${path.join(dir, 'data')}`,
      ...(options.tls
        ? [
            `secureClientPort=${port}`,
            `secureClientPortAddress=${host}`,
            'serverCnxnFactory=org.apache.zookeeper.server.NettyServerCnxnFactory',
            // ZooKeeper 3.5+ reads PEM directly: the key and its certificate in one file, the CA in another.
            `ssl.keyStore.location=${options.tls.keyStoreFile}`,
            'ssl.keyStore.type=PEM',
            `ssl.trustStore.location=${options.tls.trustStoreFile}`,
            'ssl.trustStore.type=PEM',
          ]
        : [`clientPort=${port}`, `clientPortAddress=${host}`]),
      'admin.enableServer=false',
      // Only srvr (always on in 3.8): the other four-letter words answer "not in the whitelist".
      '4lw.commands.whitelist=',
      ...(options.withoutQuorum
        ? [`server.1=127.0.0.1:${quorumPorts[0]}:${quorumPorts[1]}`, `server.2=127.0.0.1:${quorumPorts[2]}:${quorumPorts[3]}`]
        : []),
    ];
    fs.writeFileSync(path.join(dir, 'zoo.cfg'), config.join('\n') + '\n');
    return [
      '-Xmx96m',
      '-cp',
      // Debian's zookeeper.jar lists netty-handler but not netty-codec, which Netty's SslHandler needs
      // (NoClassDefFoundError: io/netty/handler/codec/ByteToMessageDecoder on every TLS connection).
      `/etc/zookeeper/conf:/usr/share/java/zookeeper.jar${options.tls ? ':/usr/share/java/netty-codec.jar' : ''}`,
      'org.apache.zookeeper.server.quorum.QuorumPeerMain',
      path.join(dir, 'zoo.cfg'),
    ];
  });
  const store = { host, port, url: `zk://${host}:${port}`, pid: proc.child.pid, stop: () => proc.stop() };
  // Ready when srvr reports a mode (standalone), or, without quorum, once it says it is not serving.
  const ready = options.withoutQuorum ? 'not currently serving' : 'Mode: standalone';
  try {
    // Over TLS a handshake without a client certificate ends in ZooKeeper's alert: listening is what can be told.
    const up = options.tls ? () => tlsAnswers(host, port) : async () => (await fourLetterWord(port, 'srvr', host)).includes(ready);
    await proc.waitUntil(up, 'zookeeper', 60_000);
  } catch (error) {
    await proc.stop();
    throw error;
  }
  return store;
}

/** Sends a four-letter word and returns whatever came back before the server closed. */
export function fourLetterWord(port: number, word: string, host = '127.0.0.1'): Promise<string> {
  return new Promise((resolve) => {
    let text = '';
    const socket = net.connect({ host, port }, () => socket.write(word));
    socket.setTimeout(2000, () => socket.destroy());
    socket.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
    socket.on('close', () => resolve(text));
    socket.on('error', () => resolve(text));
  });
}

/** GET on an HTTP server; '' when it does not answer. */
export function get(host: string, port: number, urlPath: string): Promise<string> {
  return new Promise((resolve) => {
    const request = http.get({ host, port, path: urlPath, timeout: 2000, agent: false }, (response) => {
      let body = '';
      response.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
      response.on('end', () => resolve(body));
    });
    request.on('error', () => resolve(''));
    request.on('timeout', () => request.destroy());
  });
}

/**
 * A named network namespace joined to the root namespace by a veth pair on a /30 of 10.213.x.0
 * that no local address or route uses: `hostAddress` on the root side, `namespaceAddress`
 * inside. Deleting the namespace deletes the pair.
 */
export class VethNamespace {
  readonly name = `dne-${randomBytes(3).toString('hex')}`;
  readonly path = `/run/netns/${this.name}`;
  hostAddress = '';
  namespaceAddress = '';
  private readonly hostLink = `${this.name}-h`;

  async create(): Promise<void> {
    const used = (await output('ip', ['-4', '-o', 'addr'])) + (await output('ip', ['-4', 'route']));
    const third = [...Array(256).keys()].map((n) => (n * 37 + 101) % 256).find((n) => !used.includes(`10.213.${n}.`));
    if (third === undefined) throw new Error('no free 10.213.x.0/30 for the test namespace');
    this.hostAddress = `10.213.${third}.1`;
    this.namespaceAddress = `10.213.${third}.2`;
    const inside = ['ip', 'netns', 'exec', this.name];
    await exec('ip', ['netns', 'add', this.name]);
    await exec('ip', ['link', 'add', this.hostLink, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', this.name]);
    await exec('ip', ['addr', 'add', `${this.hostAddress}/30`, 'dev', this.hostLink]);
    await exec('ip', ['link', 'set', this.hostLink, 'up']);
    await exec(inside[0], [...inside.slice(1), 'ip', 'addr', 'add', `${this.namespaceAddress}/30`, 'dev', 'eth0']);
    await exec(inside[0], [...inside.slice(1), 'ip', 'link', 'set', 'eth0', 'up']);
    await exec(inside[0], [...inside.slice(1), 'ip', 'link', 'set', 'lo', 'up']);
  }

  async dispose(): Promise<void> {
    await output('ip', ['netns', 'del', this.name]);
    await output('ip', ['link', 'del', this.hostLink]); // gone with the namespace already, normally
  }
}

function exec(command: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    let errors = '';
    const child = spawn(command, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    child.stderr.on('data', (chunk: Buffer) => (errors += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`${command} ${args.join(' ')} failed (${code}): ${errors}`))));
  });
}

function output(command: string, args: string[]): Promise<string> {
  return new Promise((resolve) => {
    let text = '';
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'ignore'] });
    child.stdout.on('data', (chunk: Buffer) => (text += chunk.toString()));
    child.on('error', () => resolve(text));
    child.on('close', () => resolve(text));
  });
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
