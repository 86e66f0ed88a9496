import type { ElementDiff, TopologyElement } from './topologyElements';

/**
 * The messages between the topology webview and the extension, both directions. No `vscode` and
 * no DOM import: the webview bundle and the extension compile this same file.
 *
 * Handshake: the webview sends `ready` once its script runs; only then does the extension send
 * a `snapshot` (messages posted earlier would be lost), and after it `diff`s.
 */
export type ContextAction = 'inspect' | 'connect' | 'disconnect' | 'remove' | 'reveal';

/**
 * `contextAction` names a graph element by id; the extension looks it up in what it sent and
 * acts on that: `disconnect` on an endpoint edge, `remove` on a network or a stopped container,
 * `reveal` (select its row in the Networks or Containers view) on a network or a container.
 * Clicking only selects in the graph: revealing opened the sidebar and shrank the graph.
 */
export type WebviewToHost =
  | { type: 'ready' }
  | { type: 'contextAction'; action: ContextAction; id: string }
  /** The current view as a picture; the extension asks where to save it. */
  | { type: 'export'; format: 'png'; base64: string }
  | { type: 'export'; format: 'svg'; svg: string };

export type HostToWebview =
  | { type: 'snapshot'; elements: TopologyElement[]; focus?: string }
  | { type: 'diff'; diff: ElementDiff };

const ACTIONS: readonly string[] = ['inspect', 'connect', 'disconnect', 'remove', 'reveal'] satisfies ContextAction[];

/** Messages from a webview are checked before use: the extension trusts nothing it receives. */
export function parseWebviewMessage(value: unknown): WebviewToHost | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const message = value as Record<string, unknown>;
  if (message.type === 'ready') return { type: 'ready' };
  if (message.type === 'export') {
    if (message.format === 'svg' && typeof message.svg === 'string') return { type: 'export', format: 'svg', svg: message.svg };
    const valid = message.format === 'png' && typeof message.base64 === 'string' && /^[A-Za-z0-9+/]*={0,2}$/.test(message.base64);
    return valid ? { type: 'export', format: 'png', base64: message.base64 as string } : undefined;
  }
  if (typeof message.id !== 'string') return undefined;
  if (message.type === 'contextAction' && typeof message.action === 'string' && ACTIONS.includes(message.action)) {
    return { type: 'contextAction', action: message.action as ContextAction, id: message.id };
  }
  return undefined;
}
