/** `reach` arguments and output, without a daemon. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { EXIT_USAGE, runReach } from '../../../src/cli/reach';
import { parseReachArgs } from '../../../src/cli/reachArgs';
import { reachJson, reachText } from '../../../src/cli/reachFormat';
import { explain } from '../../../src/core/reachability/explain';
import { host } from '../reachWorld';
import { captureCli, itRefuses } from './captureCli';

describe('reach arguments', () => {
  it('FROM TARGET with every option, repeated hosts kept in order', () => {
    assert.deepEqual(
      parseReachArgs([
        '--host',
        'unix:///a.sock',
        'web1',
        '--host=tcp://h:2376',
        'web2',
        '--port',
        '80',
        '--probe',
        '--json',
        '--timeout=900',
        '--routes',
        'r.txt',
        '--helper-image',
        'busybox',
      ]),
      {
        kind: 'reach',
        args: {
          hosts: ['unix:///a.sock', 'tcp://h:2376'],
          from: 'web1',
          target: 'web2',
          port: 80,
          probe: true,
          json: true,
          timeoutMs: 900,
          routesFile: 'r.txt',
          helperImage: 'busybox',
          notes: [],
        },
      },
    );
    assert.deepEqual(parseReachArgs(['a', 'b']), {
      kind: 'reach',
      args: { hosts: [], from: 'a', target: 'b', probe: false, json: false, timeoutMs: 5000, notes: [] },
    });
  });
  const usage: Array<[string[], RegExp]> = [
    [['web1'], /give FROM and TARGET/],
    [['a', 'b', 'c'], /one FROM and one TARGET, got 3 words/],
    [['a', 'b', '--port', '0'], /--port needs a TCP port from 1 to 65535, got 0/],
    [['a', 'b', '--port', '80x'], /got 80x/],
    [['a', 'b', '--port'], /got nothing/],
    [['a', 'b', '--bogus'], /unknown option --bogus/],
    [['a', 'b', '--host'], /--host needs a daemon URL/],
    [['a', 'b', '--host', ' '], /--host needs a daemon URL/],
    [['a', 'b', '--host= '], /--host needs a daemon URL/],
    [['a', 'b', '--routes', ''], /--routes needs a file/],
    [['a', 'b', '--json=maybe'], /--json takes true or false, got "maybe"/],
    [['a', 'b', '--json=toString'], /--json takes true or false/],
    [['a', 'b', '--timeout', '1.5'], /--timeout needs a positive number/],
  ];
  itRefuses(parseReachArgs, usage);
  it('help', () => assert.equal(parseReachArgs(['a', '-h']).kind, 'help'));

  const argsOf = (argv: string[]) => {
    const parsed = parseReachArgs(argv);
    assert.equal(parsed.kind, 'reach', JSON.stringify(parsed));
    return parsed.kind === 'reach' ? parsed.args : assert.fail();
  };
  it('switches read "=value" as the docker CLI does: --json=false is off, --probe=1 on', () => {
    assert.equal(argsOf(['a', 'b', '--json=false']).json, false);
    assert.equal(argsOf(['a', 'b', '--json', '--json=0']).json, false);
    assert.equal(argsOf(['a', 'b', '--probe=1']).probe, true);
  });
  it('"--" ends the options: what follows is FROM and TARGET, even "-x" or "--json"', () => {
    const args = argsOf(['--probe', '--', '-x', '--json']);
    assert.deepEqual([args.from, args.target, args.json, args.probe], ['-x', '--json', false, true]);
  });
  it('-H is --host, and a host is trimmed', () => {
    assert.deepEqual(argsOf(['-H', ' unix:///a.sock ', 'a', 'b']).hosts, ['unix:///a.sock']);
  });
  it('a --timeout longer than a timer can wait is clamped, and the clamp is said', () => {
    const args = argsOf(['a', 'b', '--timeout', '99999999999']);
    assert.equal(args.timeoutMs, 2 ** 31 - 1);
    assert.deepEqual(args.notes, ['--timeout 99999999999 is longer than a timer can wait: using 2147483647 ms (about 24.8 days).']);
  });
});

describe('reach exit status and JSON on bad usage (no daemon asked)', () => {
  const capture = (argv: string[]) => captureCli((out, err) => runReach(argv, out, err));
  it("--host ' ' is bad usage: 2, said on stderr with the usage", async () => {
    const result = await capture(['--host', ' ', 'a', 'b']);
    assert.equal(result.status, EXIT_USAGE);
    assert.match(result.stderr, /^docker-network-explorer reach: --host needs a daemon URL[^\n]*\n\nUsage: docker-network-explorer reach/);
    assert.equal(result.stdout, '');
  });
  it('--json asks for the error as JSON, --json=false does not', async () => {
    const json = await capture(['--json', 'a']);
    assert.deepEqual(JSON.parse(json.stdout), {
      error: { kind: 'usage', message: 'give FROM and TARGET, e.g. reach web1 web2 --port 80' },
    });
    assert.equal((await capture(['--json=false', 'a'])).stdout, '');
    assert.equal((await capture(['--', '--json'])).stdout, '');
  });
  it('a control character in a word is shown escaped on stderr, not sent to the terminal', async () => {
    const result = await capture(['a', 'b', '--bogus\u001b[31m']);
    assert.equal(result.status, EXIT_USAGE);
    assert.match(result.stderr, /unknown option --bogus\\u\{1b\}\[31m/);
    assert.ok(!result.stderr.includes('\u001b'));
  });
});

describe('reach output', () => {
  const hosts = [
    host(
      '26',
      'h',
      [{ name: 'app\u001b[31m', subnet: '10.30.0.0/24' }],
      [
        { name: 'a', networks: { 'app\u001b[31m': { ip: '10.30.0.2' } } },
        { name: 'b', networks: { 'app\u001b[31m': { ip: '10.30.0.3', aliases: ['api'] } } },
      ],
    ),
  ];
  it("text: verdict, names, networks, path and reasons, with a daemon's control characters shown, not run", () => {
    const text = reachText(explain(hosts, { from: 'a', target: 'api', port: 80 }));
    assert.match(text, /^a → api port 80: REACHABLE\n/);
    assert.match(text, /api \(alias\) on app\\u\{1b\}\[31m: → 10\.30\.0\.3/);
    assert.match(text, /path: a → app\\u\{1b\}\[31m → b/);
    assert.match(text, /\[shared-network\]/);
    assert.ok(!text.includes('\u001b'));
  });
  it('JSON is the answer itself, plus whether a probe agreed when one ran', () => {
    const answer = explain(hosts, { from: 'a', target: 'b' });
    assert.deepEqual(reachJson(answer), answer);
    const probed = {
      ...answer,
      probe: {
        verdict: 'unreachable' as const,
        evidence: [{ check: 'icmp' as const, command: 'ping -c1 b', ok: false, output: '100% packet loss', durationMs: 2000 }],
      },
    };
    assert.equal(reachJson(probed).probeAgrees, false);
    assert.match(reachText(probed), /probe: UNREACHABLE — DISAGREES with the explanation/);
  });
});
