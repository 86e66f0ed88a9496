/**
 * `npm run bench`: the explorer's costs on a daemon with 100 networks and 300 running
 * containers, against the cheapest alternatives. (a) SnapshotLoader.load() cold/warm vs the same
 * HTTP requests made with plain `http.request`; (b) vs a shell script's `docker network ls -q` +
 * one `docker network inspect` process per network; (c) daemon change → HostMonitor state
 * latency; (d) daemon calls while idle. Prints a markdown table and writes test-results/bench.json.
 * Everything it creates is labelled and removed at the end, also after a failure or Ctrl-C.
 * Flags: --idle-seconds N (60), --networks N (100), --containers N (300), --ops N (50),
 * --cold-rounds N (1: rounds of the cold comparison, each its own median ratio), --record (also
 * writes the answers' shapes for the replay server: bench/replay/shapes-<engine>.json), --profile
 * (a CPU profile of 10 cold loads: test-results/cold-load.cpuprofile).
 */
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as inspector from 'node:inspector';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { promisify } from 'node:util';
import { DockerClient } from '../src/core/docker/dockerClient';
import { HostMonitor } from '../src/core/docker/hostMonitor';
import { SnapshotLoader } from '../src/core/docker/snapshotLoader';
import { buildExplorerTree, type ExplorerNode, type ExplorerView } from '../src/core/explorer/explorerTree';
import { patchExplorerTree } from '../src/core/explorer/treePatch';
import { cidrsOverlap, parseCidr } from '../src/core/net/cidr';
import { DockerFixture, defaultSocketPath, ensureTestImage, unixEndpoint, unixHost, type Created } from '../test/support/dockerFixture';
import { connectedWith, waitForState } from '../test/support/hostStates';
import { INFO_FIELDS, shapesFile, type Shapes } from './replay/shapes';

const CONCURRENCY = 16;
const COLD_RUNS = 10;
const WARM_RUNS = 30;
const socketPath = defaultSocketPath();
const abort = new AbortController();

interface Options {
  idleSeconds: number;
  coldRounds: number;
  record: boolean;
  profile: boolean;
  networks: number;
  containers: number;
  ops: number;
}

function parseArgs(argv: string[]): Options {
  const options: Options = { idleSeconds: 60, networks: 100, containers: 300, ops: 50, coldRounds: 1, record: false, profile: false };
  const flags: Record<string, Exclude<keyof Options, 'record' | 'profile'>> = {
    '--idle-seconds': 'idleSeconds',
    '--cold-rounds': 'coldRounds',
    '--networks': 'networks',
    '--containers': 'containers',
    '--ops': 'ops',
  };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--record' || argv[i] === '--profile') {
      options[argv[i] === '--record' ? 'record' : 'profile'] = true;
      continue;
    }
    const [flag, inline] = argv[i].split('=', 2);
    const key = flags[flag];
    const value = Number(inline ?? argv[++i]);
    if (!key || !Number.isFinite(value) || value < 0) throw new Error(`bad argument ${argv[i]} (flags: ${Object.keys(flags).join(', ')})`);
    options[key] = value;
  }
  return options;
}

// ---- small helpers ---------------------------------------------------------------------------

/** A sleep that Ctrl-C cuts short (the idle phase lasts a minute). */
const sleep = (ms: number) =>
  new Promise<void>((resolve, reject) => {
    const onAbort = () => (clearTimeout(timer), reject(new Error('interrupted')));
    const timer = setTimeout(() => (abort.signal.removeEventListener('abort', onAbort), resolve()), ms);
    abort.signal.addEventListener('abort', onAbort, { once: true });
  });

const median = (values: number[]) => percentile(values, 50);
function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
}

async function timed<T>(run: () => Promise<T>): Promise<[number, T]> {
  const start = performance.now();
  const result = await run();
  return [performance.now() - start, result];
}

/**
 * Bounded concurrency that, unlike a plain Promise.all, stops taking new items on the first
 * failure or on Ctrl-C but waits for those in flight: cleanup must not race a create.
 */
async function settleLimit<T, R>(items: readonly T[], limit: number, task: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = [];
  let next = 0;
  let failure: unknown;
  const worker = async () => {
    while (next < items.length && failure === undefined && !abort.signal.aborted) {
      const index = next++;
      try {
        results[index] = await task(items[index]);
      } catch (error) {
        failure ??= error;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  if (failure !== undefined) throw failure;
  if (abort.signal.aborted) throw new Error('interrupted');
  return results;
}

/** GET on the daemon socket with plain node:http, body parsed as dockerode would. */
function rawGet<T>(pathAndQuery: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const request = http.request({ socketPath, path: pathAndQuery, method: 'GET' }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => {
        if (response.statusCode !== 200) return reject(new Error(`GET ${pathAndQuery}: HTTP ${response.statusCode}`));
        resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')) as T);
      });
    });
    request.on('error', reject);
    request.end();
  });
}

/** A 404 answered (the container went away): the request was made all the same. */
function goneIs404(error: unknown): undefined {
  if (error instanceof Error && error.message.endsWith('HTTP 404')) return undefined;
  throw error;
}

// ---- setup -----------------------------------------------------------------------------------

/**
 * The second octets of enough 10.x.0.0/16 blocks that no existing network overlaps (a shared
 * daemon has others) to hold `networks` × /24: 256 per block.
 */
async function freeSixteens(fixture: DockerFixture, networks: number): Promise<number[]> {
  const taken = (await fixture.docker.listNetworks())
    .flatMap((network) => network.IPAM?.Config ?? [])
    .map((config) => parseCidr(String(config.Subnet ?? ''), false))
    .flatMap((result) => (result.ok ? [result.cidr] : []));
  const needed = Math.max(1, Math.ceil(networks / 256));
  const free: number[] = [];
  for (let second = 231; second < 255 && free.length < needed; second++) {
    const candidate = parseCidr(`10.${second}.0.0/16`);
    if (candidate.ok && !taken.some((cidr) => cidrsOverlap(cidr, candidate.cidr))) free.push(second);
  }
  if (free.length < needed)
    throw new Error(`${networks} networks need ${needed} free 10.x.0.0/16 between 10.231 and 10.254; found ${free.length}`);
  return free;
}

async function setUp(fixture: DockerFixture, options: Options): Promise<{ networks: Created[]; containers: Created[] }> {
  await ensureTestImage(fixture.docker);
  const seconds = await freeSixteens(fixture, options.networks);
  const networks = await settleLimit([...Array(options.networks).keys()], CONCURRENCY, (i) =>
    fixture.createNetwork({ name: `n${i}`, subnet: `10.${seconds[Math.floor(i / 256)]}.${i % 256}.0/24` }),
  );
  // Every third container is on two networks, the rest on one.
  const containers = await settleLimit([...Array(options.containers).keys()], CONCURRENCY, (i) => {
    const first = networks[i % networks.length].name;
    const other = networks[(i + 37) % networks.length].name;
    return fixture.runContainer({ name: `c${i}`, cmd: ['sleep', '86400'], networks: i % 3 === 0 ? [first, other] : [first] });
  });
  return { networks, containers };
}

// ---- (a) loads vs raw requests, (b) vs the CLI ----------------------------------------------

async function measureLoads(coldRounds: number, profile: boolean) {
  const client = new DockerClient(unixEndpoint(socketPath), 'test', { timeoutMs: 60_000 });
  const rawCold = async () => {
    const [, containers] = await Promise.all([rawGet<unknown[]>('/networks'), rawGet<Array<{ Id: string }>>('/containers/json?all=true')]);
    // Another user of a shared daemon may remove a container between the list and its inspect.
    await settleLimit(containers, CONCURRENCY, (container) => rawGet(`/containers/${container.Id}/json`).catch(goneIs404));
    return containers.length;
  };
  const rawWarm = () => Promise.all([rawGet('/networks'), rawGet('/containers/json?all=true')]);
  // One untimed round of each warms the daemon's and Node's caches alike.
  await rawCold();
  await new SnapshotLoader(client, 'test').load();
  // Alternate which goes first (ABBA): whichever follows the other ran on a daemon it had just warmed.
  const cold = { loader: [] as number[], raw: [] as number[], loaderCalls: 0, rawCalls: 0 };
  /** Each round's samples and its own median ratio: the goal holds in every round, not on average. */
  const rounds: Array<{ loader: number[]; raw: number[]; ratio: number }> = [];
  const coldLoader = async () => {
    const calls = client.callCount;
    cold.loader.push((await timed(() => new SnapshotLoader(client, 'test').load()))[0]);
    cold.loaderCalls = client.callCount - calls;
  };
  const coldRaw = async () => {
    const [ms, containerCount] = await timed(rawCold);
    cold.raw.push(ms);
    cold.rawCalls = 2 + containerCount;
  };
  for (let round = 0; round < Math.max(1, coldRounds); round++) {
    const [loaderFrom, rawFrom] = [cold.loader.length, cold.raw.length];
    for (let run = 0; run < COLD_RUNS; run++) {
      for (const step of run % 2 ? [coldRaw, coldLoader] : [coldLoader, coldRaw]) await step();
    }
    const [loader, raw] = [cold.loader.slice(loaderFrom), cold.raw.slice(rawFrom)];
    rounds.push({ loader, raw, ratio: median(loader) / median(raw) });
    console.error(`[bench] cold round ${round + 1}: ${rounds[round].ratio.toFixed(2)}× (load average ${os.loadavg()[0].toFixed(1)})`);
  }
  if (profile) await profileColdLoads(client);
  const warmLoader = new SnapshotLoader(client, 'test');
  await warmLoader.load();
  const warm = { loader: [] as number[], raw: [] as number[] };
  const warmSteps = [
    async () => warm.loader.push((await timed(() => warmLoader.load()))[0]),
    async () => warm.raw.push((await timed(rawWarm))[0]),
  ];
  for (let run = 0; run < WARM_RUNS; run++) {
    for (const step of run % 2 ? [...warmSteps].reverse() : warmSteps) await step();
  }
  return { cold, coldRounds: rounds, warm };
}

/** A CPU profile of 10 cold loads alone (where the client's time goes): test-results/cold-load.cpuprofile. */
async function profileColdLoads(client: DockerClient): Promise<void> {
  const session = new inspector.Session();
  session.connect();
  const post = (method: string, params?: object) =>
    new Promise<unknown>((resolve, reject) => session.post(method, params, (error, result) => (error ? reject(error) : resolve(result))));
  await post('Profiler.enable');
  await post('Profiler.setSamplingInterval', { interval: 100 });
  await post('Profiler.start');
  for (let run = 0; run < 10; run++) await new SnapshotLoader(client, 'test').load();
  const { profile } = (await post('Profiler.stop')) as { profile: unknown };
  session.disconnect();
  const out = path.join('test-results', 'cold-load.cpuprofile');
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(out, JSON.stringify(profile));
  console.error(`[bench] wrote ${out}`);
}

async function measureCli() {
  const docker = fs.existsSync('/usr/bin/docker') ? '/usr/bin/docker' : 'docker';
  const run = promisify(execFile);
  const env = { ...process.env, DOCKER_HOST: `unix://${socketPath}` };
  const [ms, processes] = await timed(async () => {
    const { stdout } = await run(docker, ['network', 'ls', '-q'], { env });
    const ids = stdout.split('\n').filter(Boolean);
    // One after another, as `for id in $(docker network ls -q); do docker network inspect $id; done`.
    for (const id of ids) await run(docker, ['network', 'inspect', id], { env, maxBuffer: 64 << 20 });
    return 1 + ids.length;
  });
  return { docker, ms, processes };
}

// ---- (c) latency, (d) idle ------------------------------------------------------------------

/** Daemon timestamps of network connect/disconnect events, from a stream of the bench's own. */
async function followNetworkEvents(fixture: DockerFixture) {
  const stamps = new Map<string, number>();
  let foreign = 0;
  const stream = (await fixture.docker.getEvents({})) as NodeJS.ReadableStream & { destroy(): void };
  let buffer = '';
  stream.on('data', (chunk: Buffer) => {
    buffer += chunk.toString();
    for (let nl = buffer.indexOf('\n'); nl >= 0; nl = buffer.indexOf('\n')) {
      const event = JSON.parse(buffer.slice(0, nl)) as {
        Type: string;
        Action: string;
        Actor: { ID: string; Attributes: Record<string, string> };
        timeNano: number;
      };
      buffer = buffer.slice(nl + 1);
      const attributes = event.Actor.Attributes ?? {};
      const key = `${event.Action}|${attributes.container}|${event.Actor.ID}`;
      // dockerd 20.10 sends two "disconnect" events per disconnect: time from the first.
      if (event.Type === 'network' && !stamps.has(key)) stamps.set(key, event.timeNano / 1e6);
      // Container and network events name their actor; ours all carry the run's prefix.
      if (!(attributes.name ?? '').startsWith(fixture.prefix)) foreign++;
    }
  });
  return { stamps, foreignCount: () => foreign, close: () => stream.destroy() };
}

/**
 * Both explorer trees kept as the extension's tree providers keep them: on each monitor state, an
 * in-place change patches the rows it touched, anything else rebuilds the tree. Subscribed before
 * the latency's waits, so a state is in the trees before the wait that accepts it resolves.
 */
function followTrees(monitor: HostMonitor) {
  const views: ExplorerView[] = ['networks', 'containers'];
  const hosts = () => [{ host: monitor.host, state: monitor.state }];
  const roots = new Map<ExplorerView, ExplorerNode[]>(views.map((view) => [view, buildExplorerTree(view, hosts())]));
  const counts = { patched: 0, rebuilt: 0 };
  const subscription = monitor.onDidChange((state) => {
    for (const view of views) {
      const change = state.kind === 'connected' ? state.change : undefined;
      const patch = change && patchExplorerTree(view, roots.get(view)!, hosts(), monitor.host.id, change);
      if (patch) {
        counts.patched++;
      } else {
        roots.set(view, buildExplorerTree(view, hosts()));
        counts.rebuilt++;
      }
    }
  });
  return { counts, dispose: () => subscription.dispose() };
}

/** A change the monitor has not shown after this long is counted as missed, not timed. */
const MISSED_AFTER_MS = 2000;

async function measureLatency(fixture: DockerFixture, monitor: HostMonitor, containers: Created[], ops: number) {
  const target = await fixture.createNetwork({ name: 'latency' });
  const events = await followNetworkEvents(fixture);
  const trees = followTrees(monitor);
  const fromIssue: number[] = [];
  const fromReturn: number[] = [];
  const fromEvent: number[] = [];
  const missed: string[] = [];
  try {
    for (let op = 0; op < ops && !abort.signal.aborted; op++) {
      const container = containers[Math.floor(op / 2) % containers.length];
      const action = op % 2 === 0 ? 'connect' : 'disconnect';
      const attached = connectedWith(
        (state) =>
          state.snapshot.endpoints.some((e) => e.containerId === container.id && e.networkId === target.id) === (action === 'connect'),
      );
      const shown = waitForState(monitor, attached, `${action} ${container.name}`, MISSED_AFTER_MS).then(
        () => true,
        () => false,
      );
      const issued = performance.now();
      if (action === 'connect') await fixture.connect(container.id, target.id);
      else await fixture.disconnect(container.id, target.id);
      const returned = performance.now();
      if (!(await shown)) {
        missed.push(`${action} ${container.name}`);
        // Resynchronise, or the next (opposite) change would look instantly "shown".
        await monitor.refresh();
        continue;
      }
      // The trees followed every state as it came (followTrees): the change is in both.
      const done = performance.now();
      const doneWall = Date.now();
      fromIssue.push(done - issued);
      fromReturn.push(done - returned);
      const stamp = events.stamps.get(`${action}|${container.id}|${target.id}`);
      if (stamp !== undefined) fromEvent.push(doneWall - stamp);
    }
  } finally {
    events.close();
    trees.dispose();
  }
  const summary = (values: number[]) => ({
    n: values.length,
    p50: percentile(values, 50),
    p95: percentile(values, 95),
    max: Math.max(...values),
  });
  return {
    ops,
    missed,
    trees: trees.counts,
    fromIssue: summary(fromIssue),
    fromReturn: summary(fromReturn),
    fromEvent: summary(fromEvent),
  };
}

async function measureIdle(fixture: DockerFixture, monitor: HostMonitor, seconds: number) {
  // Settle first: the latency phase's last events may still be reloading.
  let last = Date.now();
  const settle = monitor.onDidChange(() => (last = Date.now()));
  while (Date.now() - last < 1000) await sleep(100);
  settle.dispose();
  const events = await followNetworkEvents(fixture);
  let changes = 0;
  const counting = monitor.onDidChange(() => changes++);
  const calls = monitor.client!.callCount;
  await sleep(seconds * 1000).finally(() => (counting.dispose(), events.close()));
  return { seconds, calls: monitor.client!.callCount - calls, stateChanges: changes, foreignEvents: events.foreignCount() };
}

// ---- report ----------------------------------------------------------------------------------

type Results = Awaited<ReturnType<typeof runBench>>;

function report(results: Results, setupMs: number, teardownMs: number, options: Options): string {
  const ms = (value: number) => (value >= 1000 ? `${(value / 1000).toFixed(1)} s` : `${value.toFixed(1)} ms`);
  const ok = (pass: boolean) => (pass ? 'yes' : '**no**');
  const { loads, cli, latency, idle } = results;
  const coldRatio = median(loads.cold.loader) / median(loads.cold.raw);
  const warmRatio = median(loads.warm.loader) / median(loads.warm.raw);
  const cliRatio = cli.ms / median(loads.cold.loader);
  const rows: Array<[string, string, string, string]> = [
    [
      `setup: ${options.networks} networks + ${options.containers} running containers (API, ${CONCURRENCY} in parallel)`,
      ms(setupMs),
      '',
      '',
    ],
    [
      `(a) SnapshotLoader.load() cold, median of ${COLD_RUNS} (${loads.cold.loaderCalls} daemon calls)`,
      ms(median(loads.cold.loader)),
      '',
      '',
    ],
    [
      `    raw baseline: same ${loads.cold.rawCalls} GETs with http.request, ${CONCURRENCY} in parallel`,
      ms(median(loads.cold.raw)),
      '',
      '',
    ],
    ['    cold ratio load / raw', `${coldRatio.toFixed(2)}×`, '≤ 1.3×', ok(coldRatio <= 1.3)],
    ...(loads.coldRounds.length > 1
      ? [
          [
            `    cold ratio in each of ${loads.coldRounds.length} rounds (${COLD_RUNS} pairs each)`,
            loads.coldRounds.map((round) => `${round.ratio.toFixed(2)}×`).join(' '),
            '≤ 1.3× in every one',
            ok(loads.coldRounds.every((round) => round.ratio <= 1.3)),
          ] as [string, string, string, string],
        ]
      : []),
    [`(a) SnapshotLoader.load() warm (2 list calls), median of ${WARM_RUNS}`, ms(median(loads.warm.loader)), '', ''],
    ['    raw baseline: the 2 list GETs', ms(median(loads.warm.raw)), '', ''],
    ['    warm ratio load / raw', `${warmRatio.toFixed(2)}×`, '≤ 1.3×', ok(warmRatio <= 1.3)],
    [
      `(b) CLI: \`docker network ls -q\` + ${cli.processes - 1} × \`docker network inspect\` (${cli.processes} processes)`,
      ms(cli.ms),
      '',
      '',
    ],
    ['    CLI time / cold load', `${cliRatio.toFixed(1)}×`, '≥ 5×', ok(cliRatio >= 5)],
    [
      `(c) daemon event (its timeNano) → monitor state + both trees updated, p50 / p95 (n=${latency.fromEvent.n})`,
      `${ms(latency.fromEvent.p50)} / ${ms(latency.fromEvent.p95)}`,
      'p95 ≤ 25 ms',
      ok(latency.fromEvent.p95 <= 25),
    ],
    [
      `    changes never shown within ${MISSED_AFTER_MS / 1000} s (of ${latency.ops})`,
      `${latency.missed.length}`,
      '0',
      ok(latency.missed.length === 0),
    ],
    [
      '    tree updates: rows patched in place / whole tree rebuilt (per view)',
      `${latency.trees.patched} / ${latency.trees.rebuilt}`,
      '',
      '',
    ],
    ['    API call returned → trees updated, p50 / p95', `${ms(latency.fromReturn.p50)} / ${ms(latency.fromReturn.p95)}`, '', ''],
    [
      '    API call issued → trees updated, p50 / p95 (includes the call itself)',
      `${ms(latency.fromIssue.p50)} / ${ms(latency.fromIssue.p95)}`,
      '',
      '',
    ],
    [`(d) daemon calls during ${idle.seconds} s idle, monitor attached`, `${idle.calls}`, '0', ok(idle.calls === 0)],
    ['teardown: remove all containers (forced) and networks', ms(teardownMs), '', ''],
  ];
  const lines = ['| measurement | value | goal | met |', '|---|---:|---|---|', ...rows.map((row) => `| ${row.join(' | ')} |`)];
  lines.push(
    '',
    `(c) ${latency.ops} network connects/disconnects of a container, alternating, one at a time through the API.`,
    '"Shown" is the first HostMonitor onDidChange whose snapshot has (or lacks) that endpoint; it is timed',
    "from the daemon's event timestamp (timeNano, same clock), from the API call's return and from just",
    'before the call is sent. A change not shown within 2 s is "missed" (then refresh() resynchronises).',
  );
  if (latency.missed.length) lines.push(`(c) missed: ${latency.missed.join(', ')}`);
  if (idle.calls !== 0) lines.push(`(d) note: ${idle.foreignEvents} events from other users of this daemon arrived while idle.`);
  return lines.join('\n');
}

// ---- the replay server's templates ----------------------------------------------------------

/** One answer of each shape, the defaults, and the daemon's service times (bench/replay/shapes.ts). */
async function recordShapes(fixture: DockerFixture, containers: Created[]): Promise<string> {
  type Answer = Record<string, unknown>;
  const version = await rawGet<Answer>('/version');
  const info = await rawGet<Answer>('/info');
  const [listMs, [networks, listed]] = await timed(() =>
    Promise.all([rawGet<Answer[]>('/networks'), rawGet<Answer[]>('/containers/json?all=true')]),
  );
  const inspectTimes: number[] = [];
  await settleLimit(containers, CONCURRENCY, async (container) => {
    inspectTimes.push((await timed(() => rawGet(`/containers/${container.id}/json`)))[0]);
  });
  const byName = (name: string) => listed.find((item) => (item.Names as string[])[0] === `/${fixture.prefix}${name}`)!;
  const shapeOf = async (name: string) => {
    const entry = byName(name);
    return { listed: entry, inspected: await rawGet<Answer>(`/containers/${String(entry.Id)}/json`) };
  };
  const shapes: Shapes = {
    recordedAt: new Date().toISOString(),
    engine: `${String(version.Version)} (API ${String(version.ApiVersion)})`,
    prefix: fixture.prefix,
    version,
    info: Object.fromEntries(INFO_FIELDS.filter((field) => field in info).map((field) => [field, info[field]])),
    defaultNetworks: networks.filter((network) => ['bridge', 'host', 'none'].includes(String(network.Name))),
    network: networks.find((network) => network.Name === `${fixture.prefix}n0`)!,
    // Every third container is on two networks (setUp): c0 is, c1 is not.
    onOne: await shapeOf('c1'),
    onTwo: await shapeOf('c0'),
    times: { inspectMs: median(inspectTimes), listMsPer100: (listMs * 100) / (networks.length + listed.length) },
  };
  const engine = String(version.Version).startsWith('20.') ? '20.10' : String(version.Version).split('.')[0];
  const file = shapesFile(engine);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, `${JSON.stringify(shapes, null, 2)}\n`);
  return file;
}

async function runBench(fixture: DockerFixture, monitor: HostMonitor, containers: Created[], options: Options) {
  if (options.record) console.error(`[bench] recorded the answers' shapes in ${await recordShapes(fixture, containers)}`);
  const loads = await measureLoads(options.coldRounds, options.profile);
  const cli = await measureCli();
  await monitor.start();
  if (monitor.state.kind !== 'connected') throw new Error(`monitor not connected: ${JSON.stringify(monitor.state)}`);
  const latency = await measureLatency(fixture, monitor, containers, options.ops);
  const idle = await measureIdle(fixture, monitor, options.idleSeconds);
  return { loads, cli, latency, idle };
}

async function main(): Promise<number> {
  const options = parseArgs(process.argv.slice(2));
  const fixture = new DockerFixture();
  const monitor = new HostMonitor(unixHost(socketPath), { timeoutMs: 60_000 });
  let interrupts = 0;
  const onSignal = (signal: string) => {
    if (++interrupts > 1) {
      console.error(`[bench] second ${signal}: exiting now; leftovers carry label dne.test=${fixture.runId}`);
      process.exit(130);
    }
    console.error(`[bench] ${signal}: stopping and removing what was created (again to force)`);
    abort.abort();
  };
  process.on('SIGINT', () => onSignal('SIGINT'));
  process.on('SIGTERM', () => onSignal('SIGTERM'));
  console.error(`[bench] run ${fixture.runId} on ${socketPath}: ${JSON.stringify(options)}`);
  const swept = await DockerFixture.sweepOrphans(fixture.docker);
  if (swept.removed) console.error(`[bench] removed ${swept.removed} leftovers of killed runs`);
  let setupMs = NaN;
  let teardownMs = NaN;
  let results: Results;
  try {
    const [ms, created] = await timed(() => setUp(fixture, options));
    setupMs = ms;
    console.error(`[bench] setup done in ${(ms / 1000).toFixed(1)} s; measuring`);
    results = await runBench(fixture, monitor, created.containers, options);
  } finally {
    monitor.dispose();
    console.error('[bench] removing everything it created');
    teardownMs = (await timed(() => fixture.cleanup()))[0];
  }
  const table = report(results, setupMs, teardownMs, options);
  console.log(table);
  // One file per engine (npm run bench measures each in turn): what answered, from the daemon itself.
  const version = await fixture.docker.version();
  const engine = version.Version.startsWith('20.') ? '20.10' : version.Version.split('.')[0];
  const out = path.join('test-results', `bench-engine-${engine}.json`);
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(
    out,
    JSON.stringify(
      {
        date: new Date().toISOString(),
        loadAverageAtEnd: os.loadavg(),
        engine: `${version.Version} (API ${version.ApiVersion})`,
        options,
        setupMs,
        teardownMs,
        ...results,
      },
      null,
      2,
    ),
  );
  console.error(`[bench] wrote ${out}`);
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (abort.signal.aborted) console.error('[bench] interrupted; what it had created is removed');
    else console.error(`[bench] failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    process.exit(abort.signal.aborted ? 130 : 1);
  },
);
