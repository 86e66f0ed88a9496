/**
 * What a real daemon answered during the explorer bench, kept as templates the replay server
 * (replayServer.ts) scales up: one answer of each shape (a bench network as listed, a container
 * on one network and one on two, as listed and as inspected), the default networks, /version and
 * the /info fields the explorer reads, and how long the daemon took for each kind of GET.
 * Recorded by `npm run bench -- explorer --record` into bench/replay/shapes-<engine>.json.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

export interface ServiceTimes {
  /** Median ms the daemon took to answer one container inspect while 16 ran at once. */
  inspectMs: number;
  /** Median ms per list call, per 100 items listed (the lists grow with the host). */
  listMsPer100: number;
}

export interface Shapes {
  recordedAt: string;
  engine: string;
  /** The bench run's name prefix, replaced by the replay's own. */
  prefix: string;
  version: Record<string, unknown>;
  info: Record<string, unknown>;
  /** bridge, host, none as listed. */
  defaultNetworks: Array<Record<string, unknown>>;
  /** One bench network (`<prefix>n0`) as listed. */
  network: Record<string, unknown>;
  /** As listed and as inspected: a container on one network, and one on two. */
  onOne: { listed: Record<string, unknown>; inspected: Record<string, unknown> };
  onTwo: { listed: Record<string, unknown>; inspected: Record<string, unknown> };
  times: ServiceTimes;
}

export const shapesFile = (engine: string) => path.join(__dirname, '..', '..', '..', 'bench', 'replay', `shapes-${engine}.json`);

/** The /info fields the explorer reads: nothing about the recording machine beyond those. */
export const INFO_FIELDS = ['ServerVersion', 'KernelVersion', 'ClusterStore', 'ClusterAdvertise', 'Swarm'];

export function readShapes(engine: string): Shapes {
  return JSON.parse(fs.readFileSync(shapesFile(engine), 'utf8')) as Shapes;
}
