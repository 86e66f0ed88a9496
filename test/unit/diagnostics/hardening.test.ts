/**
 * Issue #14's holes in the file doctor, each with the input that found it: stack overflows on
 * input-sized arrays, quadratic scans, unbounded findings, UTF-16 files, a failed check.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { diagnoseFiles } from '../../../src/core/diagnostics/configFiles';
import { decodeConfigBytes } from '../../../src/core/diagnostics/decode';
import { capFindingsPerFile, checkFailedFindings, MAX_FINDINGS_PER_FILE } from '../../../src/core/diagnostics/limits';
import { parseUnitFile } from '../../../src/core/diagnostics/parsers/systemdUnit';
import { appendAll, maxOf } from '../../../src/core/util/arrays';

const UNIT = '/etc/systemd/system/docker.service';

describe('the doctor on input-sized arrays (no spread, no recursion)', () => {
  it('a 150k-flag OPTIONS in the env file, expanded into ExecStart=: checked, not a stack overflow', () => {
    // Before: expandExecWords pushed the expansion with push(...words): RangeError.
    const findings = diagnoseFiles([
      { path: '/etc/sysconfig/docker', text: `OPTIONS="${'-D '.repeat(150_000)}"\n` },
      { path: UNIT, text: '[Service]\nEnvironmentFile=/etc/sysconfig/docker\nExecStart=/usr/bin/dockerd $OPTIONS\n' },
    ]);
    assert.deepEqual(findings, []);
  });

  it('${VAR} inside a word and a long Environment= value keep every offset', () => {
    const findings = diagnoseFiles([
      {
        path: UNIT,
        text: `[Service]\nEnvironment="A=${'x'.repeat(300_000)}"\nExecStart=/usr/bin/dockerd --label=l\${A} --cluster-advertise=eth0:2376\n`,
      },
    ]);
    assert.deepEqual(
      findings.map((finding) => finding.code),
      ['DNE112'],
    );
  });

  it('appendAll and maxOf take half a million items (push(...x) and Math.max(...x) throw there)', () => {
    const many = Array.from({ length: 500_000 }, (_, i) => i);
    assert.throws(() => [].push(...(many as never[])), RangeError);
    assert.equal(appendAll([-1], many).length, 500_001);
    assert.equal(maxOf(many), 499_999);
    assert.equal(maxOf([], 0), 0);
  });
});

describe('the doctor without quadratic scans', () => {
  it('a unit of a million lines without "=" parses in linear time', () => {
    // Before: text.indexOf('=', pos) ran to the end of the file for every such line (~12 s here).
    const text = `[Service]\n${'abcdefg\n'.repeat(1_000_000)}ExecStart=/usr/bin/dockerd\n`;
    const started = performance.now();
    const unit = parseUnitFile({ file: UNIT, text });
    const elapsed = performance.now() - started;
    assert.deepEqual(
      unit.directives.map((directive) => [directive.key, directive.value]),
      [['ExecStart', '/usr/bin/dockerd']],
    );
    assert.ok(elapsed < 3000, `${elapsed.toFixed(0)} ms`);
  });
});

describe('at most 200 findings per file, whatever rule makes them', () => {
  it('30 000 --cluster-store flags: 200 findings and one (DNE137) that counts the rest', () => {
    const findings = diagnoseFiles([
      { path: UNIT, text: `[Service]\nExecStart=/usr/bin/dockerd ${'--cluster-store=consul://x:1 '.repeat(30_000)}\n` },
    ]);
    assert.equal(findings.length, MAX_FINDINGS_PER_FILE + 1);
    const last = findings.at(-1)!;
    assert.deepEqual([last.code, last.severity, last.file], ['DNE137', 'information', UNIT]);
    assert.match(last.message, /^29800 more findings in this file are not listed; only the first 200 are\./);
  });

  it('counts per file, keeps order, and capping twice changes nothing', () => {
    const finding = (file: string, n: number) => ({
      file,
      range: { startLine: n, startColumn: 0, endLine: n, endColumn: 0 },
      severity: 'error' as const,
      code: 'DNE110',
      message: String(n),
    });
    const input = [...Array.from({ length: 250 }, (_, n) => finding('a', n)), finding('b', 0)];
    const once = capFindingsPerFile(input);
    assert.deepEqual(
      once.map((entry) => `${entry.file}${entry.code === 'DNE137' ? ':rest' : ''}`).filter((name, i, all) => all.indexOf(name) === i),
      ['a', 'b', 'a:rest'],
    );
    assert.equal(once.filter((entry) => entry.file === 'a').length, 201);
    assert.deepEqual(capFindingsPerFile(once), once);
  });
});

describe('a failed check says so (DNE136)', () => {
  it('one warning per file, naming the error', () => {
    const findings = checkFailedFindings(['/etc/docker/daemon.json', UNIT], new RangeError('Maximum call stack size exceeded'));
    assert.deepEqual(
      findings.map((finding) => [finding.file, finding.code, finding.severity]),
      [
        ['/etc/docker/daemon.json', 'DNE136', 'warning'],
        [UNIT, 'DNE136', 'warning'],
      ],
    );
    assert.match(
      findings[0].message,
      /^Not checked: the doctor failed on this host's files \(RangeError: Maximum call stack size exceeded\)/,
    );
  });
});

describe('encodings', () => {
  const consul = 'services:\n  consul:\n    image: consul:1.15\n    command: agent -server -client=0.0.0.0\n    ports: ["8500:8500"]\n';
  const utf16le = (text: string, bom: boolean) => Buffer.concat([Buffer.from(bom ? [0xff, 0xfe] : []), Buffer.from(text, 'utf16le')]);
  const utf16be = (text: string) => {
    const le = Buffer.from(text, 'utf16le');
    return Buffer.concat([Buffer.from([0xfe, 0xff]), le.swap16()]);
  };

  it('a UTF-16 compose file with its byte-order mark (LE or BE) is read and checked like its UTF-8 twin', () => {
    const expected = diagnoseFiles([{ path: 'compose.yml', text: consul }]).map((finding) => finding.code);
    assert.ok(expected.includes('DNE191'), expected.join());
    for (const bytes of [utf16le(consul, true), utf16be(consul)]) {
      const { text } = decodeConfigBytes(bytes);
      assert.equal(text, consul);
      assert.deepEqual(
        diagnoseFiles([{ path: 'compose.yml', text }]).map((finding) => finding.code),
        expected,
      );
    }
  });

  it('UTF-16 without its mark (read as UTF-8: a NUL after every character) is named, not silently passed', () => {
    const { text } = decodeConfigBytes(utf16le(consul, false));
    const findings = diagnoseFiles([{ path: 'compose.yml', text }]);
    assert.deepEqual(
      findings.map((finding) => [finding.code, finding.severity]),
      [['DNE139', 'warning']],
    );
    assert.match(findings[0].message, /looks like UTF-16 saved without a byte-order mark/);
    const binary = diagnoseFiles([{ path: '/etc/docker/daemon.json', text: '{"a": "\u0000"}' }]);
    assert.match(binary[0].message, /holds 1 NUL character, so it is not a text configuration file/);
  });

  it('UTF-8 keeps its byte-order mark (dockerd 20.10 refuses it: DNE100 needs to see it); latin1 is read as UTF-8 would', () => {
    assert.equal(decodeConfigBytes(Buffer.from('\ufeff{}', 'utf8')).text, '\ufeff{}');
    assert.equal(decodeConfigBytes(Buffer.from('caf\xe9', 'latin1')).text, 'caf\ufffd');
  });
});

describe('compose nesting (found by the fuzz stage, seed 4268039664)', () => {
  it('collections nested past 200 levels are named (DNE190, a warning of ours), not handed to the YAML parser', () => {
    for (const text of [
      `services:\n  etcd:\n    image: etcd\n    command: ${'[{a: '.repeat(92_000)}`,
      `services:\n  a: ${'- '.repeat(200_000)}`,
    ]) {
      const started = performance.now();
      const findings = diagnoseFiles([{ path: 'docker-compose.yml', text }]);
      assert.ok(performance.now() - started < 2000, `${(performance.now() - started).toFixed(0)} ms`);
      assert.deepEqual(
        findings.map((finding) => [finding.code, finding.severity]),
        [['DNE190', 'warning']],
      );
      assert.match(findings[0].message, /^Not checked: collections \(\[…\], \{…\}, - - …\) nested more than 200 levels deep/);
    }
  });

  it('real nesting, quotes holding brackets, and a quote inside a word still parse', () => {
    const text = `services:\n  etcd:\n    image: "etcd[" # [[[\n    command: ['etcd', "--name={x", {a: [b, c]}, don't]\n${'    environment:\n' + '      - A=1\n'.repeat(300)}`;
    assert.deepEqual(
      diagnoseFiles([{ path: 'docker-compose.yml', text }]).filter((finding) => finding.code === 'DNE190'),
      [],
    );
  });
});
