/**
 * A Unix-socket proxy in front of a private dockerd that breaks things on purpose, for the fault
 * suite (test/integration/faults.test.ts): it kills the daemon once it has done a request but
 * before its answer reaches the client, cuts the event streams in flight, delays every answer, or
 * answers garbage. Only ever in front of a daemon the test started itself.
 */
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';

export type FaultAction =
  /** The daemon does the request; then `run` (e.g. kill it) before the client gets anything, and the connection drops. */
  | { kind: 'afterDaemon'; run: () => Promise<void> }
  /** A 200 with a body that is not JSON. */
  | { kind: 'garbage' };

interface Rule {
  method: string;
  path: RegExp;
  action: FaultAction;
  /** Applies once, or to every match until cleared. */
  once: boolean;
}

export class FaultProxy {
  private readonly rules: Rule[] = [];
  private readonly eventStreams = new Set<http.ServerResponse>();
  private server?: http.Server;
  private dir?: string;
  /** Added to every answer, in ms (a slow daemon). */
  delayMs = 0;
  socketPath = '';

  constructor(private readonly target: string) {}

  on(method: string, route: RegExp, action: FaultAction, once = true): void {
    this.rules.push({ method, path: route, action, once });
  }

  clear(): void {
    this.rules.length = 0;
    this.delayMs = 0;
  }

  /** Cuts every event stream now (the client sees its stream end mid-burst). */
  cutEvents(): number {
    const count = this.eventStreams.size;
    for (const response of this.eventStreams) response.socket?.destroy();
    this.eventStreams.clear();
    return count;
  }

  async start(): Promise<string> {
    this.dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dne-dr-faults-'));
    this.socketPath = path.join(this.dir, 'docker.sock');
    const server = http.createServer((request, response) => void this.handle(request, response));
    this.server = server;
    await new Promise<void>((resolve) => server.listen(this.socketPath, resolve));
    return this.socketPath;
  }

  async close(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
    if (this.dir) fs.rmSync(this.dir, { recursive: true, force: true });
  }

  private async handle(request: http.IncomingMessage, response: http.ServerResponse): Promise<void> {
    const route = (request.url ?? '').replace(/^\/v[0-9.]+/, '');
    const index = this.rules.findIndex((rule) => rule.method === request.method && rule.path.test(route));
    const rule = index >= 0 ? this.rules[index] : undefined;
    if (rule?.once) this.rules.splice(index, 1);
    if (this.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, this.delayMs));
    if (rule?.action.kind === 'garbage') {
      request.resume();
      response.writeHead(200, { 'Content-Type': 'application/json' });
      response.end('\u0000not json{{{');
      return;
    }
    const upstream = http.request(
      { socketPath: this.target, method: request.method, path: request.url, headers: request.headers },
      (answer) => {
        const action = rule?.action;
        if (action?.kind === 'afterDaemon') {
          answer.resume();
          answer.on('end', () => void action.run().finally(() => response.socket?.destroy()));
          return;
        }
        response.writeHead(answer.statusCode ?? 502, answer.headers);
        response.flushHeaders();
        if (route.startsWith('/events')) {
          this.eventStreams.add(response);
          response.on('close', () => this.eventStreams.delete(response));
        }
        answer.pipe(response);
        // A daemon that dies mid-answer (an event stream) closes the client's connection too.
        answer.on('close', () => {
          if (!response.writableFinished) response.socket?.destroy();
        });
      },
    );
    upstream.on('error', () => response.socket?.destroy());
    response.on('close', () => upstream.destroy());
    request.pipe(upstream);
  }
}
