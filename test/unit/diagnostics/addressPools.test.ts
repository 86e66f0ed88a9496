/** DNE200/DNE201: networks against the host's routes, and what the address pools have left. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { addressPoolDrafts, poolsFromDaemonJson, poolsLeft, DEFAULT_LOCAL_POOLS } from '../../../src/core/diagnostics/live/addressPools';
import { parseCidr, type Cidr } from '../../../src/core/net/cidr';

const net = (name: string, ...subnets: string[]) => ({ name, driver: 'bridge', scope: 'local', subnets });
const cidr = (text: string) => (parseCidr(text) as { ok: true; cidr: Cidr }).cidr;

describe('address pools and host routes', () => {
  it("a network over the VPN's range is named with the route it shadows and what to change", () => {
    const drafts = addressPoolDrafts(
      'h',
      [net('bridge', '172.17.0.0/16'), net('corp', '10.8.16.0/20')],
      [
        { destination: 'default', gateway: '192.168.1.1', device: 'eth0' },
        { destination: '172.17.0.0/16', device: 'docker0' },
        { destination: '10.8.0.0/16', device: 'tun0' },
      ],
      undefined,
    );
    assert.deepEqual(
      drafts.map((draft) => [draft.code, draft.severity]),
      [['DNE200', 'warning']],
    );
    assert.match(
      drafts[0].message,
      /^Docker network corp \(10\.8\.16\.0\/20\) overlaps h's route to 10\.8\.0\.0\/16 via tun0: h sends traffic for 10\.8\.16\.0\/20 to corp/,
    );
    assert.match(drafts[0].message, /default-address-pools/);
  });

  it("a more specific route inside docker0 is still used by the host, but not by docker0's containers", () => {
    const [draft] = addressPoolDrafts('h', [net('bridge', '172.17.0.0/16')], [{ destination: '172.17.5.0/24', device: 'tun0' }], undefined);
    assert.match(
      draft.message,
      /h itself still uses the route for 172\.17\.5\.0\/24, but bridge's containers send anything in 172\.17\.0\.0\/16 onto bridge/,
    );
    assert.match(draft.message, /"bip"/);
  });

  it('an overlay over a route: its containers lose the overlap, the host keeps its route; ingress is recreated as Docker asks', () => {
    const overlay = (name: string, subnet: string, scope = 'swarm') => ({ name, driver: 'overlay', scope, subnets: [subnet] });
    const routes = [
      { destination: '10.0.0.0/16', device: 'eth1' },
      { destination: '192.168.77.0/24', device: 'eth0' },
      { destination: '172.18.0.0/16', device: 'docker_gwbridge' },
    ];
    const drafts = addressPoolDrafts(
      'docker1',
      [
        overlay('ingress', '10.0.0.0/24'),
        overlay('wide', '192.168.0.0/16'),
        overlay('legacy', '10.0.9.0/24', 'global'),
        overlay('clear', '10.9.0.0/24'),
      ],
      routes,
      undefined,
    );
    assert.deepEqual(
      drafts.map((draft) => [draft.code, draft.message.split(':')[0]]),
      [
        ['DNE200', "Swarm overlay ingress (10.0.0.0/24) overlaps docker1's route to 10.0.0.0/16 via eth1"],
        ['DNE200', "Swarm overlay wide (192.168.0.0/16) overlaps docker1's route to 192.168.77.0/24 via eth0"],
        ['DNE200', "Overlay network legacy (10.0.9.0/24) overlaps docker1's route to 10.0.0.0/16 via eth1"],
      ],
    );
    const [ingress, wide, legacy] = drafts.map((draft) => draft.message);
    assert.match(ingress, /containers on ingress send anything in 10\.0\.0\.0\/24 onto ingress, not to eth1/);
    assert.match(ingress, /docker1 itself still uses its route/);
    assert.match(ingress, /docker network create --driver overlay --ingress --subnet <free range> ingress\)/);
    assert.match(ingress, /--default-addr-pool\)\.$/);
    assert.match(wide, /send anything in 192\.168\.77\.0\/24 onto wide/);
    assert.match(legacy, /Recreate legacy with a --subnet outside 10\.0\.0\.0\/16\.$/);
    // Overlays are not the local pools' business.
    assert.ok(!drafts.some((draft) => draft.code === 'DNE201'));
  });

  it("Docker's defaults hold 31 subnets; each network on one of them takes it", () => {
    assert.deepEqual(poolsLeft(DEFAULT_LOCAL_POOLS, []), { total: 31, free: 31 });
    assert.deepEqual(
      poolsLeft(DEFAULT_LOCAL_POOLS, [cidr('172.17.0.0/16'), cidr('192.168.16.0/20'), cidr('10.1.0.0/24'), cidr('192.168.0.0/16')]),
      { total: 31, free: 14 },
    );
    assert.deepEqual(poolsLeft([{ base: '10.200.0.0/16', size: 24 }], [cidr('10.200.3.0/24'), cidr('10.200.8.0/22')]), {
      total: 256,
      free: 251,
    });
  });

  it("few pools left: a warning, none left: an error, with the fix; from daemon.json's pools when set", () => {
    const many = Array.from({ length: 27 }, (_, index) =>
      net(`n${index}`, index < 15 ? `172.${17 + index}.0.0/16` : `192.168.${(index - 15) * 16}.0/20`),
    );
    const [warning] = addressPoolDrafts('h', many, undefined, undefined);
    assert.deepEqual([warning.code, warning.severity], ['DNE201', 'warning']);
    assert.match(warning.message, /allow 31 networks on h; 27 are taken, so only 4 more networks can be created without --subnet/);
    const pools = poolsFromDaemonJson('{"default-address-pools": [{"base": "10.99.0.0/24", "size": 25}]}');
    const [error] = addressPoolDrafts('h', [net('a', '10.99.0.0/25'), net('b', '10.99.0.128/25')], undefined, pools);
    assert.deepEqual([error.severity, /allow 2 networks on h; 2 are taken, so no further network/.test(error.message)], ['error', true]);
    assert.equal(poolsFromDaemonJson('{ not json'), undefined);
    assert.deepEqual(addressPoolDrafts('h', [net('bridge', '172.17.0.0/16')], undefined, undefined), []);
  });
});
