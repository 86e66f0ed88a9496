/**
 * `npm run bench -- reachability`: explaining every ordered pair of 300 containers on 100
 * networks (90,000 answers, self-pairs included as the issue counts them) from one snapshot.
 * Goal ≤ 1 s. The snapshot is built by the model's own builder from raw answers shaped like
 * Engine 26's (reachWorld): user-defined bridges with aliases and links, ICC-off and internal
 * networks, the default bridge with legacy links, stopped containers, host/none/container: modes.
 * Writes test-results/bench-reachability.json.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { explain } from '../src/core/reachability/explain';
import { reference } from '../src/core/reachability/matrix';
import { ReachIndex } from '../src/core/reachability/reachIndex';
import { host, type ContainerSpec, type NetSpec } from '../test/unit/reachWorld';

const CONTAINERS = 300;
const NETWORKS = 100;
const RUNS = 5;
const GOAL_MS = 1000;

export function benchWorld(): ReturnType<typeof host> {
  const nets: NetSpec[] = Array.from({ length: NETWORKS - 3 }, (_, n) => ({
    name: `net${n}`,
    subnet: `10.${100 + Math.floor(n / 50)}.${(n % 50) * 4}.0/22`,
    internal: n % 10 === 3,
    icc: n % 10 !== 7,
  }));
  const containers: ContainerSpec[] = Array.from({ length: CONTAINERS }, (_, c): ContainerSpec => {
    const name = `c${c}`;
    if (c % 50 === 10) return { name, mode: 'host' };
    if (c % 50 === 20) return { name, mode: 'none' };
    if (c % 50 === 30) return { name, mode: `container:c${c - 1}` };
    if (c % 25 === 5)
      return {
        name,
        networks: { bridge: { ip: `172.17.${Math.floor(c / 250)}.${(c % 250) + 2}` } },
        legacyLinks: [{ container: `c${c + 25}`, alias: `db${c}` }],
        ports: [{ IP: '0.0.0.0', PrivatePort: 80, PublicPort: 8000 + c }],
      };
    const networks: ContainerSpec['networks'] = {};
    for (const k of [0, 1, 2].slice(0, 1 + (c % 3))) {
      const n = (c * 7 + k * 13) % (NETWORKS - 3);
      const subnetBase = nets[n].subnet?.replace(/\.0\/22$/, '') as string;
      networks[`net${n}`] = {
        ip: `${subnetBase}.${(c % 250) + 2}`,
        aliases: [`svc${c % 40}`],
        links: k === 0 ? [`c${(c + 1) % CONTAINERS}:peer${c}`] : [],
      };
    }
    return { name, state: c % 17 === 0 ? 'exited' : 'running', networks, ports: [{ PrivatePort: 80 }] };
  });
  return host('26', 'bench', nets, containers, [{ destination: 'default', gateway: '192.168.1.1', device: 'eth0' }]);
}

function main(): void {
  const world = benchWorld();
  const counts = {
    networks: world.snapshot.networks.length,
    containers: world.snapshot.containers.length,
    endpoints: world.snapshot.endpoints.length,
  };
  const times: number[] = [];
  let reachable = 0;
  let answers = 0;
  for (let run = 0; run < RUNS; run++) {
    const start = performance.now();
    const index = new ReachIndex([world]);
    const refs = index.containers.map((node) => reference(index, node));
    reachable = 0;
    answers = 0;
    for (const from of refs) {
      for (const target of refs) {
        if (explain(index, { from, target }).verdict === 'reachable') reachable++;
        answers++;
      }
    }
    times.push(performance.now() - start);
  }
  const sorted = [...times].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)];
  const result = {
    ...counts,
    answers,
    reachable,
    runs: RUNS,
    medianMs: Math.round(median),
    worstMs: Math.round(sorted[sorted.length - 1]),
    goalMs: GOAL_MS,
    pass: median <= GOAL_MS,
  };
  fs.mkdirSync('test-results', { recursive: true });
  fs.writeFileSync(path.join('test-results', 'bench-reachability.json'), `${JSON.stringify(result, null, 1)}\n`);
  console.log(
    `[bench] reachability: ${answers} answers (${reachable} reachable) over ${counts.containers} containers on ${counts.networks} networks: median ${result.medianMs} ms, worst ${result.worstMs} ms (goal ≤ ${GOAL_MS} ms) ${result.pass ? 'PASS' : 'FAIL'}`,
  );
  process.exitCode = result.pass ? 0 : 1;
}

if (require.main === module) main();
