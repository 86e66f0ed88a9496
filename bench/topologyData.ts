/**
 * A synthetic three-host installation for the topology benchmark, as raw Docker API answers
 * (`GET /networks`, `GET /containers/json`) run through the real model: buildHostSnapshot →
 * buildTopology, and diffElements for an attach. Deterministic, so runs compare.
 * Per host: bridge/host/none, 27 local bridges, the 10 swarm overlays, 200 containers (each on a
 * local bridge, 40% also on an overlay, 10% also on the default bridge, 25% publishing a port,
 * 5% stopped, 10% with a legacy link to the previous container of their bridge).
 */
import type { RawContainer, RawNetwork } from '../src/core/docker/dockerClient';
import type { HostView } from '../src/core/docker/hostMonitor';
import { buildHostSnapshot } from '../src/core/docker/buildSnapshot';
import { buildTopology, diffElements, type ElementDiff, type TopologyElement } from '../src/core/topology/topologyModel';
import { socketHost } from '../test/support/models';

/** How big the installation is: the default is the bench's 2,000 elements; LARGE its ~10,000. */
export interface TopologySize {
  hosts: number;
  localBridges: number;
  overlays: number;
  containersPerHost: number;
}
export const DEFAULT_SIZE: TopologySize = { hosts: 3, localBridges: 27, overlays: 10, containersPerHost: 200 };
/** 15 hosts, 505 networks besides the predefined ones, 3,000 containers (issue #15). */
export const LARGE_SIZE: TopologySize = { hosts: 15, localBridges: 33, overlays: 10, containersPerHost: 200 };
export const HOSTS = DEFAULT_SIZE.hosts;

export const hex = (seed: string) => {
  // A stable 64-hex-digit id from a name (FNV-1a, repeated): ids must look like Docker's.
  let out = '';
  for (let round = 0; out.length < 64; round++) {
    let hash = 0x811c9dc5;
    for (const char of `${seed}#${round}`) hash = Math.imul(hash ^ char.charCodeAt(0), 0x01000193) >>> 0;
    out += hash.toString(16).padStart(8, '0');
  }
  return out.slice(0, 64);
};

export function network(name: string, scope: string, driver: string, subnet?: string): RawNetwork {
  return {
    Name: name,
    Id: hex(`net:${name}`),
    Created: '2026-11-28T10:00:00Z',
    Scope: scope,
    Driver: driver,
    EnableIPv6: false,
    IPAM: { Driver: 'default', Config: subnet ? [{ Subnet: subnet, Gateway: subnet.replace(/0\/\d+$/, '1') }] : [] },
    Internal: false,
    Attachable: scope === 'swarm',
    Ingress: false,
    ConfigOnly: false,
    Containers: {},
    Options: {},
    Labels: {},
  };
}

export interface HostRaw {
  networks: RawNetwork[];
  containers: RawContainer[];
}

function hostRaw(host: number, size: TopologySize): HostRaw {
  const { localBridges: LOCAL_BRIDGES, overlays: OVERLAYS, containersPerHost: CONTAINERS_PER_HOST } = size;
  // Three hosts fit each overlay's members in one /24; more get a /16 per overlay.
  const wide = size.hosts > 3;
  const predefined = [
    network('bridge', 'local', 'bridge', '172.17.0.0/16'),
    network('host', 'local', 'host'),
    network('none', 'local', 'null'),
  ];
  // Predefined networks exist on every host under the same name but with their own id.
  for (const entry of predefined) entry.Id = hex(`h${host}:${entry.Name}`);
  const bridges = Array.from({ length: LOCAL_BRIDGES }, (_, i) => network(`h${host}-app${i}`, 'local', 'bridge', `10.${host}.${i}.0/24`));
  const overlays = Array.from({ length: OVERLAYS }, (_, i) =>
    network(`ov${i}`, 'swarm', 'overlay', wide ? `${10 + Math.floor(i / 50)}.${200 + (i % 50)}.0.0/16` : `10.200.${i}.0/24`),
  );
  const overlayAddress = (k: number, i: number) =>
    wide
      ? `${10 + Math.floor(k / 50)}.${200 + (k % 50)}.${host}.${2 + Math.floor(i / OVERLAYS)}`
      : `10.200.${k}.${host * 60 + Math.floor(i / OVERLAYS)}`;
  const containers: RawContainer[] = [];
  const lastOnBridge = new Map<number, string>();
  for (let i = 0; i < CONTAINERS_PER_HOST; i++) {
    const name = `h${host}-svc${i}`;
    const id = hex(`ctr:${name}`);
    const stopped = i % 20 === 7;
    const attach = (net: RawNetwork, octets: string, links: string[] = []) =>
      [
        net.Name,
        {
          NetworkID: net.Id,
          EndpointID: stopped ? '' : hex(`ep:${name}:${net.Name}`),
          Gateway: '',
          IPAddress: stopped ? '' : octets,
          IPPrefixLen: 24,
          IPv6Gateway: '',
          GlobalIPv6Address: '',
          GlobalIPv6PrefixLen: 0,
          MacAddress: '',
          Aliases: null,
          Links: links.length ? links : null,
        },
      ] as const;
    const b = i % LOCAL_BRIDGES;
    const previous = lastOnBridge.get(b);
    const links = i % 10 === 3 && previous ? [`${previous}:peer`] : [];
    lastOnBridge.set(b, name);
    const networks = [attach(bridges[b], `10.${host}.${b}.${10 + Math.floor(i / LOCAL_BRIDGES)}`, links)];
    if (i % 5 < 2) networks.push(attach(overlays[i % OVERLAYS], overlayAddress(i % OVERLAYS, i)));
    if (i % 10 === 5) networks.push(attach(predefined[0], `172.17.0.${2 + i}`));
    containers.push({
      Id: id,
      Names: [`/${name}`],
      Image: 'dne-busybox:dev',
      ImageID: `sha256:${hex('image')}`,
      Command: 'httpd -f',
      Created: 1795861334,
      Ports: i % 4 === 1 ? [{ IP: '0.0.0.0', PrivatePort: 80, PublicPort: 8000 + i, Type: 'tcp' }] : [],
      Labels: {},
      State: stopped ? 'exited' : 'running',
      Status: stopped ? 'Exited (0) 1 hour ago' : 'Up 2 hours',
      HostConfig: { NetworkMode: bridges[b].Name },
      NetworkSettings: { Networks: Object.fromEntries(networks) },
      Mounts: [],
    });
  }
  return { networks: [...predefined, ...bridges, ...overlays], containers };
}

export function views(raws: readonly HostRaw[]): HostView[] {
  return raws.map((raw, index) => {
    const id = `docker${index + 1}`;
    return { host: socketHost(id), state: { kind: 'connected', snapshot: buildHostSnapshot(id, raw.networks, raw.containers) } };
  });
}

export interface SyntheticTopology {
  elements: TopologyElement[];
  /** The diffs of connecting containers of host 1 to a second local bridge, one after another. */
  attaches: ElementDiff[];
}

export function syntheticTopology(attachCount: number, size: TopologySize = DEFAULT_SIZE): SyntheticTopology {
  const raws = Array.from({ length: size.hosts }, (_, index) => hostRaw(index + 1, size));
  const elements = buildTopology(views(raws));
  const attaches: ElementDiff[] = [];
  let before = elements;
  for (let n = 0; n < attachCount; n++) {
    // What the daemon would list after `docker network connect h1-app<k> h1-svc<n*7>`.
    const container = raws[0].containers[n * 7];
    const target = raws[0].networks[3 + ((n * 7 + 1) % size.localBridges)];
    container.NetworkSettings.Networks[target.Name] = {
      NetworkID: target.Id,
      EndpointID: hex(`attach:${n}`),
      Gateway: '',
      IPAddress: `10.1.${(n * 7 + 1) % size.localBridges}.250`,
      IPPrefixLen: 24,
      IPv6Gateway: '',
      GlobalIPv6Address: '',
      GlobalIPv6PrefixLen: 0,
      MacAddress: '',
    };
    const after = buildTopology(views(raws));
    attaches.push(diffElements(before, after));
    before = after;
  }
  return { elements, attaches };
}
