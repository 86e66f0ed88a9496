// Shared by the lab's fault tests: the doctor's problems per lab host, and polling with a stated bound.
import assert from 'node:assert/strict';
import type { Finding } from '../../src/core/diagnostics/finding';
import { diagnoseLive } from '../../src/core/diagnostics/live';
import { labLayout, type Lab, type LabHostName } from './lab';

export const LAB_HOSTS: LabHostName[] = ['docker1', 'docker2', 'docker3'];
export const labUrlOf = (name: LabHostName) => `unix://${labLayout().socket(name)}`;

/** Errors and warnings per lab host (findings without files sit at the host's URL), codes sorted. */
export async function labProblemsPerHost(
  timeoutMs: number,
): Promise<{ byHost: Partial<Record<LabHostName, string[]>>; findings: Finding[] }> {
  const findings = await diagnoseLive(
    LAB_HOSTS.map((name) => ({ name, url: labUrlOf(name) })),
    { timeoutMs },
  );
  const byHost: Partial<Record<LabHostName, string[]>> = {};
  for (const finding of findings.filter((f) => f.severity === 'error' || f.severity === 'warning')) {
    const host = LAB_HOSTS.find((name) => finding.file === labUrlOf(name));
    assert.ok(host, `finding on an unknown file ${finding.file}: ${finding.message}`);
    byHost[host] = [...(byHost[host] ?? []), finding.code].sort();
  }
  return { byHost, findings };
}

/** Polls `test` every `everyMs` until it holds; resolves with the time it took, rejects after `ms`. */
export async function within(
  ms: number,
  what: string,
  test: () => Promise<boolean>,
  everyMs = 500,
  explain?: () => Promise<string>,
): Promise<number> {
  const began = Date.now();
  while (Date.now() - began < ms) {
    if (await test().catch(() => false)) return Date.now() - began;
    await new Promise<void>((resolve) => setTimeout(resolve, everyMs));
  }
  const state = explain ? await explain().catch((error: unknown) => `(could not be read: ${String(error)})`) : undefined;
  throw new Error(`${what}: not within ${ms} ms${state === undefined ? '' : `; then: ${state}`}`);
}

/**
 * A fault test's `after`: its iptables rules removed (those the test has not removed itself),
 * then the claimed lab taken down, with nothing of it left behind.
 */
export async function undoRulesAndLabDown(lab: Lab | undefined, rules: readonly string[][], iptables: (...args: string[]) => unknown) {
  for (const rule of rules) {
    try {
      iptables('-D', ...rule);
    } catch {
      // not there: the test removed it
    }
  }
  const left = await lab?.labDown();
  if (left) assert.deepEqual(left, { processes: [], namespaces: [], links: [], cgroups: [], labDir: false });
}
