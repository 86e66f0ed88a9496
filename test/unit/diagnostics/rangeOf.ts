import assert from 'node:assert/strict';
import type { Range } from '../../../src/core/diagnostics/finding';

/** The exact range of the `occurrence`-th `needle` in `text` (0-based lines and columns). */
export function rangeOf(text: string, needle: string, occurrence = 0): Range {
  let at = -1;
  for (let i = 0; i <= occurrence; i++) at = text.indexOf(needle, at + 1);
  assert.ok(at >= 0, `${needle} not in text`);
  const position = (offset: number) => {
    const before = text.slice(0, offset).split('\n');
    return { line: before.length - 1, column: before[before.length - 1].length };
  };
  const start = position(at);
  const end = position(at + needle.length);
  return { startLine: start.line, startColumn: start.column, endLine: end.line, endColumn: end.column };
}
