import assert from 'node:assert/strict';
import { it } from 'node:test';
import { main } from '../../../src/cli/main';
import type { Finding } from '../../../src/core/diagnostics/finding';

/** Runs a CLI entry point with stdout and stderr caught as strings. */
export interface CliRun {
  status: number;
  stdout: string;
  stderr: string;
}

export async function captureCli(run: (out: (text: string) => void, err: (text: string) => void) => Promise<number>): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const status = await run(
    (text) => (stdout += text),
    (text) => (stderr += text),
  );
  return { status, stdout, stderr };
}

/** `docker-network-explorer ARGV…` as main runs it; `check` stands in for the diagnosis where a test makes it fail. */
export function captureMain(argv: readonly string[], check?: () => Promise<Finding[]>): Promise<CliRun> {
  return captureCli((out, err) => main(argv, out, err, check));
}

/** A test per case: `parse` answers bad usage for argv, its problem matching the pattern. */
export function itRefuses(parse: (argv: string[]) => { kind: string }, cases: ReadonlyArray<[string[], RegExp]>): void {
  for (const [argv, problem] of cases) {
    it(`refuses ${argv.join(' ')}`, () => {
      const parsed = parse(argv);
      assert.equal(parsed.kind, 'usage', JSON.stringify(parsed));
      assert.match('problem' in parsed && typeof parsed.problem === 'string' ? parsed.problem : '', problem);
    });
  }
}
