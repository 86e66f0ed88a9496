import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { diagnoseDefaults, parseArgs, type DiagnoseArgs } from '../../../src/cli/args';
import { wantsJson } from '../../../src/cli/options';
import { exitCode, toJson, toText } from '../../../src/cli/format';
import { EXIT_INTERNAL } from '../../../src/cli/main';
import { captureMain, itRefuses } from './captureCli';
import type { Finding } from '../../../src/core/diagnostics/finding';

const DEFAULTS = diagnoseDefaults();
const argsOf = (argv: string[]): DiagnoseArgs => {
  const parsed = parseArgs(argv);
  assert.equal(parsed.kind, 'diagnose', JSON.stringify(parsed));
  return parsed.kind === 'diagnose' ? parsed.args : DEFAULTS;
};

describe('diagnose arguments', () => {
  it('without options: text, live checks on, 3 s per probe, nothing else', () => {
    const { json, offline, timeoutMs, hosts, files, tls, notes } = argsOf(['diagnose', 'a.json']);
    assert.deepEqual(
      { json, offline, timeoutMs, hosts, files, tls, notes },
      { json: false, offline: false, timeoutMs: 3000, hosts: [], files: ['a.json'], tls: {}, notes: [] },
    );
  });

  it('reads options and files in any order, with --opt=value or --opt value', () => {
    assert.deepEqual(
      parseArgs([
        'diagnose',
        'a.json',
        '--json',
        '--host',
        'unix:///x.sock',
        '--timeout=500',
        '--host=tcp://h:2376',
        'b.service',
        '--offline',
        '--this-machine',
      ]),
      {
        kind: 'diagnose',
        args: {
          ...DEFAULTS,
          json: true,
          offline: true,
          thisMachine: true,
          hosts: ['unix:///x.sock', 'tcp://h:2376'],
          timeoutMs: 500,
          files: ['a.json', 'b.service'],
        },
      },
    );
  });

  it('--engine names the engine the files are for; --upgrade-check asks for DNE166', () => {
    assert.deepEqual(parseArgs(['diagnose', '--engine', '26', '--upgrade-check', '--host', 'unix:///x.sock']), {
      kind: 'diagnose',
      args: { ...DEFAULTS, hosts: ['unix:///x.sock'], upgradeCheck: true, engine: '26' },
    });
    for (const [given, engine] of [
      ['--engine=v23.0.6', '23.0.6'],
      ['--engine=26.1.5+dfsg1', '26.1.5+dfsg1'],
      ['--engine=20.10', '20.10'],
    ]) {
      const parsed = parseArgs(['diagnose', given, 'a.json']);
      assert.equal(parsed.kind === 'diagnose' ? parsed.args.engine : parsed.kind, engine);
    }
  });

  it('--probe-from-nodes asks for the node-side swarm probe; --helper-image, repeated, the images its helper may use', () => {
    assert.deepEqual(
      parseArgs([
        'diagnose',
        '--probe-from-nodes',
        '--helper-image',
        'dne-busybox:lab',
        '--helper-image=alpine:3',
        '--host',
        'unix:///x.sock',
      ]),
      {
        kind: 'diagnose',
        args: { ...DEFAULTS, hosts: ['unix:///x.sock'], probeFromNodes: true, helperImages: ['dne-busybox:lab', 'alpine:3'] },
      },
    );
    const off = parseArgs(['diagnose', '--probe-from-nodes=false', '--host', 'unix:///x.sock']);
    assert.equal(off.kind === 'diagnose' ? off.args.probeFromNodes : off.kind, false);
  });

  const usage: Array<[string[], RegExp]> = [
    [['diagnose'], /give configuration files/],
    [['diagnose', '--host', 'unix:///x.sock', '--helper-image'], /--helper-image needs an image name/],
    [['diagnose', '--bogus', 'a'], /unknown option --bogus/],
    [['diagnose', '--host'], /--host needs a daemon URL/],
    [['diagnose', 'a', '--timeout', 'soon'], /--timeout needs a positive number/],
    [['diagnose', 'a', '--timeout', '0'], /--timeout needs a positive number/],
    [['check', 'a'], /unknown command "check"/],
    [['diagnose', 'a', '--engine'], /--engine needs a Docker Engine version/],
    [['diagnose', 'a', '--engine', 'latest'], /--engine needs a Docker Engine version such as 26 or 20\.10\.24, got latest/],
  ];
  itRefuses(parseArgs, usage);

  it('--json=false and the other switches take a value after "=" as the docker CLI (pflag) reads it; anything else is bad usage', () => {
    assert.equal(argsOf(['diagnose', '--json=false', 'a']).json, false);
    assert.equal(argsOf(['diagnose', '--json', '--json=0', 'a']).json, false);
    assert.equal(argsOf(['diagnose', '--json=true', 'a']).json, true);
    assert.equal(argsOf(['diagnose', '--json=1', 'a']).json, true);
    assert.equal(argsOf(['diagnose', '--offline=f', 'a']).offline, false);
    assert.equal(argsOf(['diagnose', '--tlsverify=false', '--host', 'tcp://h']).tls.tlsVerify, false);
    // Not a spelling, though a plain object would have answered it (Object.prototype.toString).
    assert.equal(parseArgs(['diagnose', '--json=toString', 'a']).kind, 'usage');
    assert.equal(wantsJson(['diagnose', '--json', '--json=constructor']), true);
    const bad = parseArgs(['diagnose', '--json=maybe', 'a']);
    assert.deepEqual(bad, { kind: 'usage', problem: '--json takes true or false, got "maybe"' });
    // Before, "--json=false" was read as JSON wanted (argv.includes) and then refused as unknown.
    assert.equal(wantsJson(['diagnose', '--json=false', 'a']), false);
    assert.equal(wantsJson(['diagnose', '--json', '--json=false']), false);
    assert.equal(wantsJson(['diagnose', '--', '--json']), false);
  });

  it('"--" ends the options: what follows is files, even "--json" or "-x"', () => {
    const args = argsOf(['diagnose', '--offline', '--', '--json', '-x', '--', 'a.json']);
    assert.deepEqual([args.json, args.offline, args.files], [false, true, ['--json', '-x', '--', 'a.json']]);
    assert.equal(parseArgs(['diagnose', '--']).kind, 'usage');
  });

  it("a blank value is no value: --host ' ', --context '', --tlscacert ' ' are bad usage", () => {
    for (const [argv, problem] of [
      [['diagnose', '--host', ' '], /--host needs a daemon URL/],
      [['diagnose', '--host= ', 'a'], /--host needs a daemon URL/],
      [['diagnose', '--context', ''], /--context needs a Docker context name/],
      [['diagnose', '--tlscacert', ' ', '--host', 'tcp://h'], /--tlscacert needs a file/],
    ] as Array<[string[], RegExp]>) {
      const parsed = parseArgs(argv);
      assert.equal(parsed.kind, 'usage', argv.join(' '));
      assert.match(parsed.kind === 'usage' ? parsed.problem : '', problem);
    }
    assert.deepEqual(argsOf(['diagnose', '--host', ' unix:///x.sock ']).hosts, ['unix:///x.sock']);
  });

  it('--timeout above 2^31-1 ms is clamped and the clamp is said; NaN, Infinity and 0 are bad usage', () => {
    const args = argsOf(['diagnose', 'a', '--timeout', '99999999999']);
    assert.equal(args.timeoutMs, 2 ** 31 - 1);
    assert.deepEqual(args.notes, ['--timeout 99999999999 is longer than a timer can wait: using 2147483647 ms (about 24.8 days).']);
    assert.deepEqual(argsOf(['diagnose', 'a', '--timeout', '2147483647']).notes, []);
    for (const value of ['NaN', 'Infinity', '1e400', '0', '-5', '1.5'])
      assert.equal(parseArgs(['diagnose', 'a', '--timeout', value]).kind, 'usage', value);
  });

  it("the docker CLI's connection flags: -H, -c/--context, --tls, --tlsverify, --tlscacert/--tlscert/--tlskey, --accept-new-host-key", () => {
    const args = argsOf([
      'diagnose',
      '-H',
      'tcp://h:2376',
      '--tlsverify',
      '--tlscacert',
      '/c/ca.pem',
      '--tlscert=/c/cert.pem',
      '--tlskey',
      '/c/key.pem',
      '--accept-new-host-key',
    ]);
    assert.deepEqual(
      [args.hosts, args.tls, args.acceptNewHostKey],
      [['tcp://h:2376'], { tlsVerify: true, ca: '/c/ca.pem', cert: '/c/cert.pem', key: '/c/key.pem' }, true],
    );
    assert.deepEqual(argsOf(['diagnose', '--tls', '--host', 'tcp://h']).tls, { tls: true });
    assert.equal(argsOf(['diagnose', '-c', 'remote']).context, 'remote');
    assert.equal(argsOf(['diagnose', '--context=remote', 'a.json']).context, 'remote');
    const both = parseArgs(['diagnose', '--context', 'x', '--host', 'unix:///x.sock']);
    assert.deepEqual(both, { kind: 'usage', problem: 'conflicting options: either specify --host or --context, not both' });
    assert.equal(parseArgs(['diagnose', '--context', 'x', '--tlsverify']).kind, 'usage');
  });

  it('help in every usual spelling', () => {
    for (const argv of [[], ['--help'], ['-h'], ['help'], ['diagnose', 'a', '--help']]) assert.equal(parseArgs(argv).kind, 'help');
  });
});

describe('diagnose output', () => {
  const finding: Finding = {
    file: '/etc/docker/daemon.json',
    range: { startLine: 1, startColumn: 2, endLine: 1, endColumn: 9 },
    severity: 'warning',
    code: 'DNE111',
    message: 'on loopback',
    related: [
      {
        file: '/lib/systemd/system/docker.service',
        range: { startLine: 4, startColumn: 0, endLine: 4, endColumn: 3 },
        message: 'also here',
      },
    ],
    fix: { title: 'Remove it', edits: [] },
  };

  it('JSON has exactly the documented fields, 1-based', () => {
    assert.deepEqual(toJson([finding]), {
      findings: [
        {
          file: '/etc/docker/daemon.json',
          line: 2,
          column: 3,
          endLine: 2,
          endColumn: 10,
          severity: 'warning',
          code: 'DNE111',
          message: 'on loopback',
        },
      ],
    });
  });

  it('text is path:line:col: severity CODE message, related places and the fix indented', () => {
    assert.equal(
      toText([finding]),
      '/etc/docker/daemon.json:2:3: warning DNE111 on loopback\n    see /lib/systemd/system/docker.service:5:1: also here\n    fix: Remove it\n\n1 finding, 0 errors.\n',
    );
    assert.equal(toText([]), 'No problems found.\n');
  });

  it('exits 1 only when an error is found', () => {
    assert.equal(exitCode([finding]), 0);
    assert.equal(exitCode([{ ...finding, severity: 'error' }]), 1);
    assert.equal(exitCode([]), 0);
  });
});

describe('diagnose exit status and JSON on failure', () => {
  const capture = captureMain;

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
