/**
 * Builds hosts for the reachability rules from raw answers shaped like the real ones (the
 * recorded seeds in fixtures/engines/, and what 20.10 answered for host, none, container: and
 * internal networks and legacy links): `GET /networks`, `GET /containers/json?all=1` and the
 * inspects' endpoint settings, run through the model's own builder.
 * Engine '20.10' puts the short ID among the Aliases and sends no DNSNames; '26' drops the short
 * ID from Aliases and sends DNSNames (name, aliases, short ID) on user-defined networks.
 */
import type { RawContainer, RawNetwork } from '../../src/core/docker/dockerClient';
import { buildHostSnapshot, endpointExtras, type ContainerTimes, type EndpointExtras } from '../../src/core/docker/buildSnapshot';
import type { PortModel } from '../../src/core/model/snapshot';
import type { HostRoute, ReachHost } from '../../src/core/reachability/types';

export type Engine = '20.10' | '26';

export interface NetSpec {
  name: string;
  subnet?: string;
  driver?: string;
  scope?: string;
  internal?: boolean;
  icc?: boolean;
  /** Same id on every host for a global network. */
  id?: string;
}

export interface AttachSpec {
  ip?: string;
  aliases?: string[];
  /** Endpoint links, "container:alias". */
  links?: string[];
}

export interface ContainerSpec {
  name: string;
  state?: string;
  /** Default: the first network's name; host, none, container:<name>. */
  mode?: string;
  networks?: Record<string, AttachSpec>;
  /** Legacy links this container declared (--link other:alias on the default bridge). */
  legacyLinks?: Array<{ container: string; alias: string }>;
  ports?: Array<{ IP?: string; PrivatePort: number; PublicPort?: number }>;
  bindings?: PortModel[];
}

let counter = 0;
const hex = (seed: string) => {
  let out = '';
  let value = ++counter * 2654435761;
  for (const char of seed) value = (value * 31 + char.charCodeAt(0)) >>> 0;
  while (out.length < 64) {
    value = (value * 1103515245 + 12345) >>> 0;
    out += value.toString(16).padStart(8, '0');
  }
  return out.slice(0, 64);
};

export const DEFAULT_NETS: NetSpec[] = [
  { name: 'bridge', subnet: '172.17.0.0/16' },
  { name: 'host', driver: 'host' },
  { name: 'none', driver: 'null' },
];

export function host(engine: Engine, name: string, nets: NetSpec[], containers: ContainerSpec[], routes?: HostRoute[]): ReachHost {
  const netIds = new Map<string, string>();
  const rawNetworks = [...DEFAULT_NETS.filter((net) => !nets.some((own) => own.name === net.name)), ...nets].map((net): RawNetwork => {
    const id = net.id ?? hex(`${name}/${net.name}`);
    netIds.set(net.name, id);
    const gateway = net.subnet ? net.subnet.replace(/\.0\/\d+$/, '.1') : undefined;
    return {
      Name: net.name,
      Id: id,
      Created: '2026-11-30T15:34:42Z',
      Scope: net.scope ?? 'local',
      Driver: net.driver ?? 'bridge',
      EnableIPv6: false,
      IPAM: { Driver: 'default', Options: null, Config: net.subnet ? [{ Subnet: net.subnet, Gateway: gateway }] : null },
      Internal: net.internal ?? false,
      Attachable: false,
      Ingress: false,
      Containers: {},
      Options:
        net.name === 'bridge'
          ? {
              'com.docker.network.bridge.default_bridge': 'true',
              'com.docker.network.bridge.enable_icc': String(net.icc ?? true),
              'com.docker.network.bridge.name': 'docker0',
            }
          : net.icc === false
            ? { 'com.docker.network.bridge.enable_icc': 'false' }
            : {},
      Labels: {},
    } as unknown as RawNetwork;
  });
  const ids = new Map(containers.map((spec) => [spec.name, hex(`${name}/c/${spec.name}`)]));
  const names = new Map<string, string[]>(containers.map((spec) => [spec.name, [`/${spec.name}`]]));
  for (const spec of containers) for (const link of spec.legacyLinks ?? []) names.get(link.container)?.push(`/${spec.name}/${link.alias}`);
  const extras = new Map<string, Record<string, EndpointExtras>>();
  const times = new Map<string, ContainerTimes>();
  const rawContainers = containers.map((spec): RawContainer => {
    const id = ids.get(spec.name) as string;
    const running = (spec.state ?? 'running') === 'running';
    const mode = spec.mode ?? Object.keys(spec.networks ?? {})[0] ?? 'default';
    const networkMode = mode.startsWith('container:')
      ? `container:${ids.get(mode.slice(10)) ?? mode.slice(10)}`
      : mode === 'bridge'
        ? 'default'
        : mode;
    const attach =
      spec.mode === 'host'
        ? { host: {} }
        : spec.mode === 'none'
          ? { none: {} }
          : mode.startsWith('container:')
            ? {}
            : (spec.networks ?? {});
    const settings: Record<string, Record<string, unknown>> = {};
    const inspect: Record<string, EndpointExtras> = {};
    for (const [netName, endpoint] of Object.entries(attach) as Array<[string, AttachSpec]>) {
      const userDefined = !['bridge', 'host', 'none'].includes(netName);
      const shortId = id.slice(0, 12);
      const ip = running && endpoint.ip ? endpoint.ip : '';
      settings[netName] = {
        IPAMConfig: null,
        Links: null,
        Aliases: null,
        NetworkID: netIds.get(netName) ?? '',
        EndpointID: running ? hex('ep') : '',
        Gateway: ip ? ip.replace(/\.\d+$/, '.1') : '',
        IPAddress: ip,
        IPPrefixLen: ip ? 24 : 0,
        IPv6Gateway: '',
        GlobalIPv6Address: '',
        GlobalIPv6PrefixLen: 0,
        MacAddress: ip ? '02:42:ac:11:00:02' : '',
      };
      const aliases = endpoint.aliases ?? [];
      inspect[netName] = endpointExtras({
        Aliases: userDefined ? (engine === '20.10' ? [...aliases, shortId] : aliases.length > 0 ? aliases : null) : null,
        Links: endpoint.links ?? null,
        DNSNames: engine === '26' && userDefined ? [spec.name, ...aliases, shortId] : engine === '26' ? null : undefined,
      });
    }
    extras.set(id, inspect);
    if (spec.bindings) times.set(id, { portBindings: spec.bindings });
    return {
      Id: id,
      Names: names.get(spec.name),
      Image: 'dne-busybox:test',
      ImageID: 'sha256:0',
      Command: 'httpd -f',
      Created: 1700000000,
      Ports: running
        ? (spec.ports ?? []).map((port) => ({ IP: port.IP, PrivatePort: port.PrivatePort, PublicPort: port.PublicPort, Type: 'tcp' }))
        : [],
      Labels: {},
      State: spec.state ?? 'running',
      Status: running ? 'Up 3 minutes' : 'Exited (137) 1 minute ago',
      HostConfig: { NetworkMode: networkMode },
      NetworkSettings: { Networks: settings },
      Mounts: [],
    } as unknown as RawContainer;
  });
  return { name, snapshot: buildHostSnapshot(`${name}-id`, rawNetworks, rawContainers, extras, times), ...(routes ? { routes } : {}) };
}
