import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PositionBook, positionHost, SHARED } from '../../../src/core/topology/positionBook';
import { LIMITS, parseHighlight, parseWebviewMessage } from '../../../src/core/topology/protocol';
import type { TopologyData, TopologyElement } from '../../../src/core/topology/topologyElements';
import { actionCommand } from '../../../src/vscode/topology/actionTarget';
import { GRAPH_ACTIONS } from '../../../src/core/topology/topologyActions';

const request = (body: unknown, requestId: unknown = 7) => ({ type: 'request', requestId, request: body });

describe('webview messages', () => {
  it('accepts the protocol', () => {
    assert.deepEqual(parseWebviewMessage({ type: 'ready' }), { type: 'ready' });
    assert.deepEqual(parseWebviewMessage(request({ type: 'action', action: 'reveal', element: 'ctr:a:b' })), {
      type: 'request',
      requestId: 7,
      request: { type: 'action', action: 'reveal', element: 'ctr:a:b' },
    });
    assert.deepEqual(parseWebviewMessage(request({ type: 'export', format: 'png', base64: 'iVBORw0KGgo=' }, 0)), {
      type: 'request',
      requestId: 0,
      request: { type: 'export', format: 'png', base64: 'iVBORw0KGgo=' },
    });
    assert.deepEqual(parseWebviewMessage(request({ type: 'export', format: 'svg', svg: '<svg/>' })), {
      type: 'request',
      requestId: 7,
      request: { type: 'export', format: 'svg', svg: '<svg/>' },
    });
    assert.deepEqual(parseWebviewMessage({ type: 'positions', positions: { 'ctr:a:b': { x: 1.5, y: -2 } } }), {
      type: 'positions',
      positions: { 'ctr:a:b': { x: 1.5, y: -2 } },
    });
  });

  it('rejects hostile messages without throwing, and says which request it refused', () => {
    const huge = 'A'.repeat(LIMITS.picture + 4);
    const cases: Array<[unknown, number | undefined]> = [
      [null, undefined],
      ['ready', undefined],
      [[{ type: 'ready' }], undefined],
      [42, undefined],
      [{ type: 'select', id: 'x' }, undefined],
      [{ type: 'contextAction', action: 'inspect', id: 'x' }, undefined], // the old protocol
      [{ type: 'ready', extra: 1 }, undefined],
      [{ type: '__proto__' }, undefined],
      // requests without a usable number cannot be answered
      [request({ type: 'action', action: 'inspect', element: 'x' }, '7'), undefined],
      [request({ type: 'action', action: 'inspect', element: 'x' }, -1), undefined],
      [request({ type: 'action', action: 'inspect', element: 'x' }, 1.5), undefined],
      [request({ type: 'action', action: 'inspect', element: 'x' }, 2 ** 60), undefined],
      [{ type: 'request', request: { type: 'action', action: 'inspect', element: 'x' } }, undefined],
      // requests with one are answered with the refusal
      [request({ type: 'action', action: 'rm -rf', element: 'x' }), 7],
      [request({ type: 'action', action: 'retryHost', element: 'x' }), 7], // a tree-only action
      [request({ type: 'action', action: 'toString', element: 'x' }), 7],
      [request({ type: 'action', action: 'inspect' }), 7],
      [request({ type: 'action', action: 'inspect', element: '' }), 7],
      [request({ type: 'action', action: 'inspect', element: 'x'.repeat(LIMITS.id + 1) }), 7],
      [request({ type: 'action', action: 'inspect', element: { id: 'x' } }), 7],
      [request({ type: 'action', action: 'inspect', element: 'x', command: 'workbench.action.terminal.new' }), 7],
      [request({ type: 'export', format: 'png', base64: 'data:<x>' }), 7],
      [request({ type: 'export', format: 'png', base64: huge }), 7],
      [request({ type: 'export', format: 'svg', svg: huge }), 7],
      [request({ type: 'export', format: 'svg', svg: 12 }), 7],
      [request({ type: 'export', format: 'exe', base64: '' }), 7],
      [request({ type: 'export', format: 'png' }), 7],
      [request(null), 7],
      [request('action'), 7],
      [{ ...request({ type: 'action', action: 'inspect', element: 'x' }), path: '/etc/passwd' }, 7],
      [{ type: 'positions', positions: [] }, undefined],
      [{ type: 'positions', positions: { x: { x: 1 } } }, undefined],
      [{ type: 'positions', positions: { x: { x: 1, y: Number.NaN } } }, undefined],
      [{ type: 'positions', positions: { x: { x: 1, y: Infinity } } }, undefined],
      [{ type: 'positions', positions: { x: { x: 1, y: '2' } } }, undefined],
      [{ type: 'positions', positions: { x: { x: 1, y: 2, z: 3 } } }, undefined],
      [{ type: 'positions', positions: { x: { x: LIMITS.coordinate * 2, y: 0 } } }, undefined],
      [
        {
          type: 'positions',
          positions: Object.fromEntries(Array.from({ length: LIMITS.positions + 1 }, (_, i) => [`n${i}`, { x: 0, y: 0 }])),
        },
        undefined,
      ],
    ];
    for (const [message, requestId] of cases) {
      const parsed = parseWebviewMessage(message);
      assert.equal(parsed.type, 'rejected', `accepted ${JSON.stringify(message)?.slice(0, 120)}`);
      assert.equal(parsed.type === 'rejected' ? parsed.requestId : 'accepted', requestId, JSON.stringify(message)?.slice(0, 120));
    }
  });

  it('refuses a type that cannot even be turned into text (found by the fuzz stage, seed 2600545168)', () => {
    // String(Object.create(null)) throws "Cannot convert object to primitive value".
    const message = parseWebviewMessage({ type: Object.create(null) });
    assert.deepEqual(message, { type: 'rejected', problem: 'unknown message type (a object)', requestId: undefined });
  });

  it('keeps an id "__proto__" as a key, never as the prototype', () => {
    const parsed = parseWebviewMessage(JSON.parse('{"type":"positions","positions":{"__proto__":{"x":1,"y":2}}}'));
    assert.equal(parsed.type, 'positions');
    if (parsed.type !== 'positions') return;
    assert.deepEqual(Object.getOwnPropertyDescriptor(parsed.positions, '__proto__')?.value, { x: 1, y: 2 });
    assert.equal(Object.getPrototypeOf(parsed.positions), Object.prototype);
  });
});

const node = (id: string, kind: TopologyData['kind'], parent?: string): TopologyElement => ({
  group: 'nodes',
  data: { id, kind, label: id, parent, details: [] },
  classes: [],
});

describe('stored positions', () => {
  it('are kept by host, overlays under the shared key, and read back whatever the webview sends', () => {
    const elements = [node('host:h1', 'host'), node('ctr:h1:c', 'container', 'host:h1'), node('net:*:o', 'network')];
    const byId = new Map(elements.map((element) => [element.data.id, element]));
    const book = new PositionBook(undefined);
    book.record(
      { 'ctr:h1:c': { x: 1, y: 2 }, 'net:*:o': { x: 3, y: 4 }, 'host:h1': { x: 9, y: 9 }, 'ctr:gone:x': { x: 0, y: 0 } },
      (id) => {
        const element = byId.get(id);
        return element && positionHost(element);
      },
    );
    assert.deepEqual(book.toJSON(), { h1: { 'ctr:h1:c': { x: 1, y: 2 } }, [SHARED]: { 'net:*:o': { x: 3, y: 4 } } });
    // What the workspace state gives back (through JSON) is the same book.
    assert.deepEqual(new PositionBook(JSON.parse(JSON.stringify(book.toJSON()))).all(), {
      'ctr:h1:c': { x: 1, y: 2 },
      'net:*:o': { x: 3, y: 4 },
    });
  });

  it('drop malformed stored data and the least recently placed past the bound', () => {
    assert.deepEqual(new PositionBook({ h1: { a: { x: 'no' } }, h2: 'junk', h3: { b: { x: 1, y: 2 } } }).all(), { b: { x: 1, y: 2 } });
    assert.deepEqual(new PositionBook('junk').all(), {});
    const book = new PositionBook(undefined, 2);
    const host = () => 'h';
    book.record({ a: { x: 1, y: 1 }, b: { x: 2, y: 2 } }, host);
    book.record({ a: { x: 5, y: 5 } }, host); // a placed again: b is now the oldest
    book.record({ c: { x: 3, y: 3 } }, host);
    assert.deepEqual(book.all(), { a: { x: 5, y: 5 }, c: { x: 3, y: 3 } });
  });
});

describe('graph actions to commands', () => {
  const network = (classes: string[]) => ({
    data: {
      id: 'net:h:n',
      kind: 'network' as const,
      label: 'n',
      details: [],
      dockerTarget: { hostId: 'h', type: 'network' as const, id: 'n', name: 'n' },
    },
    classes,
  });
  const edge: TopologyData = {
    id: 'ep:h:c:n',
    kind: 'endpoint',
    label: '',
    details: [],
    networkId: 'n',
    dockerTarget: { hostId: 'h', type: 'container', id: 'c', name: 'web' },
  };

  it('pass a typed target, an endpoint as its pair', () => {
    assert.deepEqual(actionCommand('removeNetwork', network([]).data, []), {
      command: 'dockerNetworkExplorer.removeNetwork',
      target: { on: 'network', hostId: 'h', subject: { hostId: 'h', type: 'network', id: 'n', name: 'n' } },
    });
    assert.deepEqual(actionCommand('disconnect', edge, []), {
      command: 'dockerNetworkExplorer.disconnectContainer',
      target: { on: 'endpoint', hostId: 'h', subject: edge.dockerTarget, pair: { container: 'c', network: 'n' } },
    });
  });

  it('refuse what the element does not offer', () => {
    assert.throws(
      () => actionCommand('removeNetwork', network(['predefined']).data, ['predefined']),
      /removeNetwork does not apply to this network/,
    );
    assert.throws(() => actionCommand('disconnect', network([]).data, []), /does not apply/);
    assert.throws(() => actionCommand('reveal', edge, []), /does not apply/);
    assert.throws(() => actionCommand('inspect', { id: 'host:h', kind: 'host', label: 'h', details: [] }, []), /does not apply/);
    // A webview asking anything of a service node (it offers nothing) is refused the same way.
    for (const action of GRAPH_ACTIONS)
      assert.throws(
        () => actionCommand(action, { id: 'svc:i:web', kind: 'service', label: 'web', tasks: 2, details: [] }, []),
        /does not apply/,
      );
  });
});

describe('the path highlight messages', () => {
  it('the webview checks a highlight strictly; the extension accepts highlightCleared only bare', () => {
    const good = { lit: ['ctr:h:1', 'net:*:2'], blocked: ['net:h:3'], caption: 'a → b: unreachable', verdict: 'unreachable' };
    assert.deepEqual(parseHighlight(good), good);
    assert.equal(parseHighlight(null), null);
    assert.equal(typeof parseHighlight({ ...good, extra: 1 }), 'string');
    assert.equal(typeof parseHighlight({ ...good, lit: [''] }), 'string');
    assert.equal(typeof parseHighlight({ ...good, lit: 'ctr:h:1' }), 'string');
    assert.equal(typeof parseHighlight({ ...good, lit: Array.from({ length: 1001 }, (_, i) => `x${i}`) }), 'string');
    assert.equal(typeof parseHighlight({ ...good, caption: 'x'.repeat(2001) }), 'string');
    assert.equal(typeof parseHighlight({ ...good, verdict: 'maybe' }), 'string');
    assert.equal(typeof parseHighlight([good]), 'string');
    assert.deepEqual(parseWebviewMessage({ type: 'highlightCleared' }), { type: 'highlightCleared' });
    assert.equal(parseWebviewMessage({ type: 'highlightCleared', lit: [] }).type, 'rejected');
  });
});
