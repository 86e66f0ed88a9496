import type { TextEdit } from '../../src/core/diagnostics/finding';

/** Applies a fix's edits (0-based, as VS Code would) and returns the new text. */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  const lines = text.split('\n');
  const offset = (line: number, column: number) => lines.slice(0, line).reduce((sum, entry) => sum + entry.length + 1, 0) + column;
  return [...edits]
    .sort((a, b) => offset(b.range.startLine, b.range.startColumn) - offset(a.range.startLine, a.range.startColumn))
    .reduce(
      (result, edit) =>
        result.slice(0, offset(edit.range.startLine, edit.range.startColumn)) +
        edit.newText +
        result.slice(offset(edit.range.endLine, edit.range.endColumn)),
      text,
    );
}
