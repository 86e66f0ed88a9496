/**
 * The lean read path (src/core/docker/jsonGet.ts) against a local HTTP server on a unix socket:
 * what it makes of error answers and of a body that is no JSON, and that it keeps its connection.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { HttpStatusError, jsonGetFor } from '../../../src/core/docker/jsonGet';
import { isUnexpectedAnswerError } from '../../../src/core/docker/unexpectedAnswer';

describe('jsonGet over a unix socket', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dne-jsonget-'));
  const socketPath = path.join(dir, 'docker.sock');
  const connections: unknown[] = [];
  const server = http.createServer((request, response) => {
    if (request.url === '/v1.41/networks') return void response.writeHead(200, { 'Content-Type': 'application/json' }).end('[{"Id":"n"}]');
    if (request.url === '/missing') return void response.writeHead(404).end('{"message":"No such container: x"}');
    // dockerd's answer to plain HTTP on its TLS port is plain text.
    if (request.url === '/tls') return void response.writeHead(400).end('Client sent an HTTP request to an HTTPS server.\n');
    response.writeHead(200).end('<html>not json</html>');
  });
  server.on('connection', (socket) => connections.push(socket));
  const get = jsonGetFor({ kind: 'unix', socketPath })!;

  before(() => new Promise<void>((resolve) => server.listen(socketPath, resolve)));
  after(() => {
    server.closeAllConnections();
    server.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('parses the body, and reuses one connection for calls one after another', async () => {
    for (let i = 0; i < 3; i++) assert.deepEqual(await get('/v1.41/networks', 5000), [{ Id: 'n' }]);
    assert.equal(connections.length, 1);
  });

  it("keeps the daemon's status and message, as docker-modem's errors do", async () => {
    const missing = await get('/missing', 5000).then(
      () => assert.fail('answered'),
      (error: unknown) => error,
    );
    assert.ok(missing instanceof HttpStatusError);
    assert.equal(missing.statusCode, 404);
    assert.equal(missing.json?.message, 'No such container: x');
    const tls = await get('/tls', 5000).then(
      () => assert.fail('answered'),
      (error: unknown) => error,
    );
    assert.ok(tls instanceof HttpStatusError);
    assert.equal(tls.statusCode, 400);
    assert.match(tls.message, /HTTP request to an HTTPS server/);
  });

  it('a body that is no JSON is an unexpected answer, not a crash', async () => {
    const error = await get('/garbage', 5000).then(
      () => assert.fail('answered'),
      (reason: unknown) => reason,
    );
    assert.ok(isUnexpectedAnswerError(error), String(error));
    assert.match(String(error), /not JSON/);
  });

  it('over ssh there is no lean path: docker-modem carries the reads', () => {
    assert.equal(jsonGetFor({ kind: 'ssh', host: 'h', port: 22 } as Parameters<typeof jsonGetFor>[0]), undefined);
  });
});
