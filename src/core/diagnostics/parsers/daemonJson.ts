/**
 * /etc/docker/daemon.json. dockerd's parser is strict (Go's encoding/json): a comment or a
 * trailing comma makes it refuse the file and the daemon does not start. We still want every
 * other finding in such a file, so we parse it tolerantly (tolerantJson.ts), keep the problems,
 * and give every top-level key with its ranges.
 */
import type { Range } from '../finding';
import { LineIndex, type ConfigFile } from '../text';
import { TolerantJsonParser, type JsonNode, type JsonProblemKind } from './tolerantJson';

export type { JsonMember, JsonNode, JsonProblem, JsonProblemKind } from './tolerantJson';

export interface DaemonJsonEntry {
  key: string;
  keyRange: Range;
  valueRange: Range;
  /** What to delete to remove the key, its value and one comma. */
  removalRange: Range;
  node: JsonNode;
  /** The value if it is a string, or the string items if it is an array, with their ranges. */
  strings: DaemonJsonString[];
}

export interface DaemonJsonString {
  value: string;
  range: Range;
}

export interface DaemonJsonProblem {
  kind: JsonProblemKind;
  range: Range;
  message: string;
}

export interface DaemonJson {
  file: string;
  /** As given: dockerd's own reading of it is reproduced from the text (dockerdJson.ts). */
  text: string;
  /** Top-level keys in file order; a repeated key appears twice (Go keeps the last). */
  entries: DaemonJsonEntry[];
  problems: DaemonJsonProblem[];
  /** Problems beyond the first MAX_PROBLEMS_PER_FILE (limits.ts): counted only. */
  omittedProblems: number;
  /** The range of the top-level value when it is not an object (dockerd needs an object). */
  nonObjectRoot?: Range;
}

export function parseDaemonJson(input: ConfigFile): DaemonJson {
  const index = new LineIndex(input.text);
  const parser = new TolerantJsonParser(input.text);
  const root = parser.parseDocument();
  const entries: DaemonJsonEntry[] =
    root?.kind === 'object'
      ? root.members.map((member) => ({
          key: member.key,
          keyRange: index.range(member.keyStart, member.keyEnd),
          valueRange: index.range(member.value.start, member.value.end),
          removalRange: index.range(member.removeStart, member.removeEnd),
          node: member.value,
          strings: stringsOf(member.value).map((node) => ({ value: node.value, range: index.range(node.start, node.end) })),
        }))
      : [];
  const problems = parser.problems.map((problem) => ({
    kind: problem.kind,
    range: index.range(problem.start, problem.end),
    message: problem.message,
  }));
  const nonObjectRoot = root && root.kind !== 'object' ? index.range(root.start, root.end) : undefined;
  return {
    file: input.file,
    text: input.text,
    entries,
    problems,
    omittedProblems: parser.omitted,
    ...(nonObjectRoot ? { nonObjectRoot } : {}),
  };
}

/** The entry Go's decoder would keep for `key` (the last one). */
export function daemonJsonEntry(json: DaemonJson, key: string): DaemonJsonEntry | undefined {
  for (let i = json.entries.length - 1; i >= 0; i--) {
    if (json.entries[i].key === key) return json.entries[i];
  }
  return undefined;
}

function stringsOf(node: JsonNode): Array<Extract<JsonNode, { kind: 'string' }>> {
  const nodes = node.kind === 'array' ? node.items : [node];
  return nodes.filter((item): item is Extract<JsonNode, { kind: 'string' }> => item.kind === 'string');
}
