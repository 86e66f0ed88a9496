/** DNE100–103: daemon.json must be strict JSON, or dockerd refuses it and does not start. */
import type { Finding } from '../finding';
import { Codes } from './codes';
import { dockerdJsonError, ENGINES } from './dockerdJson';
import type { HostConfig } from './hostConfig';

export function daemonJsonSyntaxFindings(config: HostConfig): Finding[] {
  const json = config.daemonJson;
  if (!json) return [];
  const errors = ENGINES.map((engine) => dockerdJsonError(json.text, engine));
  const refusal = refusalOf(json.file, errors);
  const findings: Finding[] = json.problems.map((problem): Finding => {
    if (problem.kind === 'comment') {
      return {
        file: json.file, range: problem.range, severity: 'error', code: Codes.daemonJsonComment,
        message: `Comments are not allowed in daemon.json. ${refusal} Remove the comment.`,
        fix: { title: 'Remove the comment', edits: [{ range: problem.range, newText: '' }] },
      };
    }
    if (problem.kind === 'trailing-comma') {
      return {
        file: json.file, range: problem.range, severity: 'error', code: Codes.daemonJsonTrailingComma,
        message: `Trailing comma in daemon.json. ${refusal} Remove the comma.`,
        fix: { title: 'Remove the trailing comma', edits: [{ range: problem.range, newText: '' }] },
      };
    }
    return {
      file: json.file, range: problem.range, severity: 'error', code: Codes.daemonJsonSyntax,
      message: `daemon.json is not valid JSON: ${problem.message}. ${refusal} Fix the syntax.`,
    };
  });
  const refused = errors.some((error) => error !== undefined);
  if (json.nonObjectRoot && refused) {
    findings.push({
      file: json.file, range: json.nonObjectRoot, severity: 'error',
      code: Codes.daemonJsonNotObject,
      message: `daemon.json must contain one JSON object ({ "key": value, … }). ${refusal}`,
    });
  }
  // What our tolerant reading lets pass but dockerd does not (an empty file, a byte-order mark on 20.10).
  if (findings.length === 0 && refused) {
    findings.push({
      file: json.file, range: { startLine: 0, startColumn: 0, endLine: 0, endColumn: /^[^\r\n]/.test(json.text) ? 1 : 0 }, severity: 'error',
      code: Codes.daemonJsonSyntax,
      message: `daemon.json is not what dockerd can read${json.text.trim() === '' ? ' (it is empty)' : json.text.startsWith('\uFEFF') ? ' (it starts with a byte-order mark)' : ''}. ${refusal}`,
    });
  }
  return findings;
}

/** dockerd's own refusal of the file, per engine where they differ. */
function refusalOf(file: string, [old, current]: Array<string | undefined>): string {
  const quote = (error: string) => `"unable to configure the Docker daemon with file ${file}: ${error}"`;
  if (old !== undefined && old === current) return `dockerd refuses the file and does not start: ${quote(old)}.`;
  const say = (engine: string, error: string | undefined) =>
    error === undefined ? `dockerd ${engine} accepts the file` : `dockerd ${engine} does not start: ${quote(error)}`;
  if (old === undefined && current === undefined) return 'dockerd\'s own parser is strict: fix it before dockerd reads it.';
  return `${say('20.10', old)}; ${say('26', current)}.`;
}
