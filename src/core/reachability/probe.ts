/**
 * The live half of reachability: runs DNS, ICMP and TCP checks from inside FROM's network
 * namespace and reports what they printed. It uses FROM's own sh/ping/nslookup/nc when it has
 * them (`docker exec`); otherwise, only when allowed, a short-lived helper container in
 * `--network container:FROM` made from an image already on that host. Nothing is ever pulled.
 */
import type Dockerode from 'dockerode';
import { execInContainer, type ExecResult } from '../docker/containerExec';
import { DockerCallError, type DockerClient } from '../docker/dockerClient';
import { DEFAULT_HELPER_IMAGES, presentHelperImage, withHelper } from '../docker/helperContainer';
import { mapLimit } from '../util/mapLimit';
import { checkProbeTarget, probeCommand, readBatchOutput, type ProbeQuestion, type ProbeStep } from './probeScript';
import type { ProbeEvidence, ProbeRequest, ProbeResult, ProbeVerdict, Prober, ProberFactory, ProberOptions } from './types';
import { errorMessage } from '../util/errors';

export type { ProbeStep } from './probeScript';
export { DEFAULT_HELPER_IMAGES, HELPER_LABEL } from '../docker/helperContainer';

/** One question for one daemon: FROM by ID or name, TARGET as FROM would type it. */
export interface LiveQuestion {
  from: string;
  /** A container name, alias, link alias or IPv4 address. */
  target: string;
  /** Absent: "can FROM reach TARGET at all" (ping); set: "would a TCP connection to it get through". */
  port?: number;
}

/** Where the checks ran. */
export type ProbeVenue =
  { kind: 'container'; container: string } | { kind: 'helper'; container: string; image: string } | { kind: 'none'; reason: string };

/** The probe's full account; `toProbeResult` turns it into the answer's `probe` field. */
export interface LiveProbeResult {
  /** inconclusive: no check could answer the question (no tool, no helper image, a daemon error). */
  verdict: ProbeVerdict;
  /** One sentence: the deciding check, or why none could run. */
  summary: string;
  venue: ProbeVenue;
  /** Each check: the command as a user would type it inside FROM, and what it printed. */
  evidence: ProbeStep[];
  /** Addresses TARGET resolved to inside FROM (empty for an IP or an unresolved name). */
  addresses: string[];
  elapsedMs: number;
  /** FROM lacks the tools and a helper was not allowed (`helper: 'never'`): one could answer; ask the user. */
  helperRefused?: true;
}

export interface LiveProbeOptions {
  /** Seconds each check waits for an answer. Default 2. */
  waitSeconds?: number;
  /**
   * auto: FROM's own tools, a helper only when FROM lacks them; always: a helper every time;
   * never: FROM's own tools or nothing (no container is ever started).
   */
  helper?: 'auto' | 'always' | 'never';
  /** Images a helper may be made from, first present one wins; none is pulled. Default busybox, alpine. */
  helperImages?: readonly string[];
}

/** Probes one daemon's containers. */
export class LiveProber {
  private readonly waitSeconds: number;
  private readonly helperMode: 'auto' | 'always' | 'never';
  private readonly helperImages: readonly string[];

  constructor(
    private readonly client: DockerClient,
    options: LiveProbeOptions = {},
  ) {
    this.waitSeconds = Math.min(30, Math.max(1, Math.round(options.waitSeconds ?? 2)));
    this.helperMode = options.helper ?? 'auto';
    this.helperImages = options.helperImages?.length ? options.helperImages : DEFAULT_HELPER_IMAGES;
  }

  async probe(request: LiveQuestion): Promise<LiveProbeResult> {
    return (await this.probeFrom(request.from, [request]))[0];
  }

  /**
   * Several targets from one FROM: one inspect and one exec for all of them (the checks run side
   * by side inside FROM), and at most one helper for those FROM's own tools cannot answer.
   */
  async probeFrom(fromRef: string, requests: ReadonlyArray<Omit<LiveQuestion, 'from'>>): Promise<LiveProbeResult[]> {
    const began = Date.now();
    const elapsed = () => Date.now() - began;
    const results: Array<LiveProbeResult | undefined> = requests.map((request) => {
      const bad = checkProbeTarget(request.target) ?? checkPort(request.port);
      return bad ? notRun(bad, 0) : undefined;
    });
    const pending = requests.flatMap((request, i) =>
      results[i] ? [] : [{ index: i, question: { target: request.target, port: request.port, waitSeconds: this.waitSeconds } }],
    );
    const fill = (make: (question: ProbeQuestion, at: number) => LiveProbeResult, which = pending) => {
      which.forEach(({ index, question }, at) => (results[index] = make(question, at)));
    };
    if (!pending.length) return results as LiveProbeResult[];
    let from: Dockerode.ContainerInspectInfo;
    try {
      from = await this.client.inspectContainer(fromRef);
    } catch (error) {
      fill(() => notRun(`cannot inspect ${fromRef}: ${reasonOf(error)}`, elapsed()));
      return results as LiveProbeResult[];
    }
    const fromName = from.Name.replace(/^\//, '');
    if (!from.State.Running || from.State.Paused) {
      // Not a check that failed: nothing runs in it that could send a packet.
      const state = from.State.Paused ? 'paused' : from.State.Status;
      fill(() => ({
        verdict: 'unreachable',
        summary: `${fromName} is ${state}: nothing in it can send traffic`,
        venue: { kind: 'none', reason: `${fromName} is ${state}` },
        evidence: [],
        addresses: [],
        elapsedMs: elapsed(),
      }));
      return results as LiveProbeResult[];
    }
    const questions = pending.map((entry) => entry.question);
    const own =
      this.helperMode === 'always' ? undefined : await this.runChecks(from.Id, questions).catch((error: unknown) => reasonOf(error));
    const ownVenue: ProbeVenue = { kind: 'container', container: fromName };
    // A helper cannot do better where FROM's own tools answered, or ran out of time.
    const needHelper =
      typeof own === 'object' ? pending.filter((entry, at) => !answers(own[at].steps, entry.question) && own[at].finished) : pending;
    if (typeof own === 'object') fill((question, at) => decide(own[at], question, ownVenue, elapsed()));
    if (!needHelper.length) return results as LiveProbeResult[];
    const ownRun = (entry: (typeof pending)[number]) => (typeof own === 'object' ? own[pending.indexOf(entry)] : undefined);
    const lacking = (entry: (typeof pending)[number]) => {
      const run = ownRun(entry);
      return typeof own === 'string'
        ? own
        : run
          ? `${fromName} has no ${missingTools(run.steps, entry.question)}`
          : 'a helper was asked for';
    };
    if (this.helperMode === 'never') {
      fill(
        (_question, at) => ({
          ...notRun(`cannot run checks in ${fromName} (${lacking(needHelper[at])}); a helper container is not allowed`, elapsed()),
          ...evidenceOf(ownRun(needHelper[at])),
          helperRefused: true,
        }),
        needHelper,
      );
      return results as LiveProbeResult[];
    }
    const image = await presentHelperImage(this.client, this.helperImages).catch(() => undefined);
    if (!image) {
      const why = `no helper image on ${this.client.hostName} (looked for ${this.helperImages.join(', ')}; none is pulled)`;
      fill(
        (_question, at) => ({ ...notRun(`${lacking(needHelper[at])}, and ${why}`, elapsed()), ...evidenceOf(ownRun(needHelper[at])) }),
        needHelper,
      );
      return results as LiveProbeResult[];
    }
    try {
      const runs = await this.inHelper(
        from.Id,
        image,
        needHelper.map((entry) => entry.question),
      );
      fill((question, at) => decide(runs[at], question, { kind: 'helper', container: fromName, image }, elapsed()), needHelper);
    } catch (error) {
      fill(
        () => notRun(`helper container from ${image} in ${fromName}'s network namespace failed: ${reasonOf(error)}`, elapsed()),
        needHelper,
      );
    }
    return results as LiveProbeResult[];
  }

  /** One exec of the probe script for all `questions`; throws when the container cannot run it (no sh). */
  private async runChecks(container: string, questions: readonly ProbeQuestion[]): Promise<ChecksRun[]> {
    const deadlineMs = this.deadlineMs(questions);
    const result = await execInContainer(this.client, container, probeCommand(questions), deadlineMs);
    const steps = readBatchOutput(result.output, questions);
    if (steps.every((list) => !list.length)) throw new Error(describeUnrunnable(result));
    return steps.map((list) => ({ steps: list, finished: result.exitCode !== null, deadlineMs }));
  }

  /** Creates the helper in FROM's namespace, runs the checks in it, and always removes it. */
  private inHelper(fromId: string, image: string, questions: readonly ProbeQuestion[]): Promise<ChecksRun[]> {
    const lifetimeSeconds = Math.ceil(this.deadlineMs(questions) / 1000) + 30;
    return withHelper(this.client, { image, networkMode: `container:${fromId}`, label: fromId, lifetimeSeconds }, (helperId) =>
      this.runChecks(helperId, questions),
    );
  }

  /** Every bounded check's own wait (targets run side by side) plus slack for exec round trips. */
  private deadlineMs(questions: readonly ProbeQuestion[]): number {
    const checks = questions.some((question) => question.port !== undefined) ? 3 : 2;
    return (checks * (this.waitSeconds + 1) + 5) * 1000;
  }
}

function checkPort(port: number | undefined): string | undefined {
  return port === undefined || (Number.isInteger(port) && port >= 1 && port <= 65535) ? undefined : `port ${port} is not 1–65535`;
}

/** The step that answers the question: TCP with a port, ICMP without. */
function decidingCheck(question: ProbeQuestion): 'tcp' | 'icmp' {
  return question.port === undefined ? 'icmp' : 'tcp';
}

interface ChecksRun {
  steps: ProbeStep[];
  /** False when the script was still running at the deadline (its last checks are missing). */
  finished: boolean;
  deadlineMs: number;
}

function answers(steps: readonly ProbeStep[], question: ProbeQuestion): boolean {
  const deciding = steps.find((step) => step.check === decidingCheck(question));
  return !!deciding && (deciding.outcome === 'passed' || deciding.outcome === 'failed');
}

function missingTools(steps: readonly ProbeStep[], question: ProbeQuestion): string {
  const missing = steps.filter((step) => step.outcome === 'missing' || step.outcome === 'error').map((step) => step.command.split(' ')[0]);
  return missing.length ? missing.join(', ') : `working ${decidingCheck(question) === 'tcp' ? 'nc or wget' : 'ping'}`;
}

function decide(run: ChecksRun, question: ProbeQuestion, venue: ProbeVenue, elapsedMs: number): LiveProbeResult {
  const steps = run.steps;
  const addresses = [...new Set(steps.flatMap((step) => step.addresses ?? []))];
  const deciding = steps.find((step) => step.check === decidingCheck(question));
  const base = { venue, evidence: steps, addresses, elapsedMs };
  if (!deciding || deciding.outcome === 'missing' || deciding.outcome === 'error') {
    const cutOff = run.finished ? undefined : `the checks did not finish within ${run.deadlineMs / 1000} s`;
    return { ...base, verdict: 'inconclusive', summary: deciding?.summary ?? cutOff ?? `no ${decidingCheck(question)} check ran` };
  }
  return { ...base, verdict: deciding.outcome === 'passed' ? 'reachable' : 'unreachable', summary: deciding.summary };
}

/** What FROM's own tools did show, kept beside a verdict they could not reach. */
function evidenceOf(run: ChecksRun | undefined): Partial<LiveProbeResult> {
  return run ? { evidence: run.steps, addresses: [...new Set(run.steps.flatMap((step) => step.addresses ?? []))] } : {};
}

function notRun(reason: string, elapsedMs: number): LiveProbeResult {
  return { verdict: 'inconclusive', summary: reason, venue: { kind: 'none', reason }, evidence: [], addresses: [], elapsedMs };
}

/** No markers came back: the exec itself failed (no sh in the image) or was cut off. */
function describeUnrunnable(result: ExecResult): string {
  const said = result.output.trim().split('\n')[0]?.slice(0, 200);
  if (result.exitCode === null) return 'the checks did not finish in time';
  return `sh could not run the checks (exit ${result.exitCode}${said ? `: ${said}` : ''})`;
}

function reasonOf(error: unknown): string {
  if (error instanceof DockerCallError) return error.reason;
  return errorMessage(error);
}

/**
 * The `Prober` of the reachability contract: one LiveProber per host (by snapshot host ID), the
 * helper image from the options tried first. Requests from the same FROM that arrive together (a
 * matrix row under `probeMany`) are answered by one exec. Each answer leads with a `setup` line
 * saying where the checks ran, so the evidence can be repeated by hand.
 */
export const createProber: ProberFactory = (options: ProberOptions): Prober => {
  const probers = new Map<string, LiveProber>();
  const batches = new Map<string, Array<{ request: ProbeRequest; resolve: (result: ProbeResult) => void }>>();
  const proberFor = (hostId: string, waitSeconds: number): LiveProber | undefined => {
    const key = `${hostId}\u0000${waitSeconds}`;
    const client = options.clientFor(hostId);
    if (!client) return undefined;
    let prober = probers.get(key);
    if (!prober) {
      const helperImages = options.helperImage ? [options.helperImage] : DEFAULT_HELPER_IMAGES;
      prober = new LiveProber(client, { waitSeconds, helperImages });
      probers.set(key, prober);
    }
    return prober;
  };
  const flush = async (prober: LiveProber, key: string) => {
    const batch = batches.get(key) ?? [];
    batches.delete(key);
    try {
      const lives = await prober.probeFrom(
        batch[0].request.fromContainerId,
        batch.map(({ request }) => ({ target: request.target, port: request.port })),
      );
      batch.forEach(({ request, resolve }, i) => resolve(toProbeResult(lives[i], request)));
    } catch (error) {
      for (const { resolve } of batch) resolve({ verdict: 'inconclusive', evidence: [setupLine('', false, reasonOf(error))] });
    }
  };
  return {
    probe(request: ProbeRequest): Promise<ProbeResult> {
      if (request.signal?.aborted)
        return Promise.resolve({ verdict: 'inconclusive', evidence: [setupLine('', false, 'cancelled before it ran')] });
      const waitSeconds = Math.max(1, Math.ceil(request.timeoutMs / 1000));
      const prober = proberFor(request.hostId, waitSeconds);
      if (!prober)
        return Promise.resolve({ verdict: 'inconclusive', evidence: [setupLine('', false, `no connection to host ${request.hostId}`)] });
      const key = `${request.hostId}\u0000${request.fromContainerId}\u0000${waitSeconds}`;
      return new Promise((resolve) => {
        const batch = batches.get(key);
        if (batch) return batch.push({ request, resolve });
        batches.set(key, [{ request, resolve }]);
        // Whatever else arrives for this FROM in the same turn joins the exec.
        setImmediate(() => void flush(prober, key));
      });
    },
  };
};

/** The contract's shape: a setup line, then each check with the command as typed where it ran. */
export function toProbeResult(live: LiveProbeResult, request: Pick<ProbeRequest, 'fromName' | 'expectedAddresses'>): ProbeResult {
  const prefix = commandPrefix(live.venue, request.fromName);
  const evidence: ProbeEvidence[] = [setupLine(prefix, live.venue.kind !== 'none', `${venueWords(live.venue)}: ${live.summary}`)];
  const resolved = live.evidence.some((step) => step.check !== 'hosts' && step.addresses?.length);
  for (const step of live.evidence) {
    // /etc/hosts is evidence when it holds the name (a legacy link) or nothing resolved it.
    if (step.check === 'hosts' && step.outcome !== 'passed' && resolved) continue;
    evidence.push({
      check: step.check === 'hosts' ? 'dns' : step.check,
      // Under sh, as the probe ran it: applets without a link and `</dev/null` need a shell.
      command: `${prefix}sh -c '${step.command}'`,
      ok: step.outcome === 'passed',
      output: step.output ? `${step.summary}\n${step.output}` : step.summary,
      durationMs: step.durationMs,
    });
  }
  const unexpected = live.addresses.filter((address) => request.expectedAddresses.length && !request.expectedAddresses.includes(address));
  if (unexpected.length) {
    evidence.push(
      setupLine(
        prefix,
        false,
        `resolved to ${unexpected.join(', ')}, not where the model expects it (${request.expectedAddresses.join(', ')})`,
      ),
    );
  }
  return { verdict: live.verdict, evidence };
}

/** Runs many probes, `limit` at a time, in input order; reports progress after each. */
export function probeMany(
  prober: Prober,
  requests: readonly ProbeRequest[],
  limit: number,
  onDone?: (done: number, total: number) => void,
): Promise<ProbeResult[]> {
  let done = 0;
  return mapLimit(requests, Math.max(1, limit), async (request) => {
    const result = await prober.probe(request);
    onDone?.(++done, requests.length);
    return result;
  });
}

function commandPrefix(venue: ProbeVenue, fromName: string): string {
  const from = fromName || (venue.kind === 'none' ? '' : venue.container);
  if (venue.kind === 'helper') return `docker run --rm --network container:${from} ${venue.image} `;
  return `docker exec ${from} `;
}

function venueWords(venue: ProbeVenue): string {
  switch (venue.kind) {
    case 'container':
      return `ran in ${venue.container} itself (docker exec)`;
    case 'helper':
      return `ran in a helper container from ${venue.image} sharing ${venue.container}'s network namespace (removed after)`;
    case 'none':
      return 'no check ran';
  }
}

function setupLine(prefix: string, ok: boolean, output: string): ProbeEvidence {
  return { check: 'setup', command: prefix.trim(), ok, output, durationMs: 0 };
}
