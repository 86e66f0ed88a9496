/**
 * Minimal network helpers for probes: an HTTP GET and a TCP exchange, each bounded by a timeout
 * and failing with a NetFailure that says refused / timeout / unreachable.
 */
import * as http from 'node:http';
import * as net from 'node:net';
import { timerMs } from '../../util/timeouts';
import type { NetFailure, StoreAddress } from './types';

export interface HttpAnswer {
  kind: 'answer';
  status: number;
  body: string;
}

/** What a probe keeps of one answer, HTTP or TCP: stores answer a few hundred bytes. */
export const MAX_ANSWER_BYTES = 1 << 20;

export function httpGet(address: StoreAddress, path: string, timeoutMs: number): Promise<HttpAnswer | NetFailure> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      request.destroy();
      resolve(timedOut(address, timeoutMs));
    }, timerMs(timeoutMs));
    const request = http.get({ host: address.host, port: address.port, path, agent: false }, (response) => {
      const body = new Received();
      response.on('data', (chunk: Buffer) => {
        // Over the cap: what came so far is the answer (the probes read its start).
        if (!body.add(chunk)) finish({ kind: 'answer', status: response.statusCode ?? 0, body: body.bytes().toString('utf8') });
      });
      response.on('end', () => finish({ kind: 'answer', status: response.statusCode ?? 0, body: body.bytes().toString('utf8') }));
      response.on('error', (error) => finish(netFailure(error, address)));
    });
    request.on('error', (error) => finish(netFailure(error, address)));
    let done = false;
    function finish(result: HttpAnswer | NetFailure): void {
      if (done) return;
      done = true;
      clearTimeout(timer);
      request.destroy();
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
    const received = new Received();
    let connected = false;
    const socket = net.connect({ host: address.host, port: address.port });
    const timer = setTimeout(() => finish(connected && received.length > 0 ? data(true) : timedOut(address, timeoutMs)), timerMs(timeoutMs));
    const data = (closedEarly: boolean) => ({ kind: 'data' as const, data: Buffer.from(received.bytes()), closedEarly });
    socket.on('connect', () => {
      connected = true;
      socket.write(request);
    });
    socket.on('data', (chunk: Buffer) => {
      // A peer that never stops talking is cut at the cap, as if it had closed.
      if (!received.add(chunk)) return finish(data(true));
      if (complete(received.bytes(), (more) => socket.write(more))) finish(data(false));
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

/**
 * Bytes received so far, at most MAX_ANSWER_BYTES, in one buffer that doubles when full: each
 * chunk is copied once (Buffer.concat of all chunks on every chunk was quadratic, and unbounded).
 */
export class Received {
  private buffer = Buffer.alloc(0);
  length = 0;

  /** False, and nothing kept of `chunk`, once the cap would be passed. */
  add(chunk: Buffer): boolean {
    if (this.length + chunk.length > MAX_ANSWER_BYTES) return false;
    if (this.length + chunk.length > this.buffer.length) {
      const grown = Buffer.alloc(Math.min(MAX_ANSWER_BYTES, Math.max(this.length + chunk.length, this.buffer.length * 2, 4096)));
      this.buffer.copy(grown, 0, 0, this.length);
      this.buffer = grown;
    }
    chunk.copy(this.buffer, this.length);
    this.length += chunk.length;
    return true;
  }

  /** A view of what was received (not a copy: valid until the next add). */
  bytes(): Buffer {
    return this.buffer.subarray(0, this.length);
  }
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
