/** The recorded daemon events (test/unit/fixtures/events) and what a full load builds from them. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { buildHostSnapshot, type ContainerTimes, type EndpointExtras } from '../../src/core/docker/buildSnapshot';
import type { RawContainer, RawContainerInspect, RawNetwork } from '../../src/core/docker/dockerClient';
import type { HostView } from '../../src/core/docker/hostMonitor';
import { containerAnswer } from '../../src/core/docker/snapshotLoader';
import type { ExplorerNode } from '../../src/core/explorer/explorerTree';
import type { HostSnapshot } from '../../src/core/model/snapshot';

/** tools/docker/recordEvents.mjs: a real daemon's events, the answers the monitor reads for each, the lists after each step. */
export interface Recording {
  recorded: string;
  steps: Array<{
    name: string;
    events: string[];
    answers: {
      containers: Record<string, { list: RawContainer[]; inspect: RawContainerInspect | null }>;
      networks: Record<string, RawNetwork[]>;
    };
    after: { networks: RawNetwork[]; containers: RawContainer[]; inspects: RawContainerInspect[] };
  }>;
}

export const loadRecording = (engine: string): Recording =>
  JSON.parse(fs.readFileSync(path.resolve(__dirname, `../../../test/unit/fixtures/events/${engine}.json`), 'utf8')) as Recording;

/** What a full load builds from the step's lists and inspects. */
export function fullBuild(after: Recording['steps'][number]['after']): HostSnapshot {
  const extras = new Map<string, Record<string, EndpointExtras>>();
  const times = new Map<string, ContainerTimes>();
  for (const inspect of after.inspects) {
    const raw = after.containers.find((container) => container.Id === inspect.Id)!;
    const answer = containerAnswer(raw, inspect);
    extras.set(inspect.Id, answer.extras);
    times.set(inspect.Id, answer.times);
  }
  return buildHostSnapshot('rec', after.networks, after.containers, extras, times);
}

export const hostView = (snapshot: HostSnapshot): HostView[] => [
  {
    host: { id: 'rec', name: 'rec', url: 'unix:///var/run/docker.sock', source: 'default', warnings: [] } as unknown as HostView['host'],
    state: { kind: 'connected', snapshot },
  },
];

/** Every row of a tree, by identity. */
export const allRows = (nodes: readonly ExplorerNode[]): ExplorerNode[] => nodes.flatMap((node) => [node, ...allRows(node.children)]);
