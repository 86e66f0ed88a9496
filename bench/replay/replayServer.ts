/**
 * A stand-in Docker daemon on a unix socket (never a TCP port): answers the GETs the explorer
 * makes from a ReplayState, after a fixed service delay per request (a daemon's time to answer,
 * spent waiting, not computing, so many of these can run side by side like separate machines),
 * and streams events from `toggle`, which changes the state first, as dockerd does.
 */
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { ReplayState } from './replayState';

export class ReplayServer {
  private readonly server: http.Server;
  private readonly streams = new Set<http.ServerResponse>();
  requests = 0;

  constructor(
    readonly state: ReplayState,
    readonly socketPath: string,
    private readonly delayMs: number,
  ) {
    this.server = http.createServer((request, response) => this.handle(request, response));
    this.server.keepAliveTimeout = 60_000;
  }

  listen(): Promise<void> {
    fs.rmSync(this.socketPath, { force: true });
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.socketPath, () => resolve());
    });
  }

  close(): Promise<void> {
    for (const stream of this.streams) stream.end();
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => (fs.rmSync(this.socketPath, { force: true }), resolve())));
  }

  /** Connects or disconnects the container and sends the event; returns the event's timeNano. */
  toggle(containerIndex: number, networkIndex: number): number {
    const container = this.state.containers[containerIndex % this.state.containers.length];
    const network = this.state.networks.filter((each) => each.subnet >= 0)[networkIndex % this.state.size.networks];
    const attached = this.state.toggle(container.id, network.name);
    const now = Date.now();
    const timeNano = now * 1e6;
    const event = {
      Type: 'network',
      Action: attached ? 'connect' : 'disconnect',
      Actor: { ID: network.id, Attributes: { container: container.id, name: network.name, type: 'bridge' } },
      scope: 'local',
      time: Math.floor(now / 1000),
      timeNano,
    };
    const line = `${JSON.stringify(event)}\n`;
    for (const stream of this.streams) stream.write(line);
    return timeNano;
  }

  private handle(request: http.IncomingMessage, response: http.ServerResponse): void {
    this.requests++;
    const url = new URL(request.url ?? '/', 'http://replay');
    const route = url.pathname.replace(/^\/v\d+\.\d+/, '');
    if (request.method === 'GET' && route === '/events') {
      response.writeHead(200, { 'Content-Type': 'application/json' });
      response.flushHeaders();
      this.streams.add(response);
      response.on('close', () => this.streams.delete(response));
      return;
    }
    const answer = () => {
      if (request.method === 'GET' && route === '/_ping') return void response.writeHead(200, { 'Content-Type': 'text/plain' }).end('OK');
      // An event applied in place lists one container or network: `filters={"id":[…]}`.
      const ids = idFilter(url.searchParams.get('filters'));
      const body = request.method === 'GET' ? this.state.answer(route, ids) : undefined;
      if (!body) {
        response
          .writeHead(404, { 'Content-Type': 'application/json' })
          .end(JSON.stringify({ message: `page not found: ${request.method} ${route}` }));
        return;
      }
      response.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': body.length }).end(body);
    };
    if (this.delayMs > 0) setTimeout(answer, this.delayMs);
    else answer();
  }
}

/** The IDs of a list's `filters` query (`{"id":["…"]}`, or dockerode's `{"id":{"…":true}}`), if any. */
function idFilter(filters: string | null): string[] | undefined {
  if (!filters) return undefined;
  try {
    const id = (JSON.parse(filters) as { id?: unknown }).id;
    if (Array.isArray(id)) return id.filter((entry): entry is string => typeof entry === 'string');
    return typeof id === 'object' && id !== null ? Object.keys(id) : undefined;
  } catch {
    return undefined;
  }
}
