/**
 * Fault injection on the swarm lab (`up --swarm`; Engine 26 has no cluster store, so this is its
 * partition): one node cut off from its peers by iptables inside ITS namespace only, dropping
 * swarm's ports both ways (TCP 2377, TCP+UDP 7946, UDP 4789). What Docker really says: the
 * managers list it Down (`docker node ls`), and its own `docker info` carries Swarm.Error "… The
 * swarm does not have a leader. …". What the user sees: the swarm doctor's DNE212 on that node,
 * quoting that error, and its ports found closed from here (DNE216/217); the other nodes Ready. Rules removed: Ready again, the doctor quiet, within 150 s.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import Dockerode from 'dockerode';
import { Codes } from '../../src/core/diagnostics/codes';
import { LAB_HOSTS, labProblemsPerHost, labUrlOf, undoRulesAndLabDown, within } from '../support/labFaults';
import { claimLab, labLayout, type Lab, type LabHostName } from '../support/lab';

const LAYOUT = labLayout();
const CUT: LabHostName = 'docker2';
const HEAL_MS = 150_000;
const PORTS = [
  ['tcp', '2377'],
  ['tcp', '7946'],
  ['udp', '7946'],
  ['udp', '4789'],
];
const RULES = ['INPUT', 'OUTPUT'].flatMap((chain) =>
  PORTS.map(([proto, port]) => [chain, '-p', proto, '--dport', port, '-m', 'comment', '--comment', 'dne-faults-swarm', '-j', 'DROP']),
);
const iptables = (...args: string[]) =>
  execFileSync('ip', ['netns', 'exec', LAYOUT.netns(CUT), 'iptables', ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
const docker = (name: LabHostName) => new Dockerode({ socketPath: LAYOUT.socket(name), timeout: 15_000 });

/** Each node's status and manager reachability as a manager other than CUT lists them (docker node ls). */
async function nodeStatus(): Promise<Record<string, string>> {
  const nodes = (await docker('docker1').listNodes()) as Array<{
    Description?: { Hostname?: string };
    Status?: { State?: string };
    ManagerStatus?: { Reachability?: string };
  }>;
  return Object.fromEntries(
    nodes.map((node) => [
      node.Description?.Hostname ?? '?',
      `${node.Status?.State ?? '?'} ${node.ManagerStatus?.Reachability ?? ''}`.trim(),
    ]),
  );
}

describe(
  'fault injection: a swarm node cut off from its peers (iptables in its namespace)',
  { skip: process.getuid?.() !== 0 && 'needs root (the lab makes network namespaces and runs dockerd)', timeout: 480_000 },
  () => {
    let lab: Lab | undefined;

    before(async () => {
      lab = await claimLab();
      await lab.labUp({ store: 'swarm' });
    });
    after(() => undoRulesAndLabDown(lab, RULES, iptables));

    it(`cut off: Down for the managers, DNE212 in Docker's words on that node; healed within ${HEAL_MS / 1000} s`, async (t) => {
      await within(60_000, 'every node Ready', async () => Object.values(await nodeStatus()).every((status) => status.startsWith('ready')));
      assert.deepEqual((await labProblemsPerHost(10000)).byHost, {}, 'the healthy swarm has findings');

      for (const rule of RULES) iptables('-I', ...rule);
      const down = await within(90_000, `${CUT} Down for the managers`, async () => (await nodeStatus())[CUT] === 'down unreachable');
      const cutError = async () => ((await docker(CUT).info()) as { Swarm?: { Error?: string } }).Swarm?.Error ?? '';
      await within(60_000, `${CUT}'s info carrying a swarm error`, async () => (await cutError()) !== '');
      const said = await cutError();
      t.diagnostic(`${down} ms after the rules, docker node ls: ${JSON.stringify(await nodeStatus())}; ${CUT}'s Swarm.Error: ${said}`);
      assert.match(said, /The swarm does not have a leader/);

      const { byHost, findings } = await labProblemsPerHost(10000);
      t.diagnostic(findings.map((f) => `${f.code} ${f.file}: ${f.message}`).join('\n'));
      assert.ok(byHost[CUT]?.includes(Codes.swarmNoQuorum), JSON.stringify(byHost));
      const finding = findings.find((f) => f.code === Codes.swarmNoQuorum && f.file === labUrlOf(CUT))!;
      assert.ok(finding.message.includes(`Docker says "${said}"`), finding.message);
      // Whatever the other nodes carry is the swarm doctor's word about the cut node (down, unreachable, quorum at risk).
      const aboutCut = new Set<string>([Codes.swarmNodeDown, Codes.swarmManagerUnreachable, Codes.swarmQuorumAtRisk]);
      for (const other of LAB_HOSTS.filter((name) => name !== CUT)) {
        for (const code of byHost[other] ?? []) assert.ok(aboutCut.has(code), `${other}: ${code}`);
      }
      for (const other of LAB_HOSTS.filter((name) => name !== CUT)) assert.match((await nodeStatus())[other], /^ready/, other);

      for (const rule of RULES) iptables('-D', ...rule);
      // Swarm's own recovery (heartbeats, session backoff, raft): 24–29 s here, over 60 s once on a slower CI machine.
      const ready = await within(
        HEAL_MS,
        `${CUT} Ready again`,
        async () => (await nodeStatus())[CUT].startsWith('ready') && (await cutError()) === '',
        500,
        async () => `docker node ls ${JSON.stringify(await nodeStatus())}; ${CUT}'s Swarm.Error: ${JSON.stringify(await cutError())}`,
      );
      const quiet = await within(
        60_000,
        'the doctor quiet again',
        async () => Object.keys((await labProblemsPerHost(10000)).byHost).length === 0,
      );
      t.diagnostic(`healed: ${CUT} Ready after ${ready} ms, the doctor quiet ${quiet} ms later`);
    });
  },
);
