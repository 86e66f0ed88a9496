/**
 * The one option walker of `diagnose` and `reach`, reading words as the docker CLI (pflag) does:
 * `--flag value` or `--flag=value`, switches that take true/false after "=", "--" ending the options.
 */
import { MAX_TIMER_MS } from '../core/util/timeouts';

export type Stop = { kind: 'help' } | { kind: 'usage'; problem: string };

/** Told a flag's value (undefined when missing or blank) and the flag as typed; answers a problem, else nothing. */
export type ValueOption = (value: string | undefined, flag: string) => string | undefined;

export interface OptionSpec {
  /** Flags without a value: present is true; `--json=false` (pflag's spellings) sets one off. */
  switches: readonly string[];
  /** Flags with a value, by every spelling (`-H` and `--host` alike). */
  values: Readonly<Record<string, ValueOption>>;
}

/** What the words said: each switch given (the last spelling wins), and the other words in order. */
export interface Walked {
  kind: 'options';
  switches: Map<string, boolean>;
  words: string[];
}

/** pflag's boolean spellings (the docker CLI's). */
const BOOLEANS: ReadonlyMap<string, boolean> = new Map([
  ...['1', 't', 'T', 'true', 'TRUE', 'True'].map((word) => [word, true] as const),
  ...['0', 'f', 'F', 'false', 'FALSE', 'False'].map((word) => [word, false] as const),
]);

/** Reads argv left to right and stops at the first help or bad usage, as both commands always did. */
export function walkOptions(argv: readonly string[], spec: OptionSpec): Walked | Stop {
  const walked: Walked = { kind: 'options', switches: new Map(), words: [] };
  for (let index = 0; index < argv.length; index++) {
    const word = argv[index];
    if (word === '--') {
      walked.words.push(...argv.slice(index + 1));
      break;
    }
    const equals = word.startsWith('--') ? word.indexOf('=') : -1;
    const [flag, inline] = equals > 0 ? [word.slice(0, equals), word.slice(equals + 1)] : [word, undefined];
    if (flag === '-h' || flag === '--help') return { kind: 'help' };
    if (spec.switches.includes(flag)) {
      const value = inline === undefined ? true : BOOLEANS.get(inline);
      if (value === undefined) return { kind: 'usage', problem: `${flag} takes true or false, got "${inline}"` };
      walked.switches.set(flag, value);
    } else if (Object.hasOwn(spec.values, flag)) {
      // The rest after "=", else the next word; blank is no value (--host ' ').
      const value = inline ?? argv[++index];
      const problem = spec.values[flag](value === undefined || value.trim() === '' ? undefined : value, flag);
      if (problem) return { kind: 'usage', problem };
    } else if (word.startsWith('-') && word !== '-') {
      return { kind: 'usage', problem: `unknown option ${word}` };
    } else {
      walked.words.push(word);
    }
  }
  return walked;
}

/** What --json says in argv, for answering even bad usage in JSON: the last spelling before "--" wins. */
export function wantsJson(argv: readonly string[]): boolean {
  let json = false;
  for (const word of argv) {
    if (word === '--') break;
    if (word === '--json') json = true;
    else if (word.startsWith('--json=')) json = BOOLEANS.get(word.slice('--json='.length)) ?? json;
  }
  return json;
}

/** -H / --host URL, added to `hosts` (trimmed); both commands read several. */
export function hostOptions(hosts: string[]): Record<string, ValueOption> {
  const host: ValueOption = (url, flag) => {
    if (!url) return `${flag} needs a daemon URL, e.g. --host unix:///var/run/docker.sock`;
    hosts.push(url.trim());
    return undefined;
  };
  return { '--host': host, '-H': host };
}

/** --timeout MS: a positive whole number of milliseconds; one longer than a timer can wait is clamped, and `notes` says so. */
export function timeoutOption(set: (ms: number) => void, notes: string[]): ValueOption {
  return (value) => {
    const timeout = Number(value);
    if (!value || !Number.isInteger(timeout) || timeout <= 0)
      return `--timeout needs a positive number of milliseconds, got ${value ?? 'nothing'}`;
    if (timeout > MAX_TIMER_MS)
      notes.push(`--timeout ${value} is longer than a timer can wait: using ${MAX_TIMER_MS} ms (about 24.8 days).`);
    set(Math.min(timeout, MAX_TIMER_MS));
    return undefined;
  };
}

/** A flag whose value is any non-blank word: `problem` when missing. */
export function textOption(set: (value: string) => void, problem: (flag: string) => string): ValueOption {
  return (value, flag) => {
    if (!value) return problem(flag);
    set(value);
    return undefined;
  };
}
