/**
 * What every diagnostics rule produces. Pure data: the VS Code layer maps it to
 * `vscode.Diagnostic`, the CLI prints it.
 *
 * Positions are 0-BASED lines and columns (columns in UTF-16 code units, as VS Code counts
 * them); `endColumn` is EXCLUSIVE. The CLI adds 1 to lines and columns when printing.
 */

export interface Range {
  startLine: number;
  startColumn: number;
  endLine: number;
  endColumn: number;
}

export type Severity = 'error' | 'warning' | 'information' | 'hint';

export interface RelatedInformation {
  file: string;
  range: Range;
  message: string;
}

export interface TextEdit {
  range: Range;
  newText: string;
}

/** A fix we are certain of. Its edits apply to the finding's own `file`. */
export interface QuickFix {
  title: string;
  edits: TextEdit[];
}

export interface Finding {
  file: string;
  range: Range;
  severity: Severity;
  /** Stable code such as 'DNE110'; see codes.ts. */
  code: string;
  message: string;
  related?: RelatedInformation[];
  fix?: QuickFix;
}

/** A finding about a file as a whole (not checked, too large, findings left out), placed at its start. */
export function wholeFileFinding(file: string, severity: Severity, code: string, message: string): Finding {
  return { file, range: { startLine: 0, startColumn: 0, endLine: 0, endColumn: 0 }, severity, code, message };
}
