/**
 * A stand-in for a Consul agent (no Consul binary can be had here): a node:http server that
 * answers the endpoints the live doctor reads, shaped as Consul's documented HTTP API
 * (developer.hashicorp.com/consul/api-docs: status, agent, kv), in one of four states:
 * - healthy: a one-server cluster started with -bootstrap, so it leads itself;
 * - noLeader: a server of a three-server cluster that lost quorum (peers known, no leader);
 * - loneServer: one server started without -bootstrap / -bootstrap-expect (never elects);
 * - aclDenied: a healthy cluster with acl.default_policy=deny and no token for anonymous.
 * Without a leader Consul answers KV reads with 500 and the body "No cluster leader"; with ACLs
 * denying, KV and agent reads answer 403 "Permission denied".
 * With `tls`, HTTPS only, client certificates required (Consul's verify_incoming), as
 * `consul agent -https-port` with tls.https.verify_incoming serves the same API.
 */
import * as http from 'node:http';
import * as https from 'node:https';
import type { AddressInfo } from 'node:net';

export type ConsulState = 'healthy' | 'noLeader' | 'loneServer' | 'aclDenied';

const SELF = '127.0.0.1:8300';
const OTHERS = ['127.0.0.2:8300', '127.0.0.3:8300'];

export class FakeConsul {
  state: ConsulState = 'healthy';
  /** Every path asked for, in order: tests check which endpoints the probe read. */
  readonly requests: string[] = [];
  private readonly server: http.Server;

  /** `tls`: the server's certificate and key, and the CA that must have signed its clients' certificates. */
  constructor(tls?: { cert: Buffer; key: Buffer; ca: Buffer }) {
    const handler = (request: http.IncomingMessage, response: http.ServerResponse) => this.answer(request, response);
    this.server = tls ? https.createServer({ ...tls, requestCert: true, rejectUnauthorized: true }, handler) : http.createServer(handler);
  }

  async start(host = '127.0.0.1'): Promise<{ host: string; port: number }> {
    await new Promise<void>((resolve) => this.server.listen(0, host, resolve));
    return { host, port: (this.server.address() as AddressInfo).port };
  }

  stop(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private answer(request: http.IncomingMessage, response: http.ServerResponse): void {
    const url = new URL(request.url ?? '/', 'http://consul');
    this.requests.push(url.pathname + url.search);
    const hasLeader = this.state === 'healthy' || this.state === 'aclDenied';
    const json = (status: number, body: unknown) => send(response, status, JSON.stringify(body), 'application/json', hasLeader);
    const text = (status: number, body: string) => send(response, status, body, 'text/plain; charset=utf-8', hasLeader);
    if (request.method !== 'GET') return text(405, 'method not allowed');
    if (url.pathname === '/v1/status/leader') return json(200, hasLeader ? SELF : '');
    if (url.pathname === '/v1/status/peers') return json(200, this.peers());
    if (url.pathname === '/v1/agent/self') {
      return this.state === 'aclDenied' ? text(403, 'Permission denied') : json(200, this.agentSelf());
    }
    if (url.pathname.startsWith('/v1/kv/')) {
      if (this.state === 'aclDenied') return text(403, 'Permission denied');
      if (!hasLeader) return text(500, 'No cluster leader');
      // No keys under the prefix yet: Consul answers 404 with an empty body.
      return text(404, '');
    }
    return text(404, '404 page not found');
  }

  private peers(): string[] {
    if (this.state === 'loneServer') return [];
    if (this.state === 'noLeader') return [SELF, ...OTHERS];
    return [SELF];
  }

  /** The parts of GET /v1/agent/self the doctor reads, with their documented neighbours. */
  private agentSelf(): unknown {
    return {
      Config: {
        Datacenter: 'dc1',
        NodeName: 'fake-consul',
        NodeID: '00000000-0000-0000-0000-000000000001',
        Revision: 'fake',
        Server: true,
        Version: '1.15.4',
      },
      DebugConfig: {
        Bootstrap: this.state === 'healthy',
        BootstrapExpect: this.state === 'noLeader' ? 3 : 0,
        Datacenter: 'dc1',
        ServerMode: true,
      },
      Member: { Name: 'fake-consul', Addr: '127.0.0.1', Port: 8301, Status: 1 },
      Meta: {},
    };
  }
}

function send(response: http.ServerResponse, status: number, body: string, type: string, knownLeader: boolean): void {
  response.writeHead(status, {
    'Content-Type': type,
    'X-Consul-Index': '1',
    'X-Consul-KnownLeader': String(knownLeader),
    'X-Consul-LastContact': '0',
  });
  response.end(body);
}
