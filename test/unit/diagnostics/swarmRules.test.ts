/**
 * The swarm doctor's rules (DNE210–219) on answers recorded from the swarm lab's real daemons
 * (test/fixtures/swarm/<engine>/<state>.json: each host's `docker info` swarm part and its
 * `GET /nodes`, status and body, as the daemon gave them), plus the ports as a probe would find them.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Codes } from '../../../src/core/diagnostics/codes';
import { crossHostFindings } from '../../../src/core/diagnostics/live/crossHost';
import type { NetworkFacts } from '../../../src/core/diagnostics/live/docker';
import { portTargets, swarmGroups } from '../../../src/core/diagnostics/live/swarmPorts';
import { NO_LEADER } from '../../../src/core/diagnostics/live/swarmRules';
import { diagnose, ENGINES, failure, load, summary, urlOf, views } from './swarmFixtures';

for (const engine of ENGINES) {
  describe(`swarm rules on Engine ${engine}'s recorded answers`, () => {
    it('healthy: only what was measured and what was not (DNE218), with the data port the swarm reports', () => {
      const findings = diagnose(views(load(engine, 'healthy')));
      assert.deepEqual(summary(findings), [[Codes.swarmPortsNotChecked, 'information', 'docker1']]);
      assert.match(
        findings[0].message,
        /^Measured from this machine only: 6 TCP ports \(2377 on managers, 7946 on every node\) on 3 nodes, 6 open\. Not checked: 7946\/udp and the data port 4789\/udp/,
      );
    });

    it('docker1 stopped: down and unreachable (DNE214, DNE215) and quorum at risk (DNE213), once, from the first manager that listed the nodes; its refused ports are not repeated', () => {
      const findings = diagnose(views(load(engine, 'docker1-stopped')), (node) =>
        node === 'docker1' ? failure('refused') : { kind: 'open' },
      );
      assert.deepEqual(summary(findings), [
        [Codes.swarmNodeDown, 'warning', 'docker2'],
        [Codes.swarmManagerUnreachable, 'warning', 'docker2'],
        [Codes.swarmQuorumAtRisk, 'warning', 'docker2'],
        [Codes.swarmPortsNotChecked, 'information', 'docker2'],
      ]);
      assert.match(
        findings[2].message,
        /^2 of 3 swarm managers are reachable \(not: docker1\); quorum needs 2, so losing one more manager leaves the swarm without a leader/,
      );
      assert.ok(findings[2].message.includes(`"${NO_LEADER}"`));
    });

    it("docker2 locked (autolock, dockerd restarted): DNE211 in Docker's words; the managers' findings say unlock, and its closed ports are not probed", () => {
      const recorded = load(engine, 'docker2-locked');
      const words = 'Swarm is encrypted and needs to be unlocked before it can be used. Please use "docker swarm unlock" to unlock it.';
      assert.deepEqual(recorded.docker2.nodes, { status: 503, body: { message: words } });
      const all = views(recorded);
      const [group, ...others] = swarmGroups(all);
      assert.equal(others.length, 0, 'the locked node is in the swarm that lists it');
      assert.ok(!portTargets(group).some((target) => target.node === 'docker2'), 'no port of the locked node is probed');
      const findings = diagnose(all);
      assert.deepEqual(summary(findings), [
        [Codes.swarmLocked, 'error', 'docker2'],
        [Codes.swarmNodeDown, 'warning', 'docker2'],
        [Codes.swarmManagerUnreachable, 'warning', 'docker2'],
        [Codes.swarmQuorumAtRisk, 'warning', 'docker1'],
        [Codes.swarmPortsNotChecked, 'information', 'docker1'],
      ]);
      const [locked, down, unreachable, risk, notChecked] = findings;
      assert.ok(locked.message.includes(`Docker says "${words}"`), locked.message);
      for (const finding of [down, unreachable])
        assert.ok(finding.message.includes('It is locked (DNE211): docker swarm unlock on it'), finding.message);
      assert.ok(!unreachable.message.includes('open 2377/tcp'), unreachable.message);
      assert.match(risk.message, /\(not: docker2\).* Unlock docker2 \(docker swarm unlock\), or remove it for good/);
      assert.match(
        notChecked.message,
        /on 2 nodes, 4 open\. Not probed: docker2 \(locked: its swarm ports stay closed until it is unlocked\)\./,
      );
    });

    for (const state of ['pending', 'error'] as const) {
      it(`docker2 joining a manager nobody answers at: ${state} (DNE210)${state === 'error' ? " in Docker's words" : ''}, its closed ports not probed`, () => {
        const recorded = load(engine, `docker2-${state}`);
        const said = recorded.docker2.info?.Swarm?.Error ?? '';
        const all = views(recorded);
        assert.ok(!swarmGroups(all).some((group) => portTargets(group).some((target) => target.node === 'docker2')));
        const findings = diagnose(all).filter((finding) => finding.file === urlOf('docker2'));
        assert.deepEqual(summary(findings), [
          [Codes.swarmNodeError, state === 'error' ? 'error' : 'warning', 'docker2'],
          [Codes.swarmPortsNotChecked, 'information', 'docker2'],
        ]);
        if (state === 'pending') {
          assert.equal(said, '');
          assert.match(
            findings[0].message,
            /^"docker2" is in swarm state pending\. It has not reached a manager yet: check that 192\.168\.\d+\.99:2377 answer on 2377\/tcp from "docker2"\. 192\.168\.\d+\.99:2377 is no manager of the swarm docker1, docker3 are in \(its managers: 192\.168\.\d+\.11:2377, 192\.168\.\d+\.13:2377\): if that is the swarm meant, docker swarm leave --force on it, then the command docker swarm join-token worker \(or manager\) prints on one of them\.$/,
          );
          assert.match(
            findings[1].message,
            /Not probed: docker2 \(pending: it has not joined yet, and opens no swarm port until it does\)/,
          );
        } else {
          assert.match(
            said,
            /^rpc error: code = Unavailable desc = connection error: desc = "transport: Error while dialing:? dial tcp 192\.168\.\d+\.99:2377: connect: no route to host"$/,
          );
          assert.ok(findings[0].message.startsWith(`"docker2" is in swarm state error: Docker says "${said}". `), findings[0].message);
          assert.match(findings[0].message, /docker swarm leave --force on it and join again/);
          assert.match(findings[1].message, /Not probed: docker2 \(error: out of the swarm until it joins again\)/);
        }
      });
    }

    it("no quorum: DNE212 quotes what the daemon said, Docker's own words", () => {
      const recorded = load(engine, 'no-quorum');
      assert.equal((recorded.docker3.nodes.body as { message: string }).message, `rpc error: code = Unknown desc = ${NO_LEADER}`);
      const findings = diagnose(views(recorded));
      assert.deepEqual(summary(findings), [
        [Codes.swarmNoQuorum, 'error', 'docker3'],
        [Codes.swarmPortsNotChecked, 'information', 'docker3'],
      ]);
      assert.match(
        findings[0].message,
        /^Swarm manager "docker3" has no quorum: Docker says "rpc error: code = Unknown desc = The swarm does not have a leader\./,
      );
      assert.match(
        findings[0].message,
        /It knows 3 managers; 2 must be up .* \(not answering here: 192\.168\.\d+\.11:2377, 192\.168\.\d+\.12:2377\)/,
      );
    });

    it('a port dropped on docker2 (DNE216, on docker2); every port silent there: its advertise address (DNE217)', () => {
      const healthy = views(load(engine, 'healthy'));
      const one = diagnose(healthy, (node, port) => (node === 'docker2' && port === 7946 ? failure('timeout') : { kind: 'open' }));
      assert.deepEqual(summary(one).slice(0, 1), [[Codes.swarmPortClosed, 'error', 'docker2']]);
      assert.match(
        one[0].message,
        /^Swarm node "docker2" does not accept 7946\/tcp at 192\.168\.\d+\.12 from this machine \(timeout, timeout \(recorded\)\): the gossip .* A firewall drops it: open it from every node \(iptables -I INPUT -p tcp --dport 7946 -j ACCEPT/,
      );
      const refused = diagnose(healthy, (node, port) => (node === 'docker2' && port === 2377 ? failure('refused') : { kind: 'open' }));
      assert.match(refused[0].message, /Nothing listens there: is its dockerd running/);
      const silent = diagnose(healthy, (node) => (node === 'docker2' ? failure('timeout') : { kind: 'open' }));
      assert.deepEqual(summary(silent).slice(0, 1), [[Codes.swarmAdvertiseUnreachable, 'error', 'docker2']]);
      assert.match(
        silent[0].message,
        /^Nothing answers at the advertise address 192\.168\.\d+\.12 of swarm node "docker2" from this machine \(2377\/tcp: timeout, timeout \(recorded\); 7946\/tcp: timeout/,
      );
    });

    it('docker2 advertising an address other than where the managers see it: that address is probed, and named (DNE217)', () => {
      const all = views(load(engine, 'healthy'), (name, swarm) => {
        if (name === 'docker2') swarm.nodeAddr = swarm.nodeAddr.replace(/\.\d+$/, '.99');
        // As in the lab: it joined again as a worker.
        if (swarm.nodes?.kind === 'listed')
          swarm.nodes.nodes = swarm.nodes.nodes.map((node) => (node.hostname === 'docker2' ? { ...node, manager: undefined } : node));
      });
      const findings = diagnose(all, (_node, _port, addr) => (addr.endsWith('.99') ? failure('unreachable') : { kind: 'open' })).filter(
        (finding) => finding.code !== Codes.swarmQuorumAtRisk && finding.code !== Codes.swarmPortsNotChecked,
      );
      assert.deepEqual(summary(findings), [[Codes.swarmAdvertiseUnreachable, 'error', 'docker2']]);
      assert.match(
        findings[0].message,
        /^Nothing answers at the advertise address 192\.168\.\d+\.99 of swarm node "docker2" from this machine \(7946\/tcp: unreachable, .*\); the managers see it connect from 192\.168\.\d+\.12, but its peers gossip to 192\.168\.\d+\.99\./,
      );
    });

    it("each member's own state: pending, error (Docker's text quoted), locked", () => {
      const healthy = load(engine, 'healthy');
      const states: Array<[string, string, string, string]> = [
        ['pending', '', Codes.swarmNodeError, 'warning'],
        ['error', 'rpc error: code = Unavailable desc = connection error', Codes.swarmNodeError, 'error'],
        ['locked', '', Codes.swarmLocked, 'error'],
      ];
      for (const [state, error, code, severity] of states) {
        const findings = diagnose(
          views(healthy, (name, swarm) => {
            if (name !== 'docker2') return;
            swarm.state = state;
            swarm.error = error;
          }),
        );
        assert.deepEqual(summary(findings)[0], [code, severity, 'docker2'], state);
        if (error) assert.ok(findings[0].message.includes(`Docker says "${error}"`));
      }
    });

    it('a locked manager: the refusal of its node list quoted, if it gave one', () => {
      const refusal = 'Swarm is encrypted and needs to be unlocked before it can be used.';
      for (const nodes of [{ kind: 'refused' as const, reason: refusal }, undefined]) {
        const findings = diagnose(
          views(load(engine, 'healthy'), (name, swarm) => {
            if (name !== 'docker2') return;
            swarm.state = 'locked';
            swarm.controlAvailable = false;
            swarm.nodes = nodes;
          }),
        );
        const locked = findings.find((finding) => finding.code === Codes.swarmLocked);
        assert.ok(locked, JSON.stringify(summary(findings)));
        assert.equal(locked.message.includes(`Docker says "${refusal}"`), nodes !== undefined, locked.message);
      }
    });

    it('an encrypted overlay every manager lists: DNE219 once', () => {
      const overlay: NetworkFacts = { name: 'secret', driver: 'overlay', scope: 'swarm', subnets: ['10.66.0.0/24'], encrypted: true };
      const findings = diagnose(views(load(engine, 'healthy'), (_name, _swarm, facts) => facts.networks.push(overlay)));
      const esp = findings.filter((finding) => finding.code === Codes.swarmEncryptedNeedsEsp);
      assert.deepEqual(summary(esp), [[Codes.swarmEncryptedNeedsEsp, 'information', 'docker1']]);
      assert.match(esp[0].message, /^Overlay "secret" is encrypted: between nodes its traffic is ESP \(IP protocol 50\)/);
    });

    it("an overlay over the nodes' own LAN: DNE183 names each host's swarm advertise address", () => {
      const all = views(load(engine, 'healthy'), (_name, swarm, facts) =>
        facts.networks.push({
          name: 'over-lan',
          driver: 'overlay',
          scope: 'swarm',
          subnets: [`${swarm.nodeAddr.replace(/\.\d+$/, '.0')}/24`],
        }),
      );
      const overlaps = crossHostFindings(all).filter((finding) => finding.code === Codes.overlaySubnetOverlap);
      assert.deepEqual(
        summary(overlaps).map(([, , host]) => host),
        ['docker1', 'docker2', 'docker3'],
      );
      assert.match(overlaps[1].message, /overlaps its swarm advertise address 192\.168\.\d+\.12 on "docker2"/);
    });
  });
}

describe('swarm rules: manager counts', () => {
  it('two managers, both reachable: no loss to spare (DNE213)', () => {
    const all = views(load(ENGINES[0], 'healthy'), (_name, swarm) => {
      if (swarm.nodes?.kind === 'listed') swarm.nodes.nodes = swarm.nodes.nodes.filter((node) => node.hostname !== 'docker1');
    });
    const findings = diagnose(all).filter((finding) => finding.code === Codes.swarmQuorumAtRisk);
    assert.equal(findings.length, 1);
    assert.match(
      findings[0].message,
      /^2 of 2 swarm managers are reachable; quorum needs 2, so losing one manager leaves .* 2 managers tolerate no loss, as 1 would: have 3 or 5/,
    );
  });
});
