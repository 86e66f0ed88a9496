/**
 * The live probe's script and how its output is read, on output recorded from Debian's static
 * busybox 1.35 in a container (fixtures/reachability/busyboxBatch.txt: three targets checked side
 * by side — a name that answers on 80, a name that does not resolve, an address refusing 81).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { toProbeResult, type LiveProbeResult } from '../../../src/core/reachability/probe';
import {
  checkProbeTarget,
  hostsAddresses,
  nslookupAddresses,
  probeCommand,
  readBatchOutput,
  readProbeOutput,
  type ProbeQuestion,
} from '../../../src/core/reachability/probeScript';

const recorded = fs.readFileSync(path.resolve(__dirname, '../../../../test/unit/fixtures/reachability/busyboxBatch.txt'), 'utf8');
const batch: ProbeQuestion[] = [
  { target: 'rl-cli-b', port: 80, waitSeconds: 1 },
  { target: 'nosuch', port: 81, waitSeconds: 1 },
  { target: '192.168.0.3', port: 81, waitSeconds: 1 },
];
const outcomes = (question: number) => readBatchOutput(recorded, batch)[question].map((step) => `${step.check}:${step.outcome}`);

describe('probe script output (recorded from busybox)', () => {
  it('splits interleaved lines by target and reads each check', () => {
    assert.deepEqual(outcomes(0), ['hosts:failed', 'dns:passed', 'icmp:passed', 'tcp:passed']);
    assert.deepEqual(outcomes(1), ['hosts:failed', 'dns:failed', 'icmp:failed', 'tcp:failed']);
    assert.deepEqual(outcomes(2), ['hosts:failed', 'icmp:passed', 'tcp:failed']);
  });

  it('a name that resolves: the addresses from nslookup and ping, the tool as run', () => {
    const [hosts, dns, icmp, tcp] = readBatchOutput(recorded, batch)[0];
    assert.deepEqual(hosts.addresses, []);
    assert.deepEqual(dns.addresses, ['192.168.0.3']);
    assert.equal(dns.command, 'nslookup rl-cli-b');
    assert.deepEqual(icmp.addresses, ['192.168.0.3']);
    assert.equal(icmp.command, 'ping -c 1 -W 1 rl-cli-b');
    assert.equal(tcp.command, 'nc -w 1 rl-cli-b 80 </dev/null');
    assert.equal(tcp.summary, 'TCP connection to rl-cli-b:80 made');
    assert.equal(tcp.durationMs, 10);
  });

  it('a name that does not resolve: nslookup cut off by timeout (143), ping "bad address", nc "timed out" read as not resolving', () => {
    const [, dns, icmp, tcp] = readBatchOutput(recorded, batch)[1];
    assert.equal(dns.exitCode, 143);
    assert.equal(dns.summary, 'no DNS answer for nosuch within 2 s');
    assert.equal(dns.durationMs, 2000);
    assert.match(icmp.summary, /^ping cannot resolve nosuch: ping: bad address 'nosuch'$/);
    assert.equal(tcp.summary, 'cannot resolve nosuch (nc: timed out)');
  });

  it('a refused port: the way is open, nothing listens', () => {
    const tcp = readBatchOutput(recorded, batch)[2].at(-1);
    assert.equal(tcp?.outcome, 'failed');
    assert.match(tcp?.summary ?? '', /^TCP connection to 192\.168\.0\.3:81 refused: the way there is open, but nothing listens on 81/);
  });
});

describe('probe script judgement', () => {
  const one = (lines: string[], question: ProbeQuestion) => readProbeOutput(lines.join('\n'), question);
  const q = { target: '10.0.0.5', port: 80, waitSeconds: 2 };

  it('nc cut off by timeout after connecting: the listener kept the connection open', () => {
    const [tcp] = one(['@@dne begin tcp 100 nc', '@@dne end 143 400'], q);
    assert.equal(tcp.outcome, 'passed');
    assert.match(tcp.summary, /kept it open/);
  });

  it('no answer within the wait (dropped), and wget reached by an HTTP error status', () => {
    assert.equal(
      one(['@@dne begin tcp 100 busybox nc', 'nc: timed out', '@@dne end 1 300'], q)[0].summary,
      'no TCP answer from 10.0.0.5:80 within 2 s (nc: timed out)',
    );
    const [wget] = one(['@@dne begin tcp 100 wget', 'wget: server returned error: HTTP/1.1 404 Not Found', '@@dne end 1 101'], q);
    assert.equal(wget.outcome, 'passed');
    assert.equal(wget.command, 'wget -q -O /dev/null http://10.0.0.5:80/');
  });

  it('a missing tool is "missing", not a failed check; ping without permission is an error', () => {
    assert.deepEqual(
      one(['@@dne missing icmp'], q).map((step) => [step.check, step.outcome, step.summary]),
      [['icmp', 'missing', 'no ping here']],
    );
    const [icmp] = one(['@@dne begin icmp 1 ping', 'ping: permission denied (are you root?)', '@@dne end 1 2'], {
      target: '10.0.0.5',
      waitSeconds: 2,
    });
    assert.equal(icmp.outcome, 'error');
  });

  it('a ping with no reply (ICC off, iptables drop)', () => {
    const [icmp] = one(
      [
        '@@dne begin icmp 1 ping',
        'PING 10.0.0.5 (10.0.0.5): 56 data bytes',
        '',
        '1 packets transmitted, 0 packets received, 100% packet loss',
        '@@dne end 1 201',
      ],
      { target: '10.0.0.5', waitSeconds: 2 },
    );
    assert.deepEqual([icmp.outcome, icmp.summary], ['failed', 'no ping reply from 10.0.0.5 within 2 s']);
  });

  it('text outside markers and unknown markers are ignored', () => {
    assert.deepEqual(one(['noise', '@@dne begin bogus 1', 'x', '@@dne end 0 2'], q), []);
  });
});

describe('probe script helpers', () => {
  it('/etc/hosts: every name of a line, case-insensitive, comments dropped', () => {
    const hosts = '127.0.0.1\tlocalhost\n172.17.0.3\tweb 1a2b3c4d5e6f srv # legacy link\n172.17.0.4\tother # web\n';
    assert.deepEqual(hostsAddresses(hosts, 'WEB'), ['172.17.0.3']);
    assert.deepEqual(hostsAddresses(hosts, 'srv'), ['172.17.0.3']);
    assert.deepEqual(hostsAddresses(hosts, 'nope'), []);
  });

  it("nslookup: the answer's addresses, not the server's", () => {
    assert.deepEqual(
      nslookupAddresses('Server:\t\t127.0.0.11\nAddress:\t127.0.0.11:53\n\nName:\tweb\nAddress: 10.1.0.2\nName:\tweb\nAddress: 10.1.0.3\n'),
      ['10.1.0.2', '10.1.0.3'],
    );
    assert.deepEqual(nslookupAddresses("Server:\t\t127.0.0.11\nAddress:\t127.0.0.11:53\n\n** server can't find x: NXDOMAIN\n"), []);
  });

  it('refuses targets that could be options or shell text; names and addresses pass', () => {
    for (const bad of ['-f', '--help', 'a b', 'x;rm', '$(id)', "it's", '']) assert.ok(checkProbeTarget(bad), bad);
    for (const good of ['web1', 'db', 'my_app.local', '10.0.0.5', 'a-b']) assert.equal(checkProbeTarget(good), undefined, good);
  });

  it('passes targets to sh as arguments, never as script text', () => {
    const argv = probeCommand([
      { target: 'web1', port: 80, waitSeconds: 2 },
      { target: '10.0.0.5', waitSeconds: 2 },
    ]);
    assert.deepEqual(argv.slice(0, 2), ['sh', '-c']);
    assert.doesNotMatch(argv[2], /web1|10\.0\.0\.5/);
    assert.deepEqual(argv.slice(3), ['sh', '2', 'web1', '80', '1', '10.0.0.5', '', '']);
  });

  it('the script is valid sh (sh -n)', { skip: spawnSync('sh', ['-c', 'true']).status !== 0 && 'no sh' }, () => {
    const check = spawnSync('sh', ['-n', '-c', probeCommand([{ target: 'x', waitSeconds: 1 }])[2]], { encoding: 'utf8' });
    assert.equal(check.status, 0, check.stderr);
  });
});

describe('the contract shape (toProbeResult)', () => {
  const live: LiveProbeResult = {
    verdict: 'reachable',
    summary: 'TCP connection to db:80 made',
    venue: { kind: 'helper', container: 'web1', image: 'busybox:latest' },
    evidence: readBatchOutput(recorded, batch)[0],
    addresses: ['192.168.0.3'],
    elapsedMs: 50,
  };

  it('leads with where it ran; each check under sh, as it can be typed again; /etc/hosts left out when DNS resolved', () => {
    const result = toProbeResult(live, { fromName: 'web1', expectedAddresses: ['192.168.0.3'] });
    assert.equal(result.verdict, 'reachable');
    assert.deepEqual(
      result.evidence.map((line) => line.check),
      ['setup', 'dns', 'icmp', 'tcp'],
    );
    assert.equal(result.evidence[0].command, 'docker run --rm --network container:web1 busybox:latest');
    assert.match(result.evidence[0].output, /helper container from busybox:latest sharing web1's network namespace/);
    assert.equal(
      result.evidence[3].command,
      "docker run --rm --network container:web1 busybox:latest sh -c 'nc -w 1 rl-cli-b 80 </dev/null'",
    );
  });

  it('says so when the name resolved elsewhere than the model expects', () => {
    const result = toProbeResult(
      { ...live, venue: { kind: 'container', container: 'web1' } },
      { fromName: 'web1', expectedAddresses: ['10.9.0.2'] },
    );
    const last = result.evidence.at(-1);
    assert.equal(last?.check, 'setup');
    assert.equal(last?.ok, false);
    assert.match(last?.output ?? '', /resolved to 192\.168\.0\.3, not where the model expects it \(10\.9\.0\.2\)/);
  });
});
