/** Findings as the CLI prints them: 1-based lines and columns, text or JSON. */
import type { Finding } from '../core/diagnostics/finding';
import { escapeForTerminal as safe, terminalSafeJson } from '../core/util/untrustedText';

export interface JsonFinding {
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  severity: Finding['severity'];
  code: string;
  message: string;
}

export function toJson(findings: readonly Finding[]): { findings: JsonFinding[] } {
  return {
    findings: findings.map(({ file, range, severity, code, message }) => ({
      file,
      line: range.startLine + 1,
      column: range.startColumn + 1,
      endLine: range.endLine + 1,
      endColumn: range.endColumn + 1,
      severity,
      code,
      message,
    })),
  };
}

/** The JSON output, one line: the toJson value with nothing a terminal would act on (terminalSafeJson). */
export function jsonLine(value: unknown): string {
  return `${terminalSafeJson(value)}\n`;
}

/**
 * `path:line:col: severity CODE message`, then related places and the fix, indented. Paths and
 * messages carry names and answers from files, daemons and stores: control characters in them are
 * shown escaped (`\u{1b}`), one finding a line whatever they hold.
 */
export function toText(findings: readonly Finding[]): string {
  if (findings.length === 0) return 'No problems found.\n';
  const lines = findings.flatMap((finding) => [
    `${safe(finding.file)}:${finding.range.startLine + 1}:${finding.range.startColumn + 1}: ${finding.severity} ${safe(finding.code)} ${safe(finding.message)}`,
    ...(finding.related ?? []).map(
      (related) =>
        `    see ${safe(related.file)}:${related.range.startLine + 1}:${related.range.startColumn + 1}: ${safe(related.message)}`,
    ),
    ...(finding.fix ? [`    fix: ${safe(finding.fix.title)}`] : []),
  ]);
  const errors = findings.filter((finding) => finding.severity === 'error').length;
  return `${lines.join('\n')}\n\n${findings.length} finding${findings.length === 1 ? '' : 's'}, ${errors} error${errors === 1 ? '' : 's'}.\n`;
}

/**
 * A failure said as both commands say it: on stderr after `prefix`, escaped for the terminal (a
 * stack keeps its lines), the usage text after bad usage; with --json also {"error"} on stdout.
 */
export function failureReporter(prefix: string, usage: string, json: boolean, out: (text: string) => void, err: (text: string) => void) {
  return (kind: 'usage' | 'internal', message: string, showUsage = kind === 'usage'): void => {
    if (json) out(jsonLine({ error: { kind, message } }));
    err(`${prefix}: ${message.split('\n').map(safe).join('\n')}\n${showUsage ? `\n${usage}\n` : ''}`);
  };
}

export function exitCode(findings: readonly Finding[]): 0 | 1 {
  return findings.some((finding) => finding.severity === 'error') ? 1 : 0;
}
