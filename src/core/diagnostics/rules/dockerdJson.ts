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
  let bytes = new TextEncoder().encode(text);
  if (engine === '26') {
    if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) bytes = bytes.subarray(3);
    let start = 0;
    let end = bytes.length;
    while (start < end && isSpace(bytes[start])) start++;
    while (end > start && isSpace(bytes[end - 1])) end--;
    if (start === end) return undefined;
    // Unmarshal ends its scan by stepping over one blank: "invalid character ' ' in literal true…".
    const trimmed = new Uint8Array(end - start + 1);
    trimmed.set(bytes.subarray(start, end));
    trimmed[end - start] = 0x20;
    bytes = trimmed;
  }
  const scan = new GoScanner(bytes);
  const result = scan.value();
  if (result === 'eof') {
    if (engine === '26') return 'unexpected end of JSON input';
    return scan.sawNonSpace ? 'unexpected EOF' : 'EOF';
  }
  if (typeof result === 'object') return result.error;
  if (engine === '26') {
    scan.skipSpace();
    if (scan.pos < bytes.length) return `invalid character ${quoteChar(bytes[scan.pos])} after top-level value`;
  }
  // The value decodes into map[string]interface{}: anything but an object (or null) is a type error.
  if (result !== 'object' && result !== 'null') return `json: cannot unmarshal ${result} into Go value of type map[string]interface {}`;
  return undefined;
}

type Kind = 'object' | 'array' | 'string' | 'number' | 'bool' | 'null';
type Outcome = Kind | 'eof' | { error: string };

function isSpace(byte: number): boolean {
  return byte === 0x20 || byte === 0x09 || byte === 0x0a || byte === 0x0d;
}

/** Go's strict scanner, as a recursive descent with the same messages (encoding/json/scanner.go). */
class GoScanner {
  pos = 0;
  sawNonSpace = false;

  constructor(private readonly bytes: Uint8Array) {}

  skipSpace(): void {
    while (this.pos < this.bytes.length && isSpace(this.bytes[this.pos])) this.pos++;
  }

  private next(): number | undefined {
    this.skipSpace();
    if (this.pos >= this.bytes.length) return undefined;
    this.sawNonSpace = true;
    return this.bytes[this.pos];
  }

  private fail(context: string): Outcome {
    return { error: `invalid character ${quoteChar(this.bytes[this.pos])} ${context}` };
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
    const bytes = this.bytes;
    this.pos++; // "
    while (this.pos < bytes.length) {
      const c = bytes[this.pos];
      if (c === 0x22) {
        this.pos++;
        return 'string';
      }
      if (c < 0x20) return this.fail('in string literal');
      if (c === 0x5c) {
        this.pos++;
        if (this.pos >= bytes.length) return 'eof';
        const escaped = bytes[this.pos];
        if (escaped === 0x75) {
          for (let i = 0; i < 4; i++) {
            this.pos++;
            if (this.pos >= bytes.length) return 'eof';
            if (!isHex(bytes[this.pos])) return this.fail('in \\u hexadecimal character escape');
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
    const bytes = this.bytes;
    const digit = (at: number) => at < bytes.length && bytes[at] >= 0x30 && bytes[at] <= 0x39;
    if (bytes[this.pos] === 0x2d) {
      this.pos++;
      if (this.pos >= bytes.length) return 'eof';
      if (!digit(this.pos)) return this.fail('in numeric literal');
    }
    if (bytes[this.pos] === 0x30) this.pos++;
    else while (digit(this.pos)) this.pos++;
    if (bytes[this.pos] === 0x2e) {
      this.pos++;
      if (this.pos >= bytes.length) return 'eof';
      if (!digit(this.pos)) return this.fail('after decimal point in numeric literal');
      while (digit(this.pos)) this.pos++;
    }
    if (bytes[this.pos] === 0x65 || bytes[this.pos] === 0x45) {
      this.pos++;
      if (bytes[this.pos] === 0x2b || bytes[this.pos] === 0x2d) this.pos++;
      if (this.pos >= bytes.length) return 'eof';
      if (!digit(this.pos)) return this.fail('in exponent of numeric literal');
      while (digit(this.pos)) this.pos++;
    }
    return 'number';
  }

  private literal(word: string, kind: Kind): Outcome {
    for (let i = 1; i < word.length; i++) {
      this.pos++;
      if (this.pos >= this.bytes.length) return 'eof';
      if (this.bytes[this.pos] !== word.charCodeAt(i)) return this.fail(`in literal ${word} (expecting ${quoteChar(word.charCodeAt(i))})`);
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
