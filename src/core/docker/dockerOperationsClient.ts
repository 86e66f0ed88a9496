/**
 * The daemon calls behind network operations (create, connect, disconnect, remove), made
 * through a DockerClient so they share its timeout, call counter and DockerCallError. A failed
 * call becomes a DockerRequestError: Docker's refusal verbatim plus what was sent.
 */
import type Dockerode from 'dockerode';
import { DockerCallError, type DockerClient } from './dockerClient';

/** A request as sent, for messages ("what was sent") and for logs. */
export interface SentRequest {
  method: 'POST' | 'DELETE';
  path: string;
  body?: unknown;
}

export class DockerRequestError extends Error {
  constructor(
    readonly callError: DockerCallError,
    readonly request: SentRequest,
  ) {
    super(`${callError.message}\nSent: ${describeRequest(request)}`);
  }

  /** Docker's own words ("Pool overlaps with other one on this address space"), or the socket problem. */
  get reason(): string {
    return this.callError.reason;
  }

  /** Undefined when no HTTP answer came (timeout, socket closed): the daemon may have acted anyway. */
  get statusCode(): number | undefined {
    return this.callError.statusCode;
  }
}

export function describeRequest(request: SentRequest): string {
  return `${request.method} ${request.path}${request.body === undefined ? '' : ` ${JSON.stringify(request.body)}`}`;
}

export interface IpamConfigBody {
  Subnet: string;
  Gateway?: string;
  IPRange?: string;
}

/** Body of `POST /networks/create` (Engine API 1.41), only the fields this extension sets. */
export interface NetworkCreateBody {
  Name: string;
  /** The daemon refuses a second network of the same name instead of silently creating one. */
  CheckDuplicate: true;
  /** bridge, overlay, macvlan or ipvlan: the drivers a NetworkSpec offers. */
  Driver: string;
  Internal: boolean;
  Attachable: boolean;
  EnableIPv6: boolean;
  IPAM?: { Driver: 'default'; Config: IpamConfigBody[] };
  Options: Record<string, string>;
  Labels: Record<string, string>;
  ConfigOnly?: true;
  ConfigFrom?: { Network: string };
  Scope?: 'swarm';
}

export interface ConnectBody {
  Container: string;
  EndpointConfig?: {
    Aliases?: string[];
    Links?: string[];
    IPAMConfig?: { IPv4Address: string };
  };
}

export interface DisconnectBody {
  Container: string;
  Force: boolean;
}

/** What `POST /networks/create` answers: the new ID and a warning Docker may attach. */
export interface CreatedNetworkAnswer {
  Id: string;
  Warning?: string;
}

type CallThrough = <T>(operation: string, run: (api: Dockerode) => Promise<T>) => Promise<T>;

export class DockerOperationsClient {
  private readonly call: CallThrough;

  constructor(readonly client: DockerClient) {
    this.call = (operation, run) => client.request(operation, run);
  }

  get hostName(): string {
    return this.client.hostName;
  }

  createNetwork(body: NetworkCreateBody): Promise<CreatedNetworkAnswer> {
    return this.send(`create network ${body.Name}`, { method: 'POST', path: '/networks/create', body }, { 201: true });
  }

  connectNetwork(networkId: string, body: ConnectBody): Promise<void> {
    return this.send(
      `connect ${body.Container.slice(0, 12)} to network ${networkId.slice(0, 12)}`,
      { method: 'POST', path: `/networks/${networkId}/connect`, body },
      { 200: true },
    );
  }

  disconnectNetwork(networkId: string, body: DisconnectBody): Promise<void> {
    return this.send(
      `disconnect ${body.Container.slice(0, 12)} from network ${networkId.slice(0, 12)}`,
      { method: 'POST', path: `/networks/${networkId}/disconnect`, body },
      { 200: true },
    );
  }

  removeNetwork(networkId: string): Promise<void> {
    return this.send(
      `remove network ${networkId.slice(0, 12)}`,
      { method: 'DELETE', path: `/networks/${networkId}` },
      { 204: true, 200: true },
    );
  }

  /** `docker rm` without force: Docker itself refuses a running container. */
  removeContainer(containerId: string): Promise<void> {
    return this.send(
      `remove container ${containerId.slice(0, 12)}`,
      { method: 'DELETE', path: `/containers/${containerId}` },
      { 204: true },
    );
  }

  /** Inspect by ID or name; undefined when the daemon answers 404. */
  async findNetwork(idOrName: string): Promise<Dockerode.NetworkInspectInfo | undefined> {
    try {
      return await this.client.inspectNetwork(idOrName);
    } catch (error) {
      if (error instanceof DockerCallError && error.statusCode === 404) return undefined;
      throw error;
    }
  }

  private async send<T>(operation: string, request: SentRequest, okCodes: Record<number, true>): Promise<T> {
    try {
      return await this.call(operation, (api) => dial<T>(api, request, okCodes));
    } catch (error) {
      throw error instanceof DockerCallError ? new DockerRequestError(error, request) : error;
    }
  }
}

/** One HTTP request through dockerode's modem, which turns non-OK answers into errors with `json`. */
function dial<T>(api: Dockerode, request: SentRequest, okCodes: Record<number, true>): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    api.modem.dial(
      {
        // No "?" in the path: the modem would also copy the body into a query string.
        path: request.path,
        method: request.method,
        statusCodes: { ...okCodes },
        options: request.body ?? {},
      },
      (error: unknown, data: unknown) => (error ? reject(error) : resolve(data as T)),
    );
  });
}
