/**
 * Minimal network helpers for probes: an HTTP GET and a TCP exchange, each bounded by a timeout
 * and failing with a NetFailure that says refused / timeout / unreachable.
 */
import * as http from 'node:http';
import * as https from 'node:https';
import * as net from 'node:net';
import * as tls from 'node:tls';
import { timerMs } from '../../util/timeouts';
import type { NetFailure, StoreAddress, StoreTls } from './types';
import { errorMessage } from '../../util/errors';

export interface HttpAnswer {
  kind: 'answer';
  status: number;
  body: string;
}

/** Go's net/http answers a plain request on a TLS port with this 400 (etcd, Consul alike). */
export const PLAIN_TO_TLS = 'Client sent an HTTP request to an HTTPS server';

/** What a probe keeps of one answer, HTTP or TCP: stores answer a few hundred bytes. */
export const MAX_ANSWER_BYTES = 1 << 20;

/**
 * With `tls`, HTTPS as Docker's store client speaks it: the given CA only, the given client
 * certificate. A TLS attempt that ends in a reset is asked again in plain HTTP: a plain server
 * answers a ClientHello with a 400 and hangs up, and when its reset overtakes the 400 (a busy
 * machine) only a plain request tells "no TLS there" from a store that dropped us.
 */
export async function httpGet(
  address: StoreAddress,
  path: string,
  timeoutMs: number,
  clientTls?: StoreTls,
): Promise<HttpAnswer | NetFailure> {
  const answer = await httpGetOnce(address, path, timeoutMs, clientTls);
  if (!clientTls || answer.kind !== 'unreachable') return answer;
  const plain = await httpGetOnce(address, path, timeoutMs);
  if (plain.kind !== 'answer') return answer;
  return {
    kind: 'tls',
    reason: `${hostPort(address)}: no TLS there: the store answers plain HTTP (HTTP ${plain.status} to GET ${path}), and our TLS handshake ended in "${answer.reason}"`,
  };
}

function httpGetOnce(address: StoreAddress, path: string, timeoutMs: number, clientTls?: StoreTls): Promise<HttpAnswer | NetFailure> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      request.destroy();
      resolve(timedOut(address, timeoutMs));
    }, timerMs(timeoutMs));
    const options = { host: address.host, port: address.port, path, agent: false };
    const onResponse = (response: http.IncomingMessage) => {
      const body = new Received();
      response.on('data', (chunk: Buffer) => {
        // Over the cap: what came so far is the answer (the probes read its start).
        if (!body.add(chunk)) finish({ kind: 'answer', status: response.statusCode ?? 0, body: body.bytes().toString('utf8') });
      });
      response.on('end', () => finish({ kind: 'answer', status: response.statusCode ?? 0, body: body.bytes().toString('utf8') }));
      response.on('error', (error) => finish(netFailure(error, address)));
    };
    let request: http.ClientRequest;
    try {
      request = startGet(options, onResponse, clientTls, address);
    } catch (error) {
      // Files that are not PEM (or a key that does not match): Node refuses them before dialling.
      clearTimeout(timer);
      const files = clientTls ? `${clientTls.files.ca}, ${clientTls.files.cert}, ${clientTls.files.key}` : '';
      return resolve({ kind: 'tls', reason: `the TLS files (${files}) cannot be used: ${errorMessage(error)}` });
    }
    // In TLS 1.3 the server judges our certificate after the handshake; one that then hangs up without an alert refused it.
    let handshakeDone = false;
    request.on('socket', (socket) => socket.once('secureConnect', () => (handshakeDone = true)));
    request.on('error', (error: NodeJS.ErrnoException) => {
      if (clientTls && /before secure TLS connection was established/.test(error.message)) {
        // A plain server answers a ClientHello with text (Go: a 400) and hangs up.
        return finish({
          kind: 'tls',
          reason: `${hostPort(address)}: no TLS there: the connection closed before a TLS handshake (${error.message})`,
        });
      }
      if (clientTls && handshakeDone && error.code === 'ECONNRESET') {
        return finish({
          kind: 'tls',
          reason: `${hostPort(address)}: the store refused our client certificate: it closed the connection right after the TLS handshake, before any answer (${error.message})`,
        });
      }
      finish(netFailure(error, address));
    });
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
    const timer = setTimeout(
      () => finish(connected && received.length > 0 ? data(true) : timedOut(address, timeoutMs)),
      timerMs(timeoutMs),
    );
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

/** Whether a TCP connection to `address` opens (then closed at once): nothing is sent. */
export function tcpConnect(address: StoreAddress, timeoutMs: number): Promise<{ kind: 'open' } | NetFailure> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: address.host, port: address.port });
    const timer = setTimeout(() => finish(timedOut(address, timeoutMs)), timerMs(timeoutMs));
    socket.on('connect', () => finish({ kind: 'open' }));
    socket.on('error', (error) => finish(netFailure(error, address)));
    let done = false;
    function finish(result: { kind: 'open' } | NetFailure): void {
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
  return value.kind === 'refused' || value.kind === 'timeout' || value.kind === 'unreachable' || value.kind === 'tls';
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
  const tls = tlsFailure(code, message);
  if (tls) return { kind: 'tls', reason: `${hostPort(address)}: ${tls}` };
  return { kind: 'unreachable', reason: `${hostPort(address)}: ${message}` };
}

export function hostPort(address: StoreAddress): string {
  return address.host.includes(':') ? `[${address.host}]:${address.port}` : `${address.host}:${address.port}`;
}

/** Node's TLS error codes, in words a user acts on; undefined for anything that is not TLS. */
function tlsFailure(code: string, message: string): string | undefined {
  if (/^ERR_SSL_.*ALERT/.test(code)) return `the store refused our client certificate (${message.trim()})`;
  if (
    code === 'ERR_SSL_WRONG_VERSION_NUMBER' ||
    code === 'ERR_SSL_PACKET_LENGTH_TOO_LONG' ||
    (code === 'EPROTO' && /wrong version number|packet length/.test(message))
  ) {
    return `no TLS there: the store answered in plain text (${message.trim()})`;
  }
  const untrusted = [
    'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
    'SELF_SIGNED_CERT_IN_CHAIN',
    'DEPTH_ZERO_SELF_SIGNED_CERT',
    'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
    'UNABLE_TO_GET_ISSUER_CERT',
    'CERT_HAS_EXPIRED',
    'CERT_NOT_YET_VALID',
    'ERR_TLS_CERT_ALTNAME_INVALID',
    'CERT_UNTRUSTED',
    'CERT_SIGNATURE_FAILURE',
  ];
  if (untrusted.includes(code)) return `the store's certificate is not accepted with kv.cacertfile (${code}: ${message.trim()})`;
  if (/^ERR_SSL_|^ERR_TLS_|^ERR_OSSL_/.test(code)) return `TLS failed (${code}: ${message.trim()})`;
  return undefined;
}

/**
 * Whether a TLS server answers there: a handshake without checking anything. A server that
 * then asks for a client certificate we do not send (an alert) speaks TLS too.
 */
export function speaksTls(address: StoreAddress, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = tls.connect({
      host: address.host,
      port: address.port,
      rejectUnauthorized: false,
      servername: net.isIP(address.host) ? undefined : address.host,
    });
    const timer = setTimeout(() => done(false), timeoutMs);
    socket.once('secureConnect', () => done(true));
    socket.once('error', (error: NodeJS.ErrnoException) => done(/^ERR_SSL_.*ALERT/.test(error.code ?? '')));
    socket.once('close', () => done(false));
    let finished = false;
    function done(result: boolean): void {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(result);
    }
  });
}

function startGet(
  options: http.RequestOptions,
  onResponse: (response: http.IncomingMessage) => void,
  clientTls: StoreTls | undefined,
  address: StoreAddress,
): http.ClientRequest {
  if (!clientTls) return http.get(options, onResponse);
  const { ca, cert, key } = clientTls;
  return https.get({ ...options, ca, cert, key, servername: net.isIP(address.host) ? undefined : address.host }, onResponse);
}
