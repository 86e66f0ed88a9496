/**
 * OpenSSH's known_hosts, read as `ssh` reads it (sshd(8) "SSH_KNOWN_HOSTS FILE FORMAT"): plain
 * and hashed (`|1|salt|hash`, HMAC-SHA1) host fields, `[host]:port` for ports other than 22,
 * `*`/`?` wildcards and `!` negations, and the `@revoked` / `@cert-authority` markers. Pure: the
 * caller reads the files. No npm package parses this format with hashed entries and markers, and
 * ssh2 (our transport) has no known_hosts support at all, so this small reader is ours.
 */
import { createHash, createHmac } from 'node:crypto';

export type KnownHostsMarker = 'revoked' | 'cert-authority';

export interface KnownHostsEntry {
  file: string;
  /** 1-based. */
  line: number;
  marker?: KnownHostsMarker;
  hosts: { kind: 'hashed'; salt: Buffer; hash: Buffer } | { kind: 'patterns'; patterns: string[] };
  /** The key's algorithm name as it is inside the key blob (`ssh-ed25519`, `ecdsa-sha2-nistp256`…). */
  keyType: string;
  /** The public key blob (the base64 field, decoded). */
  key: Buffer;
}

/** The entries of one known_hosts file; lines that are not valid entries are skipped, as ssh does. */
export function parseKnownHosts(text: string, file: string): KnownHostsEntry[] {
  const entries: KnownHostsEntry[] = [];
  const lines = text.split('\n');
  for (let index = 0; index < lines.length; index++) {
    const entry = parseLine(lines[index], file, index + 1);
    if (entry) entries.push(entry);
  }
  return entries;
}

function parseLine(raw: string, file: string, line: number): KnownHostsEntry | undefined {
  const fields = raw.trim().split(/[ \t]+/);
  if (fields[0] === '' || fields[0].startsWith('#')) return undefined;
  let marker: KnownHostsMarker | undefined;
  if (fields[0].startsWith('@')) {
    const name = fields.shift()!.slice(1);
    // An unknown marker makes ssh ignore the line; so do we.
    if (name !== 'revoked' && name !== 'cert-authority') return undefined;
    marker = name;
  }
  const [hostField, typeField, keyField] = fields;
  if (!hostField || !typeField || !keyField) return undefined;
  const hosts = parseHostField(hostField);
  const key = decodeBase64(keyField);
  if (!hosts || !key) return undefined;
  const keyType = keyBlobType(key);
  // The type named on the line must be the one inside the key, or the line is corrupt.
  if (keyType === undefined || keyType !== typeField) return undefined;
  return { file, line, marker, hosts, keyType, key };
}

function parseHostField(field: string): KnownHostsEntry['hosts'] | undefined {
  if (field.startsWith('|')) {
    const parts = field.split('|');
    // "|1|salt|hash": split gives ['', '1', salt, hash]. Only SHA1 hashing ("1") exists.
    if (parts.length !== 4 || parts[1] !== '1') return undefined;
    const salt = decodeBase64(parts[2]);
    const hash = decodeBase64(parts[3]);
    if (!salt || !hash || salt.length !== 20 || hash.length !== 20) return undefined;
    return { kind: 'hashed', salt, hash };
  }
  const patterns = field.split(',').filter((pattern) => pattern !== '');
  return patterns.length ? { kind: 'patterns', patterns } : undefined;
}

function decodeBase64(text: string): Buffer | undefined {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(text)) return undefined;
  const decoded = Buffer.from(text, 'base64');
  return decoded.length ? decoded : undefined;
}

/** The algorithm name an SSH public key blob starts with (RFC 4253 `string`), if well formed. */
export function keyBlobType(blob: Buffer): string | undefined {
  if (blob.length < 4) return undefined;
  const length = blob.readUInt32BE(0);
  if (length === 0 || length > 64 || blob.length < 4 + length) return undefined;
  const name = blob.toString('latin1', 4, 4 + length);
  return /^[\x21-\x7e]+$/.test(name) ? name : undefined;
}

/** The name ssh looks a host up by: `host`, or `[host]:port` when the port is not 22. Lowercased, as ssh does. */
export function lookupName(host: string, port: number): string {
  const name = host.toLowerCase();
  return port === 22 ? name : `[${name}]:${port}`;
}

/** Does the entry's host field name this host? (OpenSSH's match_hostname plus hashed entries.) */
export function entryMatches(entry: KnownHostsEntry, name: string): boolean {
  if (entry.hosts.kind === 'hashed') {
    return createHmac('sha1', entry.hosts.salt).update(name).digest().equals(entry.hosts.hash);
  }
  let matched = false;
  for (const pattern of entry.hosts.patterns) {
    const negated = pattern.startsWith('!');
    if (!wildcardMatch(name, (negated ? pattern.slice(1) : pattern).toLowerCase())) continue;
    // A negated pattern that matches rules the line out, whatever else matches.
    if (negated) return false;
    matched = true;
  }
  return matched;
}

/** `*` any run, `?` one character; iterative (no backtracking blow-up on long names). */
function wildcardMatch(text: string, pattern: string): boolean {
  let t = 0;
  let p = 0;
  let star = -1;
  let resume = 0;
  while (t < text.length) {
    if (p < pattern.length && (pattern[p] === '?' || pattern[p] === text[t])) {
      t++;
      p++;
    } else if (p < pattern.length && pattern[p] === '*') {
      star = p++;
      resume = t;
    } else if (star >= 0) {
      p = star + 1;
      t = ++resume;
    } else {
      return false;
    }
  }
  while (pattern[p] === '*') p++;
  return p === pattern.length;
}

/** `SHA256:…` as OpenSSH prints it: base64 of the key blob's SHA-256, without padding. */
export function fingerprint(key: Buffer): string {
  return `SHA256:${createHash('sha256').update(key).digest('base64').replace(/=+$/, '')}`;
}

/** ED25519, ECDSA, RSA, DSA: the words OpenSSH uses in its messages. */
export function keyTypeLabel(keyType: string): string {
  if (keyType === 'ssh-ed25519') return 'ED25519';
  if (keyType.startsWith('ecdsa-sha2-')) return 'ECDSA';
  if (keyType === 'ssh-rsa') return 'RSA';
  if (keyType === 'ssh-dss') return 'DSA';
  return keyType;
}

/** Where an entry is, for messages: `~/.ssh/known_hosts:3`. */
export function entryPlace(entry: KnownHostsEntry): string {
  return `${entry.file}:${entry.line}`;
}

export type HostKeyCheck =
  | { kind: 'known'; entry: KnownHostsEntry }
  | { kind: 'revoked'; entry: KnownHostsEntry }
  /** Entries for this host and key type hold another key: what OpenSSH calls a changed host key. */
  | { kind: 'changed'; entries: KnownHostsEntry[] }
  /** Only a certificate authority is trusted for this host; we do not speak host certificates. */
  | { kind: 'cert-authority'; entries: KnownHostsEntry[] }
  /** Nothing for this key; `otherTypes` are key types known for the host (ssh says so too). */
  | { kind: 'unknown'; otherTypes: string[] };

/** What the known_hosts entries say about the key a host presents, in OpenSSH's order of precedence. */
export function checkHostKey(entries: readonly KnownHostsEntry[], name: string, key: Buffer): HostKeyCheck {
  const forHost = entries.filter((entry) => entryMatches(entry, name));
  const revoked = forHost.find((entry) => entry.marker === 'revoked' && entry.key.equals(key));
  if (revoked) return { kind: 'revoked', entry: revoked };
  const plain = forHost.filter((entry) => entry.marker === undefined);
  const known = plain.find((entry) => entry.key.equals(key));
  if (known) return { kind: 'known', entry: known };
  const type = keyBlobType(key);
  const changed = plain.filter((entry) => entry.keyType === type);
  if (changed.length) return { kind: 'changed', entries: changed };
  const authorities = forHost.filter((entry) => entry.marker === 'cert-authority');
  if (authorities.length) return { kind: 'cert-authority', entries: authorities };
  return { kind: 'unknown', otherTypes: [...new Set(plain.map((entry) => entry.keyType))] };
}

/**
 * The host key algorithms to offer, known ones first, as ssh orders HostKeyAlgorithms: a host known
 * by its RSA key is then asked for that key rather than for a newer type we would not recognise.
 * (ssh2 takes `{ remove, prepend }` against its default list; `prepend` alone skips names already in it.)
 */
export function preferredHostKeyAlgorithms(knownTypes: readonly string[]): { remove: string[]; prepend: string[] } | undefined {
  const algorithms = [
    ...new Set(knownTypes.flatMap((type) => (type === 'ssh-rsa' ? ['rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa'] : [type]))),
  ].filter((algorithm) => SSH2_HOST_KEY_ALGORITHMS.includes(algorithm));
  return algorithms.length ? { remove: algorithms, prepend: algorithms } : undefined;
}

/** What ssh2 1.x can verify (its SUPPORTED_SERVER_HOST_KEY); naming another makes it throw. */
const SSH2_HOST_KEY_ALGORITHMS = [
  'ssh-ed25519',
  'ecdsa-sha2-nistp256',
  'ecdsa-sha2-nistp384',
  'ecdsa-sha2-nistp521',
  'rsa-sha2-512',
  'rsa-sha2-256',
  'ssh-rsa',
  'ssh-dss',
];

/** The line to append for a key the user chose to trust (plain host field, as `ssh` writes without HashKnownHosts). */
export function knownHostsLine(name: string, key: Buffer): string {
  return `${name} ${keyBlobType(key)} ${key.toString('base64')}`;
}
