import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  cidrContainsCidr,
  cidrContainsIp,
  cidrsOverlap,
  formatIp,
  lastAddress,
  parseCidr,
  parseIp,
  type Cidr,
} from '../../../src/core/net/cidr';

const cidr = (text: string): Cidr => {
  const result = parseCidr(text);
  assert.ok(result.ok, `${text}: ${result.ok ? '' : result.error}`);
  return result.cidr;
};
const ip = (text: string) => {
  const parsed = parseIp(text);
  assert.ok(parsed, text);
  return parsed;
};

describe('parseIp', () => {
  for (const [text, formatted] of [
    ['10.15.20.1', '10.15.20.1'],
    ['0.0.0.0', '0.0.0.0'],
    ['255.255.255.255', '255.255.255.255'],
    ['fd00::1', 'fd00::1'],
    ['::', '::'],
    ['::1', '::1'],
    ['2001:db8:0:0:1:0:0:1', '2001:db8::1:0:0:1'],
    ['FD00:0:0:0:0:0:0:0', 'fd00::'],
    ['::ffff:10.0.0.1', '::ffff:a00:1'],
  ]) {
    it(`reads ${text}`, () => assert.equal(formatIp(ip(text)), formatted));
  }
  for (const text of [
    '',
    '10.15.20',
    '10.15.20.256',
    '10.015.20.1',
    '1.2.3.4.5',
    'a.b.c.d',
    ' 1.2.3.4x',
    'fd00:::1',
    '1::2::3',
    'fd00:12345::1',
    '1:2:3:4:5:6:7:8:9',
    'fd00::g',
  ]) {
    it(`refuses "${text}"`, () => assert.equal(parseIp(text), undefined));
  }
});

describe('parseCidr', () => {
  it('accepts a network address with its prefix', () => {
    const block = cidr('10.15.20.0/24');
    assert.equal(block.prefix, 24);
    assert.equal(formatIp({ family: 4, value: block.network }), '10.15.20.0');
    assert.equal(formatIp({ family: 4, value: lastAddress(block) }), '10.15.20.255');
  });
  const refused: Array<[string, RegExp]> = [
    ['10.15.20.0/33', /prefix length "\/33" is out of range: IPv4 allows \/0 to \/32/],
    ['10.15.20.5/24', /host bits set: the network address is 10\.15\.20\.0\/24/],
    ['10.15.20.0', /not in CIDR form/],
    ['10.15.300.0/24', /"10\.15\.300\.0" is not a valid IP address/],
    ['10.15.20.0/', /out of range/],
    ['10.15.20.0/-1', /out of range/],
    ['fd00::/129', /IPv6 allows \/0 to \/128/],
    ['fd00::1/64', /the network address is fd00::\/64/],
  ];
  for (const [text, message] of refused) {
    it(`refuses ${text}`, () => {
      const result = parseCidr(text);
      assert.equal(result.ok, false);
      if (!result.ok) assert.match(result.error, message);
    });
  }
  it('accepts host bits when not strict (an address with its prefix)', () => {
    assert.equal(parseCidr('10.15.20.5/24', false).ok, true);
  });
});

describe('containment and overlap', () => {
  it('an address inside and outside a subnet', () => {
    assert.equal(cidrContainsIp(cidr('10.15.20.128/25'), ip('10.15.20.200')), true);
    assert.equal(cidrContainsIp(cidr('10.15.20.128/25'), ip('10.15.20.127')), false);
    assert.equal(cidrContainsIp(cidr('10.15.20.0/24'), ip('10.15.21.1')), false);
    assert.equal(cidrContainsIp(cidr('fd00::/64'), ip('fd00::42')), true);
    assert.equal(cidrContainsIp(cidr('10.0.0.0/8'), ip('fd00::42')), false);
  });
  it('a range inside a subnet, and one bigger than it', () => {
    assert.equal(cidrContainsCidr(cidr('10.15.20.0/24'), cidr('10.15.20.128/25')), true);
    assert.equal(cidrContainsCidr(cidr('10.15.20.0/24'), cidr('10.15.0.0/16')), false);
    assert.equal(cidrContainsCidr(cidr('10.15.20.0/24'), cidr('10.15.21.0/25')), false);
  });
  it('overlap is symmetric and family-aware', () => {
    assert.equal(cidrsOverlap(cidr('10.15.0.0/16'), cidr('10.15.20.0/24')), true);
    assert.equal(cidrsOverlap(cidr('10.15.20.0/24'), cidr('10.15.0.0/16')), true);
    assert.equal(cidrsOverlap(cidr('10.15.20.0/24'), cidr('10.15.21.0/24')), false);
    assert.equal(cidrsOverlap(cidr('0.0.0.0/0'), cidr('fd00::/8')), false);
  });
});
