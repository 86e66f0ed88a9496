/**
 * The fuzz stage's inputs, each one a pure function of its seed (mulberry32), so a failing seed
 * replays exactly: mutated real files (test/fuzz/corpus, test/fixtures), binary noise, inputs huge
 * (up to the 1 MiB cap) and deep, YAML alias bombs, and every encoding a file arrives in.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { decodeConfigBytes } from '../../src/core/diagnostics/decode';
import { MAX_CHECKED_BYTES } from '../../src/core/diagnostics/limits';
import { findRepoRoot } from '../support/codeServer';
import { prng, type Random } from '../support/prng';

export { prng } from '../support/prng';

/** The seed of input `index` of a run seeded `base`: each input replays alone (FUZZ_REPLAY). */
export function inputSeed(base: number, index: number): number {
  return (Math.imul(base ^ 0x9e3779b9, 0x85ebca6b) + Math.imul(index + 1, 0xc2b2ae35)) >>> 0;
}

/** Where the doctor meets each kind of file: the path decides the parser. */
export const KIND_PATHS = {
  daemonJson: '/etc/docker/daemon.json',
  serviceUnit: '/lib/systemd/system/docker.service',
  dropIn: '/etc/systemd/system/docker.service.d/override.conf',
  envFile: '/etc/sysconfig/docker',
  socketUnit: '/lib/systemd/system/docker.socket',
  compose: '/srv/store/docker-compose.yml',
} as const;
export type Kind = keyof typeof KIND_PATHS;
const KINDS = Object.keys(KIND_PATHS) as Kind[];

export interface FuzzFile {
  kind: Kind;
  path: string;
  text: string;
}

export interface FuzzInput {
  seed: number;
  /** Which generator made it, for the failure message. */
  family: string;
  files: FuzzFile[];
}

function corpus(): Record<Kind, string[]> {
  const root = findRepoRoot();
  const read = (...parts: string[]) => fs.readFileSync(path.join(root, ...parts), 'utf8');
  return {
    daemonJson: [
      read('test/fuzz/corpus/daemon.json'),
      read('test/fixtures/diagnostics/host/etc/docker/daemon.json'),
      read('test/unit/fixtures/seed-daemon.json'),
    ],
    serviceUnit: [read('test/fuzz/corpus/docker.service')],
    dropIn: [
      read('test/fuzz/corpus/docker.service.d/override.conf'),
      read('test/fixtures/diagnostics/host/etc/systemd/system/docker.service.d/cluster.conf'),
    ],
    envFile: [read('test/fuzz/corpus/sysconfig-docker')],
    socketUnit: [read('test/fuzz/corpus/docker.socket')],
    compose: [read('test/fuzz/corpus/docker-compose.yml')],
  };
}
let cached: Record<Kind, string[]> | undefined;
const realFiles = () => (cached ??= corpus());

const pick = <T>(random: Random, items: readonly T[]): T => items[Math.floor(random() * items.length)];
const int = (random: Random, below: number) => Math.floor(random() * below);

/** What breaks parsers: their own punctuation, quotes, escapes, line ends, odd code points. */
const ALPHABET = [
  '{',
  '}',
  '[',
  ']',
  '"',
  "'",
  ',',
  ':',
  '\\',
  '$',
  '${',
  '#',
  '/*',
  '*/',
  '//',
  '=',
  '-',
  '--',
  '\n',
  '\r',
  '\r\n',
  '\t',
  ' ',
  '&a',
  '*a',
  '<<',
  '|',
  '>',
  '!',
  '%',
  '@',
  '\u0000',
  '\ufeff',
  '\u00e9',
  '\ud83d',
  '\u202e',
  '\u001b]0;x\u0007',
  '\u2028',
];

function mutate(text: string, random: Random, donors: readonly string[]): string {
  let result = text;
  const operations = 1 + int(random, 10);
  for (let i = 0; i < operations; i++) {
    const at = int(random, result.length + 1);
    const choice = random();
    if (choice < 0.35) result = result.slice(0, at) + pick(random, ALPHABET) + result.slice(at);
    else if (choice < 0.55) result = result.slice(0, at) + result.slice(at + 1 + int(random, 8));
    else if (choice < 0.7) result = result.slice(0, at) + result.slice(int(random, result.length + 1));
    else if (choice < 0.8) {
      const donor = pick(random, donors);
      const from = int(random, donor.length + 1);
      result = result.slice(0, at) + donor.slice(from, from + int(random, 200)) + result.slice(at);
    } else if (choice < 0.9) {
      // A slice repeated: long lines, many flags, many keys.
      const slice = result.slice(at, at + 1 + int(random, 40));
      result = result.slice(0, at) + slice.repeat(2 + int(random, 300)) + result.slice(at);
    } else result = result.slice(0, at);
    if (result.length > MAX_CHECKED_BYTES) result = result.slice(0, MAX_CHECKED_BYTES);
  }
  return result;
}

function noise(random: Random): string {
  const bytes = Buffer.alloc(int(random, 2000));
  for (let i = 0; i < bytes.length; i++) bytes[i] = random() < 0.7 ? 32 + int(random, 95) : int(random, 256);
  return decodeConfigBytes(bytes).text;
}

/** Just under the cap: the largest inputs the rules ever see. */
function huge(kind: Kind, random: Random): string {
  const fill = (prefix: string, unit: string, suffix = '') =>
    prefix + unit.repeat(Math.floor((MAX_CHECKED_BYTES - prefix.length - suffix.length - 16) / unit.length)) + suffix;
  const choices: Record<Kind, Array<() => string>> = {
    daemonJson: [
      () => fill('', '['),
      () => fill('', '{"a":'),
      () => fill('[', ','),
      () => fill('{', '"k":1,', '"z":0}'),
      () => fill('{"hosts":[', '"tcp://0.0.0.0:2375",', '""]}'),
      () => fill('', '/*'),
      () => fill('"', '\\u00e9', '"'),
    ],
    serviceUnit: [
      () => fill('[Service]\nExecStart=/usr/bin/dockerd ', '-D '),
      () => fill('[Service]\n', 'abcdefg\n'),
      () => fill('[Service]\nExecStart=/usr/bin/dockerd ', '--cluster-store=consul://x:1 '),
      () => fill('[Service]\n', 'ExecStart=/usr/bin/dockerd -H tcp://0.0.0.0:2375\n'),
      () => fill('[Service]\nExecStart=/usr/bin/dockerd ', '\\\n'),
      () => fill('[Service]\nEnvironment=', 'A=1 '),
      () => fill('', '['),
    ],
    dropIn: [
      () => fill('[Service]\nExecStart=\nExecStart=/usr/bin/dockerd "', 'a b '),
      () => fill('[Service]\nExecStart=/usr/bin/dockerd ', '${A}'),
    ],
    envFile: [
      () => fill('OPTIONS="', '-D ', '"\n'),
      () => fill('', 'xx\n'),
      () => fill('A="', '\\\n'),
      () => fill('', 'export A=1\n'),
      () => fill("OPTIONS='", '\'"', "'"),
    ],
    socketUnit: [() => fill('[Socket]\n', 'ListenStream=0.0.0.0:2375\n'), () => fill('[Socket]\nListenStream=', '[')],
    compose: [
      () => fill('services:\n  etcd:\n    image: etcd\n    command: ', '['),
      () => fill('services:\n  a: ', '- '),
      () => fill('services:\n  etcd:\n    image: etcd\n    command: etcd ', '-x '),
      () => fill('services:\n  etcd:\n    image: etcd\n    environment:\n', '      - A=1\n'),
      () => fill('services:\n', '  a:\n    image: consul\n'),
      () => fill('', '{'),
      () => fill('', '&a [*a, '),
    ],
  };
  return pick(random, choices[kind])();
}

/** Nesting far deeper than any real file: recursive descent would overflow the stack. */
function deep(kind: Kind, random: Random): string {
  const depth = 1000 + int(random, 200_000);
  switch (kind) {
    case 'daemonJson':
      return `${'{"a":['.repeat(depth)}${']}'.repeat(int(random, depth))}`;
    case 'compose': {
      const block = Math.min(depth, 1400); // indentation makes block nesting quadratic in size
      return random() < 0.5
        ? `services:\n  etcd:\n    image: etcd\n    command: ${'[{a: '.repeat(depth)}`
        : `services:\n${Array.from({ length: block }, (_, i) => `${' '.repeat(2 + i)}k${i}:\n`).join('')}`;
    }
    default:
      return `[Service]\nExecStart=/usr/bin/dockerd ${'"\'$'.repeat(depth)}\n`;
  }
}

/** Billion laughs: each level nine aliases of the one before. */
function aliasBomb(random: Random): string {
  const levels = 6 + int(random, 6);
  const lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
  for (let i = 1; i < levels; i++) lines.push(`a${i}: &a${i} [${Array.from({ length: 9 }, () => `*a${i - 1}`).join(',')}]`);
  const top = `*a${levels - 1}`;
  const where = pick(random, [
    `services:\n  etcd:\n    image: etcd\n    command: ${top}\n    environment: ${top}\n    ports: ${top}\n`,
    `services: ${top}\n`,
    `services:\n  consul:\n    image: consul\n    <<: ${top}\n`,
    `services:\n  ${top}: x\n`,
  ]);
  return `${lines.join('\n')}\n${where}`;
}

/** A real file through another encoding, decoded as the CLI and the scan decode it. */
function encoded(text: string, random: Random): string {
  const le = Buffer.from(text, 'utf16le');
  const bytes = pick(random, [
    () => Buffer.concat([Buffer.from([0xff, 0xfe]), le]),
    () => le,
    () => Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(le).swap16()]),
    () => Buffer.from(le).swap16(),
    () =>
      Buffer.from(
        text.replace(/[a-z]/g, (char) => (random() < 0.1 ? 'é' : char)),
        'latin1',
      ),
    () => Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, 'utf8')]),
    () => Buffer.concat([Buffer.from(text, 'utf8').subarray(0, int(random, text.length)), Buffer.from([0xc3])]),
  ])();
  return decodeConfigBytes(bytes).text;
}

const FAMILIES = ['mutated', 'mutated', 'mutated', 'mutated', 'noise', 'huge', 'deep', 'aliasBomb', 'encoded', 'group'] as const;

/** One input: one file (of a kind), or a host's group of mutated files (rules that link them). */
export function fuzzInput(seed: number): FuzzInput {
  const random = prng(seed);
  const family = pick(random, FAMILIES);
  const files = realFiles();
  const donors = Object.values(files).flat();
  const one = (kind: Kind, text: string): FuzzFile => ({ kind, path: KIND_PATHS[kind], text });
  const kind = family === 'aliasBomb' ? 'compose' : pick(random, KINDS);
  switch (family) {
    case 'mutated':
      return { seed, family, files: [one(kind, mutate(pick(random, files[kind]), random, donors))] };
    case 'noise':
      return { seed, family, files: [one(kind, noise(random))] };
    case 'huge':
      return { seed, family, files: [one(kind, huge(kind, random))] };
    case 'deep':
      return { seed, family, files: [one(kind, deep(kind, random))] };
    case 'aliasBomb':
      return { seed, family, files: [one('compose', aliasBomb(random))] };
    case 'encoded':
      return { seed, family, files: [one(kind, encoded(pick(random, files[kind]), random))] };
    case 'group':
      return {
        seed,
        family,
        files: KINDS.filter(() => random() < 0.7).map((each) => one(each, mutate(pick(random, files[each]), random, donors))),
      };
  }
}

/** Values a webview could post: structured clones of anything, valid messages bent out of shape. */
export function webviewMessage(seed: number): unknown {
  const random = prng(seed);
  const scalar = (): unknown =>
    pick(random, [
      undefined,
      null,
      true,
      0,
      -1,
      NaN,
      1e308,
      '',
      'ready',
      'export',
      'svg',
      'png',
      'contextAction',
      'inspect',
      'remove',
      '__proto__',
      LONG_X,
      '\u0000\u202e',
      'QUJD',
      '====',
      LONG_A,
    ]);
  const value = (depth: number): unknown => {
    const choice = random();
    if (depth > 4 || choice < 0.5) return scalar();
    if (choice < 0.7) return Array.from({ length: int(random, 5) }, () => value(depth + 1));
    const object: Record<string, unknown> = {};
    for (let i = int(random, 6); i > 0; i--)
      object[String(pick(random, ['type', 'action', 'id', 'format', 'svg', 'base64', 'focus', '__proto__', 'constructor']))] = value(
        depth + 1,
      );
    return object;
  };
  const base = pick(random, [
    { type: 'ready' },
    { type: 'contextAction', action: 'remove', id: 'network:h:n' },
    { type: 'export', format: 'svg', svg: '<svg/>' },
    { type: 'export', format: 'png', base64: 'QUJD' },
  ]);
  const choice = random();
  if (choice < 0.3) return value(0);
  if (choice < 0.8) {
    const bent: Record<string, unknown> = { ...base };
    for (let i = 1 + int(random, 3); i > 0; i--) bent[pick(random, ['type', 'action', 'id', 'format', 'svg', 'base64'])] = value(2);
    return bent;
  }
  // Deep: an array nested past any recursion limit (a structured clone can carry it).
  return random() < 0.5 ? deeplyNested() : { ...base, id: deeplyNested() };
}

const LONG_X = 'x'.repeat(100_000);
const LONG_A = 'a'.repeat(1 << 20);
let nestedOnce: unknown;
function deeplyNested(): unknown {
  if (nestedOnce === undefined) {
    let nested: unknown = { type: 'ready' };
    for (let i = 0; i < 100_000; i++) nested = [nested];
    nestedOnce = nested;
  }
  return nestedOnce;
}
