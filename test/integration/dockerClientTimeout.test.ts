/**
 * A daemon socket that accepts and never answers (a wedged dockerd): every call must give up at
 * its timeout AND close its connection, or each retry would leave one more socket open.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { DockerClient } from '../../src/core/docker/dockerClient';
import { unixEndpoint } from '../support/dockerFixture';

describe('DockerClient against a daemon that never answers', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dne-wedged-'));
  const socketPath = path.join(dir, 'docker.sock');
  const closedAfter: number[] = [];
  let open = 0;
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    const accepted = Date.now();
    open++;
    sockets.add(socket);
    // Read what the client sends (and so see its end), but never answer.
    socket.resume();
    socket.on('close', () => {
      open--;
      closedAfter.push(Date.now() - accepted);
    });
  });

  before(() => new Promise<void>((resolve) => server.listen(socketPath, resolve)));
  after(() => {
    // Whatever the client left open would keep the test process alive: end it here.
    for (const socket of sockets) socket.destroy();
    server.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('rejects at the timeout and closes the connection, for every call', async () => {
    const client = new DockerClient(unixEndpoint(socketPath), 'wedged', { timeoutMs: 300 });
    const started = Date.now();
    const results = await Promise.allSettled([client.listNetworks(), client.listContainers(), client.inspectNetwork('bridge')]);
    const elapsed = Date.now() - started;
    assert.deepEqual(
      results.map((result) => result.status),
      ['rejected', 'rejected', 'rejected'],
    );
    for (const result of results) assert.match(String((result as PromiseRejectedResult).reason), /no answer within 300 ms/);
    assert.ok(elapsed < 1500, `took ${elapsed} ms`);
    // The server sees each connection end shortly after the timeout, not when the process exits.
    const deadline = Date.now() + 2000;
    while (open > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    assert.equal(open, 0, 'connections were left open');
    assert.equal(closedAfter.length, 3);
    assert.ok(
      closedAfter.every((ms) => ms < 1500),
      JSON.stringify(closedAfter),
    );
  });
});

/**
 * Node fires a timer of more than 2^31-1 ms after 1 ms: a huge requestTimeoutSeconds made every
 * call fail at once. A socket answering after 100 ms proves the clamped timeout really waits.
 */
describe('DockerClient with a timeout longer than a timer can hold', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dne-slow-'));
  const socketPath = path.join(dir, 'docker.sock');
  const server = net.createServer((socket) => {
    socket.once('data', () => {
      setTimeout(
        () => socket.end('HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2\r\nConnection: close\r\n\r\n[]'),
        100,
      );
    });
  });
  before(() => new Promise<void>((resolve) => server.listen(socketPath, resolve)));
  after(() => {
    server.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  for (const timeoutMs of [2 ** 31, 2 ** 53, Number.MAX_VALUE]) {
    it(`waits for the answer with timeoutMs ${timeoutMs}`, async () => {
      const client = new DockerClient(unixEndpoint(socketPath), 'slow', { timeoutMs });
      assert.deepEqual(await client.listNetworks(), []);
    });
  }
});
