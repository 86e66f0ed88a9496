/**
 * Splits command lines (systemd ExecStart=, shell assignments) into words while keeping, for
 * every character of every word, the offset it came from, so a flag inside quotes still gets
 * its exact range.
 */

export interface Word {
  value: string;
  /** Source offset of each character of `value`. */
  offsets: number[];
  start: number;
  end: number;
}

const isBlank = (ch: string | undefined): boolean => ch === ' ' || ch === '\t' || ch === '\r' || ch === '\n';

/** Backslash-newline (LF or CRLF). The word loop and the blank loop must agree on this, or a
 * backslash before a lone CR would end a word without being skipped as a blank: no progress. */
function isContinuation(text: string, pos: number): boolean {
  return text[pos] === '\\' && (text[pos + 1] === '\n' || (text[pos + 1] === '\r' && text[pos + 2] === '\n'));
}

/**
 * Words between `from` and `to`: single quotes, double quotes (backslash escapes " \ $ `),
 * backslash escapes outside quotes, and backslash-newline as a blank (a continuation).
 * Unterminated quotes end at `to`. When `stopAtComment`, an unquoted `#` starting a word ends it all.
 */
export function splitWords(text: string, from: number, to: number, stopAtComment = false): Word[] {
  const words: Word[] = [];
  let pos = from;
  while (pos < to) {
    if (isBlank(text[pos])) {
      pos++;
      continue;
    }
    if (isContinuation(text, pos)) {
      pos += text[pos + 1] === '\n' ? 2 : 3;
      continue;
    }
    if (stopAtComment && text[pos] === '#') break;
    const word: Word = { value: '', offsets: [], start: pos, end: pos };
    const push = (at: number): void => {
      word.value += text[at];
      word.offsets.push(at);
    };
    while (pos < to && !isBlank(text[pos])) {
      const ch = text[pos];
      if (isContinuation(text, pos)) break;
      if (ch === "'") {
        pos++;
        while (pos < to && text[pos] !== "'") push(pos++);
        if (pos < to) pos++;
      } else if (ch === '"') {
        pos++;
        while (pos < to && text[pos] !== '"') {
          if (text[pos] === '\\' && pos + 1 < to && '"\\$`'.includes(text[pos + 1])) pos++;
          else if (text[pos] === '\\' && text[pos + 1] === '\n') {
            pos += 2;
            continue;
          }
          push(pos++);
        }
        if (pos < to) pos++;
      } else if (ch === '\\' && pos + 1 < to) {
        push(pos + 1);
        pos += 2;
      } else {
        push(pos++);
      }
    }
    word.end = pos;
    words.push(word);
  }
  return words;
}

/** Splits one word's value on blanks (what systemd does to an unbraced `$OPTIONS`). */
export function splitOnBlanks(word: Word): Word[] {
  const parts: Word[] = [];
  let current: Word | undefined;
  for (let i = 0; i < word.value.length; i++) {
    const ch = word.value[i];
    const offset = word.offsets[i];
    if (isBlank(ch)) {
      current = undefined;
      continue;
    }
    if (!current) {
      current = { value: '', offsets: [], start: offset, end: offset + 1 };
      parts.push(current);
    }
    current.value += ch;
    current.offsets.push(offset);
    current.end = offset + 1;
  }
  return parts;
}
