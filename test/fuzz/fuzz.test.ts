/**
 * The fuzz stage (`npm test -- fuzz`; part of a full `npm test`): bounded, seeded, reproducible.
 * Every parser and rule (through diagnoseFiles and each parser by name), the webview message
 * check, and the built `diagnose` CLI (spawned, on a sample) get inputs from inputs.ts. Pass: no
 * exception; finding ranges inside their file and at most the per-file cap; each input under a
 * time bound and the process under a memory bound; the CLI exits 0/1/2 with their meanings,
 * never 3, and with --json prints valid JSON, without --json no raw control character.
 *
 * FUZZ_SEED (default fixed, so CI is reproducible) and FUZZ_ITERATIONS change the run;
 * FUZZ_REPLAY=<seed> runs one input. A failure names its input's seed and saves the input under
 * test-results/fuzz/; the seed then goes into regressions.json, which every run replays first.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { parseArgs } from '../../src/cli/args';
import { wantsJson } from '../../src/cli/options';
import { diagnoseFiles } from '../../src/core/diagnostics/configFiles';
import type { Finding } from '../../src/core/diagnostics/finding';
import { MAX_FINDINGS_PER_FILE } from '../../src/core/diagnostics/limits';
import { parseComposeFile } from '../../src/core/diagnostics/parsers/composeFile';
import { parseDaemonJson } from '../../src/core/diagnostics/parsers/daemonJson';
import { parseDockerdWords } from '../../src/core/diagnostics/parsers/dockerdFlags';
import { parseShellEnvFile } from '../../src/core/diagnostics/parsers/shellEnvFile';
import { splitWords } from '../../src/core/diagnostics/parsers/shellWords';
import { parseSocketUnit } from '../../src/core/diagnostics/parsers/socketUnit';
import { resolveService } from '../../src/core/diagnostics/parsers/systemdUnit';
import { LineIndex } from '../../src/core/diagnostics/text';
import * as protocol from '../../src/core/topology/protocol';
import { findRepoRoot } from '../support/codeServer';
import { fuzzInput, inputSeed, prng, webviewMessage, type FuzzFile, type FuzzInput } from './inputs';

const repo = findRepoRoot();
const SEED = Number(process.env.FUZZ_SEED ?? 20261130) >>> 0;
const ITERATIONS = Number(process.env.FUZZ_ITERATIONS ?? 400);
const REPLAY = process.env.FUZZ_REPLAY === undefined ? undefined : Number(process.env.FUZZ_REPLAY) >>> 0;
/**
 * CPU time per input in process (not wall time: a loaded machine must not fail the run): the
 * largest (1 MiB, parsed twice: alone and by diagnoseFiles) take about 4 s on this 2-core machine; a quadratic path takes minutes.
 */
const INPUT_CPU_MS = 15_000;
/** The whole process's peak resident memory (a million findings once took 2.5 GB). */
const MAX_RSS_BYTES = 1536 * 1024 * 1024;
const regressions = (
  JSON.parse(fs.readFileSync(path.join(repo, 'test/fuzz/regressions.json'), 'utf8')) as Array<{ seed: number; note: string }>
).map((entry) => entry.seed);

const seeds = (count: number, salt: number): number[] =>
  REPLAY !== undefined ? [REPLAY] : [...regressions, ...Array.from({ length: count }, (_, index) => inputSeed(SEED ^ salt, index))];

/** Saves a failing input for a look and a fixture; the message says how to replay it. */
function failed(input: FuzzInput, why: string): never {
  const dir = path.join(repo, 'test-results', 'fuzz', String(input.seed));
  fs.mkdirSync(dir, { recursive: true });
  for (const file of input.files) fs.writeFileSync(path.join(dir, `${file.kind}${path.extname(file.path)}`), file.text);
  assert.fail(
    `${input.family} input, seed ${input.seed} (saved in ${dir}; replay: FUZZ_REPLAY=${input.seed} npm test -- fuzz; then add the seed to test/fuzz/regressions.json): ${why}`,
  );
}

/** Each parser by name, on the file of its kind (diagnoseFiles covers them together with the rules). */
function parseAlone(file: FuzzFile): void {
  const config = { file: file.path, text: file.text };
  switch (file.kind) {
    case 'daemonJson':
      parseDaemonJson(config);
      break;
    case 'serviceUnit':
    case 'dropIn':
      resolveService(config, [config]);
      break;
    case 'envFile':
      parseShellEnvFile(config);
      break;
    case 'socketUnit':
      parseSocketUnit(config, [config]);
      break;
    case 'compose':
      parseComposeFile(file.text);
      break;
  }
  // The flag parser on the whole text as one command line.
  parseDockerdWords(splitWords(file.text, 0, file.text.length), new LineIndex(file.text), file.path);
}

function checkFindings(input: FuzzInput, findings: readonly Finding[]): void {
  const lines = new Map(input.files.map((file) => [file.path, file.text.split('\n')]));
  const perFile = new Map<string, number>();
  for (const finding of findings) {
    const text = lines.get(finding.file);
    if (!text) failed(input, `a finding names ${finding.file}, no file given`);
    perFile.set(finding.file, (perFile.get(finding.file) ?? 0) + 1);
    const { startLine, startColumn, endLine, endColumn } = finding.range;
    const inside =
      startLine <= endLine &&
      endLine < text.length &&
      startColumn <= text[startLine].length &&
      endColumn <= text[endLine].length &&
      (startLine < endLine || startColumn <= endColumn);
    if (!inside) failed(input, `${finding.code} range ${JSON.stringify(finding.range)} outside the file`);
  }
  for (const [file, count] of perFile) if (count > MAX_FINDINGS_PER_FILE + 1) failed(input, `${count} findings in ${file}, over the cap`);
}

describe('fuzz: parsers and rules', { timeout: 600_000 }, () => {
  it(`${REPLAY ?? `${regressions.length} regression seeds and ${ITERATIONS} inputs (seed ${SEED})`}: no exception, ranges inside, capped, bounded in time and memory`, () => {
    const families = new Map<string, { count: number; slowest: number }>();
    for (const seed of seeds(ITERATIONS, 0)) {
      const input = fuzzInput(seed);
      const started = performance.now();
      const cpuBefore = process.cpuUsage();
      try {
        for (const file of input.files) parseAlone(file);
        checkFindings(input, diagnoseFiles(input.files.map((file) => ({ path: file.path, text: file.text }))));
      } catch (error) {
        if (error instanceof assert.AssertionError) throw error;
        failed(input, `threw ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      }
      const elapsed = performance.now() - started;
      const cpu = process.cpuUsage(cpuBefore);
      const cpuMs = (cpu.user + cpu.system) / 1000;
      if (cpuMs > INPUT_CPU_MS) failed(input, `took ${cpuMs.toFixed(0)} ms of CPU (${elapsed.toFixed(0)} ms), over ${INPUT_CPU_MS} ms`);
      const rss = process.resourceUsage().maxRSS * 1024;
      if (rss > MAX_RSS_BYTES)
        failed(input, `the process peaked at ${(rss / 2 ** 20).toFixed(0)} MiB, over ${MAX_RSS_BYTES / 2 ** 20} MiB`);
      const family = families.get(input.family) ?? { count: 0, slowest: 0 };
      families.set(input.family, { count: family.count + 1, slowest: Math.max(family.slowest, cpuMs) });
    }
    console.log(
      `fuzz parsers: ${[...families].map(([name, { count, slowest }]) => `${name} ${count} (slowest ${slowest.toFixed(0)} ms CPU)`).join(', ')}; peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB`,
    );
  });
});

describe('fuzz: the webview message check', () => {
  // Whatever the protocol module exports to check what a webview posts (parse…/validate…): the
  // check is found by name, so a renamed or added one is fuzzed too.
  const checks = (Object.entries(protocol) as Array<[string, unknown]>).filter(
    (entry): entry is [string, (value: unknown) => unknown] => typeof entry[1] === 'function' && /^(parse|validate)/.test(entry[0]),
  );

  it('has a check to fuzz', () => assert.ok(checks.length > 0, Object.keys(protocol).join()));

  it(`${REPLAY ?? 3000} posted values: never a throw; what passes is a message of a known type with fields of the right types`, () => {
    for (const seed of seeds(3000, 0x5eed)) {
      const value = webviewMessage(seed);
      for (const [name, check] of checks) {
        const started = performance.now();
        let result: unknown;
        try {
          result = check(value);
        } catch (error) {
          assert.fail(`${name} threw on seed ${seed}: ${String(error)}`);
        }
        assert.ok(performance.now() - started < 1000, `${name} took ${(performance.now() - started).toFixed(0)} ms on seed ${seed}`);
        // Refused: undefined, or a string saying why (parsePositions).
        if (result === undefined || typeof result === 'string') continue;
        if (name === 'parseHighlight') {
          // null clears the highlight; else ids, a caption and a verdict, nothing more.
          if (result === null) continue;
          const { lit, blocked, caption, verdict, ...rest } = result as Record<string, unknown>;
          assert.deepEqual(Object.keys(rest), [], `${name}, seed ${seed}: extra fields`);
          for (const ids of [lit, blocked])
            assert.ok(Array.isArray(ids) && ids.every((id) => typeof id === 'string'), `${name}, seed ${seed}: ids`);
          assert.ok(
            typeof caption === 'string' && (verdict === 'reachable' || verdict === 'unreachable'),
            `${name}, seed ${seed}: caption/verdict`,
          );
          continue;
        }
        const message = result as Record<string, unknown>;
        if (!('type' in message)) {
          // Positions: every entry two finite numbers, nothing else.
          for (const [id, at] of Object.entries(message)) {
            const keys = Object.keys(at as object)
              .sort()
              .join();
            assert.equal(keys, 'x,y', `${name}, seed ${seed}: position ${id.slice(0, 40)} has ${keys}`);
            const { x, y } = at as { x: unknown; y: unknown };
            assert.ok(Number.isFinite(x) && Number.isFinite(y), `${name}, seed ${seed}: position ${id.slice(0, 40)} not finite`);
          }
          continue;
        }
        assert.equal(typeof message.type, 'string', `seed ${seed}`);
        // Top-level fields, and those of a request (the protocol's requests carry an id and a body).
        const bodies = [
          message,
          ...(typeof message.request === 'object' && message.request !== null ? [message.request as Record<string, unknown>] : []),
        ];
        for (const body of bodies) {
          for (const field of ['id', 'action', 'element', 'format', 'svg', 'base64', 'problem'] as const) {
            if (field in body)
              assert.equal(typeof body[field], 'string', `${name}, seed ${seed}: ${field} passed as ${typeof body[field]}`);
          }
        }
        if ('requestId' in message && message.requestId !== undefined)
          assert.ok(Number.isSafeInteger(message.requestId), `${name}, seed ${seed}: requestId`);
      }
    }
  });
});

describe('fuzz: the diagnose CLI, spawned', { timeout: 600_000 }, () => {
  const cli = path.join(repo, 'dist', 'cli.js');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dne-fuzz-cli-'));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const SAMPLE = Number(process.env.FUZZ_CLI_SAMPLE ?? 20);
  /** A memory bound for the child, and a time bound per run. */
  const spawnCli = (args: string[]) =>
    spawnSync(process.execPath, ['--max-old-space-size=768', cli, ...args], { encoding: 'utf8', timeout: 60_000, maxBuffer: 64 << 20 });

  interface JsonOut {
    findings?: Array<{ severity: string; code: string; line: number; column: number }>;
    error?: { kind: string; message: string };
    help?: string;
  }
  function checkRun(what: string, args: string[], result: ReturnType<typeof spawnCli>): void {
    assert.equal(result.error, undefined, `${what}: ${String(result.error)}`);
    assert.ok(
      result.status === 0 || result.status === 1 || result.status === 2,
      `${what}: exit ${result.status} (signal ${result.signal}); stderr: ${result.stderr.slice(0, 2000)}`,
    );
    if (wantsJson(args)) {
      let out: JsonOut;
      try {
        out = JSON.parse(result.stdout) as JsonOut;
      } catch {
        assert.fail(`${what}: --json printed no JSON: ${result.stdout.slice(0, 500)}`);
      }
      if (result.status === 2) assert.equal(out.error?.kind, 'usage', `${what}: exit 2 is bad usage only`);
      else if (out.findings)
        assert.equal(
          result.status,
          out.findings.some((finding) => finding.severity === 'error') ? 1 : 0,
          `${what}: exit code and findings disagree`,
        );
      else assert.ok(out.help !== undefined && result.status === 0, `${what}: ${result.stdout.slice(0, 300)}`);
      assert.doesNotMatch(
        result.stdout.slice(0, -1),
        /[\u0000-\u001f\u007f-\u009f\u202a-\u202e]/,
        `${what}: raw control character in JSON output`,
      );
    } else {
      assert.doesNotMatch(
        result.stdout.replace(/\n/g, ''),
        /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e]/,
        `${what}: raw control character in text output`,
      );
    }
  }

  it(`${SAMPLE} fuzz inputs as files, with and without --json`, () => {
    const sample =
      REPLAY !== undefined ? [REPLAY] : [...regressions, ...Array.from({ length: SAMPLE }, (_, index) => inputSeed(SEED ^ 0xc11, index))];
    for (const [n, seed] of sample.entries()) {
      const input = fuzzInput(seed);
      const folder = path.join(dir, String(seed));
      const files = input.files.map((file) => {
        const full = path.join(folder, file.path);
        fs.mkdirSync(path.dirname(full), { recursive: true });
        fs.writeFileSync(full, file.text);
        return full;
      });
      const args = ['diagnose', ...(n % 3 === 2 ? [] : ['--json']), '--offline', ...files];
      checkRun(`${input.family} input, seed ${seed}`, args, spawnCli(args));
    }
  });

  it('odd command lines: exit 0/1/2 by their meaning, JSON when asked, nothing dialled but loopback', () => {
    const file = path.join(dir, 'daemon.json');
    fs.writeFileSync(file, '{"cluster-store": "consul://127.0.0.1:1"}\n');
    const words = [
      'diagnose',
      '--json',
      '--json=false',
      '--json=maybe',
      '--',
      '-',
      '--offline',
      '--offline=0',
      '--host',
      '--host= ',
      ' ',
      '',
      'unix:///nonexistent/docker.sock',
      'tcp://127.0.0.1:1',
      '--tlsverify',
      '--tls',
      '--tlscacert',
      '/nonexistent/ca.pem',
      '--context',
      'no-such-context',
      '-c',
      '--timeout',
      '99999999999',
      '--timeout=0',
      '--timeout',
      'NaN',
      '--engine',
      '26',
      '--engine=latest',
      '--upgrade-check',
      '--probe-from-nodes',
      '--helper-image',
      'busybox:latest',
      '--this-machine',
      '-h',
      '--help',
      '--bogus',
      file,
      file,
      '\u001b]0;x\u0007',
      'é',
      '-x',
    ];
    const random = prng(REPLAY ?? SEED ^ 0xa59);
    const pick = () => words[Math.floor(random() * words.length)];
    for (let n = 0; n < (REPLAY !== undefined ? 1 : 24); n++) {
      const args = [
        'diagnose',
        ...Array.from({ length: 1 + Math.floor(random() * 6) }, pick),
        ...(random() < 0.5 ? ['--timeout', '500'] : []),
      ];
      // The parse alone must not throw either.
      parseArgs(args);
      checkRun(`argv ${JSON.stringify(args)}`, args, spawnCli(args));
    }
  });
});
