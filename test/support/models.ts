/**
 * The model's shapes as tests and benchmarks build them by hand: a host on a local socket and a
 * network with every flag off, each overridden where a case needs it. Pure data (no daemon).
 */
import type { DockerHost } from '../../src/core/hosts/dockerHost';
import type { NetworkModel } from '../../src/core/model/snapshot';

/** A host on a unix socket, as host resolution answers for a setting entry (default: /run/ID.sock). */
export function socketHost(id: string, socketPath = `/run/${id}.sock`, source: DockerHost['source'] = 'setting'): DockerHost {
  return { id, name: id, source, url: `unix://${socketPath}`, endpoint: { kind: 'unix', socketPath }, warnings: [] };
}

/** The host nothing configured: the default socket, as resolveHosts names it. */
export const DEFAULT_HOST: DockerHost = { ...socketHost('default', '/var/run/docker.sock', 'default'), name: 'local' };

/** A user network: a local bridge, nothing set, no IPAM, unless `over` says otherwise. */
export function networkModel(over: Partial<NetworkModel> = {}): NetworkModel {
  return {
    id: 'x',
    name: 'x',
    driver: 'bridge',
    scope: 'local',
    internal: false,
    attachable: false,
    ingress: false,
    enableIPv6: false,
    icc: true,
    predefined: false,
    ipam: [],
    options: {},
    labels: {},
    ...over,
  };
}

/** A network by scope: a bridge when local, an overlay otherwise. */
export function scopedNetwork(id: string, name: string, scope: string, over: Partial<NetworkModel> = {}): NetworkModel {
  return networkModel({ id, name, scope, driver: scope === 'local' ? 'bridge' : 'overlay', ...over });
}
