import assert from 'node:assert/strict';
import { describe, it, type TestContext } from 'node:test';
import type { DockerEvent } from '../../../src/core/docker/dockerEvents';
import type { HostState } from '../../../src/core/docker/hostMonitor';
import { PeerSync, type PeerMonitor } from '../../../src/core/docker/peerSync';
import type { NetworkModel } from '../../../src/core/model/snapshot';
import { Emitter } from '../../../src/core/util/emitter';
import { scopedNetwork } from '../../support/models';

const DEBOUNCE = 25;
const STORE = 'etcd://192.168.77.1:2379';

const BRIDGE = scopedNetwork('b'.repeat(64), 'bridge', 'local');
const SEED = scopedNetwork('5'.repeat(64), 'multihost', 'global');
const OV2 = scopedNetwork('0'.repeat(64), 'ov2', 'global');
const SWARM = scopedNetwork('7'.repeat(25), 'swarmnet', 'swarm');

function event(action: string, net: NetworkModel, container?: string): DockerEvent {
  const attributes: Record<string, string> = { name: net.name, type: net.driver };
  if (container) attributes.container = container;
  return { type: 'network', action, id: net.id, attributes, timeNano: 0 };
}

/** A host monitor as PeerSync sees it: its events, its states, and the reloads asked of it. */
class FakeMonitor implements PeerMonitor {
  readonly host: { id: string; name: string };
  state: HostState;
  private readonly changed = new Emitter<HostState>();
  private readonly events = new Emitter<DockerEvent>();
  readonly onDidChange = this.changed.event;
  readonly onDidSeeEvent = this.events.event;
  readonly reloads: DockerEvent[][] = [];
  /** What a reload does: resolve at once unless a test makes this peer fail or hang. */
  answer: () => Promise<void> = () => Promise.resolve();

  constructor(
    name: string,
    networks: NetworkModel[],
    readonly clusterStore: string | undefined = undefined,
  ) {
    this.host = { id: name, name };
    this.state = this.connected(networks);
  }

  reloadForPeer(expectations: readonly DockerEvent[]): Promise<void> {
    this.reloads.push([...expectations]);
    return this.answer();
  }

  /** The daemon reports an event of its own. */
  emit(value: DockerEvent): void {
    this.events.fire(value);
  }

  /** A snapshot is loaded. */
  load(networks: NetworkModel[]): void {
    this.setState(this.connected(networks));
  }

  setState(state: HostState): void {
    this.state = state;
    this.changed.fire(state);
  }

  private connected(networks: NetworkModel[]): HostState {
    return { kind: 'connected', snapshot: { hostId: this.host.id, networks, containers: [], endpoints: [] } };
  }
}

/** Three hosts on one cluster store (as the lab), plus `more`, kept in step by a PeerSync under mock timers. */
function lab(t: TestContext, more: FakeMonitor[] = []) {
  t.mock.timers.enable({ apis: ['setTimeout'] });
  const hosts = ['docker1', 'docker2', 'docker3'].map((name) => new FakeMonitor(name, [BRIDGE, SEED], STORE));
  const sync = new PeerSync({ debounceMs: DEBOUNCE });
  sync.setMonitors([...hosts, ...more]);
  t.after(() => sync.dispose());
  const reloadCounts = () => [...hosts, ...more].map((host) => host.reloads.length);
  return { hosts, sync, reloadCounts };
}

describe('PeerSync', () => {
  it('has the peers of a store reload once when one host creates an overlay, expecting it listed', (t) => {
    const {
      hosts: [docker1, docker2, docker3],
      reloadCounts,
    } = lab(t);
    const create = event('create', OV2);
    docker2.emit(create);
    // The scope is not known until docker2's own snapshot lists the network.
    t.mock.timers.tick(DEBOUNCE * 4);
    assert.deepEqual(reloadCounts(), [0, 0, 0]);
    docker2.load([BRIDGE, SEED, OV2]);
    t.mock.timers.tick(DEBOUNCE - 1);
    assert.deepEqual(reloadCounts(), [0, 0, 0], 'reloaded before the debounce');
    t.mock.timers.tick(1);
    assert.deepEqual(docker1.reloads, [[create]]);
    assert.deepEqual(docker3.reloads, [[create]]);
    assert.deepEqual(docker2.reloads, [], 'the source reloads from its own event, not from PeerSync');
  });

  it('asks each peer for one reload per burst', (t) => {
    const {
      hosts: [docker1, docker2, docker3],
    } = lab(t);
    const create = event('create', OV2);
    const destroy = event('destroy', SEED);
    docker2.emit(create);
    docker2.load([BRIDGE, SEED, OV2]);
    t.mock.timers.tick(DEBOUNCE - 1);
    docker2.emit(destroy);
    t.mock.timers.tick(DEBOUNCE);
    assert.deepEqual(docker1.reloads, [[create, destroy]]);
    assert.deepEqual(docker3.reloads, [[create, destroy]]);
  });

  it('has the peers that list an overlay reload when it is removed, expecting it gone', (t) => {
    const other = new FakeMonitor('elsewhere', [BRIDGE], 'etcd://10.0.0.9:2379');
    const {
      hosts: [docker1, docker2, docker3],
      reloadCounts,
    } = lab(t, [other]);
    const destroy = event('destroy', SEED);
    docker3.emit(destroy);
    t.mock.timers.tick(DEBOUNCE);
    assert.deepEqual(docker1.reloads, [[destroy]]);
    assert.deepEqual(docker2.reloads, [[destroy]]);
    assert.deepEqual(reloadCounts(), [1, 1, 0, 0], 'a host of another store was asked to reload');
  });

  it('leaves the peers alone when a container joins or leaves an overlay (their lists have no members)', (t) => {
    const {
      hosts: [, , docker3],
      reloadCounts,
    } = lab(t);
    docker3.emit(event('connect', SEED, 'c'.repeat(64)));
    docker3.emit(event('disconnect', SEED, 'c'.repeat(64)));
    t.mock.timers.tick(DEBOUNCE * 4);
    assert.deepEqual(reloadCounts(), [0, 0, 0]);
  });

  it('has the peers reload, expecting nothing in particular, when an overlay changes', (t) => {
    const {
      hosts: [docker1, docker2, docker3],
    } = lab(t);
    docker3.emit(event('update', SEED));
    t.mock.timers.tick(DEBOUNCE);
    assert.deepEqual([docker1.reloads, docker2.reloads, docker3.reloads], [[[]], [[]], []]);
  });

  it('leaves the other hosts alone for a local network', (t) => {
    const {
      hosts: [, docker2],
      reloadCounts,
    } = lab(t);
    const local = scopedNetwork('1'.repeat(64), 'mybridge', 'local');
    docker2.emit(event('create', local));
    docker2.load([BRIDGE, SEED, local]);
    docker2.emit(event('connect', BRIDGE, 'c'.repeat(64)));
    docker2.emit(event('destroy', local));
    t.mock.timers.tick(DEBOUNCE * 4);
    assert.deepEqual(reloadCounts(), [0, 0, 0]);
  });

  it('finds the peers of a new overlay by their ClusterStore, or by a global network already shared', (t) => {
    // The same store written by name: another ClusterStore, but multihost (same ID) is listed by both.
    const byName = new FakeMonitor('by-name', [BRIDGE, SEED], 'etcd://etcd.lan:2379');
    const stranger = new FakeMonitor('stranger', [BRIDGE]);
    const {
      hosts: [, docker2],
      reloadCounts,
    } = lab(t, [byName, stranger]);
    docker2.emit(event('create', OV2));
    docker2.load([BRIDGE, SEED, OV2]);
    t.mock.timers.tick(DEBOUNCE);
    assert.deepEqual(reloadCounts(), [1, 0, 1, 1, 0]);
  });

  it('finds the first overlay of a store by the ClusterStore alone (no network shared yet)', (t) => {
    t.mock.timers.enable({ apis: ['setTimeout'] });
    const [a, b, c] = ['a', 'b', 'c'].map((name) => new FakeMonitor(name, [BRIDGE], name === 'c' ? undefined : STORE));
    const sync = new PeerSync({ debounceMs: DEBOUNCE });
    t.after(() => sync.dispose());
    sync.setMonitors([a, b, c]);
    a.emit(event('create', OV2));
    a.load([BRIDGE, OV2]);
    t.mock.timers.tick(DEBOUNCE);
    assert.deepEqual(
      [a, b, c].map((host) => host.reloads.length),
      [0, 1, 0],
    );
  });

  it('leaves swarm networks to Docker (every manager announces them itself)', (t) => {
    const swarmHosts = ['m1', 'm2'].map((name) => new FakeMonitor(name, [BRIDGE, SWARM]));
    const { reloadCounts } = lab(t, swarmHosts);
    const created = scopedNetwork('8'.repeat(25), 'swarmnet2', 'swarm');
    swarmHosts[0].emit(event('create', created));
    swarmHosts[0].load([BRIDGE, SWARM, created]);
    swarmHosts[1].emit(event('remove', SWARM));
    t.mock.timers.tick(DEBOUNCE * 4);
    assert.deepEqual(reloadCounts(), [0, 0, 0, 0, 0]);
  });

  it('does not ask a peer that already lists the new overlay, nor one that is not connected', (t) => {
    const {
      hosts: [docker1, docker2, docker3],
      reloadCounts,
    } = lab(t);
    docker1.load([BRIDGE, SEED, OV2]); // reloaded for its own reasons meanwhile
    docker3.setState({ kind: 'unreachable', reason: 'connection refused', nextRetryAt: 0 });
    docker2.emit(event('create', OV2));
    t.mock.timers.tick(DEBOUNCE);
    assert.deepEqual(reloadCounts(), [0, 0, 0]);
  });

  it('gives up on a created network its source never lists (removed before the next load)', (t) => {
    const {
      hosts: [, docker2],
      reloadCounts,
    } = lab(t);
    docker2.emit(event('create', OV2));
    for (let i = 0; i < 5; i++) docker2.load([BRIDGE, SEED]);
    docker2.load([BRIDGE, SEED, OV2]); // too late: no longer waited for
    t.mock.timers.tick(DEBOUNCE);
    assert.deepEqual(reloadCounts(), [0, 0, 0]);
  });

  it('keeps the peers going when one fails and another hangs', async (t) => {
    const docker4 = new FakeMonitor('docker4', [BRIDGE, SEED], STORE);
    const {
      hosts: [docker1, docker2, docker3],
    } = lab(t, [docker4]);
    // docker1 comes first: a sync that waited for it would never reach the others.
    docker1.answer = () => new Promise<void>(() => {}); // a daemon that never answers
    docker4.answer = () => Promise.reject(new Error('connection refused'));
    docker2.emit(event('create', OV2));
    docker2.load([BRIDGE, SEED, OV2]);
    t.mock.timers.tick(DEBOUNCE);
    await Promise.resolve();
    assert.deepEqual(
      [docker1, docker3, docker4].map((host) => host.reloads.length),
      [1, 1, 1],
    );
    // The next burst still reaches everyone, the failed and the hung host included.
    docker2.emit(event('destroy', SEED));
    t.mock.timers.tick(DEBOUNCE);
    await Promise.resolve();
    assert.deepEqual(
      [docker1, docker3, docker4].map((host) => host.reloads.length),
      [2, 2, 2],
    );
  });

  it('lets go of a host no longer followed, with its queued reload', (t) => {
    const {
      hosts: [docker1, docker2, docker3],
      sync,
    } = lab(t);
    docker2.emit(event('destroy', SEED));
    sync.setMonitors([docker2, docker3]);
    t.mock.timers.tick(DEBOUNCE);
    docker1.emit(event('destroy', SEED));
    t.mock.timers.tick(DEBOUNCE);
    assert.deepEqual([docker1.reloads.length, docker3.reloads.length], [0, 1]);
  });
});
