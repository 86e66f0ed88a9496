/**
 * systemd's expansion of variables in ExecStart= (systemd.service(5), "Command lines"): a word
 * that is exactly `$NAME` becomes the value split at blanks (zero or more words); `${NAME}`, a
 * word of its own or inside one, becomes the value as it is (within one word). `$NAME` inside a
 * word stays as written. An unset variable is empty.
 *
 * Characters keep their source: a word that is entirely a variable's value points into the
 * file that assigns it; text put inside a word of ExecStart= points at the `${NAME}` it replaces.
 */
import { joinWords, splitOnBlanks, type Word } from './shellWords';
import { appendAll } from '../../util/arrays';

/** `lookup` gives a variable's value as words (an env file's shell words, or Environment='s one). */
export function expandExecWords(words: readonly Word[], lookup: (name: string) => Word[] | undefined): Word[] {
  const result: Word[] = [];
  for (const word of words) {
    if (!word.value.includes('$')) {
      result.push(word);
      continue;
    }
    const unbraced = /^\$([A-Za-z_][A-Za-z0-9_]*)$/.exec(word.value);
    if (unbraced) {
      for (const value of lookup(unbraced[1]) ?? []) appendAll(result, splitOnBlanks(value));
      continue;
    }
    const whole = /^\$\{([A-Za-z_][A-Za-z0-9_]*)\}$/.exec(word.value);
    if (whole) {
      const value = joinWords(lookup(whole[1]) ?? []);
      // Several flags in one argument: DNE131 says so; what dockerd would make of it is not guessed.
      if (value && /\s-/.test(value.value)) continue;
      result.push(value ?? { ...word, value: '', offsets: [] });
      continue;
    }
    result.push(word.value.includes('${') ? expandInside(word, lookup) : word);
  }
  return result;
}

function expandInside(word: Word, lookup: (name: string) => Word[] | undefined): Word {
  const expanded: Word = { ...word, value: '', offsets: [] };
  let last = 0;
  for (const match of word.value.matchAll(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g)) {
    const at = match.index ?? 0;
    expanded.value += word.value.slice(last, at);
    appendAll(expanded.offsets, word.offsets.slice(last, at));
    const value = joinWords(lookup(match[1]) ?? [])?.value ?? '';
    expanded.value += value;
    for (let i = 0; i < value.length; i++) expanded.offsets.push(word.offsets[at]);
    last = at + match[0].length;
  }
  expanded.value += word.value.slice(last);
  appendAll(expanded.offsets, word.offsets.slice(last));
  return expanded;
}
