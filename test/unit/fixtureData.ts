import * as fs from 'node:fs';
import * as path from 'node:path';
import type { RawContainer, RawContainerInspect, RawNetwork } from '../../src/core/docker/dockerClient';
import { endpointExtras, type EndpointExtras } from '../../src/core/docker/buildSnapshot';

/**
 * Real answers of dockerd 20.10.24 (`GET /networks`, `GET /containers/json?all=1`, and the
 * inspects of both containers) for a small seed: network tb1 (10.15.20.0/24, gw .1, range
 * .128/25), w1 (httpd, alias webone, 8081→80, also on bridge) and w2 (link w1:wone).
 */
interface SeedFixture {
  networks: RawNetwork[];
  containers: RawContainer[];
  inspects: Array<Pick<RawContainerInspect, 'Id' | 'NetworkSettings'>>;
}

export function loadSeed(): SeedFixture {
  const file = path.resolve(__dirname, '../../../test/unit/fixtures/seed-daemon.json');
  return JSON.parse(fs.readFileSync(file, 'utf8')) as SeedFixture;
}

export function seedExtras(seed: SeedFixture): Map<string, Record<string, EndpointExtras>> {
  return new Map(
    seed.inspects.map((inspect) => [
      inspect.Id,
      Object.fromEntries(Object.entries(inspect.NetworkSettings.Networks).map(([name, settings]) => [name, endpointExtras(settings)])),
    ]),
  );
}
