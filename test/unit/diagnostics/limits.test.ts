/** The doctor's caps (src/core/diagnostics/limits.ts): hostile sizes give a finding, not a stall. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { diagnoseFiles } from '../../../src/core/diagnostics/configFiles';
import { MAX_CHECKED_BYTES, MAX_PROBLEMS_PER_FILE } from '../../../src/core/diagnostics/limits';

describe('the doctor on hostile sizes', () => {
  it('lists the first 100 syntax problems of daemon.json and counts the others in one finding', () => {
    const findings = diagnoseFiles([{ path: '/etc/docker/daemon.json', text: `[${','.repeat(200_000)}]` }]);
    // The listed problems, the one that counts the rest, and DNE103 (an array, not an object).
    assert.equal(findings.length, MAX_PROBLEMS_PER_FILE + 2);
    assert.equal(findings.filter((finding) => finding.code === 'DNE100' && finding.severity === 'error').length, MAX_PROBLEMS_PER_FILE);
    assert.equal(findings.at(-1)!.code, 'DNE103');
    const last = findings.find((finding) => finding.severity === 'information')!;
    assert.equal(last.severity, 'information');
    assert.match(last.message, /^\d+ more problems follow in daemon\.json; only the first 100 are listed\.$/);
    assert.equal(Number(last.message.split(' ')[0]) + MAX_PROBLEMS_PER_FILE, 200_001);
  });

  it('names a file over 1 MiB (counted in UTF-8 bytes) instead of parsing it, and checks the others', () => {
    const over = `{"x": "${'é'.repeat(MAX_CHECKED_BYTES / 2)}"}`; // fewer characters than bytes
    const findings = diagnoseFiles([
      { path: '/etc/docker/daemon.json', text: over },
      { path: '/etc/systemd/system/docker.service', text: '[Service]\nExecStart=/usr/bin/dockerd --cluster-advertise=eth0:2376\n' },
    ]);
    assert.deepEqual(
      findings.map((finding) => [finding.code, finding.file]),
      [
        ['DNE138', '/etc/docker/daemon.json'],
        ['DNE112', '/etc/systemd/system/docker.service'],
      ],
    );
    assert.match(findings[0].message, new RegExp(`^Not checked: ${Buffer.byteLength(over)} bytes, over the 1 MiB`));
  });
});
