/**
 * A tolerant JSON parser: keeps the offsets of every key and value, skips over what strict
 * JSON forbids (comments, trailing commas, bare words) and records each as a problem instead of
 * stopping. The tokens — whitespace, comments, strings with their escapes — are read by
 * Microsoft's jsonc-parser scanner (VS Code's own). The grammar and its recovery stay here:
 * jsonc-parser's parser recurses without a depth limit (a deep `[[[…` overflows the stack) and
 * recovers differently from what the findings promise (a `#` comment, a single-quoted value or
 * a bare word is one problem each, as dockerd users write them). Every step consumes input, so
 * it always ends.
 */
import { createScanner, ScanError, SyntaxKind, type JSONScanner } from 'jsonc-parser';
import { MAX_PROBLEMS_PER_FILE } from '../limits';

export type JsonNode =
  | { kind: 'object'; start: number; end: number; members: JsonMember[] }
  | { kind: 'array'; start: number; end: number; items: JsonNode[] }
  | { kind: 'string'; start: number; end: number; value: string }
  | { kind: 'number'; start: number; end: number; value: number }
  | { kind: 'boolean'; start: number; end: number; value: boolean }
  | { kind: 'null'; start: number; end: number }
  | { kind: 'invalid'; start: number; end: number };

export interface JsonMember {
  key: string;
  keyStart: number;
  keyEnd: number;
  value: JsonNode;
  /** Offsets to delete to remove this member and one adjoining comma. */
  removeStart: number;
  removeEnd: number;
}

export type JsonProblemKind = 'comment' | 'trailing-comma' | 'syntax';

export interface JsonProblem {
  kind: JsonProblemKind;
  start: number;
  end: number;
  message: string;
}

const MAX_DEPTH = 200;

export class TolerantJsonParser {
  private pos = 0;
  readonly problems: JsonProblem[] = [];
  /** Problems found beyond MAX_PROBLEMS_PER_FILE: counted, not kept. */
  omitted = 0;

  private readonly scanner: JSONScanner;

  constructor(private readonly text: string) {
    this.scanner = createScanner(text, false);
  }

  /** The scanner's token at `offset` (its kind; offsets and value through this.scanner). */
  private scanAt(offset: number): SyntaxKind {
    this.scanner.setPosition(offset);
    return this.scanner.scan();
  }

  parseDocument(): JsonNode | undefined {
    this.skipTrivia();
    if (this.pos >= this.text.length) return undefined;
    const root = this.parseValue(0);
    this.skipTrivia();
    if (this.pos < this.text.length) {
      this.problem('syntax', this.pos, this.text.length, 'unexpected text after the end of the JSON value');
    }
    return root;
  }

  private problem(kind: JsonProblemKind, start: number, end: number, message: string): void {
    if (this.problems.length >= MAX_PROBLEMS_PER_FILE) this.omitted++;
    else this.problems.push({ kind, start, end: Math.max(end, start + 1), message });
  }

  /** Whitespace (and a BOM) silently; comments as problems, because dockerd refuses them. */
  private skipTrivia(): void {
    const text = this.text;
    while (this.pos < text.length) {
      const ch = text[this.pos];
      if (ch === '\ufeff') {
        this.pos++;
        continue;
      }
      // Only these can start whitespace or a comment: anything else is left to the caller
      // unscanned (scanning a long bare word here, again and again, would be quadratic).
      if (ch !== '#' && !' \t\r\n/'.includes(ch)) return;
      if (ch !== '#') {
        const kind = this.scanAt(this.pos);
        const start = this.pos;
        const end = Math.min(this.scanner.getPosition(), text.length);
        if (kind === SyntaxKind.Trivia || kind === SyntaxKind.LineBreakTrivia) {
          this.pos = end;
        } else if (kind === SyntaxKind.LineCommentTrivia || kind === SyntaxKind.BlockCommentTrivia) {
          this.pos = end;
          const unterminated = this.scanner.getTokenError() === ScanError.UnexpectedEndOfComment;
          this.problem('comment', start, end, unterminated ? 'unterminated comment' : 'comment');
        } else {
          return;
        }
      } else {
        // Not JSON in any dialect, but people copy shell-style comments into daemon.json.
        const start = this.pos;
        const newline = text.indexOf('\n', start);
        this.pos = newline < 0 ? text.length : newline;
        this.problem('comment', start, this.pos, 'comment');
      }
    }
  }

  private parseValue(depth: number): JsonNode {
    const start = this.pos;
    const ch = this.text[this.pos];
    if (depth > MAX_DEPTH) {
      this.pos = this.text.length;
      this.problem('syntax', start, this.pos, 'nesting too deep');
      return { kind: 'invalid', start, end: this.pos };
    }
    if (ch === '{') return this.parseObject(depth);
    if (ch === '[') return this.parseArray(depth);
    if (ch === '"') {
      const { value, end } = this.parseString();
      return { kind: 'string', start, end, value };
    }
    const literal = /^(?:true|false|null|-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?)/.exec(this.text.slice(start, start + 400));
    if (literal) {
      this.pos = start + literal[0].length;
      const word = literal[0];
      if (word === 'true' || word === 'false') return { kind: 'boolean', start, end: this.pos, value: word === 'true' };
      if (word === 'null') return { kind: 'null', start, end: this.pos };
      return { kind: 'number', start, end: this.pos, value: Number(word) };
    }
    // Skip one bare token (e.g. an unquoted word or a single-quoted string) so parsing goes on.
    const bare = /^(?:'[^'\n]*'?|[^\s,:{}[\]"]+)/.exec(this.text.slice(start, start + 400));
    this.pos = start + (bare && bare[0].length > 0 ? bare[0].length : 1);
    this.problem('syntax', start, this.pos, `invalid value ${JSON.stringify(this.text.slice(start, this.pos))}`);
    return { kind: 'invalid', start, end: this.pos };
  }

  /** A double-quoted string, read by the scanner; each bad escape and a missing end are problems. */
  private parseString(): { value: string; end: number } {
    const start = this.pos;
    this.scanAt(start);
    const value = this.scanner.getTokenValue();
    const error = this.scanner.getTokenError();
    this.pos = this.scanner.getPosition();
    // One error per token, the last one found: any of them may hide a bad escape.
    if (error !== ScanError.None) this.escapeProblems(start + 1, this.pos);
    const closed = this.pos > start + 1 && this.text[this.pos - 1] === '"' && !this.escapedAt(this.pos - 1, start);
    if (!closed) {
      // The scanner stops at a line break; a CRLF's LF is the end (the CR belongs to the line).
      if (this.text[this.pos] === '\r' && this.text[this.pos + 1] === '\n') this.pos++;
      this.problem('syntax', start, this.pos, 'unterminated string');
    }
    return { value, end: this.pos };
  }

  /** The scanner flags a string with bad escapes once; the finding names each, at its offset. */
  private escapeProblems(from: number, to: number): void {
    for (let i = from; i < to; i++) {
      if (this.text[i] !== '\\') continue;
      const escape = this.text[i + 1];
      if (escape !== undefined && '"\\/bfnrt'.includes(escape)) {
        i++;
      } else if (escape === 'u' && /^[0-9a-fA-F]{4}$/.test(this.text.slice(i + 2, i + 6))) {
        i += 5;
      } else {
        this.problem('syntax', i, i + 2, 'invalid escape in string');
        if (escape !== undefined) i++;
      }
    }
  }

  /** Whether the quote at `offset` is escaped (an odd run of backslashes before it, after `start`). */
  private escapedAt(offset: number, start: number): boolean {
    let backslashes = 0;
    for (let i = offset - 1; i > start && this.text[i] === '\\'; i--) backslashes++;
    return backslashes % 2 === 1;
  }

  private parseObject(depth: number): JsonNode {
    const start = this.pos;
    this.pos++;
    const members: JsonMember[] = [];
    let lastComma: number | undefined;
    for (;;) {
      this.skipTrivia();
      const ch = this.text[this.pos];
      if (ch === undefined) {
        this.problem('syntax', start, start + 1, 'object is not closed: missing "}"');
        break;
      }
      if (ch === '}') {
        if (lastComma !== undefined) this.problem('trailing-comma', lastComma, lastComma + 1, 'trailing comma');
        this.pos++;
        break;
      }
      if (ch === ',') {
        if (lastComma !== undefined || members.length === 0) this.problem('syntax', this.pos, this.pos + 1, 'unexpected ","');
        lastComma = this.pos++;
        continue;
      }
      if (members.length > 0 && lastComma === undefined) {
        this.problem('syntax', this.pos, this.pos + 1, 'missing "," between members');
      }
      lastComma = undefined;
      const member = this.parseMember(depth);
      if (member) members.push(member);
    }
    this.computeRemovalRanges(members);
    return { kind: 'object', start, end: this.pos, members };
  }

  private parseMember(depth: number): JsonMember | undefined {
    const keyStart = this.pos;
    let key: string;
    if (this.text[this.pos] === '"') {
      key = this.parseString().value;
    } else {
      const bare = /^[^\s,:{}[\]"]+/.exec(this.text.slice(keyStart, keyStart + 400));
      this.pos += bare ? bare[0].length : 1;
      key = this.text.slice(keyStart, this.pos);
      this.problem('syntax', keyStart, this.pos, `key ${JSON.stringify(key)} must be a double-quoted string`);
      if (!bare) return undefined;
    }
    const keyEnd = this.pos;
    this.skipTrivia();
    if (this.text[this.pos] === ':') {
      this.pos++;
    } else {
      this.problem('syntax', keyEnd, keyEnd + 1, `missing ":" after key ${JSON.stringify(key)}`);
    }
    this.skipTrivia();
    const next = this.text[this.pos];
    const value: JsonNode = next === undefined || next === ',' || next === '}' ? this.missingValue(key) : this.parseValue(depth + 1);
    return { key, keyStart, keyEnd, value, removeStart: keyStart, removeEnd: value.end };
  }

  private missingValue(key: string): JsonNode {
    this.problem('syntax', this.pos, this.pos + 1, `missing value for key ${JSON.stringify(key)}`);
    return { kind: 'invalid', start: this.pos, end: this.pos };
  }

  private parseArray(depth: number): JsonNode {
    const start = this.pos;
    this.pos++;
    const items: JsonNode[] = [];
    let lastComma: number | undefined;
    for (;;) {
      this.skipTrivia();
      const ch = this.text[this.pos];
      if (ch === undefined) {
        this.problem('syntax', start, start + 1, 'array is not closed: missing "]"');
        break;
      }
      if (ch === ']') {
        if (lastComma !== undefined) this.problem('trailing-comma', lastComma, lastComma + 1, 'trailing comma');
        this.pos++;
        break;
      }
      if (ch === ',') {
        if (lastComma !== undefined || items.length === 0) this.problem('syntax', this.pos, this.pos + 1, 'unexpected ","');
        lastComma = this.pos++;
        continue;
      }
      if (ch === '}' || ch === ':') {
        this.problem('syntax', this.pos, this.pos + 1, `unexpected "${ch}" in array`);
        this.pos++;
        continue;
      }
      if (items.length > 0 && lastComma === undefined) {
        this.problem('syntax', this.pos, this.pos + 1, 'missing "," between array items');
      }
      lastComma = undefined;
      items.push(this.parseValue(depth + 1));
    }
    return { kind: 'array', start, end: this.pos, items };
  }

  /** Removing a member must leave valid JSON: take the comma after it, or before it if last. */
  private computeRemovalRanges(members: JsonMember[]): void {
    for (let i = 0; i < members.length; i++) {
      const member = members[i];
      const next = members[i + 1];
      if (next) {
        member.removeEnd = this.lineStartOrSelf(next.keyStart);
        member.removeStart = this.lineStartOrSelf(member.keyStart);
      } else if (i > 0) {
        member.removeStart = members[i - 1].value.end;
      }
    }
  }

  /** If only indentation precedes `offset` on its line, the line start (removes whole lines). */
  private lineStartOrSelf(offset: number): number {
    let i = offset;
    while (i > 0 && (this.text[i - 1] === ' ' || this.text[i - 1] === '\t')) i--;
    return i === 0 || this.text[i - 1] === '\n' ? i : offset;
  }
}
