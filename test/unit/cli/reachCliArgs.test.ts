/** `reach` arguments and output, without a daemon. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseReachArgs } from '../../../src/cli/reachArgs';
import { reachJson, reachText } from '../../../src/cli/reachFormat';
import { explain } from '../../../src/core/reachability/explain';
import { host } from '../reachWorld';

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
        },
      },
    );
    assert.deepEqual(parseReachArgs(['a', 'b']), {
      kind: 'reach',
      args: { hosts: [], from: 'a', target: 'b', probe: false, json: false, timeoutMs: 5000 },
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
  ];
  for (const [argv, problem] of usage) {
    it(`refuses ${argv.join(' ')}`, () => {
      const parsed = parseReachArgs(argv);
      assert.equal(parsed.kind, 'usage');
      assert.match(parsed.kind === 'usage' ? parsed.problem : '', problem);
    });
  }
  it('help', () => assert.equal(parseReachArgs(['a', '-h']).kind, 'help'));
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
