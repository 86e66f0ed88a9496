/**
 * Settings that cannot hurt: a timeout Node's timers can hold (a longer one fires at once), and
 * in an untrusted workspace none of the settings that pick daemons, files or waits.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { MAX_TIMER_MS, requestTimeoutMs, timerMs } from '../../../src/core/util/timeouts';

describe('timeouts a timer can hold', () => {
  it('clamps requestTimeoutSeconds and says why', () => {
    assert.deepEqual(requestTimeoutMs(10), { ms: 10_000 });
    assert.deepEqual(requestTimeoutMs(2147483), { ms: 2_147_483_000 });
    const huge = requestTimeoutMs(1e12);
    assert.equal(huge.ms, MAX_TIMER_MS);
    assert.match(huge.note ?? '', /1000000000000 s, longer than a timer can wait \(2147483647 ms, about 24\.8 days\)/);
    assert.deepEqual(requestTimeoutMs(0.2).ms, 1000);
    for (const bad of ['10', null, Number.NaN, Infinity]) {
      const read = requestTimeoutMs(bad);
      assert.equal(read.ms, 10_000);
      assert.match(read.note ?? '', /not a number of seconds: using 10 s/);
    }
  });

  it('never hands Node a delay it would fire at once', () => {
    assert.equal(timerMs(2 ** 31), MAX_TIMER_MS);
    assert.equal(timerMs(Number.MAX_VALUE), MAX_TIMER_MS);
    assert.equal(timerMs(-5), 1);
    assert.equal(timerMs(Number.NaN), MAX_TIMER_MS);
    assert.equal(timerMs(250.4), 250);
  });
});

describe('untrusted workspaces', () => {
  const manifest = JSON.parse(fs.readFileSync(path.resolve(__dirname, '../../../../package.json'), 'utf8')) as {
    capabilities: { untrustedWorkspaces: { restrictedConfigurations: string[] } };
    contributes: { configuration: { properties: Record<string, { maximum?: number }> } };
  };

  it('restrict every setting that says which daemon to dial, which files to read, or how long to wait', () => {
    // All of this extension's settings are such settings; a new harmless one would be listed here.
    const unrestricted: string[] = [
      // How the Containers view is drawn: dials nothing, reads nothing.
      'dockerNetworkExplorer.containers.groupByComposeProject',
    ];
    const settings = Object.keys(manifest.contributes.configuration.properties).filter((key) => !unrestricted.includes(key));
    assert.deepEqual([...manifest.capabilities.untrustedWorkspaces.restrictedConfigurations].sort(), settings.sort());
  });

  it('offer no requestTimeoutSeconds a timer cannot hold', () => {
    const maximum = manifest.contributes.configuration.properties['dockerNetworkExplorer.requestTimeoutSeconds'].maximum;
    assert.ok(maximum !== undefined && maximum * 1000 <= MAX_TIMER_MS, String(maximum));
  });
});
