/**
 * DNE120: an option given both as a flag and in daemon.json. dockerd refuses to start; we
 * report it at the daemon.json key (with a fix removing the key) and at each flag.
 */
import type { Finding } from '../finding';
import { Codes } from './codes';
import type { HostConfig } from './hostConfig';

/** `ignoredKeys`: options the engine does not know, so it never gets as far as the conflict. */
export function flagConflictFindings(config: HostConfig, ignoredKeys: readonly string[] = []): Finding[] {
  const json = config.daemonJson;
  if (!json) return [];
  const findings: Finding[] = [];
  const reported = new Set<string>();
  for (const entry of [...json.entries].reverse()) {
    if (reported.has(entry.key) || ignoredKeys.includes(entry.key)) continue;
    const flags = config.flags.filter((flag) => flag.key === entry.key);
    if (flags.length === 0) continue;
    reported.add(entry.key);
    const fromFlag = flags.map((flag) => flag.value ?? 'true').join(' ');
    const fromFile = entry.strings.length > 0 ? entry.strings.map((item) => item.value).join(' ') : jsonText(entry.node.kind);
    const quoted =
      `"unable to configure the Docker daemon with file ${json.file}: the following directives are specified both as ` +
      `a flag and in the configuration file: ${entry.key}: (from flag: [${fromFlag}], from file: [${fromFile}])"`;
    findings.push({
      file: json.file, range: entry.keyRange, severity: 'error', code: Codes.flagAndFileConflict,
      message: `"${entry.key}" is also given as a flag (${flags.map((flag) => flag.written).join(', ')}): the daemon will not ` +
        `start: ${quoted}. Keep it in one place: remove this key, or remove the flag (for -H fd:// in the ` +
        'distribution unit, a drop-in with an empty ExecStart= and a new one without -H).',
      related: flags.map((flag) => ({ file: flag.file, range: flag.range, message: `${flag.written} given here` })),
      fix: { title: `Remove "${entry.key}" from daemon.json`, edits: [{ range: entry.removalRange, newText: '' }] },
    });
    for (const flag of flags) {
      findings.push({
        file: flag.file, range: flag.range, severity: 'error', code: Codes.flagAndFileConflict,
        message: `${flag.written} is also set in ${json.file} ("${entry.key}"): the daemon will not start: ${quoted}. ` +
          'Keep it in one place.',
        related: [{ file: json.file, range: entry.keyRange, message: `"${entry.key}" set here` }],
      });
    }
  }
  return findings;
}

function jsonText(kind: string): string {
  return `<${kind}>`;
}
