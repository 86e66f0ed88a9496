import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseArgs } from '../../src/cli/args';
import { exitCode, toJson, toText } from '../../src/cli/format';
import { EXIT_INTERNAL, main } from '../../src/cli/main';
import type { Finding } from '../../src/core/diagnostics/finding';

describe('diagnose arguments', () => {
  it('reads options and files in any order, with --opt=value or --opt value', () => {
    assert.deepEqual(parseArgs(['diagnose', 'a.json', '--json', '--host', 'unix:///x.sock', '--timeout=500', '--host=tcp://h:2376', 'b.service', '--offline', '--this-machine']), {
      kind: 'diagnose',
      args: { json: true, offline: true, thisMachine: true, hosts: ['unix:///x.sock', 'tcp://h:2376'], timeoutMs: 500, files: ['a.json', 'b.service'], upgradeCheck: false },
    });
  });

  it('--engine names the engine the files are for; --upgrade-check asks for DNE166', () => {
    assert.deepEqual(parseArgs(['diagnose', '--engine', '26', '--upgrade-check', '--host', 'unix:///x.sock']), {
      kind: 'diagnose',
      args: { json: false, offline: false, thisMachine: false, hosts: ['unix:///x.sock'], timeoutMs: 3000, files: [], upgradeCheck: true, engine: '26' },
    });
    for (const [given, engine] of [['--engine=v23.0.6', '23.0.6'], ['--engine=26.1.5+dfsg1', '26.1.5+dfsg1'], ['--engine=20.10', '20.10']]) {
      const parsed = parseArgs(['diagnose', given, 'a.json']);
      assert.equal(parsed.kind === 'diagnose' ? parsed.args.engine : parsed.kind, engine);
    }
  });

  const usage: Array<[string[], RegExp]> = [
    [['diagnose'], /give configuration files/],
    [['diagnose', '--bogus', 'a'], /unknown option --bogus/],
    [['diagnose', '--host'], /--host needs a daemon URL/],
    [['diagnose', 'a', '--timeout', 'soon'], /--timeout needs a positive number/],
    [['diagnose', 'a', '--timeout', '0'], /--timeout needs a positive number/],
    [['check', 'a'], /unknown command "check"/],
    [['diagnose', 'a', '--engine'], /--engine needs a Docker Engine version/],
    [['diagnose', 'a', '--engine', 'latest'], /--engine needs a Docker Engine version such as 26 or 20\.10\.24, got latest/],
  ];
  for (const [argv, problem] of usage) {
    it(`refuses ${argv.join(' ')}`, () => {
      const parsed = parseArgs(argv);
      assert.equal(parsed.kind, 'usage');
      assert.match(parsed.kind === 'usage' ? parsed.problem : '', problem);
    });
  }

  it('help in every usual spelling', () => {
    for (const argv of [[], ['--help'], ['-h'], ['help'], ['diagnose', 'a', '--help']]) assert.equal(parseArgs(argv).kind, 'help');
  });
});

describe('diagnose output', () => {
  const finding: Finding = {
    file: '/etc/docker/daemon.json', range: { startLine: 1, startColumn: 2, endLine: 1, endColumn: 9 }, severity: 'warning', code: 'DNE111', message: 'on loopback',
    related: [{ file: '/lib/systemd/system/docker.service', range: { startLine: 4, startColumn: 0, endLine: 4, endColumn: 3 }, message: 'also here' }],
    fix: { title: 'Remove it', edits: [] },
  };

  it('JSON has exactly the documented fields, 1-based', () => {
    assert.deepEqual(toJson([finding]), { findings: [{ file: '/etc/docker/daemon.json', line: 2, column: 3, endLine: 2, endColumn: 10, severity: 'warning', code: 'DNE111', message: 'on loopback' }] });
  });

  it('text is path:line:col: severity CODE message, related places and the fix indented', () => {
    assert.equal(toText([finding]), '/etc/docker/daemon.json:2:3: warning DNE111 on loopback\n    see /lib/systemd/system/docker.service:5:1: also here\n    fix: Remove it\n\n1 finding, 0 errors.\n');
    assert.equal(toText([]), 'No problems found.\n');
  });

  it('exits 1 only when an error is found', () => {
    assert.equal(exitCode([finding]), 0);
    assert.equal(exitCode([{ ...finding, severity: 'error' }]), 1);
    assert.equal(exitCode([]), 0);
  });
});

describe('diagnose exit status and JSON on failure', () => {
  const capture = async (argv: string[], check?: () => Promise<Finding[]>) => {
    let stdout = '';
    let stderr = '';
    const status = await main(argv, (text) => (stdout += text), (text) => (stderr += text), check);
    return { status, stdout, stderr };
  };

  it('bad usage: 2, and with --json an error object on stdout', async () => {
    const result = await capture(['diagnose', '--json', '--bogus']);
    assert.equal(result.status, 2);
    assert.deepEqual(JSON.parse(result.stdout), { error: { kind: 'usage', message: 'unknown option --bogus' } });
    assert.match(result.stderr, /unknown option --bogus/);
  });

  it('the tool failing is 3, never 2, and still JSON with --json', async () => {
    const boom = () => Promise.reject(new Error('boom'));
    const result = await capture(['diagnose', '--json', 'daemon.json'], boom);
    assert.equal(result.status, EXIT_INTERNAL);
    assert.equal(EXIT_INTERNAL, 3);
    const parsed = JSON.parse(result.stdout) as { error: { kind: string; message: string } };
    assert.equal(parsed.error.kind, 'internal');
    assert.match(parsed.error.message, /boom/);
    const text = await capture(['diagnose', 'daemon.json'], boom);
    assert.equal(text.status, 3);
    assert.equal(text.stdout, '');
  });
});
