/**
 * What dockerd itself says when it refuses a daemon.json, word for word: Go's encoding/json
 * scanner messages, reproduced for the first error in the file (dockerd reports only that one).
 *
 * The two engines we test read the file differently (proven in test/integration/dockerdWords):
 * - 20.10 decodes ONE value with json.NewDecoder: text after it is ignored, an empty file is
 *   "EOF", a cut-off one "unexpected EOF", a UTF-8 byte-order mark is an invalid character.
 * - 26 strips a byte-order mark and surrounding blanks, accepts an empty file, and uses
 *   json.Unmarshal: text after the value is an error; a cut-off file is scanned one blank further
 *   (so `tru` is "invalid character ' ' in literal true…") and else "unexpected end of JSON input".
 */

export type Engine = '20.10' | '26';
export const ENGINES: readonly Engine[] = ['20.10', '26'];

/** The error dockerd's JSON reading gives for `text` (before its own checks), or undefined. */
export function dockerdJsonError(text: string, engine: Engine): string | undefined {
  let start = 0;
  let end = text.length;
  if (engine === '26') {
    if (text.charCodeAt(0) === 0xfeff) start = 1;
    while (start < end && isGoSpace(text.charCodeAt(start))) start++;
    while (end > start && isGoSpace(text.charCodeAt(end - 1))) end--;
    if (start === end) return undefined;
  }
  // Unmarshal ends its scan by stepping over one blank: "invalid character ' ' in literal true…".
  const scan = new GoScanner(text, start, end, engine === '26');
  const result = scan.value();
  if (result === 'eof') {
    if (engine === '26') return 'unexpected end of JSON input';
    return scan.sawNonSpace ? 'unexpected EOF' : 'EOF';
  }
  if (typeof result === 'object') return result.error;
  if (engine === '26') {
    scan.skipSpace();
    if (scan.pos < end) return `invalid character ${scan.quoted(scan.pos)} after top-level value`;
  }
  // The value decodes into map[string]interface{}: anything but an object (or null) is a type error.
  if (result !== 'object' && result !== 'null') return `json: cannot unmarshal ${result} into Go value of type map[string]interface {}`;
  return undefined;
}

type Kind = 'object' | 'array' | 'string' | 'number' | 'bool' | 'null';
type Outcome = Kind | 'eof' | { error: string };

function isSpace(code: number): boolean {
  return code === 0x20 || code === 0x09 || code === 0x0a || code === 0x0d;
}

/** Go's unicode.IsSpace, which bytes.TrimSpace uses. */
function isGoSpace(code: number): boolean {
  return (
    (code >= 0x09 && code <= 0x0d) ||
    code === 0x20 ||
    code === 0x85 ||
    code === 0xa0 ||
    code === 0x1680 ||
    (code >= 0x2000 && code <= 0x200a) ||
    code === 0x2028 ||
    code === 0x2029 ||
    code === 0x202f ||
    code === 0x205f ||
    code === 0x3000
  );
}

/**
 * Go's strict scanner with the same messages (encoding/json/scanner.go). It reads bytes; we read
 * UTF-16 code units, which agree on everything JSON's syntax looks at, and turn a code point
 * into its first UTF-8 byte when Go would name that byte.
 */
class GoScanner {
  pos: number;
  sawNonSpace = false;
  /** Where the text ends for the scanner: `end`, and one blank more when `padded`. */
  private readonly length: number;

  constructor(
    private readonly text: string,
    start: number,
    readonly end: number,
    private readonly padded: boolean,
  ) {
    this.pos = start;
    this.length = end + (padded ? 1 : 0);
  }

  /** The code unit at `index` (NaN past the end, which no comparison matches). */
  private at(index: number): number {
    if (index < this.end) return this.text.charCodeAt(index);
    return this.padded && index === this.end ? 0x20 : NaN;
  }

  skipSpace(): void {
    while (this.pos < this.length && isSpace(this.at(this.pos))) this.pos++;
  }

  private next(): number | undefined {
    this.skipSpace();
    if (this.pos >= this.length) return undefined;
    this.sawNonSpace = true;
    return this.at(this.pos);
  }

  /** The character at `pos` as Go names it: the first byte of its UTF-8 encoding. */
  quoted(pos: number): string {
    if (pos >= this.end) return quoteChar(0x20);
    const code = this.text.codePointAt(pos) ?? 0x20;
    // A lone surrogate is encoded as U+FFFD.
    const point = code >= 0xd800 && code <= 0xdfff ? 0xfffd : code;
    return quoteChar(
      point < 0x80 ? point : point < 0x800 ? 0xc0 | (point >> 6) : point < 0x10000 ? 0xe0 | (point >> 12) : 0xf0 | (point >> 18),
    );
  }

  private fail(context: string): Outcome {
    return { error: `invalid character ${this.quoted(this.pos)} ${context}` };
  }

  /** One value; nesting on an explicit stack, as Go's scanner keeps it (and as deep: 10000). */
  value(): Outcome {
    const stack: Array<'object' | 'array'> = [];
    let kind: Outcome;
    let c: number | undefined;
    for (;;) {
      // At the beginning of a value.
      c = this.next();
      if (c === undefined) return 'eof';
      if (c === 0x7b || c === 0x5b) {
        if (stack.length >= 10000) return { error: 'exceeded max depth' };
        this.pos++;
        const opened = c === 0x7b ? 'object' : 'array';
        c = this.next();
        if (c === undefined) return 'eof';
        if (c === (opened === 'object' ? 0x7d : 0x5d)) {
          this.pos++;
          kind = opened;
        } else {
          stack.push(opened);
          if (opened === 'array') continue;
          const key = this.key();
          if (key !== undefined) return key;
          continue;
        }
      } else {
        kind = this.scalar(c);
        if (typeof kind === 'object' || kind === 'eof') return kind;
      }
      // After a complete value: close what it ends, or go on to the next member or item.
      for (;;) {
        const open = stack[stack.length - 1];
        if (open === undefined) return kind;
        c = this.next();
        if (c === undefined) return 'eof';
        if (c === (open === 'object' ? 0x7d : 0x5d)) {
          this.pos++;
          stack.pop();
          kind = open;
          continue;
        }
        if (c !== 0x2c) return this.fail(open === 'object' ? 'after object key:value pair' : 'after array element');
        this.pos++;
        if (open === 'object') {
          const key = this.key();
          if (key !== undefined) return key;
        }
        break;
      }
    }
  }

  /** `"key":` of an object member; undefined when it is there. */
  private key(): Outcome | undefined {
    let c = this.next();
    if (c === undefined) return 'eof';
    if (c !== 0x22) return this.fail('looking for beginning of object key string');
    const key = this.string();
    if (key !== 'string') return key;
    c = this.next();
    if (c === undefined) return 'eof';
    if (c !== 0x3a) return this.fail('after object key');
    this.pos++;
    return undefined;
  }

  private scalar(c: number): Outcome {
    if (c === 0x22) return this.string();
    if (c === 0x2d || (c >= 0x30 && c <= 0x39)) return this.number();
    if (c === 0x74) return this.literal('true', 'bool');
    if (c === 0x66) return this.literal('false', 'bool');
    if (c === 0x6e) return this.literal('null', 'null');
    return this.fail('looking for beginning of value');
  }

  private string(): Outcome {
    this.pos++; // "
    while (this.pos < this.length) {
      const c = this.at(this.pos);
      if (c === 0x22) {
        this.pos++;
        return 'string';
      }
      if (c < 0x20) return this.fail('in string literal');
      if (c === 0x5c) {
        this.pos++;
        if (this.pos >= this.length) return 'eof';
        const escaped = this.at(this.pos);
        if (escaped === 0x75) {
          for (let i = 0; i < 4; i++) {
            this.pos++;
            if (this.pos >= this.length) return 'eof';
            if (!isHex(this.at(this.pos))) return this.fail('in \\u hexadecimal character escape');
          }
        } else if (!'bfnrt\\/"'.includes(String.fromCharCode(escaped))) {
          return this.fail('in string escape code');
        }
      }
      this.pos++;
    }
    return 'eof';
  }

  private number(): Outcome {
    const digit = (at: number) => at < this.length && this.at(at) >= 0x30 && this.at(at) <= 0x39;
    if (this.at(this.pos) === 0x2d) {
      this.pos++;
      if (this.pos >= this.length) return 'eof';
      if (!digit(this.pos)) return this.fail('in numeric literal');
    }
    if (this.at(this.pos) === 0x30) this.pos++;
    else while (digit(this.pos)) this.pos++;
    if (this.at(this.pos) === 0x2e) {
      this.pos++;
      if (this.pos >= this.length) return 'eof';
      if (!digit(this.pos)) return this.fail('after decimal point in numeric literal');
      while (digit(this.pos)) this.pos++;
    }
    if (this.at(this.pos) === 0x65 || this.at(this.pos) === 0x45) {
      this.pos++;
      if (this.at(this.pos) === 0x2b || this.at(this.pos) === 0x2d) this.pos++;
      if (this.pos >= this.length) return 'eof';
      if (!digit(this.pos)) return this.fail('in exponent of numeric literal');
      while (digit(this.pos)) this.pos++;
    }
    return 'number';
  }

  private literal(word: string, kind: Kind): Outcome {
    for (let i = 1; i < word.length; i++) {
      this.pos++;
      if (this.pos >= this.length) return 'eof';
      if (this.at(this.pos) !== word.charCodeAt(i)) return this.fail(`in literal ${word} (expecting ${quoteChar(word.charCodeAt(i))})`);
    }
    this.pos++;
    return kind;
  }
}

function isHex(byte: number): boolean {
  return (byte >= 0x30 && byte <= 0x39) || (byte >= 0x61 && byte <= 0x66) || (byte >= 0x41 && byte <= 0x46);
}

/** Go's quoteChar: one BYTE shown as the rune of that value, quoted like strconv.Quote. */
export function quoteChar(byte: number): string {
  if (byte === 0x27) return "'\\''";
  if (byte === 0x22) return "'\"'";
  const named: Record<number, string> = { 7: '\\a', 8: '\\b', 12: '\\f', 10: '\\n', 13: '\\r', 9: '\\t', 11: '\\v', 0x5c: '\\\\' };
  if (named[byte]) return `'${named[byte]}'`;
  if (byte < 0x20 || byte === 0x7f) return `'\\x${byte.toString(16).padStart(2, '0')}'`;
  // C1 controls, no-break space and soft hyphen are not printable for strconv.
  if ((byte >= 0x80 && byte <= 0xa0) || byte === 0xad) return `'\\u00${byte.toString(16).padStart(2, '0')}'`;
  return `'${String.fromCharCode(byte)}'`;
}
