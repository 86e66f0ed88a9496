/**
 * The topology webview's layout (webview/layout.ts) on a headless Cytoscape graph, in Node: the
 * benchmark's 2,000-element installation and a small one. What a reader of the picture needs:
 * every node placed, none on top of another, each host's members inside their own host's column
 * and hosts apart, edge-less networks kept next to their host (not drifted off).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import cytoscape from 'cytoscape';
import { syntheticTopology } from '../../../bench/topologyData';
import { opaque } from '../../../webview/colors';
import { toDefinition } from '../../../webview/elements';
import { addressBox, arrangeLabels } from '../../../webview/labels';
import { halfSize, nameBox, overlaps, shift, sideOf, type Box } from '../../../webview/geometry';
import { placeNear, structuredPositions } from '../../../webview/layout';
import { buildTopology } from '../../../src/core/topology/topologyModel';
import { loadSwarmRecording, swarmSnapshots, swarmViews } from '../swarmRecording';
import { seedTopology } from '../../../bench/seedTopology';
import { topologyPage } from '../../../src/vscode/topology/topologyPage';
import type { TopologyElement } from '../../../src/core/topology/topologyElements';

function layOut(elements: TopologyElement[]) {
  const cy = cytoscape({ headless: true, elements: elements.map(toDefinition) });
  return { cy, positions: structuredPositions(cy) };
}

describe('topology layout', () => {
  const { elements } = syntheticTopology(0);
  const { cy, positions } = layOut(elements);
  const leaves = cy.nodes('[kind!="host"]');

  it('places every node but the host frames', () => {
    assert.equal(positions.size, leaves.length);
    leaves.forEach((node) => assert.ok(positions.has(node.id()), `${node.id()} not placed`));
  });

  it('puts no node on top of another (centres at least a node apart)', () => {
    const cell = 30;
    const grid = new Map<string, Array<{ id: string; x: number; y: number }>>();
    const close: string[] = [];
    for (const [id, { x, y }] of positions) {
      const gx = Math.floor(x / cell);
      const gy = Math.floor(y / cell);
      for (let dx = -1; dx <= 1; dx++) {
        for (let dy = -1; dy <= 1; dy++) {
          for (const other of grid.get(`${gx + dx},${gy + dy}`) ?? []) {
            if (Math.hypot(other.x - x, other.y - y) < 26) close.push(`${id} / ${other.id}`);
          }
        }
      }
      grid.set(`${gx},${gy}`, [...(grid.get(`${gx},${gy}`) ?? []), { id, x, y }]);
    }
    assert.deepEqual(close, []);
  });

  it("keeps each host's members in its own column, hosts apart, overlays above", () => {
    const spans = cy.nodes('[kind="host"]').map((host) => {
      const xs = leaves.filter((node) => node.data('host') === host.id()).map((node) => positions.get(node.id())!.x);
      return { min: Math.min(...xs), max: Math.max(...xs) };
    });
    for (let i = 1; i < spans.length; i++) assert.ok(spans[i].min - spans[i - 1].max >= 80, `hosts ${i} and ${i + 1} overlap`);
    const hostTop = Math.min(...leaves.filter((node) => node.data('host') !== undefined).map((node) => positions.get(node.id())!.y));
    const overlays = leaves.filter((node) => node.hasClass('overlay'));
    assert.equal(overlays.length, 10);
    overlays.forEach((node) => assert.ok(positions.get(node.id())!.y < hostTop, `${node.id()} is not above the hosts`));
  });

  it('keeps edge-less networks (host, none) close under their host, not drifted away', () => {
    for (const host of ['docker1', 'docker2', 'docker3']) {
      const members = leaves.filter((node) => node.data('host') === `host:${host}`);
      const ys = members.map((node) => positions.get(node.id())!.y);
      const none = members.filter((node) => node.data('label') === 'none').first();
      const noneY = positions.get(none.id())!.y;
      assert.equal(noneY, Math.max(...ys), 'none is not in the bottom row');
      const others = ys.filter((y) => y !== noneY);
      assert.ok(noneY - Math.max(...others) < 150, `none is ${noneY - Math.max(...others)} px under the rest`);
    }
  });

  it('lays out a small host with its containers around their network, landscape', () => {
    // docker1 with its networks and four containers (and their ports): a test-sized graph.
    const keep = (element: TopologyElement) =>
      element.data.parent === 'host:docker1' && (element.data.kind !== 'container' || /^h1-svc[0-3]$/.test(element.data.label));
    const nodes = elements.filter((element) => element.data.id === 'host:docker1' || (element.group === 'nodes' && keep(element)));
    const ids = new Set(nodes.map((element) => element.data.id));
    const edges = elements.filter((element) => element.group === 'edges' && ids.has(element.data.source!) && ids.has(element.data.target!));
    const ports = new Set(edges.map((edge) => edge.data.source));
    const { positions: at } = layOut([...nodes.filter((node) => node.data.kind !== 'port' || ports.has(node.data.id)), ...edges]);
    const xs = [...at.values()].map((p) => p.x);
    const ys = [...at.values()].map((p) => p.y);
    assert.ok(Math.max(...xs) - Math.min(...xs) >= Math.max(...ys) - Math.min(...ys), 'taller than wide');
  });
});

describe("topology layout of the seed's lab", () => {
  const elements = seedTopology();
  const { cy, positions } = layOut(elements);
  cy.nodes().forEach((node) => void (positions.get(node.id()) && node.position(positions.get(node.id())!)));
  arrangeLabels(cy);
  const node = (label: string, host?: string) =>
    cy
      .nodes()
      .filter((candidate) => candidate.data('label') === label && (host === undefined || candidate.data('host') === `host:${host}`))
      .first() as cytoscape.NodeSingular;
  const y = (label: string, host?: string) => node(label, host).position('y');

  it('draws front between the overlay and the bridge, c1 under the bridge, web1/web2 under the overlays', () => {
    assert.ok(y('multihost') < y('front') && y('front') < y('bridge', 'docker1'), 'front is not between multihost and bridge');
    assert.ok(y('c1') > y('bridge', 'docker1'));
    for (const web of ['web1', 'web2']) assert.ok(y(web) > Math.max(y('multihost'), y('multihost-internal')));
    assert.ok(Math.abs(node('front').position('x') - node('bridge', 'docker1').position('x')) < 60, 'front is not over its bridge');
  });

  it('puts names where no edge leaves (beside front, under c1), ports away from the name', () => {
    assert.notEqual(sideOf(node('front')), 'bottom', 'front has edges going down');
    assert.equal(sideOf(node('c1')), 'bottom');
    const port = cy.nodes('[kind="port"]').first();
    assert.ok(
      port.position('x') < node('front').position('x') && sideOf(port) === 'left',
      'the port is not left of front with its label outside',
    );
  });

  it('places no estimated label on a node or another label (the page test measures the real ones)', () => {
    const boxes: Array<{ owner: string; box: Box }> = [];
    cy.nodes('[kind!="host"]').forEach((each) => {
      const { x, y: at } = each.position();
      const half = halfSize(each);
      boxes.push({ owner: each.id(), box: { x1: x - half.w, x2: x + half.w, y1: at - half.h, y2: at + half.h } });
      boxes.push({ owner: each.id(), box: shift(nameBox(each, sideOf(each)), x, at) });
    });
    cy.edges('[labelOffset]').forEach((edge) => {
      assert.ok(!edge.hasClass('label-hidden'), `${edge.id()} found no room`);
      boxes.push({ owner: edge.id(), box: addressBox(edge, Number(edge.data('labelOffset')))! });
    });
    const clashes = boxes.flatMap((a, i) =>
      boxes
        .slice(i + 1)
        .filter((b) => a.owner !== b.owner && overlaps(a.box, b.box))
        .map((b) => `${a.owner} / ${b.owner}`),
    );
    assert.deepEqual(clashes, []);
  });

  it('is deterministic', () => {
    const again = layOut(elements).positions;
    assert.deepEqual([...again.entries()], [...positions.entries()]);
  });
});

describe('topology layout of the recorded swarm, with its service', () => {
  const elements = buildTopology(swarmViews(swarmSnapshots(loadSwarmRecording('26'))));
  const { cy, positions } = layOut(elements);
  cy.nodes().forEach((node) => void (positions.get(node.id()) && node.position(positions.get(node.id())!)));
  const service = cy.nodes('[kind="service"]').first() as cytoscape.NodeSingular;
  const network = service.connectedEdges('[kind="attached"]').targets().first() as cytoscape.NodeSingular;

  it('places the service in a row above the overlays, over its network', () => {
    assert.equal(service.data('label'), 'dne-swarmrec-svc');
    assert.ok(positions.has(service.id()));
    const overlayTop = Math.min(...cy.nodes('.overlay').map((node) => node.position('y')));
    assert.ok(service.position('y') + halfSize(service).h < overlayTop - 40, 'the service is not above the overlays');
    assert.equal(service.position('x'), network.position('x'));
  });

  it('places a service a diff adds above its first network, not on another service', () => {
    const added = cy.add([
      { group: 'nodes', data: { id: 'svc:new', kind: 'service', label: 'new', details: [] } },
      { group: 'edges', data: { id: 'attached:new', kind: 'attached', source: 'svc:new', target: network.id(), label: '', details: [] } },
    ]);
    const at = placeNear(added.nodes().first());
    assert.ok(at.y < network.position('y'));
    assert.ok(Math.hypot(at.x - service.position('x'), at.y - service.position('y')) >= 2 * halfSize(service).w, 'on the other service');
    added.remove();
  });
});

describe('theme colours for the canvas', () => {
  it('blends 8- and 4-digit hex colours (which Cytoscape rejects) over the background', () => {
    assert.equal(opaque('#ccccccb3', '#1e1e1e'), 'rgb(152, 152, 152)');
    assert.equal(opaque('#fff8', '#000000'), 'rgb(136, 136, 136)');
  });
  it('leaves opaque and non-hex colours alone', () => {
    assert.equal(opaque('#3794ff', '#1e1e1e'), '#3794ff');
    assert.equal(opaque('#3794ffff', '#1e1e1e'), '#3794ffff');
    assert.equal(opaque('rgba(1, 2, 3, 0.5)', '#1e1e1e'), 'rgba(1, 2, 3, 0.5)');
  });
});

describe('topology page', () => {
  const html = topologyPage({
    nonce: 'NONCE',
    cspSource: 'https://webview.test',
    scriptUri: 'https://webview.test/w.js',
    styleUri: 'https://webview.test/t.css',
  });
  it('has a strict CSP: nothing by default, scripts by nonce only, no unsafe-*', () => {
    const csp = /http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(html)?.[1] ?? '';
    assert.match(csp, /^default-src 'none'; script-src 'nonce-NONCE'; /);
    assert.doesNotMatch(csp, /unsafe-|\*/);
  });
  it('loads every script by nonce and has no inline style attribute', () => {
    const scripts = html.match(/<script[^>]*>/g) ?? [];
    assert.equal(scripts.length, 1);
    assert.match(scripts[0], /nonce="NONCE"/);
    assert.doesNotMatch(html, /\sstyle=/);
  });
  it('uses @vscode-elements controls for the filter and the buttons', () => {
    assert.match(html, /<vscode-textfield id="search"/);
    for (const id of ['fit', 'relayout', 'export-png', 'export-svg']) assert.match(html, new RegExp(`<vscode-button id="${id}"`));
  });
});
