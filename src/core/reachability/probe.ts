/**
 * The live half of reachability: runs DNS, ICMP and TCP checks from inside FROM's network
 * namespace and reports what they printed. It uses FROM's own sh/ping/nslookup/nc when it has
 * them (`docker exec`); otherwise, only when allowed, a short-lived helper container in
 * `--network container:FROM` made from an image already on that host. Nothing is ever pulled.
 */
import type Dockerode from 'dockerode';
import { execInContainer, type ExecResult } from '../docker/containerExec';
import { DockerCallError, type DockerClient } from '../docker/dockerClient';
import { mapLimit } from '../util/mapLimit';
import { checkProbeTarget, probeCommand, readProbeOutput, type ProbeQuestion, type ProbeStep } from './probeScript';

export type { ProbeStep } from './probeScript';

export interface ProbeRequest {
  /** FROM: a container ID or name on the host the client talks to. */
  from: string;
  /** As FROM would type it: a container name, alias, link alias or IPv4 address. */
  target: string;
  /** Absent: "can FROM reach TARGET at all" (ping); set: "would a TCP connection to it get through". */
  port?: number;
}

/** Where the checks ran. */
export type ProbeVenue =
  | { kind: 'container'; container: string }
  | { kind: 'helper'; container: string; image: string }
  | { kind: 'none'; reason: string };

export interface ProbeResult {
  /** inconclusive: no check could answer the question (no tool, no helper image, a daemon error). */
  verdict: 'reachable' | 'unreachable' | 'inconclusive';
  /** One sentence: the deciding check, or why none could run. */
  summary: string;
  venue: ProbeVenue;
  /** Each check: the command as a user would type it inside FROM, and what it printed. */
  evidence: ProbeStep[];
  /** Addresses TARGET resolved to inside FROM (empty for an IP or an unresolved name). */
  addresses: string[];
  elapsedMs: number;
}

export interface ProbeOptions {
  /** Seconds each check waits for an answer. Default 2. */
  waitSeconds?: number;
  /**
   * auto: FROM's own tools, a helper only when FROM lacks them; always: a helper every time;
   * never: FROM's own tools or nothing (no container is ever started).
   */
  helper?: 'auto' | 'always' | 'never';
  /** Images a helper may be made from, first present one wins; none is pulled. Default busybox, alpine. */
  helperImages?: readonly string[];
  /** Probes in flight at once in `probeAll`. Default 8. */
  concurrency?: number;
}

export const DEFAULT_HELPER_IMAGES: readonly string[] = ['busybox:latest', 'alpine:latest'];
/** Marks helper containers, so a leftover one (a killed process) is recognisable. */
export const HELPER_LABEL = 'dne.reachability.probe-helper';

/** The contract the explanation engine's callers use: one question answered live. */
export interface Prober {
  probe(request: ProbeRequest): Promise<ProbeResult>;
}

export class LiveProber implements Prober {
  private readonly waitSeconds: number;
  private readonly helperMode: 'auto' | 'always' | 'never';
  private readonly helperImages: readonly string[];
  private readonly concurrency: number;

  constructor(
    private readonly client: DockerClient,
    options: ProbeOptions = {},
  ) {
    this.waitSeconds = Math.min(30, Math.max(1, Math.round(options.waitSeconds ?? 2)));
    this.helperMode = options.helper ?? 'auto';
    this.helperImages = options.helperImages?.length ? options.helperImages : DEFAULT_HELPER_IMAGES;
    this.concurrency = Math.max(1, options.concurrency ?? 8);
  }

  /** Every request, `concurrency` at a time, in input order; stops starting new ones once `signal` aborts. */
  probeAll(requests: readonly ProbeRequest[], signal?: AbortSignal, onResult?: (done: number) => void): Promise<ProbeResult[]> {
    let done = 0;
    return mapLimit(requests, this.concurrency, async (request) => {
      const result = signal?.aborted ? notRun('cancelled', 0) : await this.probe(request);
      onResult?.(++done);
      return result;
    });
  }

  async probe(request: ProbeRequest): Promise<ProbeResult> {
    const began = Date.now();
    const elapsed = () => Date.now() - began;
    const bad = checkProbeTarget(request.target) ?? checkPort(request.port);
    if (bad) return notRun(bad, elapsed());
    const question: ProbeQuestion = { target: request.target, port: request.port, waitSeconds: this.waitSeconds };
    let from: Dockerode.ContainerInspectInfo;
    try {
      from = await this.client.inspectContainer(request.from);
    } catch (error) {
      return notRun(`cannot inspect ${request.from}: ${reasonOf(error)}`, elapsed());
    }
    const fromName = from.Name.replace(/^\//, '');
    if (!from.State.Running || from.State.Paused) {
      // Not a check that failed: nothing runs in it that could send a packet.
      const state = from.State.Paused ? 'paused' : from.State.Status;
      return { verdict: 'unreachable', summary: `${fromName} is ${state}: nothing in it can send traffic`, venue: { kind: 'none', reason: `${fromName} is ${state}` }, evidence: [], addresses: [], elapsedMs: elapsed() };
    }
    let ownSteps: ProbeStep[] | undefined;
    let ownFailure: string | undefined;
    if (this.helperMode !== 'always') {
      const own = await this.runChecks(from.Id, question).catch((error: unknown) => reasonOf(error));
      if (typeof own === 'string') ownFailure = own;
      else ownSteps = own;
      if (ownSteps && answers(ownSteps, question) && !(this.helperMode === 'auto' && lacksDecidingTool(ownSteps, question))) {
        return decide(ownSteps, question, { kind: 'container', container: fromName }, elapsed());
      }
    }
    const lacking = ownFailure ?? (ownSteps ? `${fromName} has no ${missingTools(ownSteps, question)}` : undefined);
    if (this.helperMode === 'never') {
      if (ownSteps) return decide(ownSteps, question, { kind: 'container', container: fromName }, elapsed());
      return notRun(`cannot run checks in ${fromName} (${lacking}); a helper container is not allowed`, elapsed());
    }
    const image = await this.presentHelperImage();
    if (!image) {
      const why = `no helper image on ${this.client.host.name} (looked for ${this.helperImages.join(', ')}; none is pulled)`;
      if (ownSteps) return { ...decide(ownSteps, question, { kind: 'container', container: fromName }, elapsed()), summary: `${lacking}, and ${why}` };
      return notRun(`${lacking ?? 'cannot run checks'}, and ${why}`, elapsed());
    }
    try {
      const steps = await this.inHelper(from.Id, image, question);
      return decide(steps, question, { kind: 'helper', container: fromName, image }, elapsed());
    } catch (error) {
      return notRun(`helper container from ${image} in ${fromName}'s network namespace failed: ${reasonOf(error)}`, elapsed());
    }
  }

  /** One exec of the probe script; throws when the container cannot run it (no sh). */
  private async runChecks(container: string, question: ProbeQuestion): Promise<ProbeStep[]> {
    const result = await execInContainer(this.client, container, probeCommand(question), this.deadlineMs(question));
    const steps = readProbeOutput(result.output, question);
    if (!steps.length) throw new Error(describeUnrunnable(result));
    return steps;
  }

  /** Creates the helper in FROM's namespace, runs the checks in it, and always removes it. */
  private async inHelper(fromId: string, image: string, question: ProbeQuestion): Promise<ProbeStep[]> {
    const lifetime = String(Math.ceil(this.deadlineMs(question) / 1000) + 30);
    const helper = await this.client.request(`create probe helper from ${image}`, (api) =>
      api.createContainer({
        Image: image,
        Entrypoint: ['sleep'],
        Cmd: [lifetime],
        Labels: { [HELPER_LABEL]: fromId },
        HostConfig: { NetworkMode: `container:${fromId}`, AutoRemove: true },
      }),
    );
    try {
      await this.client.request(`start probe helper ${helper.id.slice(0, 12)}`, () => helper.start());
      return await this.runChecks(helper.id, question);
    } finally {
      await this.client.request(`remove probe helper ${helper.id.slice(0, 12)}`, () => helper.remove({ force: true })).catch(() => undefined);
    }
  }

  private async presentHelperImage(): Promise<string | undefined> {
    for (const image of this.helperImages) {
      try {
        await this.client.request(`inspect image ${image}`, (api) => api.getImage(image).inspect());
        return image;
      } catch (error) {
        if (!(error instanceof DockerCallError && error.statusCode === 404)) throw error;
      }
    }
    return undefined;
  }

  /** Every check's own wait plus slack for exec round trips. */
  private deadlineMs(question: ProbeQuestion): number {
    const checks = question.port === undefined ? 2 : 3;
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

function answers(steps: readonly ProbeStep[], question: ProbeQuestion): boolean {
  const deciding = steps.find((step) => step.check === decidingCheck(question));
  return !!deciding && (deciding.outcome === 'passed' || deciding.outcome === 'failed');
}

function lacksDecidingTool(steps: readonly ProbeStep[], question: ProbeQuestion): boolean {
  return !answers(steps, question);
}

function missingTools(steps: readonly ProbeStep[], question: ProbeQuestion): string {
  const missing = steps.filter((step) => step.outcome === 'missing' || step.outcome === 'error').map((step) => step.command.split(' ')[0]);
  return missing.length ? missing.join(', ') : `working ${decidingCheck(question) === 'tcp' ? 'nc or wget' : 'ping'}`;
}

function decide(steps: ProbeStep[], question: ProbeQuestion, venue: ProbeVenue, elapsedMs: number): ProbeResult {
  const addresses = [...new Set(steps.flatMap((step) => step.addresses ?? []))];
  const deciding = steps.find((step) => step.check === decidingCheck(question));
  const base = { venue, evidence: steps, addresses, elapsedMs };
  if (!deciding || deciding.outcome === 'missing' || deciding.outcome === 'error') {
    return { ...base, verdict: 'inconclusive', summary: deciding?.summary ?? `no ${decidingCheck(question)} check ran` };
  }
  return { ...base, verdict: deciding.outcome === 'passed' ? 'reachable' : 'unreachable', summary: deciding.summary };
}

function notRun(reason: string, elapsedMs: number): ProbeResult {
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
  return error instanceof Error ? error.message : String(error);
}
