import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { hostPathOf } from '../../../src/core/diagnostics/hostFiles/hostPaths';
import { readHostFiles } from '../../../src/core/diagnostics/hostFiles/readHostFiles';

describe('which host a file belongs to, and its path on that host', () => {
  const cases: Array<[string, string[], string, string]> = [
    ['/etc/docker/daemon.json', [], '/', '/etc/docker/daemon.json'],
    ['/srv/hosts/docker2/etc/docker/daemon.json', ['/srv/hosts'], '/srv/hosts/docker2', '/etc/docker/daemon.json'],
    [
      '/srv/hosts/docker2/etc/systemd/system/docker.service.d/10.conf',
      [],
      '/srv/hosts/docker2',
      '/etc/systemd/system/docker.service.d/10.conf',
    ],
    ['/r/usr/lib/systemd/system/docker.service', [], '/r', '/usr/lib/systemd/system/docker.service'],
    ['/r/lib/systemd/system/docker.socket', [], '/r', '/lib/systemd/system/docker.socket'],
    ['/r/etc/sysconfig/docker', [], '/r', '/etc/sysconfig/docker'],
    ['/proj/store/docker-compose.yml', ['/proj', '/proj/store'], '/proj/store', '/proj/store/docker-compose.yml'],
    ['/tmp/loose/daemon.json', [], '/tmp/loose', '/tmp/loose/daemon.json'],
  ];
  for (const [file, folders, hostKey, corePath] of cases) {
    it(`${file} → host ${hostKey}, seen as ${corePath}`, () => assert.deepEqual(hostPathOf(file, folders), { hostKey, corePath }));
  }
});

describe("reading a host's real configuration files", () => {
  let root = '';
  const write = (file: string, text: string) => {
    fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    fs.writeFileSync(path.join(root, file), text);
  };
  before(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'dne-hostroot-'));
    write('/etc/docker/daemon.json', '{}');
    write('/etc/default/docker', 'DOCKER_OPTS=""');
    // /etc's unit shadows /lib's: only the one systemd uses is read.
    write('/etc/systemd/system/docker.service', '[Service]\nExecStart=/usr/bin/dockerd\n');
    write('/lib/systemd/system/docker.service', '[Service]\nExecStart=/usr/bin/dockerd -H fd://\n');
    // Drop-ins of every folder, by name; a same-named one in /etc wins over /lib's.
    write('/lib/systemd/system/docker.service.d/20-b.conf', 'lib b');
    write('/etc/systemd/system/docker.service.d/20-b.conf', 'etc b');
    write('/lib/systemd/system/docker.service.d/10-a.conf', 'lib a');
    write('/etc/systemd/system/docker.service.d/notes.txt', 'not a drop-in');
    write('/lib/systemd/system/docker.socket', '[Socket]\nListenStream=/run/docker.sock\n');
  });
  after(() => fs.rmSync(root, { recursive: true, force: true }));

  it("reads the unit systemd uses, its drop-ins in systemd's order, and the single files", async () => {
    const { files, unreadable } = await readHostFiles(root);
    assert.deepEqual(unreadable, []);
    assert.deepEqual(
      files.map((file) => [path.relative(root, file.file), file.text.split('\n')[0]]),
      [
        ['etc/docker/daemon.json', '{}'],
        ['etc/default/docker', 'DOCKER_OPTS=""'],
        ['etc/systemd/system/docker.service', '[Service]'],
        ['lib/systemd/system/docker.service.d/10-a.conf', 'lib a'],
        ['etc/systemd/system/docker.service.d/20-b.conf', 'etc b'],
        ['lib/systemd/system/docker.socket', '[Socket]'],
      ],
    );
  });
});
