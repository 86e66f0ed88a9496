/**
 * The node-side swarm probe, pure: who dials whom (on the lab's recorded answers), the argv the
 * helper runs (targets never in the script's text), how its output reads, and the findings
 * (DNE220, DNE218). The script itself runs once under the host's busybox against loopback.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { Codes } from '../../../src/core/diagnostics/codes';
import type { Finding } from '../../../src/core/diagnostics/finding';
import {
  checkNodeTarget,
  nodeNameOf,
  nodeProbeCommand,
  nodeProbePlans,
  readNodeProbeOutput,
  type NodePortOutcome,
  type NodeProbeRun,
} from '../../../src/core/diagnostics/live/swarmNodeProbe';
import { swarmGroups, type PortTarget, type SwarmGroup } from '../../../src/core/diagnostics/live/swarmPorts';
import { diagnose, ENGINES, failure, load, summary, views, type HostName } from './swarmFixtures';

/** What each node's side found: `outcome(from, to, port)`, open unless told. */
function runs(outcome: (from: string, to: string, port: number) => NodePortOutcome = () => ({ kind: 'open' })) {
  return (group: SwarmGroup): NodeProbeRun[] =>
    nodeProbePlans(group).map((plan) =>
      plan.kind === 'plan'
        ? {
            kind: 'ran',
            from: plan.from,
            image: 'busybox:latest',
            rejected: plan.rejected,
            results: plan.targets.map((target) => ({ ...target, outcome: outcome(nodeNameOf(plan.from), target.node, target.port) })),
          }
        : plan,
    );
}

const timedOut: NodePortOutcome = { kind: 'timeout', said: 'nc: timed out' };
const notChecked = (findings: Finding[]) => findings.find((finding) => finding.code === Codes.swarmPortsNotChecked)!.message;

for (const engine of ENGINES) {
  describe(`node-side swarm probe on Engine ${engine}'s recorded answers`, () => {
    it("each active member dials every other node's 2377/tcp and 7946/tcp, never its own", () => {
      const [group, ...others] = swarmGroups(views(load(engine, 'healthy')));
      assert.equal(others.length, 0);
      const plans = nodeProbePlans(group);
      assert.deepEqual(
        plans.map((plan) => (plan.kind === 'plan' ? [plan.from.host.name, plan.targets.map((t) => `${t.node}:${t.port}`).sort()] : plan)),
        (['docker1', 'docker2', 'docker3'] as HostName[]).map((from) => [
          from,
          ['docker1', 'docker2', 'docker3']
            .filter((node) => node !== from)
            .flatMap((node) => [`${node}:2377`, `${node}:7946`])
            .sort(),
        ]),
      );
    });

    it('a locked node is dialled by nobody and dials nobody; a node no host stands for is said, not dialled from', () => {
      const [locked] = swarmGroups(views(load(engine, 'docker2-locked')));
      const plans = nodeProbePlans(locked);
      assert.deepEqual(
        plans.filter((plan) => plan.kind === 'not-run'),
        [{ kind: 'not-run', from: 'docker2', why: 'locked: its swarm ports stay closed until it is unlocked' }],
      );
      for (const plan of plans) if (plan.kind === 'plan') assert.ok(!plan.targets.some((target) => target.node === 'docker2'));
      const [partial] = swarmGroups(views(load(engine, 'healthy')).filter((view) => view.host.name !== 'docker3'));
      const unknown = nodeProbePlans(partial).filter((plan) => plan.kind === 'not-run');
      assert.deepEqual(unknown, [{ kind: 'not-run', from: 'docker3', why: 'not one of the given hosts' }]);
    });

    it('docker1 → docker2 dropped, open from here and from docker3: one DNE220 on docker2 naming both ends and what nc said', () => {
      const all = views(load(engine, 'healthy'));
      const findings = diagnose(
        all,
        undefined,
        runs((from, to) => (from === 'docker1' && to === 'docker2' ? timedOut : { kind: 'open' })),
      );
      assert.deepEqual(summary(findings), [
        [Codes.swarmPortClosedBetweenNodes, 'error', 'docker2'],
        [Codes.swarmPortsNotChecked, 'information', 'docker1'],
      ]);
      assert.match(
        findings[0].message,
        /^Swarm node "docker1" cannot open 2377\/tcp and 7946\/tcp of node "docker2" at 192\.168\.\d+\.12: from docker1, docker2's 2377\/tcp: timed out \(nc: "timed out"\); 7946\/tcp: timed out \(nc: "timed out"\) \(nc in a helper container on docker1's network\)\. From this machine they are open, and from docker3 too: the path from docker1 is what is closed, by a firewall on docker2 against docker1's address 192\.168\.\d+\.11/,
      );
      assert.match(
        findings[0].message,
        /iptables -I INPUT -p tcp -s 192\.168\.\d+\.11 --dport 2377 -j ACCEPT; iptables -I INPUT -p tcp -s 192\.168\.\d+\.11 --dport 7946 -j ACCEPT, with 7946\/udp beside it/,
      );
      assert.match(
        notChecked(findings),
        /Measured from the nodes themselves \(a helper container with each node's network, removed after\): docker1: 4 TCP ports on 2 nodes, 2 open; docker2: 4 TCP ports on 2 nodes, 4 open; docker3: 4 TCP ports on 2 nodes, 4 open\. Not checked: 7946\/udp and the data port 4789\/udp \(a UDP probe gets no answer either way\), IP protocol 50 \(ESP\) for encrypted overlays\. /,
      );
    });

    it('a port closed from here too is DNE216 alone; refused is said as refused', () => {
      const findings = diagnose(
        views(load(engine, 'healthy')),
        (node, port) => (node === 'docker2' && port === 7946 ? failure('timeout') : { kind: 'open' }),
        runs((from, to, port) =>
          to === 'docker2' && port === 7946
            ? timedOut
            : from === 'docker3' && to === 'docker2'
              ? { kind: 'refused', said: "nc: can't connect to remote host (192.168.81.12): Connection refused" }
              : { kind: 'open' },
        ),
      );
      assert.deepEqual(summary(findings), [
        [Codes.swarmPortClosed, 'error', 'docker2'],
        [Codes.swarmPortClosedBetweenNodes, 'error', 'docker2'],
        [Codes.swarmPortsNotChecked, 'information', 'docker1'],
      ]);
      assert.match(
        findings[1].message,
        /^Swarm node "docker3" cannot open 2377\/tcp of node "docker2" .*: from docker3, docker2's 2377\/tcp: refused \(nc: "can't connect to remote host \(192\.168\.81\.12\): Connection refused"\)/,
      );
      assert.match(findings[1].message, /From this machine it is open, and from docker1 too/);
    });

    it("each end is named as the swarm knows it (its hostname), not as it was given (the CLI's name is the URL)", () => {
      const byUrl = views(load(engine, 'healthy')).map((view) => ({ ...view, host: { ...view.host, name: view.host.url } }));
      const findings = diagnose(
        byUrl,
        undefined,
        runs((from, to) => (from === 'docker1' && to === 'docker2' ? timedOut : { kind: 'open' })),
      );
      const between = findings.find((finding) => finding.code === Codes.swarmPortClosedBetweenNodes);
      assert.match(between?.message ?? '', /^Swarm node "docker1" cannot open .* of node "docker2" .*: from docker1, docker2's 2377\/tcp/);
      assert.match(notChecked(findings), /docker1: 4 TCP ports on 2 nodes, 2 open; docker2: 4 TCP ports/);
    });

    it('off: DNE218 says node-to-node TCP was not checked, and how to turn it on', () => {
      const said = notChecked(diagnose(views(load(engine, 'healthy'))));
      assert.match(
        said,
        /the path between each pair of nodes \(only this machine's own path was tried: node-to-node TCP was not checked; the dockerNetworkExplorer\.diagnostics\.probeFromNodes setting or diagnose --probe-from-nodes checks it from each node/,
      );
    });

    it('a node without a helper image: not checked from there, said; an unchecked port is no finding', () => {
      const noImage = (group: SwarmGroup) =>
        runs((from) => (from === 'docker3' ? { kind: 'unchecked', why: 'no nc there (nor a busybox that has it)' } : { kind: 'open' }))(
          group,
        ).map((run): NodeProbeRun =>
          run.kind === 'ran' && run.from.host.name === 'docker2'
            ? { kind: 'not-run', from: 'docker2', why: 'no helper image there: looked for busybox:latest, alpine:latest; none is pulled' }
            : run,
        );
      const findings = diagnose(views(load(engine, 'healthy')), undefined, noImage);
      assert.deepEqual(summary(findings), [[Codes.swarmPortsNotChecked, 'information', 'docker1']]);
      assert.match(
        notChecked(findings),
        /docker1: 4 TCP ports on 2 nodes, 4 open; docker3: 4 TCP ports on 2 nodes, 0 open, 4 not checked \(not checked \(no nc there \(nor a busybox that has it\)\)\)\. Not checked from docker2 \(no helper image there: looked for busybox:latest, alpine:latest; none is pulled\)\. Not checked: .*, and TCP from the nodes named above\./,
      );
    });
  });
}

describe('node-side probe: what reaches the shell', () => {
  const target = (addr: string, port = 2377): PortTarget => ({ node: 'n', addr, port });

  it('addresses: IPv4, IPv6 and host names pass; option-looking, shell-special and out-of-range do not', () => {
    for (const good of ['192.168.81.12', 'fd00::12', 'docker2', 'node-2.example.com'])
      assert.equal(checkNodeTarget(good, 7946), undefined, good);
    for (const bad of ['-e', '-lp', '1.2.3.4;reboot', '$(id)', '`id`', 'a b', '', "x'y", 'a\nb', '999.1.1.1.1', 'x..y'])
      assert.ok(checkNodeTarget(bad, 7946), JSON.stringify(bad));
    for (const port of [0, 65536, 1.5, Number.NaN, -1]) assert.ok(checkNodeTarget('10.0.0.1', port), String(port));
  });

  it('targets go as argv after the script, never into it; a bad one is refused before any command exists', () => {
    const argv = nodeProbeCommand([target('192.168.81.12'), target('docker3', 7946)]);
    assert.deepEqual(argv.slice(0, 2), ['sh', '-c']);
    assert.deepEqual(argv.slice(3), ['sh', '2', '192.168.81.12', '2377', 'docker3', '7946']);
    assert.ok(!argv[2].includes('192.168.81.12') && !argv[2].includes('docker3'));
    assert.throws(() => nodeProbeCommand([target('$(reboot)')]), /not probing n: "\$\(reboot\)" is no IP address or host name/);
    assert.throws(() => nodeProbeCommand([target('10.0.0.1', 0)]), /port 0 is not 1–65535/);
  });

  it("reads each target's outcome by its index, whatever order the lines came in", () => {
    const targets = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'].map((addr) => target(addr));
    const output = [
      "1 nc: can't connect to remote host (10.0.0.2): Connection refused",
      '0 ',
      '0 @@dne-node end 0 3',
      '2 nc: timed out',
      '1 ',
      '1 @@dne-node end 1 1',
      '3 ',
      '3 @@dne-node end 143 301',
      '2 ',
      '2 @@dne-node end 1 200',
      "4 nc: can't connect to remote host (10.0.0.5): No route to host",
      '4 @@dne-node end 1 300',
      '5 @@dne-node missing',
      '6 sh: busybox: not found',
      '6 @@dne-node end 127 0',
      'stray line',
    ].join('\n');
    const outcomes = readNodeProbeOutput(output, targets, true).map((result) => result.outcome);
    assert.deepEqual(outcomes, [
      { kind: 'open' },
      { kind: 'refused', said: "nc: can't connect to remote host (10.0.0.2): Connection refused" },
      { kind: 'timeout', said: 'nc: timed out' },
      { kind: 'open' },
      { kind: 'unreachable', said: "nc: can't connect to remote host (10.0.0.5): No route to host" },
      { kind: 'unchecked', why: 'no nc there (nor a busybox that has it)' },
      { kind: 'unchecked', why: 'nc could not run (sh: busybox: not found)' },
      { kind: 'unchecked', why: 'the check printed nothing' },
    ]);
    assert.deepEqual(readNodeProbeOutput('', [target('a')], false)[0].outcome, { kind: 'unchecked', why: 'no result within 8 s' });
  });

  const busybox = ['/bin/busybox', '/usr/bin/busybox'].find((file) => fs.existsSync(file));
  it(
    "runs under busybox sh as in the lab's image (nc only as an applet): open, refused and held-open loopback ports",
    { skip: !busybox && 'no busybox on this machine' },
    async () => {
      // A PATH like the lab image's: sh and busybox, no nc of its own (pick finds `busybox nc`).
      const bin = fs.mkdtempSync(path.join(os.tmpdir(), 'dne-nodeprobe-'));
      fs.symlinkSync(busybox!, path.join(bin, 'busybox'));
      fs.symlinkSync(busybox!, path.join(bin, 'sh'));
      const server = net.createServer((socket) => socket.end());
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      // A listener that keeps the connection open (as a swarm port may): `timeout` ends nc, connected all the same.
      const held: net.Socket[] = [];
      const holding = net.createServer((socket) => void held.push(socket));
      await new Promise<void>((resolve) => holding.listen(0, '127.0.0.1', resolve));
      const closed = net.createServer();
      await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
      const closedPort = (closed.address() as net.AddressInfo).port;
      await new Promise<void>((resolve) => closed.close(() => resolve()));
      try {
        const targets = [
          target('127.0.0.1', (server.address() as net.AddressInfo).port),
          target('127.0.0.1', closedPort),
          target('127.0.0.1', (holding.address() as net.AddressInfo).port),
        ];
        const [command, ...args] = nodeProbeCommand(targets, 1);
        const output = await new Promise<string>((resolve, reject) =>
          execFile(path.join(bin, command), args, { env: { PATH: bin }, timeout: 10_000 }, (error, stdout) =>
            error ? reject(error) : resolve(stdout),
          ),
        );
        const outcomes = readNodeProbeOutput(output, targets, true).map((result) => result.outcome);
        assert.deepEqual(outcomes[0], { kind: 'open' }, output);
        assert.equal(outcomes[1].kind, 'refused', output);
        assert.deepEqual(outcomes[2], { kind: 'open' }, output);
      } finally {
        for (const socket of held) socket.destroy();
        holding.close();
        server.close();
        fs.rmSync(bin, { recursive: true, force: true });
      }
    },
  );
});
