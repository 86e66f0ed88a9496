/**
 * A test's own sshd on 127.0.0.1: its host key, authorized key and config in a folder the test
 * owns (sshHost and faultsSsh log in to it as a Docker host over ssh://).
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { freePort } from './clusterStores';

export const SSHD = '/usr/sbin/sshd';

/** A new key pair without a passphrase: `dir/name` and `dir/name.pub`; answers the private key's path. */
export function sshKeygen(dir: string, name: string, type: 'ed25519' | 'ecdsa' = 'ed25519'): string {
  const file = path.join(dir, name);
  execFileSync('ssh-keygen', ['-q', '-t', type, '-N', '', '-f', file]);
  return file;
}

/** "TYPE BASE64" of a .pub file, as known_hosts and authorized_keys hold it. */
export function publicKey(file: string): string {
  return fs.readFileSync(file, 'utf8').trim().split(/\s+/).slice(0, 2).join(' ');
}

/**
 * dir/sshd_config for 127.0.0.1:port: host key dir/host_key, user_key.pub the one authorized key
 * (both made here), keys only, no PAM; `extra` lines after.
 */
export function writeSshdConfig(dir: string, port: number, extra: readonly string[] = []): void {
  sshKeygen(dir, 'host_key');
  sshKeygen(dir, 'user_key');
  fs.copyFileSync(path.join(dir, 'user_key.pub'), path.join(dir, 'authorized_keys'));
  const lines = [
    `Port ${port}`,
    'ListenAddress 127.0.0.1',
    `HostKey ${dir}/host_key`,
    `PidFile ${dir}/sshd.pid`,
    `AuthorizedKeysFile ${dir}/authorized_keys`,
    'PasswordAuthentication no',
    'KbdInteractiveAuthentication no',
    'PermitRootLogin prohibit-password',
    'UsePAM no',
    'StrictModes no',
    ...extra,
  ];
  fs.writeFileSync(path.join(dir, 'sshd_config'), lines.join('\n'));
  fs.mkdirSync('/run/sshd', { recursive: true }); // its privilege-separation directory
}

/** sshd -D on dir/sshd_config (log in dir/sshd.log), once its port answers. Stop it by its PID. */
export async function startSshd(dir: string, port: number, options: { detached?: boolean } = {}): Promise<ChildProcess> {
  const sshd = spawn(SSHD, ['-D', '-e', '-f', path.join(dir, 'sshd_config')], {
    detached: options.detached ?? false,
    stdio: ['ignore', 'ignore', fs.openSync(path.join(dir, 'sshd.log'), 'a')],
  });
  await listening(port);
  return sshd;
}

/** Resolves once something accepts TCP connections on 127.0.0.1:`port`. */
export async function listening(port: number, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const open = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, '127.0.0.1', () => (socket.end(), resolve(true)));
      socket.on('error', () => resolve(false));
    });
    if (open) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`sshd is not listening on ${port}`);
}

/** One sshd on a free port with its files in `dir` (host_key, user_key authorized, sshd_config, sshd.log). */
export class SshServer {
  port = 0;
  private process: ChildProcess | undefined;

  constructor(readonly dir: string) {}

  get userKey(): string {
    return path.join(this.dir, 'user_key');
  }

  /** The known_hosts line for this server's key. */
  get knownHostsLine(): string {
    return `[127.0.0.1]:${this.port} ${publicKey(path.join(this.dir, 'host_key.pub'))}`;
  }

  async start(): Promise<void> {
    this.port = await freePort();
    writeSshdConfig(this.dir, this.port);
    this.process = await startSshd(this.dir, this.port);
  }

  stop(): void {
    this.process?.kill('SIGTERM');
  }
}
