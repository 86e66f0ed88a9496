/** Findings as the CLI prints them: 1-based lines and columns, text or JSON. */
import type { Finding } from '../core/diagnostics/finding';

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

/** `path:line:col: severity CODE message`, then related places and the fix, indented. */
export function toText(findings: readonly Finding[]): string {
  if (findings.length === 0) return 'No problems found.\n';
  const lines = findings.flatMap((finding) => [
    `${finding.file}:${finding.range.startLine + 1}:${finding.range.startColumn + 1}: ${finding.severity} ${finding.code} ${finding.message}`,
    ...(finding.related ?? []).map((related) => `    see ${related.file}:${related.range.startLine + 1}:${related.range.startColumn + 1}: ${related.message}`),
    ...(finding.fix ? [`    fix: ${finding.fix.title}`] : []),
  ]);
  const errors = findings.filter((finding) => finding.severity === 'error').length;
  return `${lines.join('\n')}\n\n${findings.length} finding${findings.length === 1 ? '' : 's'}, ${errors} error${errors === 1 ? '' : 's'}.\n`;
}

export function exitCode(findings: readonly Finding[]): 0 | 1 {
  return findings.some((finding) => finding.severity === 'error') ? 1 : 0;
}
