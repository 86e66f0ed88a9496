/**
 * The built `docker-network-explorer diagnose` (dist/cli.js, the package's bin) run as a user
 * would: on real files in a temp folder, reading its stdout and exit status; live checks against
 * the real local dockerd and a socket where nothing listens.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { findRepoRoot } from '../support/codeServer';
import { defaultSocketPath } from '../support/dockerFixture';

const cli = path.join(findRepoRoot(), 'dist', 'cli.js');

function run(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(cli, args, { encoding: 'utf8', timeout: 30_000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

interface JsonFinding {
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  severity: string;
  code: string;
  message: string;
}
const findingsOf = (stdout: string): JsonFinding[] => (JSON.parse(stdout) as { findings: JsonFinding[] }).findings;

describe('docker-network-explorer diagnose (built CLI)', () => {
  let dir = '';
  const file = (name: string, text: string) => {
    const full = path.join(dir, name);
    fs.mkdirSync(path.dirname(full), { recursive: true });
    fs.writeFileSync(full, text);
    return full;
  };

  before(() => {
    assert.ok(fs.existsSync(cli), `${cli} missing: run node tools/build.mjs`);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dne-cli-'));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('a broken daemon.json and a unit giving the same flag: errors at 1-based positions, exit 1', () => {
    const json = file('etc/docker/daemon.json', '{\n  "cluster-store": "etcd://10.0.0.5:2379",\n  "cluster-advertise": "eth0:2376",\n}\n');
    const unit = file(
      'etc/systemd/system/docker.service.d/override.conf',
      '[Service]\nExecStart=\nExecStart=/usr/bin/dockerd -H fd:// --cluster-store=etcd://10.0.0.5:2379\n',
    );
    const { status, stdout } = run('diagnose', '--json', json, unit);
    assert.equal(status, 1);
    const findings = findingsOf(stdout);
    const comma = findings.find((finding) => finding.code === 'DNE102');
    assert.deepEqual(comma && [comma.file, comma.line, comma.column, comma.severity], [json, 3, 35, 'error']);
    const conflict = findings.filter((finding) => finding.code === 'DNE120');
    assert.ok(
      conflict.some((finding) => finding.file === unit && finding.line === 3),
      JSON.stringify(findings),
    );
    assert.ok(
      conflict.some((finding) => finding.file === json && finding.line === 2),
      JSON.stringify(findings),
    );
    for (const finding of findings)
      assert.deepEqual(Object.keys(finding), ['file', 'line', 'column', 'endLine', 'endColumn', 'severity', 'code', 'message']);
  });

  it('a clean configuration: nothing found, exit 0, and a human summary without --json', () => {
    const json = file('clean/daemon.json', '{\n  "cluster-store": "etcd://10.0.0.5:2379",\n  "cluster-advertise": "eth0:2376"\n}\n');
    const { status, stdout } = run('diagnose', json);
    assert.equal(status, 0);
    assert.equal(stdout, 'No problems found.\n');
  });

  it('--engine 26: the same files are the errors Engine 26 prints, with their fixes; the store rules give way', () => {
    const json = file(
      'e26/etc/docker/daemon.json',
      '{\n  "cluster-store": "etcd://127.0.0.1:2379",\n  "cluster-advertise": "eth0:2376"\n}\n',
    );
    const unit = file(
      'e26/etc/systemd/system/docker.service.d/override.conf',
      '[Service]\nExecStart=\nExecStart=/usr/bin/dockerd -H fd:// --cluster-store=etcd://127.0.0.1:2379\n',
    );
    const legacy = findingsOf(run('diagnose', '--json', json, unit).stdout).map((finding) => finding.code);
    assert.ok(legacy.includes('DNE111') && legacy.includes('DNE120'), legacy.join());
    const { status, stdout } = run('diagnose', '--engine', '26', json, unit);
    assert.equal(status, 1);
    assert.match(
      stdout,
      new RegExp(
        `^${json.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:2:3: error DNE161 Docker 26 does not start with "cluster-store" in daemon\\.json: "unable to configure the Docker daemon with file ${json.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: the following directives don't match any configuration option: cluster-store, cluster-advertise"`,
        'm',
      ),
    );
    assert.match(stdout, /^ {4}fix: Remove "cluster-store", "cluster-advertise" from daemon\.json$/m);
    assert.match(
      stdout,
      /override\.conf:3:37: error DNE161 Docker 26 does not start with --cluster-store: it prints "Status: unknown flag: --cluster-store" and "See 'dockerd --help'\., Code: 125"/,
    );
    assert.match(stdout, /^ {4}fix: Remove --cluster-store from the dockerd command line$/m);
    assert.match(stdout, /information DNE165 Docker 26 has no cluster store/);
    assert.doesNotMatch(stdout, /DNE11\d|DNE120/);
  });

  it('a compose file with a lone Consul server: the error and its fix, in text', () => {
    const compose = file(
      'store/docker-compose.yml',
      'services:\n  consul:\n    image: consul:1.15\n    command: agent -server -client=0.0.0.0\n    ports: ["8500:8500"]\n',
    );
    const { status, stdout } = run('diagnose', compose);
    assert.equal(status, 1);
    assert.match(stdout, new RegExp(`^${compose.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:4:20: error DNE191 A lone Consul server`, 'm'));
    assert.match(stdout, /^ {4}fix: Add -bootstrap$/m);
  });

  it('bad usage exits 2 and says why; with --json the reason is a JSON error object on stdout', () => {
    assert.equal(run('diagnose').status, 2);
    const unknown = run('diagnose', '--frobnicate', 'x');
    assert.equal(unknown.status, 2);
    assert.match(unknown.stderr, /unknown option --frobnicate/);
    const missing = run('diagnose', path.join(dir, 'nope', 'daemon.json'));
    assert.equal(missing.status, 2);
    assert.match(missing.stderr, /cannot read .*ENOENT/);
    for (const args of [
      ['diagnose', '--json'],
      ['diagnose', '--json', '--frobnicate'],
      ['diagnose', '--json', '--timeout', 'soon', 'x'],
      ['diagnose', '--json', path.join(dir, 'nope.json')],
      ['check', '--json'],
    ]) {
      const { status, stdout } = run(...args);
      assert.equal(status, 2, args.join(' '));
      const parsed = JSON.parse(stdout) as { error: { kind: string; message: string } };
      assert.equal(parsed.error.kind, 'usage', stdout);
      assert.ok(parsed.error.message.length > 0);
    }
    const help = run('diagnose', '--json', '--help');
    assert.equal(help.status, 0);
    assert.match((JSON.parse(help.stdout) as { help: string }).help, /Exit status: 0 no error found, 1 an error found, 2 bad usage/);
  });

  it("a glob's worth of files: other kinds are skipped with an information finding, the rest still checked", () => {
    const rules = file('ci/iptables.rules', '*filter\n:INPUT ACCEPT [0:0]\n-A INPUT -p tcp --dport 2376 -j ACCEPT\nCOMMIT\n');
    const notes = file('ci/notes.txt', 'hello');
    const folder = path.join(dir, 'ci', 'docker.service.d');
    fs.mkdirSync(folder, { recursive: true });
    const unit = file(
      'ci/docker.service',
      '[Service]\nExecStart=/usr/bin/dockerd --cluster-store=etcd://10.0.0.5:2379 --cluster-advertise=tcp://10.0.0.11:2376\n',
    );
    const { status, stdout, stderr } = run('diagnose', '--json', rules, unit, notes, folder);
    assert.equal(status, 1, stderr);
    const findings = findingsOf(stdout);
    const skipped = findings.filter((finding) => finding.code === 'DNE139');
    assert.deepEqual(
      skipped.map((finding) => [finding.file, finding.severity, finding.line]).sort(),
      [
        [folder, 'information', 1],
        [notes, 'information', 1],
        [rules, 'information', 1],
      ].sort(),
    );
    assert.match(skipped[0].message, /^Not a file this tool checks/);
    const advertise = findings.find((finding) => finding.code === 'DNE114');
    assert.ok(advertise, stdout);
    assert.equal(advertise.file, unit);
    assert.match(advertise.message, /too many colons in address/);
    const onlyOthers = run('diagnose', notes);
    assert.equal(onlyOthers.status, 0);
    assert.match(onlyOthers.stdout, /notes\.txt:1:1: information DNE139 Not a file this tool checks/);
  });

  it('hostile sizes: a 1 MB daemon.json of commas lists 100 problems and counts the rest; a file over 1 MiB is named, not read', () => {
    const commas = file('big/etc/docker/daemon.json', `[${','.repeat(1_000_000)}]`);
    const many = run('diagnose', '--json', commas);
    assert.equal(many.status, 1, many.stderr);
    const listed = findingsOf(many.stdout);
    assert.equal(listed.length, 102, 'one per problem up to the cap, one that counts the rest, and DNE103 (not an object)');
    assert.match(
      listed.find((finding) => finding.severity === 'information')!.message,
      /^\d+ more problems follow in daemon\.json; only the first 100 are listed\.$/,
    );
    const hugeText = `{"log-level": "info", "x": "${'y'.repeat(1_100_000)}"}`;
    const huge = file('huge/etc/docker/daemon.json', hugeText);
    const skipped = run('diagnose', '--json', huge);
    assert.equal(skipped.status, 0, skipped.stderr);
    assert.deepEqual(
      findingsOf(skipped.stdout).map((finding) => [finding.code, finding.severity, finding.file]),
      [['DNE138', 'warning', huge]],
    );
    assert.ok(
      findingsOf(skipped.stdout)[0].message.startsWith(`Not checked: ${Buffer.byteLength(hugeText)} bytes, over the 1 MiB`),
      skipped.stdout,
    );
  });

  it('--host asks the daemon: an absent one is a finding; --offline asks nothing', () => {
    const nowhere = `unix://${path.join(dir, 'no-daemon.sock')}`;
    const live = run('diagnose', '--json', '--timeout', '1000', '--host', nowhere);
    assert.equal(live.status, 1, live.stderr);
    const [unreachable] = findingsOf(live.stdout);
    assert.equal(unreachable.code, 'DNE160');
    assert.equal(unreachable.file, nowhere);
    const offline = run('diagnose', '--json', '--offline', '--host', nowhere);
    assert.equal(offline.status, 0);
    assert.deepEqual(findingsOf(offline.stdout), []);
  });

  it('terminal escapes in a path reach the terminal escaped; "--" makes "--json" a file; --json=false prints text', () => {
    const hostile = file(
      'esc/\u001b]0;pwned\u0007/docker-compose.yml',
      'services:\n  consul:\n    image: consul:1.15\n    command: agent -server -client=0.0.0.0\n    ports: ["8500:8500"]\n',
    );
    const text = run('diagnose', hostile);
    assert.equal(text.status, 1);
    assert.doesNotMatch(text.stdout, /\u001b|\u0007/);
    assert.match(text.stdout, /esc\/\\u\{1b\}\]0;pwned\\u\{7\}\/docker-compose\.yml:4:20: error DNE191/);
    const json = run('diagnose', '--json', hostile);
    assert.equal(findingsOf(json.stdout)[0].file, hostile);
    assert.doesNotMatch(json.stdout, /\u001b|\u0007/);
    const named = file('dashes/--json', '{}');
    const dashed = spawnSync(cli, ['diagnose', '--', '--json'], { encoding: 'utf8', cwd: path.dirname(named) });
    assert.equal(dashed.status, 0, dashed.stderr);
    assert.match(dashed.stdout, /^--json:1:1: information DNE139 Not a file this tool checks/);
    const plain = run('diagnose', '--json=false', hostile);
    assert.equal(plain.stdout, text.stdout);
  });

  it('--host on the real local daemon (no cluster store) finds nothing wrong with it', () => {
    const { status, stdout, stderr } = run('diagnose', '--json', '--host', `unix://${defaultSocketPath()}`);
    assert.equal(status, 0, stderr);
    assert.deepEqual(
      findingsOf(stdout).filter((finding) => finding.severity === 'error'),
      [],
    );
  });
});
