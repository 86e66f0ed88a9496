import assert from 'node:assert/strict';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { HostRegistry } from '../../src/core/hosts/hostRegistry';
import type { HostConfig } from '../../src/core/hosts/hostConfig';

// Nothing listens on these sockets: a monitor that is started goes connecting → unreachable fast.
const host = (name: string): HostConfig => {
  const socketPath = path.join(os.tmpdir(), `dne-registry-${process.pid}-${name}.sock`);
  return { id: name, name, source: 'setting', url: `unix://${socketPath}`, endpoint: { kind: 'unix', socketPath }, warnings: [] };
};

describe('HostRegistry follows on demand', () => {
  it('dials nothing until follow(): configured hosts are known, no monitor exists', () => {
    const registry = new HostRegistry({ timeoutMs: 500 });
    try {
      registry.setHosts([host('a'), host('b')]);
      assert.deepEqual(registry.hosts.map((entry) => entry.name), ['a', 'b']);
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
      assert.deepEqual(registry.hostViews().map((view) => view.host.name), ['a', 'b']);
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
      assert.deepEqual(registry.hostViews().map((view) => view.state.kind), ['unreachable', 'unreachable']);
    } finally {
      registry.dispose();
    }
  });
});
