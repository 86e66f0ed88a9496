/**
 * /etc/sysconfig/docker (RHEL/CentOS) and /etc/default/docker (Debian/Ubuntu):
 * `NAME=value` assignments with shell quoting. Each value is split into dockerd flags with
 * ranges inside the quotes, as systemd splits an unbraced `$OPTIONS`.
 */
import type { Range } from '../finding';
import { LineIndex, type ConfigFile } from '../text';
import { parseDockerdWords, type ParsedCommand } from './dockerdFlags';
import { splitOnBlanks, splitWords, type Word } from './shellWords';

export interface EnvAssignment {
  name: string;
  nameRange: Range;
  /** The whole `NAME=value`. */
  range: Range;
  value: string;
  command: ParsedCommand;
  /** The value's shell words, unquoted, each character with its offset in the file. */
  words: Word[];
}

export interface EnvFile {
  file: string;
  /** Where the file lives on the host, what EnvironmentFile= names. */
  hostPath: string;
  assignments: EnvAssignment[];
}

/** Variables that hold dockerd flags in the distributions' files. */
export const DOCKER_OPTION_VARIABLES = ['OPTIONS', 'DOCKER_OPTS', 'DOCKER_NETWORK_OPTIONS', 'DOCKER_STORAGE_OPTIONS', 'OTHER_ARGS'];

export function parseShellEnvFile(input: ConfigFile): EnvFile {
  const text = input.text;
  const index = new LineIndex(text);
  const source = { file: input.file, index };
  const assignments: EnvAssignment[] = [];
  let pos = 0;
  while (pos < text.length) {
    const match = /^[ \t]*(?:export[ \t]+)?([A-Za-z_][A-Za-z0-9_]*)=/.exec(text.slice(pos, pos + 300));
    if (!match) {
      pos = endOfLine(text, pos) + 1;
      continue;
    }
    const nameStart = pos + match[0].length - match[1].length - 1;
    const valueStart = pos + match[0].length;
    const valueEnd = endOfValue(text, valueStart);
    const words = splitWords(text, valueStart, valueEnd, true);
    for (const word of words) word.source = source;
    const pieces = words.flatMap(splitOnBlanks);
    const valueEndTrimmed = words.length > 0 ? words[words.length - 1].end : valueStart;
    assignments.push({
      name: match[1],
      nameRange: index.range(nameStart, nameStart + match[1].length),
      range: index.range(nameStart, Math.max(valueEndTrimmed, valueStart)),
      value: words.map((word) => word.value).join(' '),
      command: parseDockerdWords(pieces, index, input.file),
      words,
    });
    pos = valueEnd + 1;
  }
  return { file: input.file, hostPath: input.hostPath ?? input.file, assignments };
}

function endOfLine(text: string, from: number): number {
  const newline = text.indexOf('\n', from);
  return newline < 0 ? text.length : newline;
}

/** The end of an assignment's value: the first newline outside quotes and not escaped. */
function endOfValue(text: string, from: number): number {
  let quote: string | undefined;
  for (let pos = from; pos < text.length; pos++) {
    const ch = text[pos];
    if (quote) {
      if (ch === quote) quote = undefined;
      else if (ch === '\\' && quote === '"') pos++;
    } else if (ch === '"' || ch === "'") {
      quote = ch;
    } else if (ch === '\\') {
      pos++;
    } else if (ch === '\n') {
      return pos;
    }
  }
  return text.length;
}
