/**
 * What the topology graph looks like as drawn, measured in the page from Cytoscape's own
 * rendered bounding boxes (nodes' bodies, names, edges' address labels): which nodes overlap,
 * which labels cover a node or another label, how big the names are on screen. Used by the
 * page test (test/ui/topologyLayout.test.ts), the UI tests in code-server and the topology bench.
 * `measureGraph` runs in the browser: pass `graphMeasureScript(options)` to evaluate().
 */
import type { Frame, Page } from 'playwright-core';

/** The topology webview's page as a Frame (a FrameLocator cannot evaluate): the one holding #graph. */
export async function graphFrame(page: Page, timeoutMs = 60_000): Promise<Frame> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    for (const frame of page.frames()) {
      if (
        await frame
          .locator('#graph canvas')
          .count()
          .catch(() => 0)
      )
        return frame;
    }
    if (Date.now() > deadline) throw new Error('no topology webview frame');
    await page.waitForTimeout(200);
  }
}

export interface GraphMeasure {
  zoom: number;
  /** Smallest on-screen font size of a drawn container or network name, px. */
  smallestName: number;
  nodes: number;
  /** Labels drawn at this zoom (Cytoscape skips those under min-zoomed-font-size). */
  drawnLabels: number;
  /** Addresses with no room, shown only when their edge is selected. */
  hiddenAddresses: number;
  nodeOverlaps: string[];
  labelOnNode: string[];
  labelOnLabel: string[];
}

export interface MeasureOptions {
  /** Every label as if drawn (as at a zoom where all are): the layout's own guarantee. */
  allLabels?: boolean;
  /** Overlaps smaller than this (px, model units) are rounding, not covering. */
  tolerance?: number;
}

interface Bounds {
  x1: number;
  y1: number;
  x2: number;
  y2: number;
  w: number;
  h: number;
}
interface Ele {
  id(): string;
  data(key: string): unknown;
  hasClass(name: string): boolean;
  isNode(): boolean;
  pstyle(name: string): { pfValue: number; strValue: string; value: unknown };
  boundingBox(options: Record<string, boolean>): Bounds;
  source(): Ele;
  target(): Ele;
  visible(): boolean;
}
interface Cy {
  zoom(): number;
  nodes(): { forEach(visit: (ele: Ele) => void): void };
  edges(): { forEach(visit: (ele: Ele) => void): void };
}

/** Browser code (no closure over Node's scope): serialized by graphMeasureScript. */
export function measureGraph(options: MeasureOptions): GraphMeasure {
  const cy = (globalThis as unknown as { document: { getElementById(id: string): { _cyreg: { cy: Cy } } } }).document.getElementById(
    'graph',
  )._cyreg.cy;
  const zoom = cy.zoom();
  const tolerance = options.tolerance ?? 0.5;
  type Item = { box: Bounds; name: string; owners: string[] };
  const bodies: Item[] = [];
  const frames: Item[] = [];
  const labels: Item[] = [];
  let smallestName = Infinity;
  let hiddenAddresses = 0;
  const only = (which: 'main' | 'source') => ({
    includeNodes: false,
    includeEdges: false,
    includeLabels: true,
    includeOverlays: false,
    includeUnderlays: false,
    includeMainLabels: which === 'main',
    includeSourceLabels: which === 'source',
    includeTargetLabels: false,
  });
  const drawn = (ele: Ele, text: string) =>
    text !== '' && (options.allLabels || ele.pstyle('font-size').pfValue * zoom >= ele.pstyle('min-zoomed-font-size').pfValue);
  const usable = (box: Bounds) => Number.isFinite(box.w) && box.w > 0 && box.h > 0;
  cy.nodes().forEach((node) => {
    if (!node.visible()) return;
    const kind = String(node.data('kind'));
    const label = String(node.data('label') ?? '');
    const body = node.boundingBox({
      includeNodes: true,
      includeEdges: false,
      includeLabels: false,
      includeOverlays: false,
      includeUnderlays: false,
    });
    (kind === 'host' ? frames : bodies).push({ box: body, name: `${kind} ${label}`, owners: [node.id(), String(node.data('host') ?? '')] });
    if (!drawn(node, label)) return;
    const box = node.boundingBox(only('main'));
    if (usable(box)) labels.push({ box, name: `name of ${kind} ${label}`, owners: [node.id()] });
    if (kind === 'container' || kind === 'network') smallestName = Math.min(smallestName, node.pstyle('font-size').pfValue * zoom);
  });
  cy.edges().forEach((edge) => {
    const text = String(edge.pstyle('source-label').strValue ?? '');
    if (String(edge.data('label') ?? '') && !text) hiddenAddresses++;
    if (!drawn(edge, text)) return;
    const box = edge.boundingBox(only('source'));
    if (usable(box))
      labels.push({
        box,
        name: `address ${text} of ${String(edge.source().data('label'))}—${String(edge.target().data('label'))}`,
        owners: [edge.id()],
      });
  });
  const meet = (a: Bounds, b: Bounds) =>
    Math.min(a.x2, b.x2) - Math.max(a.x1, b.x1) > tolerance && Math.min(a.y2, b.y2) - Math.max(a.y1, b.y1) > tolerance;
  // A grid, so that 2,000 elements are not compared pairwise.
  const cell = 100;
  const pairs = (left: Item[], right: Item[], same: boolean, skip: (a: Item, b: Item) => boolean) => {
    const grid = new Map<string, number[]>();
    const cells = (box: Bounds, visit: (key: string) => void) => {
      for (let x = Math.floor(box.x1 / cell); x <= Math.floor(box.x2 / cell); x++) {
        for (let y = Math.floor(box.y1 / cell); y <= Math.floor(box.y2 / cell); y++) visit(`${x},${y}`);
      }
    };
    right.forEach((item, index) => cells(item.box, (key) => void (grid.get(key) ?? grid.set(key, []).get(key)!).push(index)));
    const found = new Set<string>();
    left.forEach((a, i) =>
      cells(a.box, (key) => {
        for (const j of grid.get(key) ?? []) {
          if (same && j <= i) continue;
          const b = right[j];
          if (!skip(a, b) && meet(a.box, b.box)) found.add(`${a.name} / ${b.name}`);
        }
      }),
    );
    return [...found];
  };
  const shared = (a: Item, b: Item) => a.owners.some((owner) => owner && b.owners.includes(owner));
  // Host frames hold their members; frames must not meet each other or anything outside them.
  const outsideFrame = (frame: Item, body: Item) => body.owners[1] === frame.owners[0];
  return {
    zoom,
    smallestName: Number.isFinite(smallestName) ? smallestName : 0,
    nodes: bodies.length,
    drawnLabels: labels.length,
    hiddenAddresses,
    nodeOverlaps: [
      ...pairs(bodies, bodies, true, () => false),
      ...pairs(frames, frames, true, () => false),
      ...pairs(frames, bodies, false, outsideFrame),
    ],
    labelOnNode: pairs(labels, bodies, false, (label, body) => label.owners[0] === body.owners[0]),
    labelOnLabel: pairs(labels, labels, true, shared),
  };
}

export const graphMeasureScript = (options: MeasureOptions = {}) => `(${measureGraph.toString()})(${JSON.stringify(options)})`;
