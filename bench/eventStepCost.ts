/**
 * `node out/bench/eventStepCost.js` (after `npx tsc -p .`; no Docker): the CPU time of what one
 * `network connect` costs the extension once the daemon has answered, at three host sizes —
 * before (every event: the snapshot built from both lists, both explorer trees rebuilt) and now
 * (the one container's answer applied in place, the two trees patched). Synthetic list answers
 * shaped like the explorer bench's (every third container on two networks). CPU time
 * (process.cpuUsage), so other processes on the machine inflate it less than wall time.
 */
import { applyContainer, type ContainerAnswer } from '../src/core/docker/applyEvent';
import { buildHostSnapshot } from '../src/core/docker/buildSnapshot';
import type { RawContainer, RawNetwork } from '../src/core/docker/dockerClient';
import type { HostView } from '../src/core/docker/hostMonitor';
import { buildExplorerTree, type ExplorerView } from '../src/core/explorer/explorerTree';
import { patchExplorerTree } from '../src/core/explorer/treePatch';
import type { HostSnapshot } from '../src/core/model/snapshot';

const SIZES: Array<[containers: number, networks: number]> = [
  [300, 100],
  [1000, 300],
  [3000, 1000],
];
const VIEWS: ExplorerView[] = ['networks', 'containers'];
const hex = (prefix: string, index: number) => `${prefix}${index.toString(16)}`.padEnd(64, '0');

function lists(containerCount: number, networkCount: number): { networks: RawNetwork[]; containers: RawContainer[] } {
  const networks = Array.from(
    { length: networkCount },
    (_, i) =>
      ({
        Name: `n${i}`,
        Id: hex('a', i),
        Scope: 'local',
        Driver: 'bridge',
        IPAM: { Driver: 'default', Config: [{ Subnet: `10.${200 + (i >> 8)}.${i % 256}.0/24` }] },
        Options: {},
        Labels: {},
      }) as unknown as RawNetwork,
  );
  const endpoint = (network: number, container: number, which: number) => ({
    NetworkID: networks[network].Id,
    EndpointID: hex(`e${which}`, container),
    IPAddress: `10.${200 + (network >> 8)}.${network % 256}.${2 + (container % 250)}`,
    IPPrefixLen: 24,
    MacAddress: '02:42:0a:00:00:02',
    Gateway: `10.${200 + (network >> 8)}.${network % 256}.1`,
  });
  const containers = Array.from({ length: containerCount }, (_, i) => {
    const attached: Record<string, unknown> = { [networks[i % networkCount].Name]: endpoint(i % networkCount, i, 1) };
    const other = (i + 37) % networkCount;
    if (i % 3 === 0) attached[networks[other].Name] = endpoint(other, i, 2);
    return {
      Id: hex('c', i),
      Names: [`/c${i}`],
      Image: 'dne-busybox:test',
      State: 'running',
      Status: 'Up 2 minutes',
      Ports: [],
      Labels: {},
      Created: 1_700_000_000,
      HostConfig: { NetworkMode: networks[i % networkCount].Name },
      NetworkSettings: { Networks: attached },
    } as unknown as RawContainer;
  });
  return { networks, containers };
}

/** Median CPU milliseconds of `run`, after a few unmeasured rounds. */
function cpuMs(run: () => void, rounds: number): number {
  for (let i = 0; i < 3; i++) run();
  const samples: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const start = process.cpuUsage();
    run();
    const used = process.cpuUsage(start);
    samples.push((used.user + used.system) / 1000);
  }
  return samples.sort((a, b) => a - b)[Math.floor(samples.length / 2)];
}

const host = { id: 'h', name: 'h', url: 'unix:///var/run/docker.sock', source: 'default', warnings: [] } as unknown as HostView['host'];
const hosts = (snapshot: HostSnapshot): HostView[] => [{ host, state: { kind: 'connected', snapshot } }];

console.log('| host | before: snapshot from both lists + both trees rebuilt | now: applied in place + both trees patched |');
console.log('|---|---:|---:|');
for (const [containerCount, networkCount] of SIZES) {
  const { networks, containers } = lists(containerCount, networkCount);
  const snapshot = buildHostSnapshot('h', networks, containers);
  const target = containers[5];
  const joined = networks[networkCount - 1];
  const settings = target.NetworkSettings.Networks;
  const connected = {
    ...target,
    NetworkSettings: {
      Networks: { ...settings, [joined.Name]: { ...Object.values(settings)[0], NetworkID: joined.Id, EndpointID: hex('f', 5) } },
    },
  } as RawContainer;
  const answer = (raw: RawContainer): ContainerAnswer => ({ raw, extras: {}, times: {}, declaresLinks: false });
  const before = cpuMs(() => {
    const next = buildHostSnapshot('h', networks, [connected, ...containers.filter((container) => container !== target)]);
    for (const view of VIEWS) buildExplorerTree(view, hosts(next));
  }, 15);
  // Connect, disconnect, connect...: each round applies one event to the trees the last one left.
  const roots = new Map(VIEWS.map((view) => [view, buildExplorerTree(view, hosts(snapshot))]));
  let current = snapshot;
  let join = true;
  const now = cpuMs(() => {
    const applied = applyContainer(current, target.Id, answer(join ? connected : target));
    if (!applied) throw new Error('not applied in place');
    current = applied.snapshot;
    join = !join;
    for (const view of VIEWS)
      if (!patchExplorerTree(view, roots.get(view)!, hosts(current), 'h', applied.change)) throw new Error('not patched');
  }, 101);
  console.log(`| ${containerCount} containers / ${networkCount} networks | ${before.toFixed(1)} ms | ${now.toFixed(2)} ms |`);
}
