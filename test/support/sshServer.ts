/**
 * An sshd of a test's own on loopback: its own host key, config, authorized key and a user key
 * to log in with, as test/integration/sshHost.test.ts sets one up. Stopped by its PID.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { freePort } from './clusterStores';

export const SSHD = '/usr/sbin/sshd';

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

/** "ssh-ed25519 AAAA…" of a .pub file (no comment). */
export const publicKeyOf = (file: string): string => fs.readFileSync(file, 'utf8').trim().split(/\s+/).slice(0, 2).join(' ');

export class SshServer {
  port = 0;
  private process: ChildProcess | undefined;

  /** `dir` holds its files: host_key, user_key (authorized), sshd_config, sshd.log. */
  constructor(readonly dir: string) {}

  get userKey(): string {
    return path.join(this.dir, 'user_key');
  }

  /** The known_hosts line for this server's key. */
  get knownHostsLine(): string {
    return `[127.0.0.1]:${this.port} ${publicKeyOf(path.join(this.dir, 'host_key.pub'))}`;
  }

  async start(): Promise<void> {
    this.port = await freePort();
    for (const name of ['host_key', 'user_key']) {
      execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', path.join(this.dir, name)]);
    }
    fs.copyFileSync(path.join(this.dir, 'user_key.pub'), path.join(this.dir, 'authorized_keys'));
    fs.writeFileSync(
      path.join(this.dir, 'sshd_config'),
      [
        `Port ${this.port}`,
        'ListenAddress 127.0.0.1',
        `HostKey ${this.dir}/host_key`,
        `PidFile ${this.dir}/sshd.pid`,
        `AuthorizedKeysFile ${this.dir}/authorized_keys`,
        'PasswordAuthentication no',
        'KbdInteractiveAuthentication no',
        'PermitRootLogin prohibit-password',
        'UsePAM no',
        'StrictModes no',
      ].join('\n'),
    );
    fs.mkdirSync('/run/sshd', { recursive: true }); // its privilege-separation directory
    this.process = spawn(SSHD, ['-D', '-e', '-f', path.join(this.dir, 'sshd_config')], {
      stdio: ['ignore', 'ignore', fs.openSync(path.join(this.dir, 'sshd.log'), 'a')],
    });
    await listening(this.port);
  }

  stop(): void {
    this.process?.kill('SIGTERM');
  }
}
