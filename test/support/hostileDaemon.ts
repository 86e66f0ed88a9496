/**
 * A Docker daemon that says what it likes: the threat of a shared or compromised daemon, which no
 * real dockerd can play (Docker refuses names outside [a-zA-Z0-9][a-zA-Z0-9_.-]*, but a hostile
 * daemon answers whatever it wants, and Docker's own error messages quote user input). It serves
 * dockerd 20.10.24's real answers for the seed (test/unit/fixtures/seed-daemon.json) over plain
 * HTTP on loopback, with the names and the create error the test chooses.
 */
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';

export interface HostileAnswers {
  /** Replaces the seed's user network `tb1` everywhere it is named. */
  networkName: string;
  /** Replaces the seed's container `w2`. */
  containerName: string;
  /** The `message` of a 500 answer to POST /networks/create. */
  createError: string;
  /**
   * Answers of any shape instead of the seed's (GET /version, /info, /networks,
   * /containers/json): a daemon that sends nulls, objects for lists and the like.
   */
  bodies?: { version?: unknown; info?: unknown; networks?: unknown; containers?: unknown };
}

export interface HostileDaemon {
  url: string;
  close(): Promise<void>;
}

const VERSION = { Version: '20.10.24', ApiVersion: '1.41', MinAPIVersion: '1.12', Os: 'linux', Arch: 'amd64', KernelVersion: '6.1.0' };
const INFO = {
  Name: 'hostile',
  ServerVersion: '20.10.24',
  KernelVersion: '6.1.0',
  ClusterStore: '',
  ClusterAdvertise: '',
  Swarm: { LocalNodeState: 'inactive' },
};

export async function startHostileDaemon(answers: HostileAnswers): Promise<HostileDaemon> {
  const seedText = fs.readFileSync(path.resolve(__dirname, '../../../test/unit/fixtures/seed-daemon.json'), 'utf8');
  // Renaming in the JSON text renames the network in the list, in each container's Networks keys and in the inspects.
  const seed = JSON.parse(
    seedText.replaceAll('"tb1"', JSON.stringify(answers.networkName)).replaceAll('"/w2"', JSON.stringify(`/${answers.containerName}`)),
  ) as {
    networks: unknown[];
    containers: unknown[];
    inspects: Array<{ Id: string }>;
  };
  const server = http.createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://daemon');
    const route = url.pathname.replace(/^\/v1\.\d+/, '');
    const json = (status: number, body: unknown) => {
      response.writeHead(status, { 'Content-Type': 'application/json' });
      response.end(JSON.stringify(body));
    };
    const bodies = answers.bodies ?? {};
    const answer = (key: keyof typeof bodies, seedAnswer: unknown) => json(200, key in bodies ? bodies[key] : seedAnswer);
    if (request.method === 'GET' && route === '/version') return answer('version', VERSION);
    if (request.method === 'GET' && route === '/info') return answer('info', INFO);
    if (request.method === 'GET' && route === '/_ping') return response.end('OK');
    if (request.method === 'GET' && route === '/events') {
      // An event stream that stays open and quiet, as an idle dockerd's does.
      response.writeHead(200, { 'Content-Type': 'application/json' });
      response.flushHeaders();
      return;
    }
    if (request.method === 'GET' && route === '/networks') return answer('networks', seed.networks);
    if (request.method === 'GET' && route === '/containers/json') return answer('containers', seed.containers);
    const inspect = /^\/containers\/([^/]+)\/json$/.exec(route);
    if (request.method === 'GET' && inspect) {
      const found = seed.inspects.find((entry) => entry.Id.startsWith(inspect[1]));
      return found ? json(200, found) : json(404, { message: `No such container: ${inspect[1]}` });
    }
    if (request.method === 'POST' && route === '/networks/create') {
      request.resume();
      return request.on('end', () => json(500, { message: answers.createError }));
    }
    json(404, { message: 'page not found' });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `tcp://127.0.0.1:${port}`,
    close: () => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
