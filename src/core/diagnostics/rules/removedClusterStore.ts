/**
 * DNE161 and DNE165: on an engine that removed the legacy cluster store (23+), every
 * cluster-store key and flag stops dockerd, in that engine's own words (engine.ts), with a fix
 * removing it; and once per host, what the same topology looks like in swarm mode.
 */
import {
  CLUSTER_STORE_FLAGS,
  CLUSTER_STORE_KEYS,
  clusterStoreSupport,
  deprecatedFlag23,
  REMOVED_23,
  unknownDirectives24,
  unknownFlag24,
} from '../engine';
import { parseIp } from '../../net/cidr';
import type { Finding, QuickFix, Range, TextEdit } from '../finding';
import type { DaemonJsonEntry } from '../parsers/daemonJson';
import type { DockerdFlag } from '../parsers/dockerdFlags';
import { LineIndex } from '../text';
import { Codes } from '../codes';
import { settingSources, type DockerdConfig } from '../dockerdConfig';

export const SWARM_MIGRATION_DOC = 'docs/swarm-migration.md';

export function removedClusterStoreFindings(config: DockerdConfig, engine: string | undefined): Finding[] {
  const support = clusterStoreSupport(engine);
  if (support !== 'removed-23' && support !== 'removed-24') return [];
  const version = engine!.trim();
  const flags = config.flags.filter((flag) => CLUSTER_STORE_KEYS.includes(flag.key));
  const json = config.daemonJson;
  const entries = json ? json.entries.filter((entry) => CLUSTER_STORE_KEYS.includes(entry.key)) : [];
  const findings: Finding[] = [];
  if (json && entries.length > 0) {
    const keys = [...new Set(entries.map((entry) => entry.key))];
    const says = support === 'removed-23' ? REMOVED_23 : unknownDirectives24(json.file, keys);
    const fix: QuickFix = {
      title: `Remove ${keys.map((key) => `"${key}"`).join(', ')} from daemon.json`,
      edits: removeEntries(json.entries, entries),
    };
    for (const entry of entries) {
      findings.push({
        file: json.file,
        range: entry.keyRange,
        severity: 'error',
        code: Codes.clusterStoreRemoved,
        message:
          `Docker ${version} does not start with "${entry.key}" in daemon.json: "${says}" (exit status 1). ` +
          `Docker removed the external k/v store in 23.0; remove the key and use swarm mode for overlay networks (${SWARM_MIGRATION_DOC}).`,
        fix,
      });
    }
  }
  for (const flag of flags) {
    const name = flagName(flag);
    const says =
      support === 'removed-23'
        ? `"${deprecatedFlag23(name)}", then "${REMOVED_23}"`
        : unknownFlag24(name)
            .map((line) => `"${line}"`)
            .join(' and ');
    const fix = removeFlag(flag, config.sources[flag.file]);
    findings.push({
      file: flag.file,
      range: flag.range,
      severity: 'error',
      code: Codes.clusterStoreRemoved,
      message:
        `Docker ${version} does not start with ${flag.written}: it prints ${says} (exit status 1)` +
        (support === 'removed-24' && flags.length > 1 ? ', naming only the first such flag on its command line' : '') +
        `. Remove the flag and use swarm mode for overlay networks (${SWARM_MIGRATION_DOC}).`,
      ...(fix ? { fix } : {}),
    });
  }
  const migration = swarmMigration(config, version);
  return migration ? [...findings, migration] : findings;
}

/** `--cluster-store-opt` is the flag whose key is cluster-store-opts. */
function flagName(flag: DockerdFlag): string {
  return Object.keys(CLUSTER_STORE_FLAGS).find((name) => CLUSTER_STORE_FLAGS[name] === flag.key) ?? flag.key;
}

/**
 * One edit per run of adjacent removed members, so the edits never overlap (each member's own
 * removal range takes one comma, and the last member's takes the one before it).
 */
export function removeEntries(all: readonly DaemonJsonEntry[], removed: readonly DaemonJsonEntry[]): TextEdit[] {
  const edits: TextEdit[] = [];
  for (let a = 0; a < all.length; a++) {
    if (!removed.includes(all[a])) continue;
    let b = a;
    while (b + 1 < all.length && removed.includes(all[b + 1])) b++;
    const last = b === all.length - 1;
    // The last member's removal takes the comma before it: start at the value before the run.
    const start = last && a > 0 ? endOf(all[a - 1].valueRange) : startOf(all[a].removalRange);
    const end = last ? endOf(all[b].valueRange) : endOf(all[b].removalRange);
    edits.push({ range: { startLine: start.line, startColumn: start.column, endLine: end.line, endColumn: end.column }, newText: '' });
    a = b;
  }
  return edits;
}

const startOf = (range: Range) => ({ line: range.startLine, column: range.startColumn });
const endOf = (range: Range) => ({ line: range.endLine, column: range.endColumn });

/** The flag (and its value) with the blanks that separate it from the next word, or from the previous one at the end of a line. */
function removeFlag(flag: DockerdFlag, text: string | undefined): QuickFix | undefined {
  if (text === undefined) return undefined;
  const index = new LineIndex(text);
  let start = index.offset(flag.range.startLine, flag.range.startColumn);
  let end = index.offset(flag.range.endLine, flag.range.endColumn);
  const blank = (char: string | undefined) => char === ' ' || char === '\t';
  if (blank(text[end])) {
    while (blank(text[end])) end++;
  } else {
    while (blank(text[start - 1])) start--;
  }
  const range: Range = index.range(start, end);
  return { title: `Remove ${flag.written} from the dockerd command line`, edits: [{ range, newText: '' }] };
}

/**
 * DNE165 (information), once per host at its first cluster-store setting: the same topology in
 * swarm mode, with this host's advertise address when the files give one.
 */
function swarmMigration(config: DockerdConfig, version: string): Finding | undefined {
  const [first] = [...settingSources(config, 'cluster-store'), ...settingSources(config, 'cluster-advertise')];
  if (!first) return undefined;
  const advertise = settingSources(config, 'cluster-advertise')[0]?.value.trim();
  // --advertise-addr takes an interface name as --cluster-advertise did; join needs an address.
  const address = advertise ? advertise.replace(/:\d+$/, '') : "<this host's LAN address>";
  const joinAddress = parseIp(address) !== undefined ? address : `<${address}'s address>`;
  return {
    file: first.file,
    range: first.range,
    severity: 'information',
    code: Codes.swarmMigration,
    message:
      `Docker ${version} has no cluster store; the same multi-host overlays come from swarm mode. On one host: ` +
      `docker swarm init --advertise-addr ${address}; on each other host: the "docker swarm join --token … ${joinAddress}:2377" ` +
      'that init prints; then, on the manager: docker network create -d overlay --attachable <network> (same name and --subnet as ' +
      'before), and reconnect each container: docker network connect <network> <container>. Swarm needs TCP 2377, TCP/UDP 7946 and ' +
      `UDP 4789 open between the hosts. Step by step: ${SWARM_MIGRATION_DOC}.`,
  };
}
