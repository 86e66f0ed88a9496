/**
 * The model on what each engine really answers: the same seed recorded from dockerd 20.10 (API 1.41)
 * and 26.1 (API 1.45) by tools/docker/recordSeed.mjs, plus Engine 28's fields (API 1.48, from the
 * Engine API changelog: not runnable here) as a hand-made fixture. One picture from both engines.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { NEWEST_KNOWN_API, compareApi, negotiateVersion, type RawContainer, type RawNetwork } from '../../../src/core/docker/dockerClient';
import { daemonLine } from '../../../src/core/explorer/explorerTree';
import { networkBadges } from '../../../src/core/model/format';
import { endpointDetails } from '../../../src/core/explorer/networkRows';
import { buildHostSnapshot, endpointExtras, type EndpointExtras } from '../../../src/core/docker/buildSnapshot';
import type { HostSnapshot } from '../../../src/core/model/snapshot';

interface Recording {
  version: Record<string, unknown>;
  networks: RawNetwork[];
  containers: RawContainer[];
  inspects: Array<{ Id: string; NetworkSettings: { Networks: Record<string, Record<string, unknown>> } }>;
}

function load(engine: '20.10' | '26'): Recording {
  return JSON.parse(fs.readFileSync(path.resolve(__dirname, `../../../../test/unit/fixtures/engines/${engine}.json`), 'utf8')) as Recording;
}

function snapshotOf(recording: Recording): HostSnapshot {
  const extras = new Map<string, Record<string, EndpointExtras>>(
    recording.inspects.map((inspect) => [
      inspect.Id,
      Object.fromEntries(Object.entries(inspect.NetworkSettings.Networks).map(([name, settings]) => [name, endpointExtras(settings)])),
    ]),
  );
  return buildHostSnapshot('h', recording.networks, recording.containers, extras);
}

/** What must not depend on the engine: names, IPAM, states, aliases, links — no IDs or addresses. */
function engineFreeView(snapshot: HostSnapshot) {
  const networkName = new Map(snapshot.networks.map((network) => [network.id, network.name]));
  const containerName = new Map(snapshot.containers.map((container) => [container.id, container.name]));
  return {
    networks: snapshot.networks.map(({ name, driver, scope, internal, predefined, icc }) => ({
      name,
      driver,
      scope,
      internal,
      predefined,
      icc,
    })),
    tb1: snapshot.networks.find((network) => network.name === 'dne-rec-tb1')?.ipam,
    containers: snapshot.containers.map(({ name, state, ports }) => ({
      name,
      state,
      ports: ports.map((port) => `${port.hostPort ?? ''}->${port.containerPort}`),
    })),
    endpoints: snapshot.endpoints
      .map((endpoint) => ({
        on: `${containerName.get(endpoint.containerId)}@${networkName.get(endpoint.networkId)}`,
        aliases: endpoint.aliases,
        links: endpoint.links,
      }))
      .sort((a, b) => a.on.localeCompare(b.on)),
  };
}

describe('the model on recorded answers of Engine 20.10 and 26.1', () => {
  const old = snapshotOf(load('20.10'));
  const modern = snapshotOf(load('26'));

  it('gives one picture from both engines: names, subnets, states, user aliases and links', () => {
    assert.deepEqual(engineFreeView(modern), engineFreeView(old));
    const view = engineFreeView(old);
    assert.deepEqual(view.tb1, [{ subnet: '10.15.20.0/24', gateway: '10.15.20.1', ipRange: '10.15.20.128/25' }]);
    const w1 = view.endpoints.find((endpoint) => endpoint.on === 'dne-rec-w1@dne-rec-tb1');
    // 20.10 lists the short ID among the aliases, 26 does not: neither shows it.
    assert.deepEqual(w1?.aliases, ['webone']);
    assert.deepEqual(view.endpoints.find((endpoint) => endpoint.on === 'dne-rec-w2@dne-rec-tb1')?.links, [
      { container: 'dne-rec-w1', alias: 'wone' },
    ]);
    assert.equal(view.containers.find((container) => container.name === 'dne-rec-w3')?.state, 'exited');
    assert.ok(
      view.endpoints.some((endpoint) => endpoint.on === 'dne-rec-w3@dne-rec-tb1'),
      'a stopped container stays attached',
    );
  });

  it("uses 26's DNSNames (what its DNS answers) and has none to show from 20.10", () => {
    const names = (snapshot: HostSnapshot, container: string) => {
      const id = snapshot.containers.find((entry) => entry.name === container)!.id;
      const tb1 = snapshot.networks.find((network) => network.name === 'dne-rec-tb1')!.id;
      return snapshot.endpoints.find((endpoint) => endpoint.containerId === id && endpoint.networkId === tb1)!;
    };
    const w1 = names(modern, 'dne-rec-w1');
    assert.deepEqual(w1.dnsNames, ['dne-rec-w1', 'webone', w1.containerId.slice(0, 12)]);
    assert.deepEqual(names(modern, 'dne-rec-w3').dnsNames?.slice(0, 2), ['dne-rec-w3', 'three'], 'a stopped container too');
    assert.equal(names(old, 'dne-rec-w1').dnsNames, undefined);
    assert.deepEqual(
      endpointDetails(w1).find(([label]) => label === 'DNS names'),
      ['DNS names', `dne-rec-w1, webone, ${w1.containerId.slice(0, 12)}`],
    );
  });

  it('negotiates the API as the docker CLI does: min(the daemon, ours)', () => {
    assert.equal(negotiateVersion(load('20.10').version).negotiatedApi, '1.41');
    assert.equal(negotiateVersion(load('26').version).negotiatedApi, '1.45');
    const future = negotiateVersion({ Version: '31.0.0', ApiVersion: '1.60', MinAPIVersion: '1.44' });
    assert.equal(future.negotiatedApi, NEWEST_KNOWN_API);
    assert.equal(daemonLine(future), `Docker 31.0.0 · API ${NEWEST_KNOWN_API}, daemon's newest 1.60`);
    assert.equal(daemonLine(negotiateVersion(load('26').version)), 'Docker 26.1.5+dfsg1 · API 1.45');
    assert.ok(compareApi('1.9', '1.41') < 0);
    assert.throws(() => negotiateVersion({ Version: '26.1.5', ApiVersion: null }), /no usable ApiVersion \(null\)/);
    assert.throws(() => negotiateVersion({ ApiVersion: '1.45; rm -rf' }), /no usable ApiVersion/);
  });
});

describe("Engine 28's network fields (API 1.48, from the Engine API changelog)", () => {
  // Shapes as the changelog documents them; no 28.x daemon can run here.
  const networks = [
    {
      Name: 'v6only',
      Id: 'n1',
      Driver: 'bridge',
      Scope: 'local',
      EnableIPv4: false,
      EnableIPv6: true,
      IPAM: { Config: [{ Subnet: 'fd00:1::/64' }] },
      Options: { 'com.docker.network.bridge.gateway_mode_ipv6': 'routed' },
    },
    { Name: 'mv-config', Id: 'n2', Driver: 'null', Scope: 'local', ConfigOnly: true, IPAM: { Config: [{ Subnet: '192.0.2.0/24' }] } },
    { Name: 'mv', Id: 'n3', Driver: 'macvlan', Scope: 'swarm', ConfigFrom: { Network: 'mv-config' }, IPAM: { Config: null } },
  ] as unknown as RawNetwork[];
  const containers = [
    {
      Id: 'c'.repeat(64),
      Names: ['/app'],
      State: 'running',
      NetworkSettings: {
        Networks: {
          v6only: { NetworkID: 'n1', EndpointID: 'e1', GlobalIPv6Address: 'fd00:1::2', GlobalIPv6PrefixLen: 64, GwPriority: 10 },
        },
      },
    },
  ] as unknown as RawContainer[];
  const snapshot = buildHostSnapshot('h', networks, containers);

  it('reads EnableIPv4, ConfigOnly/ConfigFrom and GwPriority when present, and badges them', () => {
    const byName = Object.fromEntries(snapshot.networks.map((network) => [network.name, network]));
    assert.equal(byName.v6only.enableIPv4, false);
    assert.deepEqual(networkBadges(byName.v6only), ['IPv6', 'IPv6-only']);
    assert.equal(byName.v6only.options['com.docker.network.bridge.gateway_mode_ipv6'], 'routed');
    assert.deepEqual(networkBadges(byName['mv-config']), ['config-only']);
    assert.deepEqual(networkBadges(byName.mv), ['config from mv-config']);
    assert.deepEqual(byName.mv.ipam, []);
    assert.equal(snapshot.endpoints[0].gwPriority, 10);
  });

  it('leaves the fields out where older engines do not send them', () => {
    const old = snapshotOf(load('20.10'));
    for (const network of old.networks) {
      assert.deepEqual([network.enableIPv4, network.configOnly, network.configFrom], [undefined, undefined, undefined]);
    }
    assert.ok(old.endpoints.every((endpoint) => endpoint.gwPriority === undefined));
  });
});
