import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LISTED_FILES, scanMessage } from '../../../src/core/diagnostics/scanReport';

describe('the message at the end of Scan Host Configuration', () => {
  it('names the files it read, with the problem count', () => {
    const message = scanMessage({
      files: ['/etc/docker/daemon.json', 'lib/systemd/system/docker.service'],
      unreadable: [],
      problems: 2,
      root: '/',
    });
    assert.deepEqual(message, {
      text: 'Docker host configuration: 2 problems found. Read 2 files: /etc/docker/daemon.json, lib/systemd/system/docker.service.',
      severity: 'warning',
    });
  });

  it('names them when all is well too, and what it could not read', () => {
    const message = scanMessage({
      files: ['/etc/docker/daemon.json'],
      unreadable: ['/etc/default/docker: EACCES'],
      problems: 0,
      root: '/',
    });
    assert.deepEqual(message, {
      text: 'Docker host configuration: no problems found. Read 1 file: /etc/docker/daemon.json. Could not read: /etc/default/docker: EACCES.',
      severity: 'info',
    });
  });

  it('counts the files beyond the first few and points to the log for the rest', () => {
    const files = Array.from({ length: LISTED_FILES + 3 }, (_, index) => `/f${index}`);
    const { text } = scanMessage({ files, unreadable: [], problems: 1, root: '/' });
    assert.equal(
      text,
      `Docker host configuration: 1 problem found. Read ${files.length} files: /f0, /f1, /f2, /f3, /f4 and 4 more (Docker Networks: Show Log lists them).`,
    );
  });

  it('says when the live checks failed as a whole, as a warning even with no problem found', () => {
    const message = scanMessage({
      files: ['/etc/docker/daemon.json'],
      unreadable: [],
      problems: 0,
      root: '/',
      liveFailure: 'TypeError: x is not iterable',
    });
    assert.deepEqual(message, {
      text: 'Docker host configuration: no problems found. Read 1 file: /etc/docker/daemon.json. The live checks failed: TypeError: x is not iterable (Docker Networks: Show Log has the details).',
      severity: 'warning',
    });
  });

  it('says where it looked when it found nothing', () => {
    assert.equal(
      scanMessage({ files: [], unreadable: [], problems: 0, root: '/srv/h1' }).text,
      'No Docker configuration files found under /srv/h1 or in the workspace.',
    );
  });
});
