/**
 * Which Docker Engine this test run is on. `npm test` runs the Docker-facing stages once per engine
 * (tools/docker/engines.mjs) with DNE_ENGINE set and that engine's dockerd first on PATH; a test file
 * run by hand falls back to the `dockerd` on PATH. Tests branch on it only where the engines really
 * differ (Docker's own words, cluster stores removed in 23), never to skip a claim silently.
 */
import { spawnSync } from 'node:child_process';

export type Engine = '20.10' | '26';

let cached: Engine | undefined;

export function currentEngine(): Engine {
  if (cached) return cached;
  const fromEnv = process.env.DNE_ENGINE?.trim();
  const version = fromEnv || spawnSync('dockerd', ['--version'], { encoding: 'utf8' }).stdout?.match(/version (\d+\.\d+)/)?.[1] || '';
  cached = version.startsWith('26') ? '26' : '20.10';
  return cached;
}

/** True on engines that removed `--cluster-store` (23 and later). */
export function engineHasClusterStore(): boolean {
  return currentEngine() === '20.10';
}

/** The skip reason for a suite that needs a cluster store, or false where the engine has one. */
export function skipWithoutClusterStore(what: string): string | false {
  return engineHasClusterStore()
    ? false
    : `Engine ${currentEngine()} removed cluster stores (23.0): ${what} runs on 20.10; this engine's refusal of --cluster-store is tested on its own`;
}
