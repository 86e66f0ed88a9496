/** DNE100–103: daemon.json must be strict JSON, or dockerd refuses it and does not start. */
import type { Finding } from '../finding';
import { Codes } from './codes';
import type { HostConfig } from './hostConfig';

const REFUSED =
  'dockerd parses daemon.json strictly ("unable to configure the Docker daemon with file …"): the daemon will not start.';

export function daemonJsonSyntaxFindings(config: HostConfig): Finding[] {
  const json = config.daemonJson;
  if (!json) return [];
  const findings: Finding[] = json.problems.map((problem): Finding => {
    if (problem.kind === 'comment') {
      return {
        file: json.file, range: problem.range, severity: 'error', code: Codes.daemonJsonComment,
        message: `Comments are not allowed in daemon.json. ${REFUSED} Remove the comment.`,
        fix: { title: 'Remove the comment', edits: [{ range: problem.range, newText: '' }] },
      };
    }
    if (problem.kind === 'trailing-comma') {
      return {
        file: json.file, range: problem.range, severity: 'error', code: Codes.daemonJsonTrailingComma,
        message: `Trailing comma in daemon.json. ${REFUSED} Remove the comma.`,
        fix: { title: 'Remove the trailing comma', edits: [{ range: problem.range, newText: '' }] },
      };
    }
    return {
      file: json.file, range: problem.range, severity: 'error', code: Codes.daemonJsonSyntax,
      message: `daemon.json is not valid JSON: ${problem.message}. ${REFUSED} Fix the syntax.`,
    };
  });
  if (json.nonObjectRoot) {
    findings.push({
      file: json.file, range: json.nonObjectRoot, severity: 'error',
      code: Codes.daemonJsonNotObject,
      message: `daemon.json must contain one JSON object ({ "key": value, … }). ${REFUSED}`,
    });
  }
  return findings;
}
