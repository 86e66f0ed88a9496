import type { Completion, Request, WebviewToHost } from '../src/core/topology/protocol';

interface VsCodeApi {
  postMessage(message: WebviewToHost): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

/**
 * The one way to the extension: plain messages, and requests that the extension answers with a
 * completion (protocol.ts). A failed request is shown in the status line until the next one.
 * No webview state (`setState`) is kept: positions live in the extension (nodePositions.ts).
 */
export class HostChannel {
  private readonly api = acquireVsCodeApi();
  private nextId = 1;
  /** What each unanswered request was, in the words the status line uses. */
  private readonly pending = new Map<number, string>();

  constructor(private readonly status: HTMLElement) {
    status.addEventListener('click', () => this.clearStatus());
  }

  post(message: WebviewToHost): void {
    this.api.postMessage(message);
  }

  /** `what`: the request as the user asked for it ("Remove", "Export PNG"). */
  request(request: Request, what: string): void {
    const requestId = this.nextId++;
    this.pending.set(requestId, what);
    this.clearStatus();
    this.post({ type: 'request', requestId, request });
  }

  complete(completion: Completion): void {
    const what = this.pending.get(completion.requestId);
    // Not ours (an answer after a reload): nothing to report it on.
    if (what === undefined) return;
    this.pending.delete(completion.requestId);
    // The error may hold Docker's words: text only, never markup.
    if (!completion.ok) this.showStatus(`${what} failed: ${completion.error}`);
  }

  private showStatus(text: string): void {
    this.status.textContent = text;
    // The line may be cut short: the whole text on hover. A click dismisses it.
    this.status.title = text;
    this.status.hidden = false;
  }

  clearStatus(): void {
    this.status.hidden = true;
    this.status.textContent = '';
  }
}
