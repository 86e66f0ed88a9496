/**
 * Compose files, read for the services that ARE a cluster store (consul, etcd, zookeeper):
 * their command words, environment and ports, each with its exact offsets so findings and
 * quick fixes land on the right characters. Broken YAML gives errors, never a throw.
 */
import type { Node, Scalar, YAMLMap, YAMLSeq } from 'yaml';
import { yamlLibrary } from './yamlLibrary';

export interface Located {
  value: string;
  start: number;
  end: number;
}

export interface ComposeCommand {
  words: Located[];
  /** How it is written, so an edit keeps its form. */
  form: 'string' | 'flowList' | 'blockList';
  start: number;
  end: number;
}

export interface ComposeService {
  name: Located;
  image?: Located;
  command?: ComposeCommand;
  entrypoint?: ComposeCommand;
  environment: Map<string, Located>;
  ports: Located[];
  networkMode?: string;
}

export interface ComposeFile {
  services: ComposeService[];
  /** `limit`: not a YAML error but a limit of ours (the file was not parsed), said as such. */
  errors: Array<{ message: string; start: number; end: number; limit?: boolean }>;
}

/**
 * Flow collections (`[…]`, `{…}`) nested deeper than this are not handed to the YAML parser: it
 * slows down superlinearly on deep unclosed nesting (92 000 levels, 460 KB: 6.6 s, found by the
 * fuzz stage). Real compose files nest a handful of levels.
 */
export const MAX_FLOW_DEPTH = 200;

export function parseComposeFile(text: string): ComposeFile {
  const tooDeep = flowTooDeep(text);
  if (tooDeep !== undefined) {
    return {
      services: [],
      errors: [
        {
          message: `collections ([…], {…}, - - …) nested more than ${MAX_FLOW_DEPTH} levels deep`,
          start: tooDeep,
          end: tooDeep + 1,
          limit: true,
        },
      ],
    };
  }
  const document = yamlLibrary().parseDocument(text, { uniqueKeys: false });
  const errors = document.errors.map((error) => ({
    message: error.message.split('\n')[0],
    start: error.pos[0],
    end: Math.max(error.pos[1], error.pos[0] + 1),
  }));
  const services = document.get('services', true);
  if (!isMap(services)) return { services: [], errors };
  const parsed = services.items.flatMap((pair): ComposeService[] => {
    const key = pair.key;
    if (!isScalar(key) || !isMap(pair.value)) return [];
    const body = pair.value as YAMLMap;
    return [
      {
        name: located(key)!,
        image: located(body.get('image', true)),
        command: command(body.get('command', true)),
        entrypoint: command(body.get('entrypoint', true)),
        environment: environment(body.get('environment', true)),
        ports: listOf(body.get('ports', true)),
        networkMode: scalarText(body.get('network_mode', true)),
      },
    ];
  });
  return { services: parsed, errors };
}

function located(node: unknown): Located | undefined {
  if (!isScalar(node) || !node.range) return undefined;
  return { value: String(node.value ?? ''), start: node.range[0], end: node.range[1] };
}

function scalarText(node: unknown): string | undefined {
  return located(node)?.value;
}

function command(node: unknown): ComposeCommand | undefined {
  if (isScalar(node) && node.range) {
    const raw = String(node.value ?? '');
    // A plain or quoted string: word offsets are exact only for plain/simple-quoted text, which
    // is how commands are written; a quote shifts the start by one.
    const quoteShift = node.type === 'QUOTE_DOUBLE' || node.type === 'QUOTE_SINGLE' ? 1 : 0;
    const words: Located[] = [];
    for (const match of raw.matchAll(/\S+/g)) {
      const start = node.range[0] + quoteShift + (match.index ?? 0);
      words.push({ value: match[0], start, end: start + match[0].length });
    }
    return { words, form: 'string', start: node.range[0], end: node.range[1] };
  }
  if (isSeq(node) && node.range) {
    return { words: listOf(node), form: node.flow ? 'flowList' : 'blockList', start: node.range[0], end: node.range[1] };
  }
  return undefined;
}

function listOf(node: unknown): Located[] {
  if (!isSeq(node)) return [];
  return node.items.flatMap((item) => {
    const entry = located(item);
    return entry ? [entry] : [];
  });
}

/** `environment:` as a map (`KEY: value`) or a list (`- KEY=value`). */
function environment(node: unknown): Map<string, Located> {
  const result = new Map<string, Located>();
  if (isMap(node)) {
    for (const pair of node.items) {
      const key = located(pair.key);
      const value = located(pair.value as Node);
      if (key) result.set(key.value, value ?? { ...key, value: '' });
    }
  } else {
    for (const entry of listOf(node)) {
      const separator = entry.value.indexOf('=');
      const name = separator < 0 ? entry.value : entry.value.slice(0, separator);
      result.set(name, { ...entry, value: separator < 0 ? '' : entry.value.slice(separator + 1) });
    }
  }
  return result;
}

/**
 * Where `[`/`{` (or `- ` at a line's start) first nests deeper than MAX_FLOW_DEPTH, outside quotes
 * and comments; one linear pass. Closing brackets are not matched to their kind: a depth, not a
 * validation.
 */
function flowTooDeep(text: string): number | undefined {
  let depth = 0;
  // Compact block sequences on one line (`- - - x`, also after `key: `) nest too: counted per line.
  let compact = 0;
  for (let pos = 0; pos < text.length; pos++) {
    const ch = text[pos];
    if (ch === '\n') {
      compact = 0;
    } else if (ch === '-' && (pos === 0 || /\s/.test(text[pos - 1])) && (text[pos + 1] === ' ' || text[pos + 1] === '\t')) {
      if (++compact > MAX_FLOW_DEPTH) return pos;
    } else if (ch === '[' || ch === '{') {
      if (++depth > MAX_FLOW_DEPTH) return pos;
    } else if (ch === ']' || ch === '}') {
      depth = Math.max(0, depth - 1);
    } else if ((ch === '"' || ch === "'") && pos > 0 && !/[\s[{,:]/.test(text[pos - 1])) {
      // Inside a plain scalar (don't): no quote starts there.
    } else if (ch === '"') {
      for (pos++; pos < text.length && text[pos] !== '"'; pos++) if (text[pos] === '\\') pos++;
    } else if (ch === "'") {
      for (pos++; pos < text.length && text[pos] !== "'"; pos++);
    } else if (ch === '#' && (pos === 0 || /\s/.test(text[pos - 1]))) {
      while (pos + 1 < text.length && text[pos + 1] !== '\n') pos++;
    }
  }
  return undefined;
}

// The parser's type guards, through the lazily loaded library.
function isMap(node: unknown): node is YAMLMap {
  return yamlLibrary().isMap(node);
}

function isScalar(node: unknown): node is Scalar {
  return yamlLibrary().isScalar(node);
}

function isSeq(node: unknown): node is YAMLSeq {
  return yamlLibrary().isSeq(node);
}
