/**
 * The doctor's words are dockerd's words. Table-driven over every rule that says the daemon will
 * not start: a private dockerd (test/support/dockerFixture.ts: own netns, no bridge, no iptables)
 * is started with each row's configuration, and the finding must quote the line the daemon gave
 * up with, verbatim. Then every quick fix that can be tried on a daemon is applied to its fixture:
 * the rules must find no error in the result, and dockerd must start with it.
 *
 * Runs on the engine of this pass (`npm test` runs a pass per engine with its dockerd first on
 * PATH; see test/support/engine.ts). A row names the engines it holds on; 20.10-only rows are the
 * cluster-store ones (removed in 23, DNE161's matter there). systemd's refusal (DNE150) is checked
 * with `systemd-analyze verify`, the same parser systemd loads units with.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { diagnoseHost, type HostInterface } from '../../src/core/diagnostics/diagnoseHost';
import type { Finding } from '../../src/core/diagnostics/finding';
import { currentEngine, type Engine } from '../support/engine';
import { dockerdErrorLine, PrivateDockerd } from '../support/dockerFixture';
import { applyEdits } from '../support/applyEdits';
import { selfSigned } from '../support/pki';

const engine = currentEngine();
const BOTH: Engine[] = ['20.10', '26'];
const OLD: Engine[] = ['20.10'];
const STORE = '--cluster-store=etcd://10.0.0.5:2379';
/** A veth pair in the daemon's namespace: dne0 (given an address or not by the row), dne1 bare. */
const VETH = 'ip link add dne0 type veth peer name dne1';
const lo: HostInterface = { name: 'lo', ipv4: ['127.0.0.1'], ipv6: ['::1'] };
const bare = (name: string): HostInterface => ({ name, ipv4: [], ipv6: [] });

interface Configuration {
  flags?: string[];
  daemonJson?: string;
  /** Shell run in the daemon's namespace first. */
  setup?: string;
  /** The namespace's interfaces as the rules are told them (only for advertise-interface rows). */
  interfaces?: HostInterface[];
}

interface QuoteRow extends Configuration {
  name: string;
  code: string;
  /** Engines that refuse, with the line the finding quotes. */
  refuses: Engine[];
  /** Engines that start, which the finding must say. */
  starts?: Engine[];
}

const QUOTES: QuoteRow[] = [
  { name: 'a comment', code: 'DNE101', refuses: BOTH, daemonJson: '{\n  // debug on\n  "debug": true\n}\n' },
  { name: 'a trailing comma', code: 'DNE102', refuses: BOTH, daemonJson: '{\n  "debug": true,\n}\n' },
  { name: 'a missing comma', code: 'DNE100', refuses: BOTH, daemonJson: '{\n  "debug": true\n  "ipv6": false\n}\n' },
  { name: 'a single-quoted string', code: 'DNE100', refuses: BOTH, daemonJson: '{"log-level": \'debug\'}\n' },
  { name: 'a cut-off literal', code: 'DNE100', refuses: BOTH, daemonJson: '{"debug": tru' },
  { name: 'a cut-off object', code: 'DNE100', refuses: BOTH, daemonJson: '{"debug": true\n' },
  { name: 'an empty file', code: 'DNE100', refuses: OLD, starts: ['26'], daemonJson: '' },
  { name: 'a byte-order mark', code: 'DNE100', refuses: OLD, starts: ['26'], daemonJson: '\uFEFF{"debug": true}\n' },
  { name: 'text after the object', code: 'DNE100', refuses: ['26'], starts: OLD, daemonJson: '{"debug": true}\nx\n' },
  { name: 'an array, not an object', code: 'DNE103', refuses: BOTH, daemonJson: '["debug"]\n' },
  { name: 'hosts as a flag and in the file', code: 'DNE120', refuses: BOTH, daemonJson: '{"hosts": ["tcp://127.0.0.1:2375"]}\n' },
  { name: 'a boolean flag and key', code: 'DNE120', refuses: BOTH, flags: ['-D'], daemonJson: '{"debug": false}\n' },
  {
    name: 'two conflicts, a map and a number, in flag-name order',
    code: 'DNE120',
    refuses: BOTH,
    flags: ['--mtu=1400', '--log-opt', 'max-size=1m'],
    daemonJson: '{"mtu": 1500, "log-opts": {"max-size": "10m", "max-file": "3"}}\n',
  },
  { name: 'advertise without a store (flag)', code: 'DNE112', refuses: OLD, flags: ['--cluster-advertise=10.0.0.11:2376'] },
  {
    name: 'advertise without a store (daemon.json)',
    code: 'DNE112',
    refuses: OLD,
    daemonJson: '{"cluster-advertise": "10.0.0.11:2376"}\n',
  },
  { name: 'advertise as a tcp:// URL', code: 'DNE114', refuses: OLD, flags: [STORE, '--cluster-advertise=tcp://10.0.0.11:2376'] },
  { name: 'advertise without a port', code: 'DNE114', refuses: OLD, flags: [STORE, '--cluster-advertise=10.0.0.11'] },
  { name: 'advertise as a bare IPv6 address', code: 'DNE114', refuses: OLD, flags: [STORE, '--cluster-advertise=fd00::1'] },
  { name: 'advertise with a port only', code: 'DNE114', refuses: OLD, flags: [STORE, '--cluster-advertise=:2376'] },
  {
    name: 'a store without scheme, with advertise',
    code: 'DNE110',
    refuses: OLD,
    flags: ['--cluster-store=10.0.0.5:2379', '--cluster-advertise=10.0.0.11:2376'],
  },
  { name: 'a store without scheme, alone', code: 'DNE110', refuses: OLD, flags: ['--cluster-store=10.0.0.5:2379'] },
  {
    name: 'an unknown store scheme, with advertise',
    code: 'DNE110',
    refuses: OLD,
    flags: ['--cluster-store=etcdx://10.0.0.5:2379', '--cluster-advertise=10.0.0.11:2376'],
  },
  { name: 'an unknown store scheme, alone', code: 'DNE110', refuses: OLD, daemonJson: '{"cluster-store": "etcdx://10.0.0.5:2379"}\n' },
  {
    name: 'a store without address',
    code: 'DNE110',
    refuses: OLD,
    flags: ['--cluster-store=etcd://', '--cluster-advertise=10.0.0.11:2376'],
  },
  {
    name: 'advertise on an interface the host lacks',
    code: 'DNE116',
    refuses: OLD,
    flags: [STORE, '--cluster-advertise=eth9:2376'],
    interfaces: [lo],
  },
  {
    name: 'advertise on an interface without any address',
    code: 'DNE117',
    refuses: OLD,
    flags: [STORE, '--cluster-advertise=dne0:2376'],
    setup: VETH,
    interfaces: [lo, bare('dne0'), bare('dne1')],
  },
  {
    name: 'advertise on an interface with IPv6 only',
    code: 'DNE117',
    refuses: OLD,
    flags: [STORE, '--cluster-advertise=dne0:2376'],
    setup: `${VETH} && ip -6 addr add fd00::5/64 dev dne0 nodad`,
    interfaces: [lo, { name: 'dne0', ipv4: [], ipv6: ['fd00::5'] }, bare('dne1')],
  },
  { name: 'advertise on loopback', code: 'DNE117', refuses: OLD, flags: [STORE, '--cluster-advertise=lo:2376'], interfaces: [lo] },
];

interface FixRow extends Configuration {
  name: string;
  code: string;
  engines: Engine[];
}

const dne0 = (address: string): Configuration => ({
  setup: `${VETH} && ip addr add ${address}/24 dev dne0`,
  interfaces: [lo, { name: 'dne0', ipv4: [address], ipv6: [] }, bare('dne1')],
});

/** Filled in before(): a self-signed certificate as CA, certificate and key. */
const tls = { dir: '', flags: [] as string[] };

const FIXES: FixRow[] = [
  { name: 'remove the comment', code: 'DNE101', engines: BOTH, daemonJson: '{\n  // debug on\n  "debug": true\n}\n' },
  { name: 'remove the trailing comma', code: 'DNE102', engines: BOTH, daemonJson: '{\n  "debug": true,\n  "ipv6": false,\n}\n' },
  {
    name: 'remove "hosts" from daemon.json',
    code: 'DNE120',
    engines: BOTH,
    daemonJson: '{\n  "debug": true,\n  "hosts": ["tcp://127.0.0.1:2375"]\n}\n',
  },
  { name: 'remove "debug" from daemon.json', code: 'DNE120', engines: BOTH, flags: ['-D'], daemonJson: '{"debug": false}\n' },
  { name: 'drop the tcp:// of advertise', code: 'DNE114', engines: OLD, flags: [STORE, '--cluster-advertise=tcp://10.0.0.11:2376'] },
  {
    name: "add the daemon's TCP port to advertise",
    code: 'DNE114',
    engines: OLD,
    flags: ['-H', 'tcp://127.0.0.1:2376', STORE, '--cluster-advertise=10.0.0.11'],
  },
  {
    name: "replace a bad advertise port by the daemon's",
    code: 'DNE114',
    engines: OLD,
    flags: ['-H', 'tcp://127.0.0.1:2376', STORE, '--cluster-advertise=10.0.0.11:70000'],
  },
  {
    name: 'advertise the one usable interface instead of a missing one',
    code: 'DNE116',
    engines: OLD,
    flags: [STORE, '--cluster-advertise=eth9:2376'],
    ...dne0('10.0.0.11'),
  },
  {
    name: 'advertise the one usable interface instead of loopback',
    code: 'DNE117',
    engines: OLD,
    flags: [STORE, '--cluster-advertise=lo:2376'],
    ...dne0('10.0.0.11'),
  },
  {
    name: 'advertise the one local address',
    code: 'DNE118',
    engines: OLD,
    flags: [STORE, '--cluster-advertise=10.0.0.99:2376'],
    ...dne0('10.0.0.11'),
  },
  { name: 'add --tlsverify (certificates given)', code: 'DNE140', engines: BOTH, flags: [] },
];

const UNIT = '/etc/systemd/system/docker.service';
const unitText = (args: readonly string[]) => `[Service]\nExecStart=/usr/bin/dockerd ${args.join(' ')}\n`;
const execArgs = (unit: string) => /^ExecStart=\S+ (.*)$/m.exec(unit)![1].split(' ');

function diagnose(daemon: PrivateDockerd, daemonJson: string, unit: string, interfaces?: HostInterface[]): Finding[] {
  return diagnoseHost({
    daemonJson: { file: daemon.daemonJsonPath, text: daemonJson },
    serviceUnit: { file: UNIT, text: unit },
    interfaces,
  });
}

const describeFinding = (findings: Finding[]) =>
  findings.map((finding) => `${finding.code} ${finding.severity}: ${finding.message}`).join('\n');

describe(`dockerd ${engine} says what the doctor quotes`, { concurrency: 3, timeout: 300_000 }, () => {
  for (const row of QUOTES) {
    const applies = row.refuses.includes(engine) || row.starts?.includes(engine);
    it(`${row.code}: ${row.name}`, { skip: applies ? false : `holds on ${row.refuses.join(', ')}; this pass is ${engine}` }, async () => {
      const daemon = new PrivateDockerd(undefined, undefined, row.flags ?? [], { daemonJson: row.daemonJson ?? '{}\n', setup: row.setup });
      try {
        const outcome = await daemon.attempt(30_000);
        const findings = diagnose(daemon, row.daemonJson ?? '{}\n', unitText(daemon.args), row.interfaces);
        const finding = findings.find((candidate) => candidate.code === row.code);
        assert.ok(finding, `no ${row.code} among:\n${describeFinding(findings)}`);
        if (row.refuses.includes(engine)) {
          assert.ok(!outcome.started, `dockerd ${engine} started, the doctor says it will not: ${finding.message}`);
          const line = dockerdErrorLine(outcome.log);
          assert.ok(line, `no error line in dockerd's output:\n${outcome.log}`);
          assert.ok(finding.message.includes(line), `dockerd ${engine} said:\n  ${line}\nthe finding says:\n  ${finding.message}`);
        } else {
          assert.ok(outcome.started, `dockerd ${engine} did not start:\n${outcome.started ? '' : outcome.log}`);
          assert.ok(finding.message.includes(`dockerd ${engine} accepts the file`), finding.message);
        }
      } finally {
        await daemon.dispose();
      }
    });
  }
});

describe(`quick fixes make a configuration dockerd ${engine} starts with`, { concurrency: 2, timeout: 300_000 }, () => {
  before(() => {
    tls.dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dne-fix-tls-'));
    const own = selfSigned(tls.dir, 'cert', '/CN=127.0.0.1', ['subjectAltName=IP:127.0.0.1']);
    const tlsRow = FIXES.find((row) => row.code === 'DNE140')!;
    tlsRow.flags = ['-H', 'tcp://127.0.0.1:2376', `--tlscacert=${own.cert}`, `--tlscert=${own.cert}`, `--tlskey=${own.key}`];
  });
  after(() => fs.rmSync(tls.dir, { recursive: true, force: true }));

  for (const row of FIXES) {
    it(
      `${row.code}: ${row.name}`,
      { skip: row.engines.includes(engine) ? false : `holds on ${row.engines.join(', ')}; this pass is ${engine}` },
      async () => {
        // Never started: it only lends its flags and paths to the findings (disposed even when they fail).
        const probe = new PrivateDockerd(undefined, undefined, row.flags ?? [], { daemonJson: row.daemonJson ?? '{}\n' });
        let json = row.daemonJson ?? '{}\n';
        let unit = unitText(probe.args);
        const base = probe.args.slice(0, probe.args.length - (row.flags?.length ?? 0)); // the fixture's own flags
        let title = '';
        try {
          const finding = diagnose(probe, json, unit, row.interfaces).find((candidate) => candidate.code === row.code && candidate.fix);
          assert.ok(finding?.fix, `no ${row.code} with a fix among:\n${describeFinding(diagnose(probe, json, unit, row.interfaces))}`);
          title = finding.fix.title;
          if (finding.file === probe.daemonJsonPath) json = applyEdits(json, finding.fix.edits);
          else unit = applyEdits(unit, finding.fix.edits);
          const errors = diagnose(probe, json, unit, row.interfaces).filter((candidate) => candidate.severity === 'error');
          assert.deepEqual(errors, [], `after "${title}" the rules still find:\n${describeFinding(errors)}`);
        } finally {
          await probe.dispose();
        }
        const fixed = new PrivateDockerd(
          undefined,
          undefined,
          execArgs(unit).filter((arg) => !base.includes(arg)),
          { daemonJson: json, setup: row.setup },
        );
        try {
          const outcome = await fixed.attempt(45_000);
          assert.ok(
            outcome.started,
            `after "${title}" dockerd ${engine} does not start:\n${outcome.started ? '' : dockerdErrorLine(outcome.log)}`,
          );
        } finally {
          await fixed.dispose();
        }
      },
    );
  }
});

describe('systemd says what the doctor quotes (systemd-analyze verify)', { timeout: 60_000 }, () => {
  const available = spawnSync('systemd-analyze', ['--version']).status === 0;
  it(
    "DNE150: two ExecStart= refused in systemd's words, and the fix accepted",
    { skip: available ? false : 'systemd-analyze is not installed' },
    () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dne-systemd-'));
      try {
        const service = path.join(dir, 'docker.service');
        const dropIn = path.join(dir, 'docker.service.d', 'override.conf');
        fs.mkdirSync(path.dirname(dropIn));
        const unit = '[Service]\nExecStart=/usr/sbin/dockerd -H fd://\n';
        fs.writeFileSync(service, unit);
        const dropInText = '[Service]\nExecStart=/usr/sbin/dockerd --debug\n';
        fs.writeFileSync(dropIn, dropInText);
        const verify = () => spawnSync('systemd-analyze', ['verify', service], { encoding: 'utf8', timeout: 30_000 });
        const refused = verify();
        assert.notEqual(refused.status, 0);
        const line = refused.stderr.split('\n').find((candidate) => candidate.includes('ExecStart='));
        assert.ok(line, refused.stderr);
        const findings = diagnoseHost({ serviceUnit: { file: service, text: unit }, serviceDropIns: [{ file: dropIn, text: dropInText }] });
        const finding = findings.find((candidate) => candidate.code === 'DNE150');
        assert.ok(finding?.fix, describeFinding(findings));
        assert.ok(finding.message.includes(line), `systemd said:\n  ${line}\nthe finding says:\n  ${finding.message}`);
        const fixedText = applyEdits(dropInText, finding.fix.edits);
        fs.writeFileSync(dropIn, fixedText);
        const accepted = verify();
        assert.equal(accepted.status, 0, accepted.stderr);
        const after = diagnoseHost({ serviceUnit: { file: service, text: unit }, serviceDropIns: [{ file: dropIn, text: fixedText }] });
        assert.deepEqual(
          after.filter((candidate) => candidate.severity === 'error'),
          [],
        );
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    },
  );
});
