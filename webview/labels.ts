import type cytoscape from 'cytoscape';
import { ADDRESS_FONT, grow, halfSize, nameBox, overlaps, shift, sideOf, SIDES, textSize, type Box, type Side } from './geometry';

/**
 * Where labels go, so that none covers a node or another label. A node's name goes on the side
 * of it that edges cross least (below, else above, right, left, on a tie) and where it covers
 * nothing (Cytoscape's autorotated edge labels at mid-edge covered names); an edge's
 * address sits on the edge near its container (not at the middle, where a network's many edges
 * meet), horizontal, at the first distance where it is clear. An address that finds no free spot
 * is shown only when its edge is selected. Linear: a grid of boxes, a few candidates per label.
 * Runs after a layout, on a restored graph, and for the neighbourhood of a dragged or added node.
 */
const CELL = 96;
const SIDE_CLASSES: Record<Side, string | undefined> = { bottom: undefined, top: 'label-top', right: 'label-right', left: 'label-left' };
const ALL_SIDE_CLASSES = 'label-top label-right label-left';
/** Kinds of edges whose label is the address (or alias) drawn near their source container. */
const LABELLED = '[kind="endpoint"], [kind="link"]';

class BoxGrid {
  private readonly cells = new Map<string, Array<{ box: Box; owner: string }>>();

  add(box: Box, owner: string): void {
    this.forCells(box, (key) => {
      let cell = this.cells.get(key);
      if (!cell) this.cells.set(key, (cell = []));
      cell.push({ box, owner });
    });
  }

  /** Whether the box meets a box of another owner than the ones given. */
  hits(box: Box, ...ignore: string[]): boolean {
    let hit = false;
    this.forCells(box, (key) => {
      if (hit) return;
      for (const entry of this.cells.get(key) ?? []) {
        if (!ignore.includes(entry.owner) && overlaps(box, entry.box)) {
          hit = true;
          return;
        }
      }
    });
    return hit;
  }

  private forCells(box: Box, visit: (key: string) => void): void {
    for (let x = Math.floor(box.x1 / CELL); x <= Math.floor(box.x2 / CELL); x++) {
      for (let y = Math.floor(box.y1 / CELL); y <= Math.floor(box.y2 / CELL); y++) visit(`${x},${y}`);
    }
  }
}

const bodyBox = (node: cytoscape.NodeSingular): Box => {
  const { x, y } = node.position();
  const half = halfSize(node);
  return { x1: x - half.w, x2: x + half.w, y1: y - half.h, y2: y + half.h };
};

interface AddressLine {
  x: number;
  y: number;
  /** Unit vector from the source container towards the target. */
  ux: number;
  uy: number;
  length: number;
  w: number;
  h: number;
}

function addressLine(edge: cytoscape.EdgeSingular): AddressLine | undefined {
  const source = edge.source().position();
  const target = edge.target().position();
  const length = Math.hypot(target.x - source.x, target.y - source.y);
  if (length === 0) return undefined;
  const text = textSize(String(edge.data('label') ?? ''), ADDRESS_FONT);
  return { x: source.x, y: source.y, ux: (target.x - source.x) / length, uy: (target.y - source.y) / length, length, ...text };
}

/** Cytoscape's edge leaves a container's circle there, and measures the label's offset from it. */
const EDGE_START = 13.5;

function boxOnLine(line: AddressLine, offset: number): Box {
  const x = line.x + line.ux * (EDGE_START + offset);
  const y = line.y + line.uy * (EDGE_START + offset);
  return { x1: x - line.w / 2, x2: x + line.w / 2, y1: y - line.h / 2, y2: y + line.h / 2 };
}

/** The address box of an edge whose label starts `offset` past its source's border. */
export function addressBox(edge: cytoscape.EdgeSingular, offset: number): Box | undefined {
  const line = addressLine(edge);
  return line && boxOnLine(line, offset);
}

/** How long a stretch of the segment from a to b runs inside the box (Liang–Barsky clipping). */
function lengthInside(a: cytoscape.Position, b: cytoscape.Position, box: Box): number {
  let t0 = 0;
  let t1 = 1;
  const dx = b.x - a.x;
  const dy = b.y - a.y;
  const clip = (p: number, q: number) => {
    if (p === 0) return q >= 0;
    const r = q / p;
    if (p < 0) t0 = Math.max(t0, r);
    else t1 = Math.min(t1, r);
    return t0 <= t1;
  };
  const inside = clip(-dx, a.x - box.x1) && clip(dx, box.x2 - a.x) && clip(-dy, a.y - box.y1) && clip(dy, box.y2 - a.y);
  return inside ? (t1 - t0) * Math.hypot(dx, dy) : 0;
}

/** Arranges the labels of these nodes and their edges (all when none given). */
export function arrangeLabels(cy: cytoscape.Core, scope?: cytoscape.NodeCollection): void {
  const nodes = (scope ?? cy.nodes()).filter((node) => node.data('kind') !== 'host');
  // An address belongs to its source container: it moves when that container is in scope.
  const edges = nodes.connectedEdges(LABELLED).filter((edge) => nodes.has(edge.source()));
  const grid = new BoxGrid();
  // Only what is near enough to be in the way: a diff on a big graph stays cheap.
  const near = scope ? around(nodes) : () => true;
  const inScope = new Set(nodes.map((node) => node.id()));
  // Host frames and titles are not in the way: the frames are sized around every label after
  // this (hostFrames.ts), and their titles sit above them.
  cy.nodes().forEach((node) => {
    if (node.data('kind') === 'host' || !near(node.position())) return;
    grid.add(bodyBox(node), node.id());
    if (!scope || inScope.has(node.id())) return;
    // What stays as it is: the names and addresses outside the scope.
    const { x, y } = node.position();
    grid.add(shift(nameBox(node, sideOf(node)), x, y), `name:${node.id()}`);
    node.connectedEdges().forEach((edge) => {
      if (edge.data('labelOffset') === undefined || !edge.source().same(node) || edge.hasClass('label-hidden') || edges.has(edge)) return;
      const box = addressBox(edge, Number(edge.data('labelOffset')));
      if (box) grid.add(box, edge.id());
    });
  });
  cy.batch(() => {
    nodes.forEach((node) => placeName(node, grid));
    edges.forEach((edge) => placeAddress(edge, grid));
  });
}

/** Whether a point is within reach of these nodes' labels (an address goes at most ~250 px out). */
function around(nodes: cytoscape.NodeCollection): (at: cytoscape.Position) => boolean {
  let x1 = Infinity;
  let y1 = Infinity;
  let x2 = -Infinity;
  let y2 = -Infinity;
  nodes.forEach((node) => {
    const { x, y } = node.position();
    x1 = Math.min(x1, x);
    x2 = Math.max(x2, x);
    y1 = Math.min(y1, y);
    y2 = Math.max(y2, y);
  });
  const reach = 500;
  return ({ x, y }) => x > x1 - reach && x < x2 + reach && y > y1 - reach && y < y2 + reach;
}

function placeName(node: cytoscape.NodeSingular, grid: BoxGrid): void {
  const at = node.position();
  const ends = node.connectedEdges().map((edge) => (edge.source().same(node) ? edge.target() : edge.source()).position());
  const sides = node.data('kind') === 'port' ? portSides(node) : SIDES;
  let best: Side = sides[0];
  let fewest = Infinity;
  // The side where edges run least under the name (a name over an edge stays readable on its
  // background, but a free side is better), and never one where it would cover something.
  for (const side of sides) {
    const box = grow(shift(nameBox(node, side), at.x, at.y), 2);
    const crossed = ends.reduce((sum, end) => sum + lengthInside(at, end, box), 0);
    const cost = crossed + (grid.hits(box, node.id()) ? 10_000 : 0);
    if (cost < fewest) [best, fewest] = [side, cost];
    if (cost === 0) break;
  }
  if (sideOf(node) !== best) {
    node.removeClass(ALL_SIDE_CLASSES);
    const wanted = SIDE_CLASSES[best];
    if (wanted) node.addClass(wanted);
  }
  grid.add(shift(nameBox(node, best), at.x, at.y), `name:${node.id()}`);
}

/** A port's label goes away from its container first. */
function portSides(port: cytoscape.NodeSingular): Side[] {
  const container = port.connectedEdges().targets().first();
  const away: Side = container.nonempty() && container.position('x') > port.position('x') ? 'left' : 'right';
  return [away, 'bottom', 'top', away === 'left' ? 'right' : 'left'];
}

function placeAddress(edge: cytoscape.EdgeSingular, grid: BoxGrid): void {
  const line = addressLine(edge);
  let found: number | undefined;
  if (line && line.w > 0) {
    // Up to the target (the grid keeps the label off its body); at most this far from the container.
    const target = halfSize(edge.target());
    const last = Math.min(line.length - EDGE_START - Math.min(target.w, target.h) - 2, 180);
    for (let offset = 2; offset <= last; offset += 3) {
      const box = boxOnLine(line, offset);
      if (!grid.hits(grow(box, 2), edge.id())) {
        found = offset;
        grid.add(box, edge.id());
        break;
      }
    }
  }
  if (found === undefined) {
    if (!edge.hasClass('label-hidden')) edge.addClass('label-hidden');
    return;
  }
  if (edge.hasClass('label-hidden')) edge.removeClass('label-hidden');
  if (edge.data('labelOffset') !== found) edge.data('labelOffset', found);
}
