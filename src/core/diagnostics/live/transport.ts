/**
 * Minimal network helpers for probes: an HTTP GET and a TCP exchange, each bounded by a timeout
 * and failing with a NetFailure that says refused / timeout / unreachable.
 */
import * as http from 'node:http';
import * as net from 'node:net';
import type { NetFailure, StoreAddress } from './types';

export interface HttpAnswer {
  kind: 'answer';
  status: number;
  body: string;
}

const MAX_BODY = 1 << 20;

export function httpGet(address: StoreAddress, path: string, timeoutMs: number): Promise<HttpAnswer | NetFailure> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      request.destroy();
      resolve(timedOut(address, timeoutMs));
    }, timeoutMs);
    const request = http.get({ host: address.host, port: address.port, path, agent: false }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => {
        body += chunk;
        if (body.length > MAX_BODY) response.destroy();
      });
      response.on('end', () => finish({ kind: 'answer', status: response.statusCode ?? 0, body }));
      response.on('error', (error) => finish(netFailure(error, address)));
    });
    request.on('error', (error) => finish(netFailure(error, address)));
    function finish(result: HttpAnswer | NetFailure): void {
      clearTimeout(timer);
      resolve(result);
    }
  });
}

/**
 * Connects, writes `request`, and collects what arrives until `complete` says enough, the peer
 * closes, or the timeout. `complete` may `send` more (a protocol's next step). `closedEarly`
 * tells the caller the conversation ended before `complete` said so.
 */
export function tcpExchange(
  address: StoreAddress,
  request: Buffer,
  timeoutMs: number,
  complete: (received: Buffer, send: (data: Buffer) => void) => boolean,
): Promise<{ kind: 'data'; data: Buffer; closedEarly: boolean } | NetFailure> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let connected = false;
    const socket = net.connect({ host: address.host, port: address.port });
    const timer = setTimeout(() => finish(connected && chunks.length > 0 ? data(true) : timedOut(address, timeoutMs)), timeoutMs);
    const data = (closedEarly: boolean) => ({ kind: 'data' as const, data: Buffer.concat(chunks), closedEarly });
    socket.on('connect', () => {
      connected = true;
      socket.write(request);
    });
    socket.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      if (complete(Buffer.concat(chunks), (more) => socket.write(more))) finish(data(false));
    });
    socket.on('close', () => finish(connected ? data(true) : timedOut(address, timeoutMs)));
    socket.on('error', (error) => finish(connected ? data(true) : netFailure(error, address)));
    let done = false;
    function finish(result: { kind: 'data'; data: Buffer; closedEarly: boolean } | NetFailure): void {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(result);
    }
  });
}

export function isNetFailure(value: { kind: string }): value is NetFailure {
  return value.kind === 'refused' || value.kind === 'timeout' || value.kind === 'unreachable';
}

function timedOut(address: StoreAddress, timeoutMs: number): NetFailure {
  return { kind: 'timeout', reason: `no answer from ${hostPort(address)} within ${timeoutMs} ms` };
}

/** Node's socket error codes, sorted into what a user does next. */
export function netFailure(error: unknown, address: StoreAddress): NetFailure {
  const code = (error as NodeJS.ErrnoException | undefined)?.code ?? '';
  const message = (error as Error | undefined)?.message ?? String(error);
  if (code === 'ECONNREFUSED') return { kind: 'refused', reason: `connection refused by ${hostPort(address)}` };
  if (code === 'ETIMEDOUT') return { kind: 'timeout', reason: `connecting to ${hostPort(address)} timed out` };
  return { kind: 'unreachable', reason: `${hostPort(address)}: ${message}` };
}

export function hostPort(address: StoreAddress): string {
  return address.host.includes(':') ? `[${address.host}]:${address.port}` : `${address.host}:${address.port}`;
}
