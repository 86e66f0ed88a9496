import type cytoscape from 'cytoscape';
import type { HostToWebview } from '../src/core/topology/protocol';

/** What each message from the extension is handed to (main.ts wires them). */
export interface MessageHandlers {
  snapshot(message: Extract<HostToWebview, { type: 'snapshot' }>): void;
  diff(message: Extract<HostToWebview, { type: 'diff' }>): void;
  completion(message: Extract<HostToWebview, { type: 'completion' }>): void;
  /** The payload is checked by its handler (pathLights.ts) before use. */
  highlight(message: Extract<HostToWebview, { type: 'highlight' }>): void;
}

/**
 * Messages from the extension. Performance marks: `dne:<what>-applied` once the graph holds a
 * snapshot or diff (laid out), then `dne:<what>-drawn` after Cytoscape's next frame.
 * bench/topologyBench.ts times them; they also show up in a devtools profile.
 */
export function listenToHost(cy: cytoscape.Core, handlers: MessageHandlers): void {
  window.addEventListener('message', (event: MessageEvent<HostToWebview>) => {
    const message = event.data;
    if (message.type === 'completion') return handlers.completion(message);
    if (message.type === 'highlight') return handlers.highlight(message);
    if (message.type === 'snapshot') handlers.snapshot(message);
    else if (message.type === 'diff') handlers.diff(message);
    else return;
    performance.mark(`dne:${message.type}-applied`);
    cy.one('render', () => performance.mark(`dne:${message.type}-drawn`));
  });
}
