/**
 * `npm run bench -- scale`: the explorer at sizes Docker cannot hold on this machine, against
 * replay servers (bench/replay: a real daemon's recorded answers, scaled; unix sockets only), in
 * a child process so this process holds only what the extension host would.
 * (1) The curve: at 300 / 1,000 / 3,000 containers (a third as many networks): cold and warm
 * snapshot, both trees built, daemon event → applied in place by the monitor and both trees
 * patched (the path the extension has today: a rebuild where the change says too little), and the
 * heap it keeps per 1,000 containers.
 * (2) Many hosts: 20 hosts followed at once by a HostRegistry (as the extension does) against each
 * host alone; then one host's storm of events while another host's changes are timed to its rows.
 * Flags: --sizes 300,1000,3000 (or none), --hosts 20 (0: none), --host-containers 100, --delay-ms 2 (each answer's
 * service time: a daemon's wait, not its work), --shapes 20.10, --ops 30.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import * as v8 from 'node:v8';
import * as vm from 'node:vm';
import { dockerLibraries } from '../src/core/docker/dockerLibraries';
import { HostMonitor, type HostView } from '../src/core/docker/hostMonitor';
import { HostRegistry } from '../src/core/docker/hostRegistry';
import { SnapshotLoader } from '../src/core/docker/snapshotLoader';
import type { SnapshotChange } from '../src/core/docker/applyEvent';
import { buildExplorerTree } from '../src/core/explorer/explorerTree';
import type { ExplorerNode, ExplorerView } from '../src/core/explorer/explorerNode';
import { patchExplorerTree } from '../src/core/explorer/treePatch';
import { unixHost } from '../test/support/dockerFixture';
import { connectedWith, waitForState } from '../test/support/hostStates';
import { Replay, type ReplayHostSpec } from './replay/replayHost';
import { replayContainerId, replayNetworkId } from './replay/replayState';

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;

interface Options {
  sizes: number[];
  hosts: number;
  hostContainers: number;
  delayMs: number;
  shapes: string;
  ops: number;
}

function parseArgs(argv: string[]): Options {
  const options: Options = { sizes: [300, 1000, 3000], hosts: 20, hostContainers: 100, delayMs: 2, shapes: '20.10', ops: 30 };
  for (let i = 0; i < argv.length; i++) {
    const value = argv[++i];
    if (argv[i - 1] === '--sizes') options.sizes = value === 'none' ? [] : value.split(',').map(Number);
    else if (argv[i - 1] === '--hosts') options.hosts = Number(value);
    else if (argv[i - 1] === '--host-containers') options.hostContainers = Number(value);
    else if (argv[i - 1] === '--delay-ms') options.delayMs = Number(value);
    else if (argv[i - 1] === '--shapes') options.shapes = value;
    else if (argv[i - 1] === '--ops') options.ops = Number(value);
    else throw new Error(`bad argument ${argv[i - 1]} (flags: --sizes, --hosts, --host-containers, --delay-ms, --shapes, --ops)`);
  }
  return options;
}

const percentile = (values: number[], p: number) =>
  [...values].sort((a, b) => a - b)[Math.max(0, Math.ceil((p / 100) * values.length) - 1)] ?? NaN;
const median = (values: number[]) => percentile(values, 50);
const load = () => os.loadavg()[0];
const socketDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dne-scale-'));
const spec = (host: string, containers: number): ReplayHostSpec => ({
  host,
  containers,
  networks: Math.max(2, Math.round(containers / 3)),
  socketPath: path.join(socketDir, `${host}.sock`),
});
const hostOf = (entry: ReplayHostSpec) => unixHost(entry.socketPath, entry.host);

async function timed<T>(run: () => Promise<T> | T): Promise<[number, T]> {
  const start = performance.now();
  const result = await run();
  return [performance.now() - start, result];
}

/**
 * Wall and CPU time of this process (the extension's side; the replay's is in its child). On a
 * machine shared by other jobs the wall time follows the load; the CPU time does not.
 */
async function timedCpu(run: () => Promise<unknown> | unknown, into: { wall: number[]; cpu: number[] }): Promise<void> {
  const cpu = process.cpuUsage();
  const [wall] = await timed(run);
  const used = process.cpuUsage(cpu);
  into.wall.push(wall);
  into.cpu.push((used.user + used.system) / 1000);
}
const samples = () => ({ wall: [] as number[], cpu: [] as number[] });

function heapUsed(): number {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

/** Both explorer trees, as the tree providers rebuild them on every registry change. */
function buildTrees(hosts: readonly HostView[]): number {
  return buildExplorerTree('networks', hosts).length + buildExplorerTree('containers', hosts).length;
}

/**
 * Both views' rows kept as the tree providers keep them (explorerTreeProvider.ts): a change that
 * says what changed patches the rows it touches; anything else rebuilds the view.
 */
class Trees {
  private roots: Record<ExplorerView, ExplorerNode[]> = { networks: [], containers: [] };

  constructor(hosts: readonly HostView[]) {
    this.update(hosts);
  }

  update(hosts: readonly HostView[], change?: { hostId: string; change: SnapshotChange }): void {
    for (const view of ['networks', 'containers'] as const) {
      const patched = change && patchExplorerTree(view, this.roots[view], hosts, change.hostId, change.change);
      if (!patched) this.roots[view] = buildExplorerTree(view, hosts);
    }
  }
}

/** The change `op` makes: attach container ⌊op/2⌋ to a network it is not on, then detach it. */
function change(entry: ReplayHostSpec, op: number) {
  const i = Math.floor(op / 2) % entry.containers;
  const network = (i + 11) % entry.networks;
  const attached = op % 2 === 0;
  const containerId = replayContainerId(entry.host, i);
  const networkId = replayNetworkId(entry.host, network);
  const shows = connectedWith(
    (state) => state.snapshot.endpoints.some((e) => e.containerId === containerId && e.networkId === networkId) === attached,
  );
  return { i, network, shows };
}

// ---- (1) the curve ---------------------------------------------------------------------------

async function measureSize(containers: number, options: Options) {
  const entry = spec(`s${containers}`, containers);
  const replay = await Replay.start(options.shapes, options.delayMs, [entry]);
  const loadAverage = [load()];
  try {
    const before = heapUsed();
    const monitor = new HostMonitor(hostOf(entry), { timeoutMs: 120_000 });
    const [connectMs] = await timed(() => monitor.start());
    if (monitor.state.kind !== 'connected') throw new Error(`${entry.host}: ${JSON.stringify(monitor.state)}`);
    let trees = buildTrees([{ host: monitor.host, state: monitor.state }]);
    const heapBytes = heapUsed() - before;
    const cold = samples();
    for (let run = 0; run < 5; run++) await timedCpu(() => new SnapshotLoader(monitor.client!, 'cold').load(), cold);
    const warmLoader = new SnapshotLoader(monitor.client!, 'warm');
    await warmLoader.load();
    const warm = samples();
    for (let run = 0; run < 10; run++) await timedCpu(() => warmLoader.load(), warm);
    const tree = samples();
    for (let run = 0; run < 10; run++) await timedCpu(() => (trees = buildTrees([{ host: monitor.host, state: monitor.state }])), tree);
    const latency: number[] = [];
    const kept = new Trees([{ host: monitor.host, state: monitor.state }]);
    for (let op = 0; op < options.ops; op++) {
      const { i, network, shows } = change(entry, op);
      const shown = waitForState(monitor, shows, `op ${op}`, 10_000);
      const timeNano = await replay.toggle(entry.host, i, network);
      const state = await shown;
      kept.update(
        [{ host: monitor.host, state }],
        state.kind === 'connected' && state.change ? { hostId: monitor.host.id, change: state.change } : undefined,
      );
      latency.push(Date.now() - timeNano / 1e6);
    }
    monitor.dispose();
    loadAverage.push(load());
    return {
      containers,
      networks: entry.networks,
      trees,
      connectMs,
      cold,
      warm,
      tree,
      eventMs: latency,
      heapBytes,
      heapMbPer1000: heapBytes / 2 ** 20 / (containers / 1000),
      loadAverage,
    };
  } finally {
    await replay.close();
  }
}

// ---- (2) many hosts --------------------------------------------------------------------------

/**
 * Follows `entries` with a HostRegistry; resolves when every host is connected, with the time.
 * `rebuild`: both trees of all hosts rebuilt on every registry change, as the tree providers do.
 */
async function followAll(entries: ReplayHostSpec[], rebuild = true): Promise<{ ms: number; registry: HostRegistry }> {
  const registry = new HostRegistry({ timeoutMs: 120_000 });
  registry.setHosts(entries.map(hostOf));
  const started = performance.now();
  await new Promise<void>((resolve) => {
    const check = () => registry.hostViews().every((view) => view.state.kind === 'connected') && (subscription.dispose(), resolve());
    const subscription = registry.onDidChange(() => {
      if (rebuild) buildTrees(registry.hostViews());
      check();
    });
    registry.follow();
  });
  return { ms: performance.now() - started, registry };
}

async function measureManyHosts(options: Options) {
  const entries = Array.from({ length: options.hosts }, (_, h) => spec(`h${h}`, options.hostContainers));
  // The storm's host is served by a process of its own, as another machine would be.
  const stormReplay = await Replay.start(options.shapes, options.delayMs, entries.slice(0, 1));
  const replay = await Replay.start(options.shapes, options.delayMs, entries.slice(1));
  const loadAverage = [load()];
  try {
    const single: number[] = [];
    for (const entry of entries) {
      const { ms, registry } = await followAll([entry]);
      single.push(ms);
      registry.dispose();
    }
    // What the loads alone cost together, without the trees rebuilt on every change.
    const loadsOnly: number[] = [];
    for (let run = 0; run < 3; run++) {
      const followed = await followAll(entries, false);
      loadsOnly.push(followed.ms);
      followed.registry.dispose();
    }
    const together: number[] = [];
    let registry: HostRegistry | undefined;
    for (let run = 0; run < 3; run++) {
      registry?.dispose();
      const followed = await followAll(entries);
      together.push(followed.ms);
      registry = followed.registry;
    }
    // The storm: host 0 changes every few ms; host 1's changes are timed to its rows rebuilt.
    const quiet = await timeRows(registry!, replay, entries[1], options.ops);
    const storm = stormReplay.storm(entries[0].host, 400, 5);
    const stormy = await timeRows(registry!, replay, entries[1], options.ops, options.ops);
    await storm;
    registry!.dispose();
    loadAverage.push(load());
    return {
      hosts: options.hosts,
      containersPerHost: options.hostContainers,
      singleMs: single,
      togetherMs: together,
      loadsOnlyMs: loadsOnly,
      quiet,
      stormy,
      loadAverage,
    };
  } finally {
    await Promise.all([replay.close(), stormReplay.close()]);
  }
}

/** `ops` changes on `entry`'s host, one at a time: daemon event → its rows in both views, patched or rebuilt as the providers do. */
async function timeRows(registry: HostRegistry, replay: Replay, entry: ReplayHostSpec, ops: number, firstOp = 0): Promise<number[]> {
  const latency: number[] = [];
  const kept = new Trees(registry.hostViews());
  for (let op = firstOp; op < firstOp + ops; op++) {
    const { i, network, shows } = change(entry, op);
    const shown = new Promise<void>((resolve) => {
      const subscription = registry.onDidChange((event) => {
        const views = registry.hostViews();
        kept.update(views, event);
        if (!shows(views.find((view) => view.host.id === entry.host)!.state)) return;
        subscription.dispose();
        resolve();
      });
    });
    const timeNano = await replay.toggle(entry.host, i, network);
    await shown;
    latency.push(Date.now() - timeNano / 1e6);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return latency;
}

// ---- report ----------------------------------------------------------------------------------

type Size = Awaited<ReturnType<typeof measureSize>>;
type Many = Awaited<ReturnType<typeof measureManyHosts>>;

function report(sizes: Size[], many: Many | undefined, options: Options): string {
  const ms = (value: number) => `${value.toFixed(1)} ms`;
  const pair = (value: { wall: number[]; cpu: number[] }) => `${ms(median(value.wall))} / ${ms(median(value.cpu))}`;
  const lines = [
    `Replay of Engine ${options.shapes}'s recorded answers, ${options.delayMs} ms service time per answer; load average ${load().toFixed(1)} at the end.`,
    '',
    'Each cell: wall / CPU of the extension side (medians).',
    '',
    '| containers / networks | cold snapshot (5 runs) | warm snapshot (10) | both trees built (10) | event → both trees updated p50 / p95 (wall) | heap kept | load avg |',
    '|---|---:|---:|---:|---:|---:|---:|',
    ...sizes.map(
      (size) =>
        `| ${size.containers} / ${size.networks} | ${pair(size.cold)} | ${pair(size.warm)} | ${pair(size.tree)} | ${ms(percentile(size.eventMs, 50))} / ${ms(percentile(size.eventMs, 95))} | ${(size.heapBytes / 2 ** 20).toFixed(1)} MB | ${size.loadAverage.map((value) => value.toFixed(1)).join('–')} |`,
    ),
  ];
  if (sizes.length > 1) {
    const [first, last] = [sizes[0], sizes[sizes.length - 1]];
    const scale = last.containers / first.containers;
    const grew = (pick: (size: Size) => number) => `×${(pick(last) / pick(first)).toFixed(1)}`;
    const slope = (last.heapBytes - first.heapBytes) / 2 ** 20 / ((last.containers - first.containers) / 1000);
    lines.push(
      '',
      `From ${first.containers} to ${last.containers} containers (×${scale.toFixed(1)}), CPU: cold ${grew((size) => median(size.cold.cpu))}, warm ${grew((size) => median(size.warm.cpu))}, trees ${grew((size) => median(size.tree.cpu))}; heap ${grew((size) => size.heapBytes)}, ${slope.toFixed(1)} MB per 1,000 containers more.`,
    );
  }
  if (many) {
    const slowest = Math.max(...many.singleMs);
    const together = median(many.togetherMs);
    lines.push(
      '',
      `| ${many.hosts} hosts × ${many.containersPerHost} containers | value | goal |`,
      '|---|---:|---|',
      `| slowest single host, connected and loaded alone | ${ms(slowest)} | |`,
      `| all ${many.hosts} followed at once, all loaded (median of 3: ${many.togetherMs.map(ms).join(', ')}) | ${ms(together)} | |`,
      `| — ratio | ${(together / slowest).toFixed(2)}× | ≤ 1.5× |`,
      `| all ${many.hosts} at once without the trees rebuilt on each change (median of 3: ${many.loadsOnlyMs.map(ms).join(', ')}) | ${ms(median(many.loadsOnlyMs))} (${(median(many.loadsOnlyMs) / slowest).toFixed(2)}×) | |`,
      `| another host's event → its rows, quiet, p50 / p95 | ${ms(percentile(many.quiet, 50))} / ${ms(percentile(many.quiet, 95))} | |`,
      `| — during host 0's storm (400 changes, 5 ms apart), p50 / p95 | ${ms(percentile(many.stormy, 50))} / ${ms(percentile(many.stormy, 95))} | not delayed |`,
    );
  }
  return lines.join('\n');
}

async function main(): Promise<void> {
  const options = parseArgs(process.argv.slice(2));
  dockerLibraries(); // loaded once, before any heap is measured
  const sizes: Size[] = [];
  for (const containers of options.sizes) {
    console.error(`[bench] ${containers} containers (load average ${load().toFixed(1)})`);
    sizes.push(await measureSize(containers, options));
  }
  let many: Many | undefined;
  if (options.hosts > 0) {
    console.error(`[bench] ${options.hosts} hosts (load average ${load().toFixed(1)})`);
    many = await measureManyHosts(options);
  }
  console.log(report(sizes, many, options));
  const out = path.join('test-results', `bench-scale${sizes.length ? '' : '-hosts'}.json`);
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(out, JSON.stringify({ date: new Date().toISOString(), options, sizes, many }, null, 2));
  console.error(`[bench] wrote ${out}`);
}

main().then(
  () => (fs.rmSync(socketDir, { recursive: true, force: true }), process.exit(0)),
  (error: unknown) => {
    console.error(`[bench] failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    fs.rmSync(socketDir, { recursive: true, force: true });
    process.exit(1);
  },
);
