/**
 * DNE201's count against a real dockerd: with `default-address-pools` of two /24s, the doctor
 * says how many networks still fit, and when it says none, `docker network create` without
 * --subnet fails with the words DNE201 quotes (ADDRESS_POOLS_EXHAUSTED). A private dockerd in
 * its own namespace, so the shared daemon's pools are untouched; run it on both engines.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import Dockerode from 'dockerode';
import { addressPoolDrafts, ADDRESS_POOLS_EXHAUSTED, poolsFromDaemonJson } from '../../src/core/diagnostics/live/addressPools';
import { probeDocker } from '../../src/core/diagnostics/live/docker';
import { Codes } from '../../src/core/diagnostics/codes';
import { PrivateDockerd } from '../support/dockerFixture';

const DAEMON_JSON = '{"default-address-pools": [{"base": "10.213.0.0/23", "size": 24}]}\n';

describe(
  'default-address-pools running out, on a real dockerd',
  { skip: process.getuid?.() !== 0 && 'needs root', timeout: 120_000 },
  () => {
    const daemon = new PrivateDockerd(undefined, undefined, [], { daemonJson: DAEMON_JSON });
    let docker: Dockerode;
    before(async () => {
      await daemon.start();
      docker = new Dockerode({ socketPath: daemon.socketPath });
    });
    after(() => daemon.dispose());

    /** DNE201 as the live doctor says it for this daemon now. */
    let engine = '';
    async function poolFinding() {
      const facts = await probeDocker({ name: 'pools', url: `unix://${daemon.socketPath}` }, 5000);
      assert.equal(facts.kind, 'ok');
      if (facts.kind !== 'ok') return undefined;
      engine = facts.serverVersion;
      return addressPoolDrafts('pools', facts.networks, undefined, poolsFromDaemonJson(DAEMON_JSON), facts.serverVersion).find(
        (draft) => draft.code === Codes.addressPoolsLow,
      );
    }

    it('counts down to none, and then Docker refuses in the words DNE201 quoted', async (t) => {
      const before = await poolFinding();
      t.diagnostic(before?.message ?? '(no DNE201)');
      const taken = (await docker.listNetworks()).filter((network) =>
        (network.IPAM?.Config ?? []).some((pool) => pool.Subnet?.startsWith('10.213.')),
      );
      const free = 2 - taken.length;
      assert.match(
        before?.message ?? '',
        new RegExp(`allow 2 networks on pools; ${taken.length} are taken, so (only ${free} more network|no further network)`),
      );
      for (let index = 0; index < free; index++) await docker.createNetwork({ Name: `sd-pool${index}`, Driver: 'bridge' });
      const none = await poolFinding();
      assert.equal(none?.severity, 'error');
      assert.match(none?.message ?? '', /so no further network can be created without --subnet/);
      const refused = await docker.createNetwork({ Name: 'sd-pool-over', Driver: 'bridge' }).then(
        () => undefined,
        (error: { json?: { message?: string }; message: string }) => error.json?.message ?? error.message,
      );
      t.diagnostic(`dockerd ${engine}: ${refused}`);
      assert.equal(refused, ADDRESS_POOLS_EXHAUSTED);
      assert.ok(
        none?.message.includes(`no further network can be created without --subnet: Docker refuses with "${ADDRESS_POOLS_EXHAUSTED}"`),
        none?.message,
      );
    });
  },
);
