import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  formatContainerState,
  formatEndpointAddresses,
  formatMoment,
  formatIpam,
  formatPort,
  formatPortList,
  networkBadges,
} from '../../../src/core/model/format';
import type { ContainerModel } from '../../../src/core/model/snapshot';
import { networkModel } from '../../support/models';

describe('formatPort', () => {
  const cases: Array<[Parameters<typeof formatPort>[0], string]> = [
    [{ hostIp: '0.0.0.0', hostPort: 8081, containerPort: 80, protocol: 'tcp' }, '0.0.0.0:8081→80/tcp'],
    [{ hostIp: '::', hostPort: 8081, containerPort: 80, protocol: 'tcp' }, '[::]:8081→80/tcp'],
    [{ hostIp: '127.0.0.1', hostPort: 5353, containerPort: 53, protocol: 'udp' }, '127.0.0.1:5353→53/udp'],
    [{ containerPort: 443, protocol: 'tcp' }, '443/tcp'],
    [{ hostPort: 9000, containerPort: 9000, protocol: 'sctp' }, '0.0.0.0:9000→9000/sctp'],
  ];
  for (const [port, expected] of cases) {
    it(expected, () => assert.equal(formatPort(port), expected));
  }
});

describe('formatPortList', () => {
  it('shows one entry for a port Docker binds on both IPv4 and IPv6', () => {
    assert.equal(
      formatPortList([
        { hostIp: '0.0.0.0', hostPort: 8081, containerPort: 80, protocol: 'tcp' },
        { hostIp: '::', hostPort: 8081, containerPort: 80, protocol: 'tcp' },
      ]),
      '0.0.0.0:8081→80/tcp',
    );
  });
  it('keeps an IPv6-only publication and omits merely exposed ports', () => {
    assert.equal(
      formatPortList([
        { hostIp: '::1', hostPort: 9090, containerPort: 90, protocol: 'tcp' },
        { containerPort: 22, protocol: 'tcp' },
        { hostIp: '127.0.0.1', hostPort: 8443, containerPort: 443, protocol: 'tcp' },
      ]),
      '127.0.0.1:8443→443/tcp, [::1]:9090→90/tcp',
    );
  });
  it('is empty when nothing is published', () => assert.equal(formatPortList([]), ''));
});

describe('formatIpam', () => {
  it('joins subnet, gateway and range, pools separated by ";"', () => {
    assert.equal(
      formatIpam([{ subnet: '10.15.20.0/24', gateway: '10.15.20.1', ipRange: '10.15.20.128/25' }, { subnet: 'fd00::/64' }]),
      '10.15.20.0/24 gw 10.15.20.1 range 10.15.20.128/25; fd00::/64',
    );
  });
  it('is empty for a network without IPAM (host, none)', () => assert.equal(formatIpam([]), ''));
});

describe('networkBadges', () => {
  const network = networkModel;
  it('lists every flag that is set, in a fixed order', () => {
    assert.deepEqual(
      networkBadges(network({ predefined: true, internal: true, attachable: true, icc: false, enableIPv6: true, ingress: true })),
      ['predefined', 'internal', 'attachable', 'ICC off', 'IPv6', 'ingress'],
    );
  });
  it('has none for a plain user bridge', () => assert.deepEqual(networkBadges(network({})), []));
});

describe('formatEndpointAddresses', () => {
  it('IPv4 then IPv6, each with its prefix', () => {
    assert.equal(
      formatEndpointAddresses({
        networkId: 'n',
        containerId: 'c',
        endpointId: 'e',
        ipv4: '10.0.0.2',
        ipv4PrefixLen: 24,
        ipv6: 'fd00::2',
        ipv6PrefixLen: 64,
        aliases: [],
        links: [],
      }),
      '10.0.0.2/24 · fd00::2/64',
    );
  });
});

describe('container states with times that stay true', () => {
  // Local times, so the expectations hold in any time zone.
  const now = new Date(2026, 10, 30, 15, 30);
  const at = (hours: number, minutes: number, year = 2026) => new Date(year, 10, 30, hours, minutes).toISOString();
  const container = (extra: Partial<ContainerModel>): ContainerModel => ({
    id: 'c',
    name: 'c',
    image: 'bb',
    state: 'running',
    ports: [],
    labels: {},
    ...extra,
  });
  const cases: Array<[Partial<ContainerModel>, string]> = [
    [{ state: 'running', startedAt: at(15, 4) }, 'running since 15:04 (Nov 30)'],
    [{ state: 'running', startedAt: at(9, 5, 2025) }, 'running since 09:05 (Nov 30 2025)'],
    [{ state: 'running', created: Date.parse(at(14, 0)) / 1000 }, 'running, created 14:00 (Nov 30)'],
    [{ state: 'exited', exitCode: 137, finishedAt: at(15, 10) }, 'exited (137) at 15:10 (Nov 30)'],
    [{ state: 'exited' }, 'exited'],
    [{ state: 'created', created: Date.parse(at(15, 0)) / 1000 }, 'created 15:00 (Nov 30), never started'],
    [{ state: 'paused', startedAt: at(15, 4) }, 'paused, started 15:04 (Nov 30)'],
    [{ state: '' }, 'unknown'],
  ];
  for (const [extra, expected] of cases) {
    it(expected, () => assert.equal(formatContainerState(container(extra), now), expected));
  }
  it('reads the same ten minutes later (unlike "Up 44 seconds")', () => {
    const running = container({ startedAt: at(15, 4) });
    assert.equal(formatContainerState(running, new Date(now.getTime() + 10 * 60_000)), formatContainerState(running, now));
  });
  it('formats a moment as hours:minutes (month day)', () => assert.equal(formatMoment(new Date(2026, 0, 2, 3, 4), now), '03:04 (Jan 2)'));
});
