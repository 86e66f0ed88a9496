/**
 * Turns dockerd's command-line words into flags with ranges, and names each flag by the
 * daemon.json key it corresponds to (the name dockerd uses when it reports a conflict).
 */
import type { Range } from '../finding';
import type { LineIndex } from '../text';
import type { Word } from './shellWords';

export interface DockerdFlag {
  /** The daemon.json key this flag sets, e.g. 'hosts' for `-H`, 'cluster-store-opts'. */
  key: string;
  /** The long flag name, e.g. 'host' for `-H` (dockerd lists conflicts in this order). */
  name: string;
  /** As written: '-H', '--cluster-store'. */
  written: string;
  /** Undefined for a boolean flag given without `=value`. */
  value?: string;
  /** The whole flag including a separate value word. */
  range: Range;
  valueRange?: Range;
  file: string;
  /** Where `valueRange` is, when not in `file` (`-H $HOST`: the value is in the variable's file). */
  valueFile?: string;
}

export interface VariableReference {
  name: string;
  /** `${NAME}` is passed as ONE argument by systemd; `$NAME` is split on blanks. */
  braced: boolean;
  /** The reference is the whole word (else `${NAME}` inside one, e.g. `--x=${NAME}`). */
  whole: boolean;
  range: Range;
  file: string;
}

export interface ParsedCommand {
  flags: DockerdFlag[];
  references: VariableReference[];
}

const SHORT_FLAGS: Record<string, string> = {
  H: 'host',
  D: 'debug',
  G: 'group',
  b: 'bridge',
  g: 'graph',
  l: 'log-level',
  p: 'pidfile',
  s: 'storage-driver',
};

/** Long flag name → daemon.json key, where they differ. */
const FLAG_TO_KEY: Record<string, string> = {
  host: 'hosts',
  'cluster-store-opt': 'cluster-store-opts',
  label: 'labels',
  'insecure-registry': 'insecure-registries',
  'registry-mirror': 'registry-mirrors',
  'storage-opt': 'storage-opts',
  'exec-opt': 'exec-opts',
  'log-opt': 'log-opts',
  'dns-opt': 'dns-opts',
  'default-address-pool': 'default-address-pools',
  'authorization-plugin': 'authorization-plugins',
  'add-runtime': 'runtimes',
};

/** dockerd's boolean options that are also daemon.json keys (flagConflict prints them as Go prints a bool). */
export const DAEMON_BOOLEANS: ReadonlySet<string> = new Set([
  'debug',
  'tls',
  'tlsverify',
  'iptables',
  'ip6tables',
  'ip-forward',
  'ip-masq',
  'icc',
  'ipv6',
  'live-restore',
  'experimental',
  'selinux-enabled',
  'userland-proxy',
  'no-new-privileges',
  'init',
  'raw-logs',
]);

/** Flags that never take a value, so `--tlsverify tcp://…` is not read as a value. */
const BOOLEAN_FLAGS = new Set([...DAEMON_BOOLEANS, 'validate', 'version', 'help']);

export function parseDockerdWords(words: Word[], index: LineIndex, file: string): ParsedCommand {
  const flags: DockerdFlag[] = [];
  const references: VariableReference[] = [];
  const sourceOf = (word: Word) => word.source ?? { file, index };
  for (let i = 0; i < words.length; i++) {
    const word = words[i];
    const here = sourceOf(word);
    const reference =
      word.value.charCodeAt(0) !== 36 ? null : /^\$(?:\{([A-Za-z_][A-Za-z0-9_]*)\}|([A-Za-z_][A-Za-z0-9_]*))$/.exec(word.value);
    if (reference) {
      references.push({
        name: reference[1] ?? reference[2],
        braced: reference[1] !== undefined,
        whole: true,
        range: here.index.range(word.start, word.end),
        file: here.file,
      });
      continue;
    }
    // systemd also expands ${NAME} inside a word (`--cluster-advertise=${ADVERTISE}`); $NAME only as a word of its own.
    if (word.value.includes('${'))
      for (const embedded of word.value.matchAll(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g)) {
        const at = embedded.index ?? 0;
        const start = word.offsets[at] ?? word.start;
        const end = (word.offsets[at + embedded[0].length - 1] ?? word.end - 1) + 1;
        references.push({ name: embedded[1], braced: true, whole: false, range: here.index.range(start, end), file: here.file });
      }
    const parsed = splitFlag(word);
    if (!parsed) continue;
    let { value, valueStart, valueEnd } = parsed;
    let valueSource = here;
    let end = word.end;
    const next = words[i + 1];
    if (value === undefined && !BOOLEAN_FLAGS.has(parsed.name) && next && !next.value.startsWith('-') && !next.value.startsWith('$')) {
      value = next.value;
      valueStart = next.start;
      valueEnd = next.end;
      valueSource = sourceOf(next);
      // A value from elsewhere (a variable's assignment) is not part of the flag's range here.
      if (valueSource.file === here.file && next.start >= word.end && word.source === next.source) end = next.end;
      i++;
    }
    flags.push({
      key: FLAG_TO_KEY[parsed.name] ?? parsed.name,
      name: parsed.name,
      written: parsed.written,
      value,
      range: here.index.range(word.start, end),
      valueRange: valueStart === undefined || valueEnd === undefined ? undefined : valueSource.index.range(valueStart, valueEnd),
      file: here.file,
      ...(valueSource.file !== here.file ? { valueFile: valueSource.file } : {}),
    });
  }
  return { flags, references };
}

interface SplitFlag {
  name: string;
  written: string;
  value?: string;
  valueStart?: number;
  valueEnd?: number;
}

/** `--name`, `--name=value`, `-H`, `-H=value`, `-Hvalue`. */
function splitFlag(word: Word): SplitFlag | undefined {
  const long = /^--([A-Za-z0-9][A-Za-z0-9-]*)(=?)/.exec(word.value);
  const short = long ? undefined : /^-([A-Za-z])(=?)/.exec(word.value);
  const match = long ?? short;
  if (!match) return undefined;
  const name = long ? match[1] : (SHORT_FLAGS[match[1]] ?? match[1]);
  const valueIndex = match[0].length;
  const hasValue = match[2] === '=' || (short !== undefined && valueIndex < word.value.length);
  if (!hasValue) return { name, written: match[0] };
  return {
    name,
    written: match[0].replace(/=$/, ''),
    value: word.value.slice(valueIndex),
    valueStart: word.offsets[valueIndex] ?? word.end,
    // The last character's offset, so a closing quote is not part of the value's range.
    valueEnd: valueIndex < word.offsets.length ? word.offsets[word.offsets.length - 1] + 1 : word.end,
  };
}
