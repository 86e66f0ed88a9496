/**
 * DNE120: an option given both as a flag and in daemon.json. dockerd refuses to start; we
 * report it at the daemon.json key (with a fix removing the key) and at each flag.
 *
 * dockerd's line names every conflict at once, in the order of the long flag names, each as
 * `key: (from flag: V, from file: V)` with Go's %v of both values; we rebuild it the same way.
 */
import type { Finding } from '../finding';
import type { DaemonJsonEntry, JsonNode } from '../parsers/daemonJson';
import { DAEMON_BOOLEANS, type DockerdFlag } from '../parsers/dockerdFlags';
import { Codes } from '../codes';
import type { DockerdConfig } from '../dockerdConfig';

/** Merged with the flag's values instead of refused (dockerd's skipDuplicates). */
const MERGED_KEYS = new Set(['runtimes']);
/** Flags whose values accumulate (dockerd's list options): printed `[a b]`. */
const LIST_KEYS = new Set([
  'hosts',
  'labels',
  'dns',
  'dns-opts',
  'dns-search',
  'insecure-registries',
  'registry-mirrors',
  'storage-opts',
  'exec-opts',
  'authorization-plugins',
  'allow-nondistributable-artifacts',
]);
/** key=value flags (dockerd's map options): printed `map[k:v]`, keys sorted. */
const MAP_KEYS = new Set(['log-opts', 'cluster-store-opts']);
/** Booleans (DAEMON_BOOLEANS): the last value given, as Go prints a bool. */

interface Conflict {
  entry: DaemonJsonEntry;
  flags: DockerdFlag[];
  /** `key: (from flag: …, from file: …)`, or undefined when we cannot print a value as Go would. */
  text?: string;
}

/** `ignoredKeys`: options the engine does not know, so it never gets as far as the conflict. */
export function flagConflictFindings(config: DockerdConfig, ignoredKeys: readonly string[] = []): Finding[] {
  const json = config.daemonJson;
  if (!json) return [];
  const conflicts: Conflict[] = [];
  for (const entry of [...json.entries].reverse()) {
    if (MERGED_KEYS.has(entry.key) || ignoredKeys.includes(entry.key) || conflicts.some((conflict) => conflict.entry.key === entry.key))
      continue;
    const flags = config.flags.filter((flag) => flag.key === entry.key);
    if (flags.length === 0) continue;
    const fromFlag = flagValueText(entry.key, flags);
    const fromFile = goValueText(entry.node);
    const text =
      fromFlag !== undefined && fromFile !== undefined ? `${entry.key}: (from flag: ${fromFlag}, from file: ${fromFile})` : undefined;
    conflicts.push({ entry, flags, text });
  }
  if (conflicts.length === 0) return [];
  conflicts.sort((a, b) => (a.flags[0].name < b.flags[0].name ? -1 : a.flags[0].name > b.flags[0].name ? 1 : 0));
  const refusal = conflicts.every((conflict) => conflict.text !== undefined)
    ? `the daemon will not start: "unable to configure the Docker daemon with file ${json.file}: the following directives are ` +
      `specified both as a flag and in the configuration file: ${conflicts.map((conflict) => conflict.text).join(', ')}"`
    : `the daemon will not start: dockerd says "unable to configure the Docker daemon with file ${json.file}: the following ` +
      'directives are specified both as a flag and in the configuration file: …" with each such key';
  const findings: Finding[] = [];
  for (const { entry, flags } of conflicts) {
    findings.push({
      file: json.file,
      range: entry.keyRange,
      severity: 'error',
      code: Codes.flagAndFileConflict,
      message:
        `"${entry.key}" is also given as a flag (${flags.map((flag) => flag.written).join(', ')}): ${refusal}. ` +
        'Keep it in one place: remove this key, or remove the flag (for -H fd:// in the ' +
        'distribution unit, a drop-in with an empty ExecStart= and a new one without -H).',
      related: flags.map((flag) => ({ file: flag.file, range: flag.range, message: `${flag.written} given here` })),
      fix: { title: `Remove "${entry.key}" from daemon.json`, edits: [{ range: entry.removalRange, newText: '' }] },
    });
    for (const flag of flags) {
      findings.push({
        file: flag.file,
        range: flag.range,
        severity: 'error',
        code: Codes.flagAndFileConflict,
        message: `${flag.written} is also set in ${json.file} ("${entry.key}"): ${refusal}. Keep it in one place.`,
        related: [{ file: json.file, range: entry.keyRange, message: `"${entry.key}" set here` }],
      });
    }
  }
  return findings;
}

/** The flag's value as pflag's String() gives it. */
function flagValueText(key: string, flags: DockerdFlag[]): string | undefined {
  if (LIST_KEYS.has(key)) return `[${flags.map((flag) => flag.value ?? '').join(' ')}]`;
  if (MAP_KEYS.has(key)) {
    const map = new Map<string, string>();
    for (const flag of flags) {
      const value = flag.value ?? '';
      const equals = value.indexOf('=');
      if (equals < 0) return undefined;
      map.set(value.slice(0, equals), value.slice(equals + 1));
    }
    return goMapText([...map].map(([name, value]) => [name, value]));
  }
  const last = flags[flags.length - 1].value;
  if (DAEMON_BOOLEANS.has(key)) {
    if (last === undefined || /^(1|t|T|true|TRUE|True)$/.test(last)) return 'true';
    if (/^(0|f|F|false|FALSE|False)$/.test(last)) return 'false';
    return undefined;
  }
  return last;
}

/** Go's %v of a value decoded into interface{}. */
function goValueText(node: JsonNode): string | undefined {
  switch (node.kind) {
    case 'string':
      return node.value;
    case 'boolean':
      return String(node.value);
    case 'null':
      return '<nil>';
    case 'number':
      // %v of a float64 is %g: plain digits below 1e21 only when it has few enough of them.
      return Number.isInteger(node.value) && Math.abs(node.value) < 1e6 ? String(node.value) : undefined;
    case 'array': {
      const items = node.items.map(goValueText);
      return items.every((item): item is string => item !== undefined) ? `[${items.join(' ')}]` : undefined;
    }
    case 'object': {
      const members: Array<[string, string]> = [];
      for (const member of node.members) {
        const value = goValueText(member.value);
        if (value === undefined) return undefined;
        members.push([member.key, value]);
      }
      return goMapText(members);
    }
    default:
      return undefined;
  }
}

/** fmt prints maps with their keys sorted; a repeated key keeps its last value. */
function goMapText(members: Array<[string, string]>): string {
  const map = new Map(members);
  const keys = [...map.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return `map[${keys.map((name) => `${name}:${map.get(name)}`).join(' ')}]`;
}
