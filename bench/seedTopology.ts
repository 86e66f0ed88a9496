/**
 * The seed's lab (tools/lab/seed.mjs) as the topology sees it, without running the lab: three
 * hosts; docker1 with `front` (its default bridge and the overlay `multihost`, port 8080→80) and
 * `c1` on the bridge; web2 on docker2 and web1 on docker3, each on `multihost` and the internal
 * overlay `multihost-internal`; every host with bridge, host, none and docker_gwbridge. Raw
 * Docker API answers through the real model, as bench/topologyData.ts does.
 * `gateways`: each overlay container also listed on its host's docker_gwbridge (the `gateway_…`
 * endpoint `docker network inspect docker_gwbridge` shows). `c1On`: c1 also on that overlay (as
 * `docker network connect multihost c1` leaves it).
 */
import type { RawContainer, RawNetwork } from '../src/core/docker/dockerClient';
import { buildTopology, type TopologyElement } from '../src/core/topology/topologyModel';
import { hex, network, views, type HostRaw } from './topologyData';

interface SeedContainer {
  name: string;
  networks: Array<[RawNetwork, string]>;
  port?: number;
}

function container({ name, networks, port }: SeedContainer): RawContainer {
  return {
    Id: hex(`ctr:${name}`),
    Names: [`/${name}`],
    Image: 'dnelab-busybox:1',
    ImageID: `sha256:${hex('image')}`,
    Command: 'httpd -f',
    Created: 1795861334,
    Ports: port ? [{ IP: '0.0.0.0', PrivatePort: 80, PublicPort: port, Type: 'tcp' }] : [],
    Labels: {},
    State: 'running',
    Status: 'Up 5 minutes',
    HostConfig: { NetworkMode: networks[0][0].Name },
    Mounts: [],
    NetworkSettings: {
      Networks: Object.fromEntries(
        networks.map(([net, ip]) => [
          net.Name,
          {
            NetworkID: net.Id,
            EndpointID: hex(`ep:${name}:${net.Name}`),
            Gateway: '',
            IPAddress: ip,
            IPPrefixLen: 24,
            IPv6Gateway: '',
            GlobalIPv6Address: '',
            GlobalIPv6PrefixLen: 0,
            MacAddress: '',
            Aliases: [name],
            Links: null,
          },
        ]),
      ),
    },
  };
}

export function seedTopology({ gateways = false, c1On }: { gateways?: boolean; c1On?: 'multihost' } = {}): TopologyElement[] {
  const multihost = network('multihost', 'global', 'overlay', '10.10.10.0/24');
  const internal = { ...network('multihost-internal', 'global', 'overlay', '10.10.20.0/24'), Internal: true };
  const host = (n: number, containers: (nets: Record<string, RawNetwork>) => SeedContainer[]): HostRaw => {
    const nets = Object.fromEntries(
      [
        network('bridge', 'local', 'bridge', '172.17.0.0/16'),
        network('host', 'local', 'host'),
        network('none', 'local', 'null'),
        network('docker_gwbridge', 'local', 'bridge', '172.18.0.0/16'),
      ].map((net) => [net.Name, { ...net, Id: hex(`h${n}:${net.Name}`) }]),
    );
    const list = containers(nets).map((entry) =>
      gateways && entry.networks.some(([net]) => net.Scope === 'global')
        ? { ...entry, networks: [...entry.networks, [nets.docker_gwbridge, '172.18.0.2'] as [RawNetwork, string]] }
        : entry,
    );
    return { networks: [...Object.values(nets), multihost, internal], containers: list.map(container) };
  };
  const raws = [
    host(1, (nets) => [
      {
        name: 'front',
        networks: [
          [nets.bridge, '172.17.0.2'],
          [multihost, '10.10.10.4'],
        ],
        port: 8080,
      },
      { name: 'c1', networks: [[nets.bridge, '172.17.0.3'], ...(c1On ? [[multihost, '10.10.10.5'] as [RawNetwork, string]] : [])] },
    ]),
    host(2, () => [
      {
        name: 'web2',
        networks: [
          [multihost, '10.10.10.3'],
          [internal, '10.10.20.3'],
        ],
      },
    ]),
    host(3, () => [
      {
        name: 'web1',
        networks: [
          [multihost, '10.10.10.2'],
          [internal, '10.10.20.2'],
        ],
      },
    ]),
  ];
  return buildTopology(views(raws));
}
