/** Maps the core's findings (pure data) to VS Code diagnostics. */
import * as vscode from 'vscode';
import type { Finding, Range, Severity } from '../../core/diagnostics/finding';

export const DIAGNOSTIC_SOURCE = 'Docker Network Explorer';

const SEVERITIES: Record<Severity, vscode.DiagnosticSeverity> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  information: vscode.DiagnosticSeverity.Information,
  hint: vscode.DiagnosticSeverity.Hint,
};

/** Finds the URI of a file the core named (a host path, a real path or a Docker host URL). */
export type ResolveFile = (file: string) => vscode.Uri;

export function toRange(range: Range): vscode.Range {
  return new vscode.Range(range.startLine, range.startColumn, range.endLine, range.endColumn);
}

/**
 * @param docsUri the README: each code links to its anchor (`#dne112`), where the README
 *   explains the rule and the fix.
 */
export function toDiagnostic(finding: Finding, resolve: ResolveFile, docsUri: vscode.Uri): vscode.Diagnostic {
  const diagnostic = new vscode.Diagnostic(toRange(finding.range), finding.message, SEVERITIES[finding.severity]);
  diagnostic.source = DIAGNOSTIC_SOURCE;
  diagnostic.code = { value: finding.code, target: docsUri.with({ fragment: finding.code.toLowerCase() }) };
  if (finding.related?.length) {
    diagnostic.relatedInformation = finding.related.map(
      (related) =>
        new vscode.DiagnosticRelatedInformation(new vscode.Location(resolve(related.file), toRange(related.range)), related.message),
    );
  }
  return diagnostic;
}

/** The DNE code of a diagnostic we published, or undefined for anyone else's. */
export function codeOf(diagnostic: vscode.Diagnostic): string | undefined {
  if (diagnostic.source !== DIAGNOSTIC_SOURCE) return undefined;
  const code = diagnostic.code;
  return typeof code === 'object' ? String(code.value) : code === undefined ? undefined : String(code);
}
