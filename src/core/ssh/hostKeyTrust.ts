/**
 * Decides whether to go on with an ssh host that presented a key, as `ssh` (and so the docker
 * CLI) would with StrictHostKeyChecking=ask: a key in known_hosts goes on; a changed, revoked or
 * CA-only key is refused with the fingerprints; an unknown key is refused unless `askUnknown`
 * (the VS Code layer's modal question) says to trust it, and then it is recorded in the user's
 * known_hosts. Without `askUnknown` (the headless doctor) an unknown key is refused.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  checkHostKey,
  entryMatches,
  entryPlace,
  fingerprint,
  keyBlobType,
  keyTypeLabel,
  knownHostsLine,
  lookupName,
  parseKnownHosts,
  type KnownHostsEntry,
} from './knownHosts';
import { errorMessage } from '../util/errors';

/** The user's file first: a trusted key is written there, as ssh does. */
export function defaultKnownHostsFiles(homeDir: string = os.homedir()): string[] {
  return [path.join(homeDir, '.ssh', 'known_hosts'), '/etc/ssh/ssh_known_hosts'];
}

/** The ssh server being verified, as the endpoint names it. */
export interface SshTarget {
  host: string;
  port: number;
  username?: string;
}

export interface UnknownHostKey extends SshTarget {
  /** How the host is written in known_hosts: `host` or `[host]:port`. */
  name: string;
  /** ED25519, ECDSA, RSA… */
  keyType: string;
  fingerprint: string;
  /** Key types already known for this host (ssh warns about this case too). */
  otherTypes: string[];
  /** Where the key is written if the user trusts it. */
  recordIn: string;
}

export type HostKeyDecision = { accept: true } | { accept: false; reason: string };

export interface HostKeyTrustOptions {
  /** Asks the user about an unknown key; true trusts and records it. Absent: refuse. */
  askUnknown?(question: UnknownHostKey): Promise<boolean>;
}

export class HostKeyTrust {
  /** One question per host and key at a time, however many connections need the answer. */
  private readonly asking = new Map<string, Promise<HostKeyDecision>>();
  /** Keys the user declined: not asked again until `forgetDeclined` (an explicit retry). */
  private readonly declined = new Set<string>();

  constructor(private readonly options: HostKeyTrustOptions = {}) {}

  /** True while the user is being asked about this host: calls to it wait rather than time out. */
  isAsking(host: string, port: number): boolean {
    const name = lookupName(host, port);
    return [...this.asking.keys()].some((key) => key.startsWith(`${name} `));
  }

  forgetDeclined(host: string, port: number): void {
    const name = lookupName(host, port);
    for (const key of this.declined) if (key.startsWith(`${name} `)) this.declined.delete(key);
  }

  /** The known-hosts files' verdict on `key` (the raw blob ssh2 hands its hostVerifier). */
  async decide(target: SshTarget, key: Buffer, files: readonly string[]): Promise<HostKeyDecision> {
    const name = lookupName(target.host, target.port);
    const keyType = keyBlobType(key) ?? 'unknown';
    const presented = `${keyTypeLabel(keyType)} key ${fingerprint(key)}`;
    const check = checkHostKey(files.flatMap(readEntries), name, key);
    switch (check.kind) {
      case 'known':
        return { accept: true };
      case 'revoked':
        return refuse(
          `The ssh host key of ${name} (${presented}) is marked @revoked in ${entryPlace(check.entry)}: refused. Ask the host's administrator for its current key.`,
        );
      case 'changed':
        return refuse(
          `The ssh host key of ${name} has CHANGED: ${check.entries.map((entry) => `${entryPlace(entry)} has ${keyTypeLabel(entry.keyType)} key ${fingerprint(entry.key)}`).join(', ')}; ` +
            `the host now presents ${presented}. Someone may be intercepting the connection (man in the middle), or the host was reinstalled. Refused. ` +
            `If the host's administrator confirms the new key, remove the old one (ssh-keygen -R "${name}") and connect again.`,
        );
      case 'cert-authority':
        return refuse(
          `known_hosts trusts a certificate authority (@cert-authority, ${check.entries.map(entryPlace).join(', ')}) for ${name}, and host certificates are not supported here: refused. ` +
            `To connect, add the host's own key (${presented}) to ${files[0]} once its administrator has confirmed it.`,
        );
      case 'unknown':
        return this.unknown(
          {
            ...target,
            name,
            keyType: keyTypeLabel(keyType),
            fingerprint: fingerprint(key),
            otherTypes: check.otherTypes.map(keyTypeLabel),
            recordIn: files[0],
          },
          key,
        );
    }
  }

  private unknown(question: UnknownHostKey, key: Buffer): Promise<HostKeyDecision> {
    const id = `${question.name} ${question.fingerprint}`;
    const known = question.otherTypes.length ? ` (known_hosts has only its ${question.otherTypes.join(', ')} key)` : '';
    const notKnown = `The ssh host key of ${question.name} is not known${known}: ${question.keyType} key ${question.fingerprint}.`;
    const ask = this.options.askUnknown;
    if (!ask) {
      return Promise.resolve(
        refuse(
          `${notKnown} Refused: check that fingerprint with the host's administrator, then connect once with ssh (ssh -p ${question.port} ${question.username ? `${question.username}@` : ''}${question.host}), which records it in ${question.recordIn}.`,
        ),
      );
    }
    if (this.declined.has(id)) return Promise.resolve(refuse(`${notKnown} You chose not to trust it; Retry to be asked again.`));
    const pending = this.asking.get(id);
    if (pending) return pending;
    const answer = ask(question)
      .then((trusted): HostKeyDecision => {
        if (!trusted) {
          this.declined.add(id);
          return refuse(`${notKnown} You chose not to trust it; Retry to be asked again.`);
        }
        recordKey(question.recordIn, question.name, key);
        return { accept: true };
      })
      .catch((error: unknown) => refuse(`${notKnown} It could not be recorded: ${errorMessage(error)}`))
      .finally(() => this.asking.delete(id));
    this.asking.set(id, answer);
    return answer;
  }
}

function refuse(reason: string): HostKeyDecision {
  return { accept: false, reason };
}

/** Key types the files hold for this host (not @revoked/@cert-authority lines): the ones to ask for first. */
export function knownKeyTypes(files: readonly string[], host: string, port: number): string[] {
  const name = lookupName(host, port);
  return files
    .flatMap(readEntries)
    .filter((entry) => !entry.marker && entryMatches(entry, name))
    .map((entry) => entry.keyType);
}

/** A missing or unreadable file holds no keys (ssh treats it the same way). */
function readEntries(file: string): KnownHostsEntry[] {
  try {
    return parseKnownHosts(fs.readFileSync(file, 'utf8'), file);
  } catch {
    return [];
  }
}

/** Appends the key, creating ~/.ssh (0700) and the file (0600) if needed, on a line of its own. */
function recordKey(file: string, name: string, key: Buffer): void {
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  let before = '';
  try {
    before = fs.readFileSync(file, 'utf8');
  } catch {
    // A new file.
  }
  const separator = before === '' || before.endsWith('\n') ? '' : '\n';
  fs.appendFileSync(file, `${separator}${knownHostsLine(name, key)}\n`, { mode: 0o600 });
}
