/**
 * ZooKeeper probe: the `srvr` four-letter word first; when a server refuses it (not in the
 * 4lw whitelist) or hangs up, a real session handshake tells whether it serves clients.
 */
import { Codes } from '../codes';
import { snippet, storeFailureDraft, unexpectedAnswerDraft, type Draft } from './draft';
import { speaksTls, tcpExchange } from './transport';
import type { NetFailure, StoreAddress } from './types';
import { decodeConnectResponse, encodeCloseSession, encodeConnectRequest, NEW_SESSION, readFrame } from './zookeeperFrames';

export const NOT_SERVING = 'This ZooKeeper instance is not currently serving requests';

export type ZookeeperResult =
  | NetFailure
  | { kind: 'serving'; via: 'srvr'; mode: string }
  | { kind: 'serving'; via: 'session'; sessionId: bigint }
  | { kind: 'notServing'; via: 'srvr' | 'session'; detail: string }
  /** Only a secureClientPort there (TLS, Netty): Docker's client cannot speak to it. */
  | { kind: 'tlsOnly' }
  | { kind: 'unexpected'; detail: string };

export async function probeZookeeper(address: StoreAddress, timeoutMs: number): Promise<ZookeeperResult> {
  const plain = await probePlain(address, timeoutMs);
  // A secureClientPort (Netty) waits for a TLS record or hangs up on plain bytes, as a silent or quorum-less server
  // would: a TLS handshake tells them apart (a refused connection needs no second look).
  const silent = plain.kind === 'timeout' || plain.kind === 'unreachable' || (plain.kind === 'notServing' && plain.via === 'session');
  return silent && (await speaksTls(address, timeoutMs)) ? { kind: 'tlsOnly' } : plain;
}

/** As Docker's client dials it: plain TCP, `srvr` first, then a session handshake. */
async function probePlain(address: StoreAddress, timeoutMs: number): Promise<ZookeeperResult> {
  const answer = await tcpExchange(address, Buffer.from('srvr'), timeoutMs, () => false);
  if (answer.kind !== 'data') return answer;
  const text = answer.data.toString('utf8');
  if (text.includes(NOT_SERVING)) return { kind: 'notServing', via: 'srvr', detail: NOT_SERVING };
  const mode = /^Mode: (.+)$/m.exec(text);
  if (mode) return { kind: 'serving', via: 'srvr', mode: mode[1].trim() };
  // "srvr is not executed because it is not in the whitelist.", or the server hung up.
  return probeSession(address, timeoutMs, text === '' ? 'srvr: connection closed without an answer' : `srvr: ${snippet(text)}`);
}

/**
 * Opens a session (ConnectRequest) and, when granted, closes it at once (closeSession) so the
 * probe leaves no session behind until its timeout. A non-zero session id means serving.
 */
export async function probeSession(address: StoreAddress, timeoutMs: number, why = 'session handshake'): Promise<ZookeeperResult> {
  let response: Buffer | undefined;
  const answer = await tcpExchange(address, encodeConnectRequest(NEW_SESSION), timeoutMs, (received, send) => {
    const first = safeReadFrame(received);
    if (!first) return false;
    if (!response) {
      response = Buffer.from(first);
      if (!grantsSession(response)) return true;
      send(encodeCloseSession());
      return false;
    }
    // Done once the reply to closeSession (a second frame) has arrived.
    return safeReadFrame(received.subarray(4 + first.length)) !== undefined;
  });
  if (answer.kind !== 'data') return answer;
  if (!response) {
    // A server without quorum accepts the TCP connection, then drops the ConnectRequest.
    return { kind: 'notServing', via: 'session', detail: `${why}; then the session handshake was closed without a ConnectResponse` };
  }
  let sessionId: bigint;
  try {
    sessionId = decodeConnectResponse(response).sessionId;
  } catch (error) {
    return { kind: 'unexpected', detail: `${why}; then a malformed ConnectResponse: ${(error as Error).message}` };
  }
  if (sessionId === 0n) return { kind: 'notServing', via: 'session', detail: `${why}; then the server refused the session (session id 0)` };
  return { kind: 'serving', via: 'session', sessionId };
}

function grantsSession(body: Buffer): boolean {
  try {
    return decodeConnectResponse(body).sessionId !== 0n;
  } catch {
    return false;
  }
}

function safeReadFrame(data: Buffer): Buffer | undefined {
  try {
    return readFrame(data);
  } catch {
    return undefined;
  }
}

export function zookeeperDrafts(storeUrl: string, result: ZookeeperResult): Draft[] {
  switch (result.kind) {
    case 'serving':
      return [];
    case 'notServing':
      return [
        {
          severity: 'error',
          code: Codes.zookeeperNotServing,
          message:
            `ZooKeeper at ${storeUrl} is not serving requests (${result.detail}): it has no quorum yet. ` +
            'Start a majority of the servers listed as server.N in zoo.cfg and check that they reach each other on their quorum and election ports.',
        },
      ];
    case 'tlsOnly':
      return [
        {
          severity: 'error',
          code: Codes.storeExpectsTls,
          message:
            `ZooKeeper at ${storeUrl} speaks TLS only (a secureClientPort: it left our plain request unanswered and answered a TLS handshake), ` +
            "and Docker's ZooKeeper client speaks plain TCP only (the kv.* TLS options do not change that), so every overlay call fails. " +
            'Point --cluster-store at a plain clientPort of that ZooKeeper (clientPort= in zoo.cfg), on a network you trust.',
        },
      ];
    case 'unexpected':
      return [unexpectedAnswerDraft('zk', storeUrl, result.detail, "Check the port: ZooKeeper's client port is usually 2181.")];
    default:
      return [storeFailureDraft('zk', storeUrl, result)];
  }
}
