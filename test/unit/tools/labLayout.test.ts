// test/support/lab.ts names the lab's sockets and addresses synchronously for the test files;
// tools/lab/config.mjs is what the lab really builds. Both must agree, for the default lab and
// for a second one (DNELAB_ID), or a test would talk to a lab that is not there.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { test } from 'node:test';
import { labLayout } from '../../support/lab';
import { findRepoRoot } from '../../support/codeServer';

function configSays(id: string): {
  dir: string;
  lanIp: string;
  rootIp: string;
  hosts: { name: string; ip: string; socket: string; netns: string }[];
} {
  const config = path.join(findRepoRoot(), 'tools/lab/config.mjs');
  const script = `const c = await import(${JSON.stringify(config)}); console.log(JSON.stringify({ dir: c.LAB_DIR, lanIp: c.LAN_IP, rootIp: c.ROOT_IP, hosts: c.hosts() }))`;
  const env: NodeJS.ProcessEnv = { ...process.env, DNELAB_ID: id };
  delete env.DNELAB_DIR;
  const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], { env, encoding: 'utf8' });
  assert.equal(run.status, 0, run.stderr);
  return JSON.parse(run.stdout);
}

for (const id of ['', '3']) {
  test(`the tests' lab layout is the lab's own (DNELAB_ID=${id || 'unset'})`, () => {
    const config = configSays(id);
    const layout = labLayout({ DNELAB_ID: id });
    assert.equal(layout.dir, config.dir);
    assert.equal(layout.storeIp, config.lanIp);
    assert.equal(layout.rootIp, config.rootIp);
    for (const host of config.hosts) {
      const name = host.name as 'docker1' | 'docker2' | 'docker3';
      assert.deepEqual([layout.hostIp(name), layout.socket(name), layout.netns(name)], [host.ip, host.socket, host.netns]);
    }
  });
}

test('a second lab shares no name or address with the default one', () => {
  const [first, second] = [configSays(''), configSays('3')];
  assert.notEqual(first.dir, second.dir);
  assert.notEqual(first.lanIp, second.lanIp);
  for (const [a, b] of first.hosts.map((host, i) => [host, second.hosts[i]])) assert.notEqual(a.netns, b.netns);
});
