/**
 * Checking the live probe against plain `docker exec … ping/nc` on a real daemon: the same
 * question asked both ways, and both must give the expected answer. Shared by the reachability
 * integration files (main daemon, a private ICC-off daemon, the lab).
 */
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type Dockerode from 'dockerode';
import * as net from 'node:net';
import { DockerClient } from '../../src/core/docker/dockerClient';
import { SnapshotLoader } from '../../src/core/docker/snapshotLoader';
import { explain } from '../../src/core/reachability/explain';
import type { LiveProbeResult, LiveProber } from '../../src/core/reachability/probe';
import type { ReachAnswer, ReachHost } from '../../src/core/reachability/types';
import { unixEndpoint } from './dockerFixture';

export const WAIT_SECONDS = 2;

export interface PlainRun {
  exitCode: number;
  output: string;
}

/** `docker -H unix://SOCKET exec CONTAINER CMD…` with the docker CLI, as a user would type it. */
export function dockerExec(socketPath: string, container: string, cmd: string[]): Promise<PlainRun> {
  return new Promise((resolve) => {
    execFile('docker', ['-H', `unix://${socketPath}`, 'exec', container, ...cmd], { timeout: 30_000 }, (error, stdout, stderr) => {
      const code = (error as (Error & { code?: unknown }) | null)?.code;
      resolve({ exitCode: error ? (typeof code === 'number' ? code : -1) : 0, output: `${stdout}${stderr}` });
    });
  });
}

/**
 * The plain check: ping without a port; with one, a TCP connect by busybox's nc (the test image
 * does not link nc; stdin is closed under `docker exec` without -i, so nc ends once connected).
 */
export function plainCheck(socketPath: string, from: string, target: string, port?: number): Promise<PlainRun> {
  const cmd =
    port === undefined
      ? ['ping', '-c', '1', '-W', String(WAIT_SECONDS), target]
      : ['busybox', 'nc', '-w', String(WAIT_SECONDS), target, String(port)];
  return dockerExec(socketPath, from, cmd);
}

export function describeProbe(result: LiveProbeResult): string {
  const steps = result.evidence.map(
    (step) =>
      `  [${step.check} ${step.outcome}] ${step.command} → ${step.summary}${step.output ? `\n    ${step.output.split('\n').join('\n    ')}` : ''}`,
  );
  return `${result.verdict} (${result.summary}) via ${result.venue.kind}, ${result.elapsedMs} ms\n${steps.join('\n')}`;
}

export interface Agreement {
  probe: LiveProbeResult;
  plain: PlainRun;
  explained: ReachAnswer;
}

/** Explains a question on fresh snapshots of the given hosts (name → socket), as the CLI would. */
export function explainerFor(hosts: ReadonlyArray<{ name: string; socketPath: string }>): Explainer {
  const loaders = hosts.map((host) => ({
    name: host.name,
    loader: new SnapshotLoader(new DockerClient(unixEndpoint(host.socketPath), host.name, { timeoutMs: 20_000 }), host.name),
  }));
  return async (question) => {
    const reachHosts: ReachHost[] = await Promise.all(loaders.map(async ({ name, loader }) => ({ name, snapshot: await loader.load() })));
    return explain(reachHosts, question);
  };
}

export type Explainer = (question: { from: string; target: string; port?: number }) => Promise<ReachAnswer>;

export function describeAnswer(answer: ReachAnswer): string {
  return `${answer.verdict}: ${answer.reasons.map((reason) => `[${reason.code}] ${reason.message}`).join(' | ')}`;
}

/**
 * Asks the same question three ways — the model (explain), the probe, and plain docker exec — and
 * all three must give `expected`. The probe's evidence, the plain output and explain's reasons are
 * in the failure message, so a disagreement shows its cause.
 */
export async function assertBothWays(
  prober: LiveProber,
  socketPath: string,
  explainer: Explainer,
  question: { from: string; target: string; port?: number },
  expected: 'reachable' | 'unreachable',
  /**
   * What explain must say when it differs from the probe by design (a port nothing listens on:
   * explain assumes a listener, the probe is refused); `false`: asserted by a separate test
   * (a known disagreement, reported there).
   */
  options: { explain?: 'reachable' | 'unreachable' | false } = {},
): Promise<Agreement> {
  const [explained, probe, plain] = await Promise.all([
    explainer(question),
    prober.probe(question),
    plainCheck(socketPath, question.from, question.target, question.port),
  ]);
  const what = `${question.from} → ${question.target}${question.port ? `:${question.port}` : ''}`;
  assert.equal(probe.verdict, expected, `probe ${what}: ${describeProbe(probe)}`);
  assert.equal(
    plain.exitCode === 0 ? 'reachable' : 'unreachable',
    expected,
    `plain docker exec ${what} (exit ${plain.exitCode}): ${plain.output}`,
  );
  if (options.explain !== false) {
    assert.equal(
      explained.verdict,
      options.explain ?? expected,
      `explain ${what} disagrees with the probe and docker exec: ${describeAnswer(explained)}\nprobe: ${describeProbe(probe)}`,
    );
  }
  return { probe, plain, explained };
}

/** True when a TCP connection from this process to address:port is accepted within 2 s. */
export function connects(address: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: address, port, timeout: 2000 });
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => (socket.destroy(), resolve(false)));
  });
}

/** Removes what importBareImage made; gone already is fine. */
export async function removeBareImage(docker: Dockerode, image: string): Promise<void> {
  await docker
    .getImage(image)
    .remove({ force: true })
    .catch(() => undefined);
}

/** An image with only `sleep` (busybox under that name): no sh, no ping, no nc — the helper's case. */
export async function importBareImage(docker: Dockerode, image: string): Promise<void> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'dne-bare-'));
  try {
    fs.mkdirSync(path.join(root, 'bin'));
    fs.copyFileSync('/bin/busybox', path.join(root, 'bin', 'sleep'));
    fs.chmodSync(path.join(root, 'bin', 'sleep'), 0o755);
    const tar = spawn('tar', ['-C', root, '-c', '.'], { stdio: ['ignore', 'pipe', 'inherit'] });
    const [repo, tag] = image.split(':');
    const progress = await docker.importImage(tar.stdout, { repo, tag });
    await new Promise<void>((resolve, reject) =>
      docker.modem.followProgress(progress, (error: unknown) => (error ? reject(error) : resolve())),
    );
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}
