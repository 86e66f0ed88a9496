import { GRAPH_ACTIONS, type GraphAction } from './topologyActions';
import type { ElementDiff, TopologyElement } from './topologyElements';

/**
 * The messages between the topology webview and the extension, both directions. No `vscode` and
 * no DOM import: the webview bundle and the extension compile this same file.
 *
 * Handshake: the webview sends `ready` once its script runs; only then does the extension send
 * a `snapshot` (messages posted earlier would be lost), and after it `diff`s.
 *
 * Requests (as GitLens' IpcRequest): the webview numbers each `request`; the extension answers
 * every one with exactly one `completion` carrying that number, success or the error's text, so
 * a failed action or export is shown in the graph that asked for it.
 */
export interface Position {
  x: number;
  y: number;
}

/** Node positions by element id. */
export type Positions = Record<string, Position>;

export type Request =
  /** A context-menu action (topologyActions.ts) on the element with this id. */
  | { type: 'action'; action: GraphAction; element: string }
  /** The current view as a picture; the extension asks where to save it. */
  | { type: 'export'; format: 'png'; base64: string }
  | { type: 'export'; format: 'svg'; svg: string };

/**
 * A reachability answer drawn on the graph (issue #12): the path's elements lit, the element that
 * blocks it marked, and one line saying what was asked and answered. Ids are the graph's own.
 */
export interface PathHighlight {
  lit: string[];
  blocked: string[];
  /** Untrusted (container and network names): the webview sets it as text. */
  caption: string;
  verdict: 'reachable' | 'unreachable';
}

export type WebviewToHost =
  | { type: 'ready' }
  /** The user cleared the path (Escape, the button): the extension does not send it again. */
  | { type: 'highlightCleared' }
  | { type: 'request'; requestId: number; request: Request }
  /** Where nodes were placed or dragged (only those that moved): kept in the workspace state. */
  | { type: 'positions'; positions: Positions };

export type Completion = { type: 'completion'; requestId: number } & ({ ok: true } | { ok: false; error: string });

export type HostToWebview =
  /** `positions`: where the user left each node, as stored; the webview lays out the others. */
  | { type: 'snapshot'; elements: TopologyElement[]; focus?: string; positions: Positions }
  | { type: 'diff'; diff: ElementDiff }
  /** A path to light; null takes the last one away. */
  | { type: 'highlight'; highlight: PathHighlight | null }
  | Completion;

/** A message the extension will not act on, and why; a request's number when it had a valid one (it is answered). */
export interface Rejected {
  type: 'rejected';
  problem: string;
  requestId?: number;
}

/** Bounds on what a webview may send: past them a message is refused before anything reads it. */
export const LIMITS = {
  /** Element ids are built from host and Docker ids (topologyModel.ts): well under this. */
  id: 1024,
  /** An exported picture, in characters (a 2,000-element graph at scale 2 is a few MB). */
  picture: 64 * 1024 * 1024,
  /** Positions in one message. */
  positions: 20_000,
  /** How far from the origin a node may be placed. */
  coordinate: 1e7,
  /** Elements one path lights: a path is a handful; a bound keeps a bad message small. */
  pathElements: 1000,
  /** A highlight's caption, in characters. */
  caption: 2000,
} as const;

const reject = (problem: string, requestId?: number): Rejected => ({ type: 'rejected', problem, requestId });

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** The fields present beyond `allowed`, which a strict message must not have. */
const extraKeys = (value: Record<string, unknown>, allowed: readonly string[]) =>
  Object.keys(value).filter((key) => !allowed.includes(key));

const isId = (value: unknown): value is string => typeof value === 'string' && value.length > 0 && value.length <= LIMITS.id;

/**
 * Messages from a webview are checked before use: the extension trusts nothing it receives.
 * Every field is checked for type and size, and a field no message has is refused.
 */
export function parseWebviewMessage(value: unknown): WebviewToHost | Rejected {
  if (!isRecord(value)) return reject('not an object');
  if (value.type === 'ready') return extraKeys(value, ['type']).length ? reject('unexpected fields') : { type: 'ready' };
  if (value.type === 'highlightCleared')
    return extraKeys(value, ['type']).length ? reject('unexpected fields') : { type: 'highlightCleared' };
  if (value.type === 'positions') {
    if (extraKeys(value, ['type', 'positions']).length) return reject('unexpected fields');
    const positions = parsePositions(value.positions);
    return typeof positions === 'string' ? reject(positions) : { type: 'positions', positions };
  }
  // String() of a hostile value can throw (an object without a prototype): name only a string's text.
  if (value.type !== 'request')
    return reject(
      `unknown message type ${typeof value.type === 'string' ? JSON.stringify(value.type).slice(0, 40) : `(a ${typeof value.type})`}`,
    );
  const { requestId } = value;
  if (typeof requestId !== 'number' || !Number.isSafeInteger(requestId) || requestId < 0)
    return reject('a request without a valid requestId');
  if (extraKeys(value, ['type', 'requestId', 'request']).length) return reject('unexpected fields', requestId);
  const request = parseRequest(value.request);
  return typeof request === 'string' ? reject(request, requestId) : { type: 'request', requestId, request };
}

function parseRequest(value: unknown): Request | string {
  if (!isRecord(value)) return 'the request is not an object';
  if (value.type === 'action') {
    if (extraKeys(value, ['type', 'action', 'element']).length) return 'unexpected fields in the action';
    const action = GRAPH_ACTIONS.find((known) => known === value.action);
    if (!action) return 'an unknown action';
    return isId(value.element) ? { type: 'action', action, element: value.element } : 'the action names no valid element';
  }
  if (value.type !== 'export') return 'an unknown request';
  if (value.format === 'svg') {
    if (extraKeys(value, ['type', 'format', 'svg']).length) return 'unexpected fields in the export';
    if (typeof value.svg !== 'string' || value.svg.length > LIMITS.picture) return 'the SVG is missing or too large';
    return { type: 'export', format: 'svg', svg: value.svg };
  }
  if (value.format !== 'png') return 'an unknown export format';
  if (extraKeys(value, ['type', 'format', 'base64']).length) return 'unexpected fields in the export';
  const { base64 } = value;
  if (typeof base64 !== 'string' || base64.length > LIMITS.picture) return 'the PNG is missing or too large';
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(base64)) return 'the PNG is not base64';
  return { type: 'export', format: 'png', base64 };
}

/** Positions as sent by a webview or read back from the workspace state; a string says what is wrong. */
export function parsePositions(value: unknown): Positions | string {
  if (!isRecord(value)) return 'positions are not an object';
  const entries = Object.entries(value);
  if (entries.length > LIMITS.positions) return `more than ${LIMITS.positions} positions`;
  const checked: Array<[string, Position]> = [];
  for (const [id, at] of entries) {
    if (!isId(id)) return 'a position for an invalid id';
    if (!isRecord(at) || extraKeys(at, ['x', 'y']).length || !isCoordinate(at.x) || !isCoordinate(at.y))
      return `an invalid position for ${id.slice(0, 80)}`;
    checked.push([id, { x: at.x, y: at.y }]);
  }
  // fromEntries defines own properties: an id "__proto__" stays a key, not the prototype.
  return Object.fromEntries(checked);
}

const isCoordinate = (value: unknown): value is number =>
  typeof value === 'number' && Number.isFinite(value) && Math.abs(value) <= LIMITS.coordinate;

/**
 * The webview checks a highlight before it touches the graph (the extension builds it, but the
 * webview trusts no message's shape either): null, or a PathHighlight within LIMITS, nothing more.
 */
export function parseHighlight(value: unknown): PathHighlight | null | string {
  if (value === null) return null;
  if (!isRecord(value)) return 'the highlight is not an object';
  if (extraKeys(value, ['lit', 'blocked', 'caption', 'verdict']).length) return 'unexpected fields in the highlight';
  const { lit, blocked, caption, verdict } = value;
  const ids = (list: unknown) => Array.isArray(list) && list.length <= LIMITS.pathElements && list.every(isId);
  if (!ids(lit) || !ids(blocked)) return 'the highlight names invalid elements';
  if (typeof caption !== 'string' || caption.length > LIMITS.caption) return 'the caption is missing or too long';
  if (verdict !== 'reachable' && verdict !== 'unreachable') return 'an unknown verdict';
  return { lit: [...(lit as string[])], blocked: [...(blocked as string[])], caption, verdict };
}
