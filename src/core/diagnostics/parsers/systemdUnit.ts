/**
 * systemd unit files and drop-ins: the directives with ranges, and the effective service
 * configuration after applying the drop-ins in order (an empty `ExecStart=` resets the list,
 * which is how a drop-in replaces the distribution's command line).
 */
import type { Range } from '../finding';
import { LineIndex, type ConfigFile } from '../text';
import { parseDockerdWords, type ParsedCommand } from './dockerdFlags';
import { splitWords, type Word } from './shellWords';

export interface UnitDirective {
  file: string;
  section: string;
  key: string;
  /** The value with continuations kept as written (use `valueStart`/`valueEnd` to re-read). */
  value: string;
  valueStart: number;
  valueEnd: number;
  /** From the key to the end of the value (possibly several lines). */
  range: Range;
  keyRange: Range;
}

export interface UnitFile {
  file: string;
  text: string;
  index: LineIndex;
  directives: UnitDirective[];
}

/** One logical line per directive; a trailing backslash continues it on the next line. */
export function parseUnitFile(input: ConfigFile): UnitFile {
  const text = input.text;
  const index = new LineIndex(text);
  const directives: UnitDirective[] = [];
  let section = '';
  let pos = 0;
  while (pos < text.length) {
    const lineEnd = endOfPhysicalLine(text, pos);
    const line = text.slice(pos, lineEnd);
    const trimmed = line.trim();
    if (trimmed.startsWith('[')) {
      const close = trimmed.indexOf(']');
      section = close > 0 ? trimmed.slice(1, close) : trimmed.slice(1);
      pos = lineEnd + 1;
      continue;
    }
    if (trimmed === '' || trimmed.startsWith('#') || trimmed.startsWith(';')) {
      pos = lineEnd + 1;
      continue;
    }
    const logicalEnd = endOfLogicalLine(text, pos);
    // Searched within the line only: text.indexOf('=', pos) went on to the end of the file for
    // every line without one (400k such lines: 2 s).
    const inLine = line.indexOf('=');
    if (inLine < 0) {
      pos = logicalEnd + 1;
      continue;
    }
    const equals = pos + inLine;
    const keyStart = pos + (line.length - line.trimStart().length);
    const key = text.slice(keyStart, equals).trim();
    let valueStart = equals + 1;
    while (text[valueStart] === ' ' || text[valueStart] === '\t') valueStart++;
    let valueEnd = logicalEnd;
    while (valueEnd > valueStart && /\s/.test(text[valueEnd - 1])) valueEnd--;
    valueStart = Math.min(valueStart, valueEnd);
    directives.push({
      file: input.file,
      section,
      key,
      value: text.slice(valueStart, valueEnd),
      valueStart,
      valueEnd,
      range: index.range(keyStart, Math.max(valueEnd, equals + 1)),
      keyRange: index.range(keyStart, keyStart + key.length),
    });
    pos = logicalEnd + 1;
  }
  return { file: input.file, text, index, directives };
}

function endOfPhysicalLine(text: string, from: number): number {
  const newline = text.indexOf('\n', from);
  return newline < 0 ? text.length : newline;
}

function endOfLogicalLine(text: string, from: number): number {
  let end = endOfPhysicalLine(text, from);
  for (;;) {
    let last = end - 1;
    if (text[last] === '\r') last--;
    if (last < from || text[last] !== '\\' || end >= text.length) return end;
    end = endOfPhysicalLine(text, end + 1);
  }
}

export interface ExecStart {
  file: string;
  range: Range;
  executable: string;
  /** The arguments as written, before systemd expands variables (references are found here). */
  command: ParsedCommand;
  /** The argument words, for expanding them (dockerdConfig.ts). */
  words: Word[];
  index: LineIndex;
}

/** One `NAME=value` of an `Environment=` line. */
export interface UnitEnvironmentAssignment {
  name: string;
  file: string;
  /** The whole assignment as written (quotes included). */
  range: Range;
  /** The value unquoted, each character with its offset in `file`. */
  value: Word;
}

export interface EnvironmentFileReference {
  file: string;
  range: Range;
  path: string;
  /** `-` prefix: a missing file is not an error for systemd. */
  optional: boolean;
}

export interface ServiceConfig {
  /** The ExecStart= lines in effect after all resets. */
  execStarts: ExecStart[];
  environmentFiles: EnvironmentFileReference[];
  /** Environment= assignments in effect, in the order systemd applies them (the last of a name wins). */
  environment: UnitEnvironmentAssignment[];
  /** The last Type= given, if any. */
  type?: string;
}

/** The effective [Service] configuration of `unit` with `dropIns` applied in order. */
export function resolveService(unit: ConfigFile | undefined, dropIns: ConfigFile[] = []): ServiceConfig {
  const config: ServiceConfig = { execStarts: [], environmentFiles: [], environment: [] };
  const files = [...(unit ? [unit] : []), ...dropIns].map(parseUnitFile);
  for (const parsed of files) {
    for (const directive of parsed.directives) {
      if (directive.section !== 'Service') continue;
      if (directive.key === 'Type') config.type = directive.value;
      if (directive.key === 'ExecStart') applyExecStart(config, parsed, directive);
      if (directive.key === 'EnvironmentFile') applyEnvironmentFile(config, parsed, directive);
      if (directive.key === 'Environment') applyEnvironment(config, parsed, directive);
    }
  }
  return config;
}

function applyExecStart(config: ServiceConfig, unit: UnitFile, directive: UnitDirective): void {
  const words = splitWords(unit.text, directive.valueStart, directive.valueEnd, false, true);
  if (words.length === 0) {
    config.execStarts = [];
    return;
  }
  // Prefixes such as '-' (ignore failure) or '@' may precede the executable path.
  const executable = words[0].value.replace(/^[-@:+!]+/, '');
  config.execStarts.push({
    file: unit.file,
    range: directive.range,
    executable,
    command: parseDockerdWords(words.slice(1), unit.index, unit.file),
    words: words.slice(1),
    index: unit.index,
  });
}

/**
 * `Environment=` takes several assignments, each a word that quotes may enclose whole
 * (`"DOCKER_OPTS=-H fd:// --debug"`) or in part (`DOCKER_OPTS="…"`); `$` means nothing there.
 * An empty value resets the list (systemd.exec(5)). Words without `=` are ignored, as systemd does.
 */
function applyEnvironment(config: ServiceConfig, unit: UnitFile, directive: UnitDirective): void {
  const words = splitWords(unit.text, directive.valueStart, directive.valueEnd, false, true);
  if (words.length === 0) {
    config.environment = [];
    return;
  }
  for (const word of words) {
    const equals = word.value.indexOf('=');
    if (equals <= 0 || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(word.value.slice(0, equals))) continue;
    const valueOffsets = word.offsets.slice(equals + 1);
    config.environment.push({
      name: word.value.slice(0, equals),
      file: unit.file,
      range: unit.index.range(word.start, word.end),
      value: {
        value: word.value.slice(equals + 1),
        offsets: valueOffsets,
        start: valueOffsets[0] ?? word.end,
        end: valueOffsets.length > 0 ? valueOffsets[valueOffsets.length - 1] + 1 : word.end,
        source: { file: unit.file, index: unit.index },
      },
    });
  }
}

function applyEnvironmentFile(config: ServiceConfig, unit: UnitFile, directive: UnitDirective): void {
  const words = splitWords(unit.text, directive.valueStart, directive.valueEnd);
  if (words.length === 0) {
    config.environmentFiles = [];
    return;
  }
  for (const word of words) {
    const optional = word.value.startsWith('-');
    config.environmentFiles.push({
      file: unit.file,
      range: unit.index.range(word.start, word.end),
      path: optional ? word.value.slice(1) : word.value,
      optional,
    });
  }
}
