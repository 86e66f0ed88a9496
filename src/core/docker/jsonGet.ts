/**
 * The read path of a daemon over a unix socket or TCP (plain or TLS): one GET, its JSON body.
 * A cold load makes one inspect per container, 16 at a time, and docker-modem's per-call work
 * (an eager `util.inspect` of every request for its debug log, a redirect-following wrapper, two
 * timers, a string copy of the body) made our 302 GETs cost 1.3–1.9× the same GETs made with
 * plain `http.request` (profile in README "Speed"). This does only what a GET needs, over a
 * keep-alive agent of its own. Writes, the event stream and ssh stay with docker-modem.
 */
import * as http from 'node:http';
import * as https from 'node:https';
import * as fs from 'node:fs';
import type { HostEndpoint } from '../hosts/dockerHost';
import { UnexpectedAnswerError } from './unexpectedAnswer';

/** A non-2xx answer, shaped as docker-modem's errors are (statusCode, json.message). */
export class HttpStatusError extends Error {
  constructor(
    readonly statusCode: number,
    readonly json: { message?: string } | undefined,
    body: string,
  ) {
    // dockerd's plain-text answers (400 to plain HTTP on its TLS port) are the message.
    super(`(HTTP code ${statusCode}) ${json?.message ?? body.trim().slice(0, 200)}`.trim());
  }
}

export type JsonGet = (path: string, timeoutMs: number) => Promise<unknown>;

/** A GET function for the endpoint, or undefined where docker-modem must carry it (ssh). */
export function jsonGetFor(endpoint: HostEndpoint): JsonGet | undefined {
  switch (endpoint.kind) {
    case 'unix': {
      const agent = new http.Agent({ keepAlive: true });
      return (path, timeoutMs) => get(http, { socketPath: endpoint.socketPath, path, agent }, timeoutMs);
    }
    case 'tcp': {
      const tls = endpoint.tls;
      if (!tls) {
        const agent = new http.Agent({ keepAlive: true });
        return (path, timeoutMs) => get(http, { host: endpoint.host, port: endpoint.port, path, agent }, timeoutMs);
      }
      const read = (file: string | undefined) => (file ? fs.readFileSync(file) : undefined);
      // Verification off is the user's explicit choice (see dockerClient.ts modemOptions).
      const agent = new https.Agent({
        keepAlive: true,
        ca: read(tls.ca),
        cert: read(tls.cert),
        key: read(tls.key),
        rejectUnauthorized: tls.verify,
      });
      return (path, timeoutMs) => get(https, { host: endpoint.host, port: endpoint.port, path, agent }, timeoutMs);
    }
    case 'ssh':
      return undefined;
  }
}

function get(transport: typeof http | typeof https, options: http.RequestOptions, timeoutMs: number): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const request = transport.request({ ...options, method: 'GET' }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('error', reject);
      response.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        const status = response.statusCode ?? 0;
        if (status < 200 || status >= 300)
          return reject(new HttpStatusError(status, parseOrUndefined(text) as { message?: string } | undefined, text));
        try {
          resolve(JSON.parse(text));
        } catch {
          reject(new UnexpectedAnswerError(`the answer is not JSON (${JSON.stringify(text.slice(0, 60))}…)`));
        }
      });
    });
    // The call's own timer (DockerClient.call) rejects; this closes the connection too, so a
    // wedged daemon is not left one more open socket per retry.
    request.setTimeout(timeoutMs, () => request.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    request.on('error', reject);
    request.end();
  });
}

function parseOrUndefined(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
