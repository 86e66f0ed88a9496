import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { defaultNetworkSpec } from '../../../src/core/operations/networkSpec';
import { describeNetworkSpec, exampleName, examplesInSubnet } from '../../../src/core/operations/networkSummary';
import { validateGateway, validateIpRange } from '../../../src/core/operations/validateNetwork';

describe('examples in the create flow', () => {
  it('suggests a name that fits the driver', () => {
    assert.equal(exampleName('bridge'), 'testbridge');
    assert.equal(exampleName('overlay'), 'multihost');
  });

  for (const [subnet, gateway, ipRange] of [
    ['10.15.20.0/24', '10.15.20.1', '10.15.20.128/25'],
    ['192.168.100.0/22', '192.168.100.1', '192.168.102.0/23'],
    ['172.30.0.0/16', '172.30.0.1', '172.30.128.0/17'],
    ['10.1.2.8/30', '10.1.2.9', '10.1.2.10/31'],
  ]) {
    it(`derives the gateway and ip-range examples from ${subnet}, and the validators accept them`, () => {
      assert.deepEqual(examplesInSubnet(subnet), { gateway, ipRange });
      assert.equal(validateGateway(gateway, subnet), undefined);
      assert.equal(validateIpRange(ipRange, subnet), undefined);
    });
  }

  it('falls back to generic examples when the subnet does not parse or has no room', () => {
    for (const subnet of ['', 'nonsense', '10.0.0.0/32', 'fd00::/64']) {
      assert.deepEqual(examplesInSubnet(subnet), { gateway: '10.15.20.1', ipRange: '10.15.20.128/25' }, subnet);
    }
  });
});

describe('the summary confirmed at the end of the create flow', () => {
  it('says what was ticked', () => {
    const spec = {
      ...defaultNetworkSpec('bridge', 'tb1'),
      subnet: '10.15.20.0/24',
      gateway: '10.15.20.1',
      internal: true,
      icc: false,
      mtu: 1450,
      labels: { env: 'test' },
    };
    assert.deepEqual(describeNetworkSpec(spec), [
      'Subnet 10.15.20.0/24, gateway 10.15.20.1, ip-range the whole subnet',
      'Internal: yes · Inter-container communication: no',
      'Bridge br-<id> · MTU 1450 · Labels env=test',
    ]);
  });

  it('says an overlay is encrypted when asked', () => {
    assert.equal(
      describeNetworkSpec({ ...defaultNetworkSpec('overlay', 'ov'), encrypted: true })[1],
      'Internal: no · Attachable: no · Encrypted: yes',
    );
  });

  it('describes an overlay with its own options', () => {
    assert.deepEqual(describeNetworkSpec({ ...defaultNetworkSpec('overlay', 'ov'), attachable: true, ipv6Subnet: 'fd00:1::/64' }), [
      'Subnet picked by Docker from its address pools',
      'IPv6 fd00:1::/64, gateway the first address, ip-range the whole subnet',
      'Internal: no · Attachable: yes · Encrypted: no',
      'MTU default',
    ]);
  });

  it('describes a macvlan with its parent and mode, a template, and a network made from one', () => {
    const lan = { ...defaultNetworkSpec('macvlan', 'lan'), parent: 'eth0.10', mode: 'private', subnet: '192.168.10.0/24' };
    assert.deepEqual(describeNetworkSpec(lan).slice(0, 3), [
      'parent eth0.10, mode private',
      'Subnet 192.168.10.0/24, gateway the first address, ip-range the whole subnet',
      'Internal: no',
    ]);
    assert.equal(
      describeNetworkSpec({ ...defaultNetworkSpec('ipvlan', 't'), configOnly: true })[0],
      'Config-only template: parent a dummy interface (no traffic leaves the host), mode l2',
    );
    assert.deepEqual(describeNetworkSpec({ ...defaultNetworkSpec('macvlan', 'f'), configFrom: 't' }), [
      'Every setting from config-only network t',
      'Internal: no',
    ]);
    assert.deepEqual(describeNetworkSpec({ ...defaultNetworkSpec('macvlan', 'f'), configFrom: 't', scope: 'swarm', attachable: true }), [
      'Every setting from config-only network t',
      'Internal: no',
      'Swarm scope · Attachable: yes',
    ]);
  });
});
