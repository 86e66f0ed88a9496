import assert from 'node:assert/strict';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { HostRegistry } from '../../../src/core/docker/hostRegistry';
import type { DockerHost } from '../../../src/core/hosts/dockerHost';
import type { Logger } from '../../../src/core/util/log';

// Nothing listens on these sockets: a monitor that is started goes connecting → unreachable fast.
const host = (name: string): DockerHost => {
  const socketPath = path.join(os.tmpdir(), `dne-registry-${process.pid}-${name}.sock`);
  return { id: name, name, source: 'setting', url: `unix://${socketPath}`, endpoint: { kind: 'unix', socketPath }, warnings: [] };
};

describe('HostRegistry follows on demand', () => {
  it('dials nothing until follow(): configured hosts are known, no monitor exists', () => {
    const registry = new HostRegistry({ timeoutMs: 500 });
    try {
      registry.setHosts([host('a'), host('b')]);
      assert.deepEqual(
        registry.hosts.map((entry) => entry.name),
        ['a', 'b'],
      );
      assert.deepEqual(registry.hostViews(), []);
      assert.equal(registry.all.length, 0);
    } finally {
      registry.dispose();
    }
  });

  it('follow() starts every host, once; later configurations apply at once', () => {
    const registry = new HostRegistry({ timeoutMs: 500 });
    try {
      registry.setHosts([host('a')]);
      registry.follow();
      const [first] = registry.all;
      registry.follow();
      assert.equal(registry.all[0], first, 'a second follow() made a new monitor');
      registry.setHosts([host('a'), host('b')]);
      assert.deepEqual(
        registry.hostViews().map((view) => view.host.name),
        ['a', 'b'],
      );
      assert.equal(registry.all[0], first, 'an unchanged host was reconnected');
    } finally {
      registry.dispose();
    }
  });

  it('ready() follows and resolves once no host is still connecting', async () => {
    const registry = new HostRegistry({ timeoutMs: 500 });
    try {
      registry.setHosts([host('a'), host('b')]);
      await registry.ready(5000);
      assert.deepEqual(
        registry.hostViews().map((view) => view.state.kind),
        ['unreachable', 'unreachable'],
      );
    } finally {
      registry.dispose();
    }
  });
});

describe('the default socket nobody chose (implicit), never answering', () => {
  const implicit = (): DockerHost => ({ ...host('local'), id: 'default', source: 'default', implicit: true });
  const recorder = () => {
    const lines: Array<[keyof Logger, string]> = [];
    const logger: Logger = {
      info: (message) => lines.push(['info', message]),
      warn: (message) => lines.push(['warn', message]),
      error: (message) => lines.push(['error', message]),
      debug: (message) => lines.push(['debug', message]),
    };
    return { lines, logger };
  };

  it('alone: shown, as absent (not unreachable)', async () => {
    const registry = new HostRegistry({ timeoutMs: 500 });
    try {
      registry.setHosts([implicit()]);
      await registry.ready(5000);
      assert.deepEqual(
        registry.hostViews().map((view) => [view.host.name, view.state.kind]),
        [['local', 'absent']],
      );
    } finally {
      registry.dispose();
    }
  });

  it('beside hosts the user chose: not shown at all, connecting or absent', async () => {
    const registry = new HostRegistry({ timeoutMs: 500 });
    try {
      registry.setHosts([implicit(), host('docker1')]);
      registry.follow();
      assert.deepEqual(
        registry.hostViews().map((view) => view.host.name),
        ['docker1'],
        'shown while connecting',
      );
      await registry.ready(5000);
      assert.deepEqual(
        registry.hostViews().map((view) => [view.host.name, view.state.kind]),
        [['docker1', 'unreachable']],
      );
      assert.equal(registry.monitor('default')?.state.kind, 'absent', 'still followed, so it appears if it ever answers');
    } finally {
      registry.dispose();
    }
  });

  it('retries quietly: one line at info, then debug only, never an error', async () => {
    const { lines, logger } = recorder();
    const registry = new HostRegistry({ timeoutMs: 500, retryInitialMs: 10, retryMaxMs: 20, logger });
    try {
      registry.setHosts([implicit(), host('docker1')]);
      registry.follow();
      await new Promise((resolve) => setTimeout(resolve, 400));
      const mine = lines.filter(([, message]) => message.startsWith('local:'));
      assert.ok(mine.length >= 3, `expected several retries, got ${JSON.stringify(mine)}`);
      assert.deepEqual(
        mine.filter(([level]) => level !== 'debug').map(([level]) => level),
        ['info'],
      );
      assert.match(
        mine[0][1],
        /^local: no Docker daemon at unix:\/\/.*; nothing configured names it, so it is not shown as a host until it answers$/,
      );
      assert.ok(
        lines.some(([level, message]) => level === 'error' && message.startsWith('docker1:')),
        'a chosen host still logs its errors',
      );
    } finally {
      registry.dispose();
    }
  });
});
