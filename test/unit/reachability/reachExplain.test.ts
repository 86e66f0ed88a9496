/**
 * The reachability rules on snapshots shaped like both engines' answers: every scenario of the
 * seed article (issue #12's Proof list), the recorded seeds, and addresses outside Docker.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import type { RawContainer, RawNetwork } from '../../../src/core/docker/dockerClient';
import { buildHostSnapshot, endpointExtras, type EndpointExtras } from '../../../src/core/docker/buildSnapshot';
import { explain, UnknownOrigin } from '../../../src/core/reachability/explain';
import type { ReachAnswer, ReachHost, ReachQuestion } from '../../../src/core/reachability/types';
import { host, type Engine } from '../reachWorld';

const ask = (hosts: ReachHost[], from: string, target: string, port?: number): ReachAnswer =>
  explain(hosts, { from, target, ...(port === undefined ? {} : { port }) });
const codes = (answer: ReachAnswer) => answer.reasons.map((reason) => reason.code);

function expectAnswer(answer: ReachAnswer, verdict: ReachAnswer['verdict'], leading: string) {
  assert.equal(answer.verdict, verdict, JSON.stringify(answer.reasons, null, 1));
  if (verdict === 'unreachable') assert.equal(answer.reasons[0].code, leading, JSON.stringify(answer.reasons, null, 1));
  else assert.ok(codes(answer).includes(leading as never), `${leading} missing in ${codes(answer).join(', ')}`);
}

for (const engine of ['20.10', '26'] as Engine[]) {
  describe(`reachability on Engine ${engine}-shaped snapshots`, () => {
    it("host mode serves on the host's port; its name resolves nowhere", () => {
      const hosts = [
        host(
          engine,
          'h',
          [],
          [
            { name: 'hostweb', mode: 'host' },
            { name: 'client', networks: { bridge: { ip: '172.17.0.2' } } },
          ],
        ),
      ];
      const served = ask(hosts, 'client', 'host', 80);
      expectAnswer(served, 'reachable', 'host-network-mode');
      assert.match(served.reasons.map((reason) => reason.message).join(' '), /hostweb .*host mode/);
      expectAnswer(ask(hosts, 'client', 'hostweb'), 'unreachable', 'name-not-resolved');
      expectAnswer(ask(hosts, 'hostweb', '172.17.0.2'), 'reachable', 'address-on-network');
      expectAnswer(ask(hosts, 'hostweb', 'client'), 'unreachable', 'name-not-resolved');
    });

    it('default bridge, ICC on: the address works, the name does not (no embedded DNS)', () => {
      const hosts = [
        host(
          engine,
          'h',
          [],
          [
            { name: 'a', networks: { bridge: { ip: '172.17.0.2' } } },
            { name: 'b', networks: { bridge: { ip: '172.17.0.3' } } },
          ],
        ),
      ];
      const byName = ask(hosts, 'a', 'b');
      expectAnswer(byName, 'unreachable', 'no-dns-on-default-bridge');
      assert.deepEqual(
        byName.names.map((name) => [name.name, name.resolves]),
        [
          ['b', false],
          ['172.17.0.3', true],
        ],
      );
      assert.deepEqual(
        byName.networks.map((net) => [net.name, net.passes, net.targetAddress]),
        [['bridge', true, '172.17.0.3']],
      );
      const byAddress = ask(hosts, 'a', '172.17.0.3');
      expectAnswer(byAddress, 'reachable', 'shared-network');
      assert.deepEqual(
        byAddress.path?.steps.map((step) => step.name),
        ['a', 'bridge', 'b'],
      );
    });

    it('ICC off with a legacy link: ping refused, the exposed port 80 allowed, only from the declaring side', () => {
      const hosts = [
        host(
          engine,
          'h',
          [{ name: 'bridge', subnet: '172.17.0.0/16', icc: false }],
          [
            { name: 'web1', networks: { bridge: { ip: '172.17.0.2' } }, legacyLinks: [{ container: 'web2', alias: 'db' }] },
            { name: 'web2', networks: { bridge: { ip: '172.17.0.3' } }, ports: [{ PrivatePort: 80 }] },
          ],
        ),
      ];
      const ping = ask(hosts, 'web1', 'db');
      expectAnswer(ping, 'unreachable', 'icc-disabled');
      assert.equal(ping.names[0].kind, 'link-alias');
      assert.equal(ping.path?.blockedAt?.name, 'bridge');
      expectAnswer(ask(hosts, 'web1', 'web2', 80), 'reachable', 'exposed-port-linked');
      expectAnswer(ask(hosts, 'web1', 'db', 81), 'unreachable', 'port-not-exposed');
      expectAnswer(ask(hosts, 'web2', '172.17.0.2', 80), 'unreachable', 'icc-disabled');
      expectAnswer(ask(hosts, 'web2', 'web1'), 'unreachable', 'no-dns-on-default-bridge');
    });

    it('internal bridge: no egress, its published port dead; a second NIC on bridge brings the port back', () => {
      const internalOnly = [
        host(
          engine,
          'h',
          [{ name: 'intnet', subnet: '172.20.0.0/16', internal: true }],
          [
            {
              name: 'web',
              networks: { intnet: { ip: '172.20.0.2' } },
              bindings: [{ hostPort: 18181, containerPort: 80, protocol: 'tcp' }],
            },
            { name: 'peer', networks: { intnet: { ip: '172.20.0.3' } } },
          ],
        ),
      ];
      const dead = ask(internalOnly, 'lan', 'h', 18181);
      expectAnswer(dead, 'unreachable', 'published-port-internal');
      assert.match(dead.reasons[0].message, /docker network connect bridge web/);
      expectAnswer(ask(internalOnly, 'web', '192.0.2.10'), 'unreachable', 'internal-network');
      expectAnswer(ask(internalOnly, 'peer', 'web', 80), 'reachable', 'shared-network');
      expectAnswer(ask(internalOnly, 'web', 'host'), 'reachable', 'via-gateway');
      const dualHomed = [
        host(
          engine,
          'h',
          [{ name: 'intnet', subnet: '172.20.0.0/16', internal: true }],
          [
            {
              name: 'web',
              networks: { intnet: { ip: '172.20.0.2' }, bridge: { ip: '172.17.0.2' } },
              ports: [{ IP: '0.0.0.0', PrivatePort: 80, PublicPort: 18181 }],
              bindings: [{ hostPort: 18181, containerPort: 80, protocol: 'tcp' }],
            },
          ],
        ),
      ];
      const back = ask(dualHomed, 'lan', 'h', 18181);
      expectAnswer(back, 'reachable', 'published-port');
      assert.deepEqual(
        back.path?.steps.map((step) => step.kind),
        ['address', 'host', 'port', 'container'],
      );
      expectAnswer(ask(dualHomed, 'web', '192.0.2.10'), 'reachable', 'via-gateway');
    });

    it('user-defined bridge: aliases resolve for everyone on the network, a link alias only for the container that declared it', () => {
      const hosts = [
        host(
          engine,
          'h',
          [
            { name: 'app', subnet: '10.30.0.0/24' },
            { name: 'other', subnet: '10.31.0.0/24' },
          ],
          [
            { name: 'web1', networks: { app: { ip: '10.30.0.2', links: ['web2:backend'] } } },
            { name: 'web2', networks: { app: { ip: '10.30.0.3', aliases: ['api'] }, other: { ip: '10.31.0.3', aliases: ['db'] } } },
            { name: 'web3', networks: { app: { ip: '10.30.0.4' } } },
          ],
        ),
      ];
      const linked = ask(hosts, 'web1', 'backend');
      expectAnswer(linked, 'reachable', 'name-resolves');
      assert.deepEqual(
        linked.names.map((name) => [name.name, name.kind, name.network, name.addresses]),
        [['backend', 'link-alias', 'app', ['10.30.0.3']]],
      );
      expectAnswer(ask(hosts, 'web3', 'backend'), 'unreachable', 'link-alias-not-visible');
      expectAnswer(ask(hosts, 'web2', 'backend'), 'unreachable', 'link-alias-not-visible');
      expectAnswer(ask(hosts, 'web3', 'api'), 'reachable', 'name-resolves');
      expectAnswer(ask(hosts, 'web3', 'db'), 'unreachable', 'alias-on-other-network');
      expectAnswer(ask(hosts, 'web3', 'web2'), 'reachable', 'shared-network');
      const shortId = hosts[0].snapshot.containers.find((container) => container.name === 'web2')?.id.slice(0, 12) as string;
      const byId = ask(hosts, 'web3', shortId);
      expectAnswer(byId, 'reachable', 'name-resolves');
      assert.equal(byId.names[0].kind, engine === '26' ? 'short-id' : 'short-id');
    });

    it('none mode reaches nothing and is reached by nothing', () => {
      const hosts = [
        host(
          engine,
          'h',
          [{ name: 'app', subnet: '10.30.0.0/24' }],
          [
            { name: 'lonely', mode: 'none' },
            { name: 'web', networks: { app: { ip: '10.30.0.2' } } },
          ],
        ),
      ];
      expectAnswer(ask(hosts, 'lonely', 'web'), 'unreachable', 'network-mode-none');
      expectAnswer(ask(hosts, 'lonely', 'host'), 'unreachable', 'network-mode-none');
      expectAnswer(ask(hosts, 'web', 'lonely'), 'unreachable', 'network-mode-none');
    });

    it('a stopped target has no address and no name; a stopped FROM reaches nothing', () => {
      const hosts = [
        host(
          engine,
          'h',
          [{ name: 'app', subnet: '10.30.0.0/24' }],
          [
            { name: 'web', networks: { app: { ip: '10.30.0.2' } } },
            { name: 'down', state: 'exited', networks: { app: { ip: '10.30.0.3', aliases: ['three'] } } },
          ],
        ),
      ];
      expectAnswer(ask(hosts, 'web', 'down'), 'unreachable', 'stopped');
      expectAnswer(ask(hosts, 'down', 'web'), 'unreachable', 'stopped');
    });

    it("container: mode shares the owner's namespace: localhost between them, the owner's names for others", () => {
      const hosts = [
        host(
          engine,
          'h',
          [{ name: 'app', subnet: '10.30.0.0/24' }],
          [
            { name: 'owner', networks: { app: { ip: '10.30.0.2' } } },
            { name: 'sidecar', mode: 'container:owner' },
            { name: 'web', networks: { app: { ip: '10.30.0.3' } } },
          ],
        ),
      ];
      expectAnswer(ask(hosts, 'sidecar', 'owner'), 'reachable', 'shared-namespace');
      expectAnswer(ask(hosts, 'sidecar', 'web'), 'reachable', 'shared-network');
      expectAnswer(ask(hosts, 'web', 'sidecar'), 'unreachable', 'name-not-resolved');
    });

    it('no shared network: Docker isolates bridges, by name and by address', () => {
      const hosts = [
        host(
          engine,
          'h',
          [
            { name: 'n1', subnet: '10.30.0.0/24' },
            { name: 'n2', subnet: '10.31.0.0/24' },
          ],
          [
            { name: 'a', networks: { n1: { ip: '10.30.0.2' } } },
            { name: 'b', networks: { n2: { ip: '10.31.0.2' } } },
          ],
        ),
      ];
      expectAnswer(ask(hosts, 'a', 'b'), 'unreachable', 'no-shared-network');
      expectAnswer(ask(hosts, 'a', '10.31.0.2'), 'unreachable', 'no-shared-network');
      expectAnswer(ask(hosts, 'a', '10.31.0.1'), 'reachable', 'via-gateway');
    });

    it('published ports: 127.0.0.1 only for the host itself, 0.0.0.0 for the LAN and other hosts', () => {
      const hosts = [
        host(
          engine,
          'h',
          [],
          [
            { name: 'local', networks: { bridge: { ip: '172.17.0.2' } }, ports: [{ IP: '127.0.0.1', PrivatePort: 80, PublicPort: 8082 }] },
            {
              name: 'open',
              networks: { bridge: { ip: '172.17.0.3' } },
              ports: [
                { IP: '0.0.0.0', PrivatePort: 80, PublicPort: 8081 },
                { IP: '::', PrivatePort: 80, PublicPort: 8081 },
              ],
            },
          ],
        ),
        host(engine, 'h2', [], [{ name: 'far', networks: { bridge: { ip: '172.17.0.2' } } }]),
      ];
      expectAnswer(ask(hosts, 'h', 'h', 8082), 'reachable', 'published-port');
      expectAnswer(ask(hosts, 'lan', 'h', 8082), 'unreachable', 'published-port-loopback');
      expectAnswer(ask(hosts, 'open', 'h', 8082), 'unreachable', 'published-port-loopback');
      expectAnswer(ask(hosts, 'far', 'h', 8081), 'reachable', 'published-port');
      expectAnswer(ask(hosts, 'lan', 'h', 9999), 'unreachable', 'port-not-published');
      expectAnswer(ask(hosts, 'lan', 'open'), 'unreachable', 'no-route');
      expectAnswer(ask(hosts, 'h', 'open', 80), 'reachable', 'address-on-network');
    });

    it('the three-host lab: web1 ↔ web2 across hosts over multihost, the internal overlay behind the dual-homed front', () => {
      const multihost = { name: 'multihost', subnet: '10.10.10.0/24', driver: 'overlay', scope: 'global', id: 'a'.repeat(64) };
      const internal = {
        name: 'multihost-internal',
        subnet: '10.10.20.0/24',
        driver: 'overlay',
        scope: 'global',
        internal: true,
        id: 'b'.repeat(64),
      };
      const lab = [
        host(
          engine,
          'docker1',
          [multihost, internal],
          [
            {
              name: 'front',
              networks: { 'multihost-internal': { ip: '10.10.20.2' }, multihost: { ip: '10.10.10.4' }, bridge: { ip: '172.17.0.2' } },
              ports: [{ IP: '0.0.0.0', PrivatePort: 80, PublicPort: 8080 }],
            },
          ],
        ),
        host(
          engine,
          'docker2',
          [multihost, internal],
          [
            { name: 'web2', networks: { multihost: { ip: '10.10.10.3' } } },
            { name: 'back', networks: { 'multihost-internal': { ip: '10.10.20.3' } } },
          ],
        ),
        host(engine, 'docker3', [multihost], [{ name: 'web1', networks: { multihost: { ip: '10.10.10.2' } } }]),
      ];
      const across = ask(lab, 'web2', 'web1', 80);
      expectAnswer(across, 'reachable', 'overlay-path');
      assert.deepEqual(
        across.path?.steps.map((step) => `${step.kind}:${step.name}`),
        ['container:web2', 'host:docker2', 'network:multihost', 'host:docker3', 'container:web1'],
      );
      expectAnswer(ask(lab, 'web1', 'web2'), 'reachable', 'overlay-path');
      expectAnswer(ask(lab, 'front', 'back', 80), 'reachable', 'overlay-path');
      expectAnswer(ask(lab, 'front', 'web1'), 'reachable', 'overlay-path');
      expectAnswer(ask(lab, 'back', '192.0.2.10'), 'unreachable', 'internal-network');
      expectAnswer(ask(lab, 'back', 'web1'), 'unreachable', 'no-shared-network');
      expectAnswer(ask(lab, 'lan', 'docker1', 8080), 'reachable', 'published-port');
      expectAnswer(ask(lab, 'lan', 'back', 80), 'unreachable', 'no-route');
      expectAnswer(ask(lab, 'lan', 'docker2', 80), 'unreachable', 'port-not-published');
      expectAnswer(ask(lab, 'web1', 'docker1', 8080), 'reachable', 'published-port');
    });

    it('an overlay one of whose hosts no longer lists it, and a name held twice on an overlay', () => {
      const multihost = { name: 'multihost', subnet: '10.10.10.0/24', driver: 'overlay', scope: 'global', id: 'c'.repeat(64) };
      const broken = [
        host(engine, 'docker2', [], [{ name: 'web2', networks: { multihost: { ip: '10.10.10.3' } } }]),
        host(engine, 'docker3', [multihost], [{ name: 'web1', networks: { multihost: { ip: '10.10.10.2' } } }]),
      ];
      // web2's endpoint names the overlay's ID, which docker2 no longer lists (its store is gone).
      (broken[0].snapshot.endpoints[0] as { networkId: string }).networkId = multihost.id;
      const lost = ask(broken, 'web1', 'web2');
      expectAnswer(lost, 'unreachable', 'overlay-host-not-connected');
      assert.match(lost.reasons[0].message, /docker2 does not list it/);
      const clash = [
        host(engine, 'docker2', [multihost], [{ name: 'web', networks: { multihost: { ip: '10.10.10.3' } } }]),
        host(
          engine,
          'docker3',
          [multihost],
          [
            { name: 'web', networks: { multihost: { ip: '10.10.10.4' } } },
            { name: 'client', networks: { multihost: { ip: '10.10.10.5' } } },
          ],
        ),
      ];
      const twice = ask(clash, 'client', 'web');
      assert.ok(codes(twice).includes('name-clash'), codes(twice).join());
      assert.deepEqual(twice.names.map((name) => name.addresses[0]).sort(), ['10.10.10.3', '10.10.10.4']);
    });
  });
}

describe('findings of the live probe (reach-live), fixed', () => {
  it('a link alias that is also a hex ID prefix ("db") is a name, not the container whose ID starts with it', () => {
    const world = host(
      '20.10',
      'h',
      [{ name: 'ud', subnet: '10.40.0.0/24' }],
      [
        { name: 'web2', networks: { ud: { ip: '10.40.0.2' } } },
        { name: 'web1', networks: { ud: { ip: '10.40.0.3', links: ['web2:db'] } } },
      ],
    );
    const web2 = world.snapshot.containers.find((container) => container.name === 'web2') as { id: string };
    const id = `db${web2.id.slice(2)}`;
    for (const endpoint of world.snapshot.endpoints)
      if (endpoint.containerId === web2.id) (endpoint as { containerId: string }).containerId = id;
    web2.id = id;
    expectAnswer(ask([world], 'web2', 'db'), 'unreachable', 'link-alias-not-visible');
    expectAnswer(ask([world], 'web1', 'db'), 'reachable', 'name-resolves');
    expectAnswer(ask([world], 'web1', id.slice(0, 12)), 'reachable', 'name-resolves');
  });

  it('a host address (a gateway) with a port is a question about what the host publishes there', () => {
    const world = host(
      '20.10',
      'h',
      [
        { name: 'outer', subnet: '172.21.0.0/16' },
        { name: 'intnet', subnet: '172.20.0.0/16', internal: true },
      ],
      [
        { name: 'web', networks: { intnet: { ip: '172.20.0.2' } }, bindings: [{ hostPort: 18181, containerPort: 80, protocol: 'tcp' }] },
        { name: 'hosted', mode: 'host' },
        { name: 'peer', networks: { outer: { ip: '172.21.0.2' } } },
      ],
    );
    expectAnswer(ask([world], 'hosted', '172.21.0.1', 18181), 'unreachable', 'published-port-internal');
    expectAnswer(ask([world], 'peer', '172.21.0.1', 18181), 'unreachable', 'published-port-internal');
    expectAnswer(ask([world], 'peer', '172.21.0.1'), 'reachable', 'via-gateway');
  });

  it('two containers on a user-defined network and the default bridge: the bridge still has no DNS', () => {
    const world = host(
      '26',
      'h',
      [{ name: 'ud', subnet: '10.40.0.0/24' }],
      [
        { name: 'a', networks: { ud: { ip: '10.40.0.2' }, bridge: { ip: '172.17.0.2' } } },
        { name: 'b', networks: { bridge: { ip: '172.17.0.3' } } },
      ],
    );
    const answer = ask([world], 'a', 'b');
    expectAnswer(answer, 'unreachable', 'no-dns-on-default-bridge');
    assert.match(answer.reasons[0].message, /^a and b share only the default bridge/);
  });
});

describe('reachability to addresses outside Docker', () => {
  const routes = [
    { destination: 'default', gateway: '192.168.1.1', device: 'eth0' },
    { destination: '192.168.1.0/24', device: 'eth0' },
    { destination: '10.8.0.0/16', device: 'tun0' },
    { destination: '172.17.5.0/24', device: 'tun0' },
    { destination: '172.17.0.0/16', device: 'docker0' },
  ];
  const hosts = [
    host(
      '26',
      'h',
      [
        { name: 'corp', subnet: '10.8.16.0/20' },
        { name: 'app', subnet: '10.30.0.0/24' },
      ],
      [
        { name: 'c', networks: { bridge: { ip: '172.17.0.2' } } },
        { name: 'incorp', networks: { corp: { ip: '10.8.16.2' } } },
        { name: 'x', networks: { app: { ip: '10.30.0.2' } } },
      ],
      routes,
    ),
  ];

  it('a network whose subnet covers a VPN address captures it, and says which route it shadows and what to change', () => {
    const captured = ask(hosts, 'c', '10.8.17.5');
    expectAnswer(captured, 'unreachable', 'subnet-captures-address');
    assert.match(
      captured.reasons[0].message,
      /corp's subnet 10\.8\.16\.0\/20 — the route h has for 10\.8\.0\.0\/16 via dev tun0 is shadowed/,
    );
    assert.match(captured.reasons[0].message, /default-address-pools/);
    expectAnswer(ask(hosts, 'incorp', '10.8.17.5'), 'unreachable', 'subnet-captures-address');
    expectAnswer(ask(hosts, 'c', '10.8.99.5'), 'reachable', 'via-gateway');
  });

  it('a more specific host route wins for routed traffic, but not for the network the container is on', () => {
    expectAnswer(ask(hosts, 'x', '172.17.5.9'), 'reachable', 'via-gateway');
    expectAnswer(ask(hosts, 'c', '172.17.5.9'), 'unreachable', 'subnet-captures-address');
  });

  it('no route at all', () => {
    const isolated = [
      host(
        '20.10',
        'h',
        [],
        [{ name: 'c', networks: { bridge: { ip: '172.17.0.2' } } }],
        [{ destination: '192.168.1.0/24', device: 'eth0' }],
      ),
    ];
    expectAnswer(ask(isolated, 'c', '203.0.113.9'), 'unreachable', 'no-route');
  });
});

describe('reachability on the recorded seeds (w1 alias webone, w2 --link w1:wone, w3 stopped)', () => {
  for (const engine of ['20.10', '26']) {
    const recording = JSON.parse(
      fs.readFileSync(path.resolve(__dirname, `../../../../test/unit/fixtures/engines/${engine}.json`), 'utf8'),
    ) as {
      networks: RawNetwork[];
      containers: RawContainer[];
      inspects: Array<{ Id: string; NetworkSettings: { Networks: Record<string, Record<string, unknown>> } }>;
    };
    const extras = new Map<string, Record<string, EndpointExtras>>(
      recording.inspects.map((inspect) => [
        inspect.Id,
        Object.fromEntries(Object.entries(inspect.NetworkSettings.Networks).map(([name, settings]) => [name, endpointExtras(settings)])),
      ]),
    );
    const hosts = [{ name: 'local', snapshot: buildHostSnapshot('local', recording.networks, recording.containers, extras) }];
    const w1 = recording.containers.find((container) => container.Names[0] === '/dne-rec-w1') as RawContainer;
    it(`on ${engine}: the link alias for its declarer only, the alias and short ID for all, the stopped one, the published port`, () => {
      const linked = ask(hosts, 'dne-rec-w2', 'wone');
      expectAnswer(linked, 'reachable', 'name-resolves');
      assert.deepEqual(linked.names[0].addresses, ['10.15.20.128']);
      expectAnswer(ask(hosts, 'dne-rec-w1', 'wone'), 'unreachable', 'link-alias-not-visible');
      expectAnswer(ask(hosts, 'dne-rec-w2', 'webone'), 'reachable', 'name-resolves');
      expectAnswer(ask(hosts, 'dne-rec-w2', w1.Id.slice(0, 12)), 'reachable', 'name-resolves');
      expectAnswer(ask(hosts, 'dne-rec-w2', 'dne-rec-w3'), 'unreachable', 'stopped');
      expectAnswer(ask(hosts, 'dne-rec-w2', 'three'), 'unreachable', 'stopped');
      expectAnswer(ask(hosts, 'lan', 'local', 8081), 'reachable', 'published-port');
      expectAnswer(ask(hosts, 'dne-rec-w2', '172.17.0.2'), 'unreachable', 'no-shared-network');
    });
  }
});

describe('questions that cannot be asked', () => {
  const hosts = [
    host('26', 'h', [], [{ name: 'a', networks: { bridge: { ip: '172.17.0.2' } } }]),
    host('26', 'h2', [], [{ name: 'a', networks: { bridge: { ip: '172.17.0.2' } } }]),
  ];
  it('an unknown or ambiguous FROM is an error naming what exists', () => {
    assert.throws(
      () => explain(hosts, { from: 'nosuch', target: 'a' } as ReachQuestion),
      (error: unknown) => error instanceof UnknownOrigin && error.reason.code === 'from-not-found',
    );
    assert.throws(
      () => explain(hosts, { from: 'a', target: 'a' }),
      (error: unknown) => error instanceof UnknownOrigin && /a on h, a on h2/.test(error.message),
    );
  });
  it('an unknown target is an unreachable answer, with the JSON shape of the issue', () => {
    const answer = explain([hosts[0]], { from: 'a', target: 'ghost' });
    assert.deepEqual(Object.keys(answer).sort(), ['from', 'names', 'networks', 'path', 'port', 'probe', 'reasons', 'target', 'verdict']);
    assert.equal(answer.port, null);
    assert.equal(answer.probe, null);
    expectAnswer(answer, 'unreachable', 'name-not-resolved');
  });
});
