/**
 * DNE161's words for Engine 26 are what the real 26.1 dockerd prints, and its fixes make that
 * dockerd accept the files: `dockerd --validate` loads the configuration exactly as a start does
 * (flags, then daemon.json) and exits at once, so no daemon runs and nothing on the host changes.
 */
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { diagnoseHost, type DockerdFiles } from '../../src/core/diagnostics/diagnoseHost';
import type { Finding } from '../../src/core/diagnostics/finding';
import { applyEdits } from '../support/applyEdits';
import { findRepoRoot } from '../support/codeServer';

/** Engine 26's dockerd: from tools/docker/engines.mjs when the repository has it, else the extracted 26.1 of this machine. */
function dockerd26(): string {
  const repo = findRepoRoot();
  const engines = path.join(repo, 'tools', 'docker', 'engines.mjs');
  if (fs.existsSync(engines)) {
    const bin = execFileSync(process.execPath, [engines, 'bin', '26'], { cwd: repo, encoding: 'utf8', timeout: 600_000 })
      .trim()
      .split('\n')
      .pop()!
      .trim();
    return path.join(bin, 'dockerd');
  }
  return process.env.DNE_DOCKERD_26 ?? '/tmp/e26/root/usr/sbin/dockerd';
}

interface Run {
  status: number | null;
  stderr: string;
}

describe('Engine 26 refuses the cluster store in the words DNE161 quotes (real dockerd 26.1, --validate)', () => {
  let dockerd = '';
  let version = '';
  let dir = '';
  const validate = (...args: string[]): Run => {
    const result = spawnSync(dockerd, ['--validate', ...args], { encoding: 'utf8', timeout: 30_000 });
    return { status: result.status, stderr: (result.stderr + result.stdout).trim() };
  };
  const write = (name: string, text: string): string => {
    const file = path.join(dir, name);
    fs.writeFileSync(file, text);
    return file;
  };
  /** The text a DNE161 message quotes: `… "<dockerd's words>" (exit status 1)`. */
  const quoted = (finding: Finding) => /: "(.*)" \(exit status 1\)/.exec(finding.message)?.[1] ?? assert.fail(finding.message);

  before(() => {
    dockerd = dockerd26();
    assert.ok(fs.existsSync(dockerd), `no Engine 26 dockerd at ${dockerd} (node tools/docker/engines.mjs bin 26)`);
    version = /^Docker version ([^,]+),/.exec(execFileSync(dockerd, ['--version'], { encoding: 'utf8' }))?.[1] ?? '';
    assert.match(version, /^26\.1\./);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dne-engine26-'));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('daemon.json: the same sentence and the same keys (dockerd lists them in a changing order); the fixed file is accepted', () => {
    const text =
      '{\n  "debug": true,\n  "cluster-store": "etcd://10.0.0.9:2379",\n  "cluster-advertise": "eth0:2376",\n  "cluster-store-opts": {\n    "kv.path": "/dne"\n  },\n  "log-level": "info"\n}\n';
    const file = write('daemon.json', text);
    const findings = diagnoseHost({ daemonJson: { file, text } }, { engine: version }).filter((finding) => finding.code === 'DNE161');
    assert.equal(findings.length, 3);
    const ours = quoted(findings[0]);
    const real = validate('--config-file', file);
    assert.equal(real.status, 1, real.stderr);
    const split = (line: string) => {
      const at = line.indexOf(': the following directives');
      const [head, keys] = [line.slice(0, at), line.slice(line.lastIndexOf(': ') + 2)];
      return { head: `${head}${line.slice(at, line.lastIndexOf(': '))}`, keys: keys.split(', ').sort() };
    };
    assert.deepEqual(split(ours), split(real.stderr), `ours: ${ours}\nreal: ${real.stderr}`);

    const fixed = write('daemon.fixed.json', applyEdits(text, findings[0].fix!.edits));
    assert.deepEqual(validate('--config-file', fixed), { status: 0, stderr: 'configuration OK' });
    assert.deepEqual(diagnoseHost({ daemonJson: { file: fixed, text: fs.readFileSync(fixed, 'utf8') } }, { engine: version }), []);
  });

  it('ExecStart flags: the exact lines for each flag; the fixes, applied one by one, leave a command line it accepts', () => {
    const empty = write('empty.json', '{}\n');
    const serviceFile = path.join(dir, 'docker.service');
    let service =
      '[Service]\nExecStart=/usr/bin/dockerd -H fd:// --cluster-store etcd://10.0.0.9:2379 --cluster-advertise=eth0:2376 ' +
      '--cluster-store-opt kv.path=/dne --containerd=/run/containerd/containerd.sock\n';
    const args = () =>
      /ExecStart=\S+ (.*)/
        .exec(service)![1]
        .split(/\s+/)
        .filter((word) => word !== '');
    const findings = () => {
      const files: DockerdFiles = { serviceUnit: { file: serviceFile, text: service } };
      return diagnoseHost(files, { engine: version }).filter((finding) => finding.code === 'DNE161');
    };
    for (const flag of ['--cluster-store', '--cluster-advertise', '--cluster-store-opt']) {
      const [first] = findings();
      assert.ok(first.message.includes(`with ${flag}:`), first.message);
      const real = validate('--config-file', empty, ...args());
      assert.equal(real.status, 1, real.stderr);
      // dockerd names the first unknown flag: the one our first finding is about.
      const lines = [...first.message.matchAll(/"(Status: unknown flag: [^"]+|See 'dockerd --help'\., Code: 125)"/g)].map(
        (match) => match[1],
      );
      assert.equal(lines.join('\n'), real.stderr);
      service = applyEdits(service, first.fix!.edits);
    }
    assert.deepEqual(findings(), []);
    assert.equal(service, '[Service]\nExecStart=/usr/bin/dockerd -H fd:// --containerd=/run/containerd/containerd.sock\n');
    assert.deepEqual(validate('--config-file', empty, ...args()), { status: 0, stderr: 'configuration OK' });
  });
});
