/** DNE100–103: daemon.json must be strict JSON, or dockerd refuses it and does not start. */
import type { Finding } from '../finding';
import { Codes } from '../codes';
import { versionParts } from '../engine';
import { dockerdJsonError, ENGINES, type Engine } from '../parsers/dockerdJson';
import type { DockerdConfig } from '../dockerdConfig';

/** What dockerd refuses that deleting it mends: a comment, a trailing comma. */
const REMOVABLE = {
  comment: {
    code: Codes.daemonJsonComment,
    said: 'Comments are not allowed in daemon.json.',
    advice: 'Remove the comment.',
    fix: 'Remove the comment',
  },
  'trailing-comma': {
    code: Codes.daemonJsonTrailingComma,
    said: 'Trailing comma in daemon.json.',
    advice: 'Remove the comma.',
    fix: 'Remove the trailing comma',
  },
};

/** `engine`: the version the files are for, when known; only 20.10 and 26 are told apart (the ones proven). */
export function daemonJsonSyntaxFindings(config: DockerdConfig, engine?: string): Finding[] {
  const json = config.daemonJson;
  if (!json) return [];
  const [major, minor] = versionParts(engine ?? '');
  const known: Engine | undefined = major === 20 && minor === 10 ? '20.10' : major === 26 ? '26' : undefined;
  const errors = ENGINES.map((candidate) => (known && candidate !== known ? undefined : dockerdJsonError(json.text, candidate)));
  const refusal = known ? refusalBy(json.file, known, errors[ENGINES.indexOf(known)]) : refusalOf(json.file, errors);
  // The engine the files are for reads it: nothing to say (20.10 ignores text after the object).
  if (known && errors.every((error) => error === undefined)) return [];
  const findings: Finding[] = json.problems.map((problem): Finding => {
    if (problem.kind === 'comment' || problem.kind === 'trailing-comma') {
      const { code, said, advice, fix } = REMOVABLE[problem.kind];
      return {
        file: json.file,
        range: problem.range,
        severity: 'error',
        code,
        message: `${said} ${refusal} ${advice}`,
        fix: { title: fix, edits: [{ range: problem.range, newText: '' }] },
      };
    }
    return {
      file: json.file,
      range: problem.range,
      severity: 'error',
      code: Codes.daemonJsonSyntax,
      message: `daemon.json is not valid JSON: ${problem.message}. ${refusal} Fix the syntax.`,
    };
  });
  const last = json.problems[json.problems.length - 1];
  if (json.omittedProblems > 0 && last) {
    findings.push({
      file: json.file,
      range: last.range,
      severity: 'information',
      code: Codes.daemonJsonSyntax,
      message: `${json.omittedProblems} more problems follow in daemon.json; only the first ${json.problems.length} are listed.`,
    });
  }
  const refused = errors.some((error) => error !== undefined);
  if (json.nonObjectRoot && refused) {
    findings.push({
      file: json.file,
      range: json.nonObjectRoot,
      severity: 'error',
      code: Codes.daemonJsonNotObject,
      message: `daemon.json must contain one JSON object ({ "key": value, … }). ${refusal}`,
    });
  }
  // What our tolerant reading lets pass but dockerd does not (an empty file, a byte-order mark on 20.10).
  if (findings.length === 0 && refused) {
    findings.push({
      file: json.file,
      range: { startLine: 0, startColumn: 0, endLine: 0, endColumn: /^[^\r\n]/.test(json.text) ? 1 : 0 },
      severity: 'error',
      code: Codes.daemonJsonSyntax,
      message: `daemon.json is not what dockerd can read${json.text.trim() === '' ? ' (it is empty)' : json.text.startsWith('\uFEFF') ? ' (it starts with a byte-order mark)' : ''}. ${refusal}`,
    });
  }
  return findings;
}

function refusalBy(file: string, engine: Engine, error: string | undefined): string {
  if (error === undefined) return `dockerd ${engine} accepts the file.`;
  return `dockerd ${engine} refuses the file and does not start: "unable to configure the Docker daemon with file ${file}: ${error}".`;
}

/** dockerd's own refusal of the file, per engine where they differ. */
function refusalOf(file: string, [old, current]: Array<string | undefined>): string {
  const quote = (error: string) => `"unable to configure the Docker daemon with file ${file}: ${error}"`;
  if (old !== undefined && old === current) return `dockerd refuses the file and does not start: ${quote(old)}.`;
  const say = (engine: string, error: string | undefined) =>
    error === undefined ? `dockerd ${engine} accepts the file` : `dockerd ${engine} does not start: ${quote(error)}`;
  if (old === undefined && current === undefined) return "dockerd's own parser is strict: fix it before dockerd reads it.";
  return `${say('20.10', old)}; ${say('26', current)}.`;
}
