/**
 * Environment= read as systemd reads it (systemd.exec(5), systemd.service(5)): several
 * assignments per line, quotes around all or part of one, `\` continuations inside quotes,
 * later assignments and drop-ins overriding earlier ones, an empty Environment= resetting,
 * EnvironmentFile= overriding Environment=; `$VAR` split into words, `${VAR}` one word (also
 * inside a word), `$VAR` inside a word left alone. Findings point into the assignment.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { diagnoseFiles } from '../../../src/core/diagnostics/configFiles';
import { diagnoseHost } from '../../../src/core/diagnostics/diagnoseHost';
import type { Finding } from '../../../src/core/diagnostics/finding';
import { expandExecWords } from '../../../src/core/diagnostics/parsers/systemdExpand';
import { resolveService } from '../../../src/core/diagnostics/parsers/systemdUnit';
import { rangeOf } from './rangeOf';

const UNIT_FILE = '/lib/systemd/system/docker.service';
const DROP_IN = '/etc/systemd/system/docker.service.d/opts.conf';
const UNIT = '[Service]\nExecStart=/usr/bin/dockerd -H fd:// $DOCKER_OPTS\n';
const STORE = '--cluster-store=etcd://10.0.0.5:2379';
const codes = (findings: Finding[]) => findings.map((finding) => finding.code).sort();
const withDropIn = (dropIn: string, unit = UNIT) =>
  diagnoseHost({ serviceUnit: { file: UNIT_FILE, text: unit }, serviceDropIns: [{ file: DROP_IN, text: dropIn }] });

describe('Environment= feeding ExecStart=', () => {
  it("the issue's case: a quoted assignment in a drop-in, its advertise refused at the exact value, fixed inside the quotes", () => {
    const dropIn = `[Service]\nEnvironment="DOCKER_OPTS=${STORE} --cluster-advertise=tcp://10.0.0.11:2376"\n`;
    const [finding] = withDropIn(dropIn);
    assert.equal(finding.code, 'DNE114');
    assert.equal(finding.file, DROP_IN);
    assert.deepEqual(finding.range, rangeOf(dropIn, 'tcp://10.0.0.11:2376'));
    assert.match(finding.message, /tcp:\/\/10\.0\.0\.11:2376: address tcp:\/\/10\.0\.0\.11:2376: too many colons in address/);
    assert.deepEqual(finding.fix?.edits, [{ range: rangeOf(dropIn, 'tcp://10.0.0.11:2376'), newText: '10.0.0.11:2376' }]);
  });

  it('several assignments on one line, one quoted whole, one quoted in part', () => {
    const dropIn = '[Service]\nEnvironment=A=1 "DOCKER_OPTS=--cluster-advertise=eth0:2376" B="x y"\n';
    const findings = withDropIn(dropIn);
    assert.deepEqual(
      findings.map((finding) => [finding.code, finding.file, finding.range]),
      [['DNE112', DROP_IN, rangeOf(dropIn, 'eth0:2376')]],
    );
    const partial = '[Service]\nEnvironment=DOCKER_OPTS="--cluster-advertise=eth0:2376"\n';
    assert.deepEqual(
      withDropIn(partial).map((finding) => [finding.code, finding.range]),
      [['DNE112', rangeOf(partial, 'eth0:2376')]],
    );
  });

  it('a `\\` continuation inside the quotes: the flag on the next line, at its own line and column', () => {
    const dropIn = `[Service]\nEnvironment="DOCKER_OPTS=${STORE} \\\n    --cluster-advertise=10.0.0.11"\n`;
    const [finding] = withDropIn(dropIn);
    assert.equal(finding.code, 'DNE114');
    assert.deepEqual(finding.range, rangeOf(dropIn, '10.0.0.11', 0));
    assert.equal(finding.range.startLine, 2);
    // systemd turns the backslash into a blank: the two flags stay two words.
    const glued = `[Service]\nEnvironment="DOCKER_OPTS=--debug\\\n--cluster-advertise=eth0:2376"\n`;
    assert.deepEqual(codes(withDropIn(glued)), ['DNE112']);
  });

  it('the later assignment wins, within a file and across drop-ins in name order; an empty Environment= resets', () => {
    const both = '[Service]\nEnvironment=DOCKER_OPTS=--cluster-advertise=eth0:2376\nEnvironment=DOCKER_OPTS=--debug\n';
    assert.deepEqual(withDropIn(both), []);
    const files = [
      { path: '/etc/systemd/system/docker.service.d/20-debug.conf', text: '[Service]\nEnvironment=DOCKER_OPTS=--debug\n' },
      {
        path: '/etc/systemd/system/docker.service.d/10-advertise.conf',
        text: '[Service]\nEnvironment=DOCKER_OPTS=--cluster-advertise=eth0:2376\n',
      },
      { path: UNIT_FILE, text: UNIT },
    ];
    assert.deepEqual(diagnoseFiles(files), []);
    const reversed = files.map((file) => ({ ...file, path: file.path.replace('20-debug', '05-debug') }));
    assert.deepEqual(codes(diagnoseFiles(reversed)), ['DNE112']);
    const reset = '[Service]\nEnvironment=\n';
    const unitWithOpts = '[Service]\nEnvironment=DOCKER_OPTS=--cluster-advertise=eth0:2376\nExecStart=/usr/bin/dockerd $DOCKER_OPTS\n';
    assert.deepEqual(codes(withDropIn('[Service]\n', unitWithOpts)), ['DNE112']);
    assert.deepEqual(withDropIn(reset, unitWithOpts), []);
  });

  it('EnvironmentFile= overrides Environment=', () => {
    const unit =
      '[Service]\nEnvironment=DOCKER_OPTS=--cluster-advertise=eth0:2376\nEnvironmentFile=-/etc/default/docker\nExecStart=/usr/bin/dockerd $DOCKER_OPTS\n';
    const env = 'DOCKER_OPTS="--debug"\n';
    assert.deepEqual(
      diagnoseHost({ serviceUnit: { file: UNIT_FILE, text: unit }, envFiles: [{ file: '/etc/default/docker', text: env }] }),
      [],
    );
    assert.deepEqual(codes(diagnoseHost({ serviceUnit: { file: UNIT_FILE, text: unit } })), ['DNE112']);
  });

  it('${VAR} is one word, also inside a word; $VAR inside a word is left as written', () => {
    const unit = `[Service]\nEnvironment=ADV=10.0.0.11\nExecStart=/usr/bin/dockerd ${STORE} --cluster-advertise=\${ADV}\n`;
    const [finding] = diagnoseHost({ serviceUnit: { file: UNIT_FILE, text: unit } });
    assert.equal(finding.code, 'DNE114');
    assert.match(finding.message, /invalid --cluster-advertise configuration: 10\.0\.0\.11: address 10\.0\.0\.11: missing port in address/);
    assert.equal(finding.range.startLine, 2);
    const literal = `[Service]\nEnvironment=ADV=10.0.0.11:2376\nExecStart=/usr/bin/dockerd ${STORE} --cluster-advertise=$ADV\n`;
    assert.match(
      diagnoseHost({ serviceUnit: { file: UNIT_FILE, text: literal } })[0].message,
      /configuration: \$ADV: address \$ADV: missing port/,
    );
  });

  it('-H $HOST: the flag in the unit, its value in the assignment', () => {
    const unit = '[Service]\nEnvironment=HOST=tcp://0.0.0.0:2375\nExecStart=/usr/bin/dockerd -H $HOST\n';
    const [finding] = diagnoseHost({ serviceUnit: { file: UNIT_FILE, text: unit } });
    assert.equal(finding.code, 'DNE140');
    assert.deepEqual(finding.range, rangeOf(unit, '-H'));
  });

  it('${DOCKER_OPTS} holding several flags from Environment=: DNE131 with the $DOCKER_OPTS fix', () => {
    const unit = '[Service]\nEnvironment="DOCKER_OPTS=--debug --ipv6"\nExecStart=/usr/bin/dockerd ${DOCKER_OPTS}\n';
    const [finding] = diagnoseHost({ serviceUnit: { file: UNIT_FILE, text: unit } });
    assert.equal(finding.code, 'DNE131');
    assert.deepEqual(finding.fix?.edits, [{ range: rangeOf(unit, '${DOCKER_OPTS}'), newText: '$DOCKER_OPTS' }]);
  });

  it('expansion: $VAR splits, an unset $VAR is no word, ${VAR} keeps blanks', () => {
    const service = resolveService({
      file: UNIT_FILE,
      text: '[Service]\nEnvironment="A=x  y" B=z\nExecStart=/bin/dockerd $A ${A} $UNSET pre${B}post $B\n',
    });
    const lookup = (name: string) => {
      const found = [...service.environment].reverse().find((assignment) => assignment.name === name);
      return found ? [found.value] : undefined;
    };
    assert.deepEqual(
      expandExecWords(service.execStarts[0].words, lookup).map((word) => word.value),
      ['x', 'y', 'x  y', 'prezpost', 'z'],
    );
  });
});
