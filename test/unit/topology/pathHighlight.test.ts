/** A reachability answer's path as the topology's element ids (issue #12: the path on the graph). */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { HostView } from '../../../src/core/docker/hostMonitor';
import { explain } from '../../../src/core/reachability/explain';
import type { ReachHost } from '../../../src/core/reachability/types';
import { pathHighlight } from '../../../src/core/topology/pathHighlight';
import { buildTopology } from '../../../src/core/topology/topologyModel';
import { host } from '../reachWorld';

const view = ({ name, snapshot }: ReachHost): HostView => ({
  host: { id: snapshot.hostId, name, source: 'default', url: `unix:///run/${name}.sock`, warnings: [] },
  state: { kind: 'connected', snapshot },
});

/** The answer's highlight on the graph built from the same snapshots, ids shortened to kind:name. */
function drawn(hosts: ReachHost[], from: string, target: string, port?: number) {
  const elements = buildTopology(hosts.map(view));
  const ids = new Set(elements.map((element) => element.data.id));
  const names = new Map(elements.map((element) => [element.data.id, `${element.data.kind}:${element.data.label}`]));
  const answer = explain(hosts, { from, target, ...(port === undefined ? {} : { port }) });
  const highlight = pathHighlight(answer, (id) => ids.has(id), ids);
  assert.ok(highlight, 'no highlight');
  const name = (id: string) =>
    id.startsWith('ep:') ? `ep:${names.get(elements.find((e) => e.data.id === id)?.data.source ?? '')}` : names.get(id);
  return { ...highlight, litNames: highlight.lit.map(name).sort(), blockedNames: highlight.blocked.map(name) };
}

describe('the reachability path on the topology', () => {
  it('two containers on one bridge: both nodes, the network and the two endpoint edges lit, nothing blocked', () => {
    const world = host(
      '26',
      'h',
      [{ name: 'app', subnet: '10.30.0.0/24' }],
      [
        { name: 'web1', networks: { app: { ip: '10.30.0.2' } } },
        { name: 'web2', networks: { app: { ip: '10.30.0.3' } } },
        { name: 'other', networks: { app: { ip: '10.30.0.4' } } },
      ],
    );
    const shown = drawn([world], 'web1', 'web2', 80);
    assert.deepEqual(shown.litNames, ['container:web1', 'container:web2', 'ep:container:web1', 'ep:container:web2', 'network:app']);
    assert.deepEqual(shown.blocked, []);
    assert.equal(shown.caption, 'web1 → web2 port 80: reachable (shared-network)');
  });

  it('ICC off: the path lit, the bridge marked as what blocks it', () => {
    const world = host(
      '20.10',
      'h',
      [{ name: 'quiet', subnet: '10.40.0.0/24', icc: false }],
      [
        { name: 'a', networks: { quiet: { ip: '10.40.0.2' } } },
        { name: 'b', networks: { quiet: { ip: '10.40.0.3' } } },
      ],
    );
    const shown = drawn([world], 'a', 'b');
    assert.equal(shown.verdict, 'unreachable');
    assert.deepEqual(shown.blockedNames, ['network:quiet']);
    assert.deepEqual(shown.litNames, ['container:a', 'container:b', 'ep:container:a', 'ep:container:b']);
    assert.match(shown.caption, /^a → b: unreachable \(icc-disabled\)$/);
  });

  it('a stopped target is the blocked element', () => {
    const world = host(
      '26',
      'h',
      [{ name: 'app', subnet: '10.30.0.0/24' }],
      [
        { name: 'web1', networks: { app: { ip: '10.30.0.2' } } },
        { name: 'down', state: 'exited', networks: { app: {} } },
      ],
    );
    assert.deepEqual(drawn([world], 'web1', 'down').blockedNames, ['container:down']);
  });

  it('across hosts: both hosts, the overlay drawn once, both endpoint edges', () => {
    const multihost = { name: 'multihost', subnet: '10.10.10.0/24', driver: 'overlay', scope: 'global', id: 'a'.repeat(64) };
    const lab = [
      host('20.10', 'docker2', [multihost], [{ name: 'web2', networks: { multihost: { ip: '10.10.10.3' } } }]),
      host('20.10', 'docker3', [multihost], [{ name: 'web1', networks: { multihost: { ip: '10.10.10.2' } } }]),
    ];
    const shown = drawn(lab, 'web2', 'web1');
    assert.deepEqual(shown.litNames, [
      'container:web1',
      'container:web2',
      'ep:container:web1',
      'ep:container:web2',
      'host:docker2',
      'host:docker3',
      'network:multihost',
    ]);
    assert.ok(shown.lit.includes(`net:*:${multihost.id}`));
  });

  it('a published port from the LAN: the host, the port node and its edge', () => {
    const world = host(
      '20.10',
      'h',
      [],
      [{ name: 'site', networks: { bridge: { ip: '172.17.0.2' } }, ports: [{ IP: '0.0.0.0', PrivatePort: 80, PublicPort: 8080 }] }],
    );
    const shown = drawn([world], 'lan', 'h', 8080);
    assert.equal(shown.verdict, 'reachable');
    assert.ok(shown.litNames.includes('host:h'), shown.litNames.join());
    assert.ok(shown.litNames.includes('port:8080→80'), shown.litNames.join());
    assert.ok(shown.lit.some((id) => id.startsWith('published:port:')));
  });
});
