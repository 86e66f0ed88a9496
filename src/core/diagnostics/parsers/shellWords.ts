/**
 * Splits command lines (systemd ExecStart=, shell assignments) into words while keeping, for
 * every character of every word, the offset it came from, so a flag inside quotes still gets
 * its exact range.
 */

import type { LineIndex } from '../text';
import { appendAll } from '../../util/arrays';

export interface Word {
  value: string;
  /** Source offset of each character of `value`. */
  offsets: number[];
  start: number;
  end: number;
  /** The file the offsets are in, when the word was carried out of it (a variable's value put
   * into ExecStart=); otherwise the file of the command being parsed. */
  source?: WordSource;
}

export interface WordSource {
  file: string;
  index: LineIndex;
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
 * `systemd`: a continuation inside quotes is what systemd makes of it (the backslash becomes a
 * blank, the next line's leading blanks go), not the shell's (both characters go).
 */
export function splitWords(text: string, from: number, to: number, stopAtComment = false, systemd = false): Word[] {
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
          else if (isContinuation(text, pos)) {
            if (systemd) {
              push(pos);
              word.value = word.value.slice(0, -1) + ' ';
            }
            pos += text[pos + 1] === '\n' ? 2 : 3;
            if (systemd) while (pos < to && (text[pos] === ' ' || text[pos] === '\t')) pos++;
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
      current = { value: '', offsets: [], start: offset, end: offset + 1, source: word.source };
      parts.push(current);
    }
    current.value += ch;
    current.offsets.push(offset);
    current.end = offset + 1;
  }
  return parts;
}

/** Words as ONE word, joined by blanks (what `${NAME}` passes when its value has several). */
export function joinWords(words: readonly Word[]): Word | undefined {
  if (words.length === 0) return undefined;
  const joined: Word = { value: '', offsets: [], start: words[0].start, end: words[words.length - 1].end, source: words[0].source };
  words.forEach((word, i) => {
    if (i > 0) {
      joined.value += ' ';
      joined.offsets.push(words[i - 1].end);
    }
    joined.value += word.value;
    appendAll(joined.offsets, word.offsets);
  });
  return joined;
}
