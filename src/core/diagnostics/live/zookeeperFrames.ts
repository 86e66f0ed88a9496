/**
 * The first frames of ZooKeeper's client protocol (jute encoding, big-endian), enough to open a
 * session and close it again: the only way to ask a server that answers no four-letter words.
 * Every frame is a 4-byte length followed by that many bytes.
 */

export interface ConnectRequest {
  protocolVersion: number;
  lastZxidSeen: bigint;
  /** Requested session timeout, ms; the server clamps it to [2, 20] × tickTime. */
  timeOut: number;
  sessionId: bigint;
  passwd: Buffer;
  readOnly: boolean;
}

export interface ConnectResponse {
  protocolVersion: number;
  timeOut: number;
  /** Non-zero when the server accepted the session, i.e. it is serving. */
  sessionId: bigint;
  passwd: Buffer;
  /** Absent from servers older than 3.4. */
  readOnly?: boolean;
}

export const NEW_SESSION: ConnectRequest = {
  protocolVersion: 0,
  lastZxidSeen: 0n,
  timeOut: 4000,
  sessionId: 0n,
  passwd: Buffer.alloc(16),
  readOnly: false,
};

const CLOSE_SESSION_OP = -11;

export function encodeConnectRequest(request: ConnectRequest): Buffer {
  const body = Buffer.alloc(4 + 8 + 4 + 8 + 4 + request.passwd.length + 1);
  let at = body.writeInt32BE(request.protocolVersion, 0);
  at = body.writeBigInt64BE(request.lastZxidSeen, at);
  at = body.writeInt32BE(request.timeOut, at);
  at = body.writeBigInt64BE(request.sessionId, at);
  at = body.writeInt32BE(request.passwd.length, at);
  at += request.passwd.copy(body, at);
  body.writeUInt8(request.readOnly ? 1 : 0, at);
  return frame(body);
}

/** RequestHeader { xid, type = closeSession }: ends the session at once instead of at its timeout. */
export function encodeCloseSession(xid = 1): Buffer {
  const body = Buffer.alloc(8);
  body.writeInt32BE(xid, 0);
  body.writeInt32BE(CLOSE_SESSION_OP, 4);
  return frame(body);
}

export function frame(body: Buffer): Buffer {
  const header = Buffer.alloc(4);
  header.writeInt32BE(body.length, 0);
  return Buffer.concat([header, body]);
}

/** The first complete frame's body, or undefined while more bytes are needed. */
export function readFrame(received: Buffer): Buffer | undefined {
  if (received.length < 4) return undefined;
  const length = received.readInt32BE(0);
  if (length < 0) throw new Error(`negative frame length ${length}`);
  return received.length >= 4 + length ? received.subarray(4, 4 + length) : undefined;
}

export function decodeConnectResponse(body: Buffer): ConnectResponse {
  if (body.length < 4 + 4 + 8 + 4) throw new Error(`ConnectResponse too short (${body.length} bytes)`);
  const protocolVersion = body.readInt32BE(0);
  const timeOut = body.readInt32BE(4);
  const sessionId = body.readBigInt64BE(8);
  const passwdLength = body.readInt32BE(16);
  const passwdEnd = 20 + Math.max(passwdLength, 0);
  if (passwdEnd > body.length) throw new Error(`ConnectResponse passwd of ${passwdLength} bytes overruns the frame`);
  const passwd = Buffer.from(body.subarray(20, passwdEnd));
  const response: ConnectResponse = { protocolVersion, timeOut, sessionId, passwd };
  return body.length > passwdEnd ? { ...response, readOnly: body.readUInt8(passwdEnd) !== 0 } : response;
}

/** Encodes a response as a server would: lets tests build frames the decoder must read. */
export function encodeConnectResponse(response: ConnectResponse): Buffer {
  const readOnly = response.readOnly === undefined ? 0 : 1;
  const body = Buffer.alloc(4 + 4 + 8 + 4 + response.passwd.length + readOnly);
  let at = body.writeInt32BE(response.protocolVersion, 0);
  at = body.writeInt32BE(response.timeOut, at);
  at = body.writeBigInt64BE(response.sessionId, at);
  at = body.writeInt32BE(response.passwd.length, at);
  at += response.passwd.copy(body, at);
  if (response.readOnly !== undefined) body.writeUInt8(response.readOnly ? 1 : 0, at);
  return frame(body);
}
