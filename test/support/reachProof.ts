/**
 * Checking the live probe against plain `docker exec … ping/nc` on a real daemon: the same
 * question asked both ways, and both must give the expected answer. Shared by the reachability
 * integration files (main daemon, a private ICC-off daemon, the lab).
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import type { LiveProbeResult, LiveProber } from '../../src/core/reachability/probe';

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
  const cmd = port === undefined ? ['ping', '-c', '1', '-W', String(WAIT_SECONDS), target] : ['busybox', 'nc', '-w', String(WAIT_SECONDS), target, String(port)];
  return dockerExec(socketPath, from, cmd);
}

export function describeProbe(result: LiveProbeResult): string {
  const steps = result.evidence.map((step) => `  [${step.check} ${step.outcome}] ${step.command} → ${step.summary}${step.output ? `\n    ${step.output.split('\n').join('\n    ')}` : ''}`);
  return `${result.verdict} (${result.summary}) via ${result.venue.kind}, ${result.elapsedMs} ms\n${steps.join('\n')}`;
}

export interface Agreement {
  probe: LiveProbeResult;
  plain: PlainRun;
}

/**
 * Asks the probe and plain docker exec the same question; both must give `expected`. The probe's
 * evidence and the plain output are in the failure message, so a disagreement shows its cause.
 */
export async function assertBothWays(
  prober: LiveProber,
  socketPath: string,
  question: { from: string; target: string; port?: number },
  expected: 'reachable' | 'unreachable',
): Promise<Agreement> {
  const [probe, plain] = await Promise.all([prober.probe(question), plainCheck(socketPath, question.from, question.target, question.port)]);
  const what = `${question.from} → ${question.target}${question.port ? `:${question.port}` : ''}`;
  assert.equal(probe.verdict, expected, `probe ${what}: ${describeProbe(probe)}`);
  assert.equal(plain.exitCode === 0 ? 'reachable' : 'unreachable', expected, `plain docker exec ${what} (exit ${plain.exitCode}): ${plain.output}`);
  return { probe, plain };
}
