import type { Range } from './finding';

/** Maps string offsets to 0-based line/column positions (see finding.ts). */
export class LineIndex {
  private readonly lineStarts: number[] = [0];

  constructor(readonly text: string) {
    for (let i = 0; i < text.length; i++) {
      if (text.charCodeAt(i) === 10) this.lineStarts.push(i + 1);
    }
  }

  position(offset: number): { line: number; column: number } {
    const clamped = Math.max(0, Math.min(offset, this.text.length));
    let low = 0;
    let high = this.lineStarts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (this.lineStarts[mid] <= clamped) low = mid;
      else high = mid - 1;
    }
    return { line: low, column: clamped - this.lineStarts[low] };
  }

  /** The offset of a 0-based line and column (clamped to the text). */
  offset(line: number, column: number): number {
    const start = this.lineStarts[Math.max(0, Math.min(line, this.lineStarts.length - 1))];
    return Math.min(start + Math.max(0, column), this.text.length);
  }

  range(start: number, end: number): Range {
    const from = this.position(start);
    const to = this.position(end);
    return { startLine: from.line, startColumn: from.column, endLine: to.line, endColumn: to.column };
  }
}

/** A configuration file as given: `file` names it in findings; `hostPath` is where it lives on
 * the host (what `EnvironmentFile=` refers to), defaulting to `file`. */
export interface ConfigFile {
  file: string;
  text: string;
  hostPath?: string;
}
