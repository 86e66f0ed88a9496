/**
 * A daemon's state at any size, built from a real daemon's answers (shapes.ts): N networks and M
 * containers laid out as the explorer bench lays out its own (every third container on two
 * networks, the second 37 networks on), each answer a copy of the recorded one of its shape with
 * its own ids, names and addresses. Answers are serialised once and cached until a change.
 */
import { createHash } from 'node:crypto';
import type { Shapes } from './shapes';

type Answer = Record<string, unknown>;

interface ReplayNetwork {
  id: string;
  name: string;
  subnet: number;
  listed: Answer;
}

interface ReplayContainer {
  id: string;
  name: string;
  /** Names of the networks it is on. */
  networks: string[];
  shape: Shapes['onOne'];
}

const hexId = (seed: string) => createHash('sha256').update(seed).digest('hex');

/** The ids a replay host gives its i-th container and j-th network (the bench finds them in snapshots). */
export const replayContainerId = (host: string, i: number) => hexId(`${host}/c${i}`);
export const replayNetworkId = (host: string, j: number) => hexId(`${host}/${host}-n${j}`);
const clone = <T>(value: T): T => structuredClone(value);

export interface ReplaySize {
  networks: number;
  containers: number;
  /** Names and ids differ per host: a host's answers never look like another's. */
  host: string;
}

export class ReplayState {
  readonly networks: ReplayNetwork[] = [];
  readonly containers: ReplayContainer[] = [];
  private readonly byNetworkName = new Map<string, ReplayNetwork>();
  private readonly byContainerId = new Map<string, ReplayContainer>();
  private readonly cache = new Map<string, Buffer>();
  /** Endpoints per network, for addresses and a network inspect's members. */
  private readonly endpoints = new Map<string, Map<string, { endpointId: string; host: number }>>();

  constructor(
    private readonly shapes: Shapes,
    readonly size: ReplaySize,
  ) {
    for (const template of shapes.defaultNetworks) {
      const network = {
        id: hexId(`${size.host}/${String(template.Name)}`),
        name: String(template.Name),
        subnet: -1,
        listed: clone(template),
      };
      network.listed.Id = network.id;
      this.addNetwork(network);
    }
    for (let i = 0; i < size.networks; i++) {
      const name = `${size.host}-n${i}`;
      const listed = clone(shapes.network);
      const id = replayNetworkId(size.host, i);
      Object.assign(listed, { Name: name, Id: id, Labels: { 'dne.replay': size.host } });
      (listed.IPAM as { Config: Array<{ Subnet: string }> }).Config = [{ Subnet: `${subnetBase(i)}.0/24` }];
      this.addNetwork({ id, name, subnet: i, listed });
    }
    const bench = this.networks.filter((network) => network.subnet >= 0);
    for (let i = 0; i < size.containers; i++) {
      const onTwo = i % 3 === 0 && bench.length > 1;
      const networks = [bench[i % bench.length].name, ...(onTwo ? [bench[(i + 37) % bench.length].name] : [])];
      const container = {
        id: replayContainerId(size.host, i),
        name: `${size.host}-c${i}`,
        networks: [] as string[],
        shape: onTwo ? shapes.onTwo : shapes.onOne,
      };
      this.containers.push(container);
      this.byContainerId.set(container.id, container);
      for (const network of networks) this.connect(container.id, network);
    }
  }

  network(idOrName: string): ReplayNetwork | undefined {
    return this.byNetworkName.get(idOrName) ?? this.networks.find((network) => network.id === idOrName || network.id.startsWith(idOrName));
  }

  container(idOrName: string): ReplayContainer | undefined {
    return (
      this.byContainerId.get(idOrName) ??
      this.containers.find((container) => container.id === idOrName || container.name === idOrName || container.id.startsWith(idOrName))
    );
  }

  /** Attaches (true) or, when already attached, detaches (false) — the bench's alternating change. */
  toggle(containerId: string, networkName: string): boolean {
    const container = this.container(containerId)!;
    if (container.networks.includes(networkName)) {
      container.networks = container.networks.filter((name) => name !== networkName);
      this.endpoints.get(networkName)!.delete(container.id);
      this.changed(container.id);
      return false;
    }
    this.connect(container.id, networkName);
    return true;
  }

  /** The serialised answer for a GET path (API version prefix removed), or undefined (404). */
  answer(route: string, ids?: readonly string[]): Buffer | undefined {
    if (ids) return this.filtered(route, ids);
    const cached = this.cache.get(route);
    if (cached) return cached;
    const value = this.build(route);
    if (value === undefined) return undefined;
    const body = Buffer.from(JSON.stringify(value));
    this.cache.set(route, body);
    return body;
  }

  /** A list by ID (as dockerd's `filters={"id":[…]}`): not cached, it is one entry. */
  private filtered(route: string, ids: readonly string[]): Buffer | undefined {
    let list: unknown[];
    if (route === '/containers/json') {
      list = ids.flatMap((id) => this.byContainerId.get(id) ?? []).map((container) => this.listed(container));
    } else if (route === '/networks') {
      list = ids.flatMap((id) => this.networks.filter((network) => network.id === id)).map((network) => network.listed);
    } else {
      return undefined;
    }
    return Buffer.from(JSON.stringify(list));
  }

  private build(route: string): unknown {
    if (route === '/version') return this.shapes.version;
    if (route === '/info') {
      const running = this.containers.length;
      return { ...this.shapes.info, Name: this.size.host, Containers: running, ContainersRunning: running };
    }
    if (route === '/networks') return this.networks.map((network) => network.listed);
    if (route === '/containers/json') return this.containers.map((container) => this.listed(container));
    const inspect = /^\/containers\/([^/]+)\/json$/.exec(route);
    if (inspect) {
      const container = this.container(decodeURIComponent(inspect[1]));
      return container && this.inspected(container);
    }
    const network = /^\/networks\/([^/]+)$/.exec(route);
    if (network) {
      const found = this.network(decodeURIComponent(network[1]));
      return found && { ...found.listed, Containers: this.members(found) };
    }
    return undefined;
  }

  private addNetwork(network: ReplayNetwork): void {
    this.networks.push(network);
    this.byNetworkName.set(network.name, network);
    this.endpoints.set(network.name, new Map());
  }

  private connect(containerId: string, networkName: string): void {
    const container = this.container(containerId)!;
    const members = this.endpoints.get(networkName)!;
    const used = new Set([...members.values()].map((member) => member.host));
    let host = 2;
    while (used.has(host)) host++;
    members.set(container.id, { endpointId: hexId(`${container.id}/${networkName}/${Date.now()}/${Math.random()}`), host });
    container.networks.push(networkName);
    this.changed(container.id);
  }

  private changed(containerId: string): void {
    for (const route of ['/networks', '/containers/json', `/containers/${containerId}/json`]) this.cache.delete(route);
    for (const route of this.cache.keys()) if (route.startsWith('/networks/')) this.cache.delete(route);
  }

  private endpoint(template: Answer, container: ReplayContainer, networkName: string): Answer {
    const network = this.byNetworkName.get(networkName)!;
    const member = this.endpoints.get(networkName)!.get(container.id)!;
    const base = subnetBase(network.subnet);
    const octet = (member.host % 250) + 2;
    // The recorded container's short id, where dockerd puts it (an inspect's Aliases, 26's DNSNames).
    const ownId = (value: unknown) =>
      Array.isArray(value) ? value.map((item) => (item === this.recordedShortId(template) ? container.id.slice(0, 12) : item)) : value;
    return {
      ...template,
      Aliases: ownId(template.Aliases),
      DNSNames: ownId(template.DNSNames),
      NetworkID: network.id,
      EndpointID: member.endpointId,
      Gateway: `${base}.1`,
      IPAddress: `${base}.${octet}`,
      MacAddress: `02:42:0a:${(network.subnet >> 8).toString(16).padStart(2, '0')}:${(network.subnet & 255).toString(16).padStart(2, '0')}:${octet.toString(16).padStart(2, '0')}`,
    };
  }

  /** The short id of the container whose answer `template` (an endpoint of it) was recorded from. */
  private recordedShortId(template: Answer): string | undefined {
    const owner = [this.shapes.onOne, this.shapes.onTwo].find((shape) =>
      [shape.listed, shape.inspected].some((answer) =>
        Object.values((answer.NetworkSettings as { Networks: Record<string, Answer> }).Networks).includes(template),
      ),
    );
    return owner ? String(owner.listed.Id).slice(0, 12) : undefined;
  }

  private endpointsOf(container: ReplayContainer, answer: Answer): Answer {
    const recorded = Object.values((answer.NetworkSettings as { Networks: Record<string, Answer> }).Networks);
    return Object.fromEntries(
      container.networks.map((name, i) => [name, this.endpoint(recorded[Math.min(i, recorded.length - 1)], container, name)]),
    );
  }

  private listed(container: ReplayContainer): Answer {
    const template = container.shape.listed;
    return {
      ...template,
      Id: container.id,
      Names: [`/${container.name}`],
      Labels: { 'dne.replay': this.size.host },
      HostConfig: { NetworkMode: container.networks[0] ?? 'none' },
      NetworkSettings: { Networks: this.endpointsOf(container, template) },
    };
  }

  private inspected(container: ReplayContainer): Answer {
    const template = container.shape.inspected;
    const settings = template.NetworkSettings as Answer;
    return {
      ...template,
      Id: container.id,
      Name: `/${container.name}`,
      NetworkSettings: { ...settings, Networks: this.endpointsOf(container, template) },
    };
  }

  private members(network: ReplayNetwork): Answer {
    const members = this.endpoints.get(network.name)!;
    return Object.fromEntries(
      [...members].map(([containerId, member]) => {
        const container = this.container(containerId)!;
        const endpoint = this.endpoint({}, container, network.name);
        return [
          containerId,
          {
            Name: container.name,
            EndpointID: member.endpointId,
            MacAddress: endpoint.MacAddress,
            IPv4Address: `${String(endpoint.IPAddress)}/24`,
            IPv6Address: '',
          },
        ];
      }),
    );
  }
}

/** The first three octets of network i's /24: 10.100.0 … (up to 39,000 networks). */
function subnetBase(i: number): string {
  return i < 0 ? '0.0.0' : `10.${100 + Math.floor(i / 256)}.${i % 256}`;
}
