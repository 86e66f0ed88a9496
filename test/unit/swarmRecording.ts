/**
 * The swarm lab's recorded answers (tools/lab/recordSwarm.mjs, test/unit/fixtures/engines/swarm-*.json)
 * as snapshots, merged as SnapshotLoader does: per host the lists, the container inspects and each
 * swarm network's verbose inspect. Three managers, docker1 to docker3; the service dne-swarmrec-svc
 * with one task on the encrypted attachable overlay dne-swarmrec-enc.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { RawContainer, RawNetwork } from '../../src/core/docker/dockerClient';
import type { HostView } from '../../src/core/docker/hostMonitor';
import { buildHostSnapshot, endpointExtras, type ContainerTimes, type EndpointExtras } from '../../src/core/docker/buildSnapshot';
import { withSwarmInspects, type SwarmNetworkFields } from '../../src/core/docker/swarmNetwork';
import type { DockerHost } from '../../src/core/hosts/dockerHost';
import type { HostSnapshot } from '../../src/core/model/snapshot';

export type HostName = 'docker1' | 'docker2' | 'docker3';
export const HOST_NAMES: readonly HostName[] = ['docker1', 'docker2', 'docker3'];
export const SWARM_ENGINES = ['20.10', '26'] as const;

export interface HostRecording {
  swarm: { NodeAddr: string; LocalNodeState: string };
  networks: RawNetwork[];
  containers: RawContainer[];
  inspects: Array<{ Id: string; State: { Error?: string }; NetworkSettings: { Networks: Record<string, Record<string, unknown>> } }>;
  swarmNetworks: Array<RawNetwork & SwarmNetworkFields>;
}
export interface Recording {
  clash: { accepted: boolean; error?: string };
  hosts: Record<HostName, HostRecording>;
}

export function loadSwarmRecording(engine: string): Recording {
  return JSON.parse(
    fs.readFileSync(path.resolve(__dirname, `../../../test/unit/fixtures/engines/swarm-${engine}.json`), 'utf8'),
  ) as Recording;
}

export function swarmSnapshotOf(name: HostName, recording: HostRecording): HostSnapshot {
  const extras = new Map<string, Record<string, EndpointExtras>>();
  const times = new Map<string, ContainerTimes>();
  for (const inspect of recording.inspects) {
    extras.set(
      inspect.Id,
      Object.fromEntries(
        Object.entries(inspect.NetworkSettings.Networks).map(([network, settings]) => [network, endpointExtras(settings)]),
      ),
    );
    times.set(inspect.Id, { error: inspect.State.Error || undefined });
  }
  const inspected = new Map(recording.swarmNetworks.map((network) => [network.Id, network]));
  return buildHostSnapshot(name, withSwarmInspects(recording.networks, inspected), recording.containers, extras, times);
}

export const swarmHost = (id: string): DockerHost => ({
  id,
  name: id,
  source: 'setting',
  url: `unix:///run/${id}.sock`,
  endpoint: { kind: 'unix', socketPath: `/run/${id}.sock` },
  warnings: [],
});

/** Every host of the recording, connected, as the monitors would give them. */
export function swarmViews(snapshots: Record<HostName, HostSnapshot>, names: readonly HostName[] = HOST_NAMES): HostView[] {
  return names.map((name) => ({ host: swarmHost(name), state: { kind: 'connected', snapshot: snapshots[name] } }));
}

/** Each recorded host's snapshot, by host name. */
export function swarmSnapshots(recording: Recording): Record<HostName, HostSnapshot> {
  return Object.fromEntries(HOST_NAMES.map((name) => [name, swarmSnapshotOf(name, recording.hosts[name])])) as Record<
    HostName,
    HostSnapshot
  >;
}
