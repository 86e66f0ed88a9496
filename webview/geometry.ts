import type cytoscape from 'cytoscape';

/**
 * Sizes the graph is drawn with (graphStyle.ts uses the same numbers), so that the layout and
 * the label placement can reason about boxes without measuring text: they also run headless in
 * Node (test/unit/webview/topologyLayout.test.ts), where there is no canvas to measure with.
 */
export const NAME_FONT = 11;
export const ADDRESS_FONT = 9;
/** Between a node and its own label. */
export const LABEL_GAP = 3;

export interface Box {
  x1: number;
  y1: number;
  x2: number;
  y2: number;
}

export type Side = 'bottom' | 'top' | 'right' | 'left';
export const SIDES: readonly Side[] = ['bottom', 'top', 'right', 'left'];

/** Half sizes of the kinds not 26 × 26 (networks by their class, in halfSize). */
const HALF_BODY: Record<string, [number, number] | undefined> = { port: [7, 7], service: [15, 15] };

/**
 * Half width and half height of a node's body as drawn, by kind (graphStyle.ts's sizes), its
 * border included (up to 4 px on an internal network).
 */
export function halfSize(node: cytoscape.NodeSingular): { w: number; h: number } {
  const kind = node.data('kind') as string;
  const border = node.hasClass('internal') ? 4 : node.hasClass('iccOff') ? 3 : 1.5;
  const [w, h] = kind === 'network' ? (node.hasClass('overlay') ? [20, 17] : [17, 11]) : (HALF_BODY[kind] ?? [13, 13]);
  return { w: w + border, h: h + border };
}

/**
 * A text's box at a font size, a little generous (per character, as wide as DejaVu Sans, the
 * widest of the usual UI fonts, draws it) plus the text background's padding: the page test
 * measures the real boxes (test/support/graphMeasure.ts), and these must not be smaller.
 */
export function textSize(text: string, font: number): { w: number; h: number } {
  const key = `${font}|${text}`;
  let size = measured.get(key);
  if (!size) {
    const width = Math.min(220, [...text].reduce((sum, char) => sum + charWidth(char), 0) * font + 6);
    size = { w: text ? width : 0, h: text ? Math.round(font * 1.3) + 3 : 0 };
    // Remembered: labels are measured again on every drag and diff. Bounded, as names come and go.
    if (measured.size > 20_000) measured.clear();
    measured.set(key, size);
  }
  return size;
}

const measured = new Map<string, { w: number; h: number }>();

function charWidth(char: string): number {
  if (/[.,:;|il!'ıj ]/.test(char)) return 0.36;
  if (/[0-9]/.test(char)) return 0.65;
  if (/[mw@%]/.test(char)) return 0.98;
  if (/[A-Z→]/.test(char)) return 0.86;
  if (/[a-z_-]/.test(char)) return 0.68;
  return 1;
}

export const nodeFont = (node: cytoscape.NodeSingular) => (node.data('kind') === 'port' ? 10 : NAME_FONT);

/**
 * Where a node's name goes on each side, as a box around the node's centre (0, 0). Cytoscape
 * reports a label's box from the body's edge (the border and the text margin left out): from
 * there, to past the margin, so that both readings are covered.
 */
export function nameBox(node: cytoscape.NodeSingular, side: Side): Box {
  const outer = halfSize(node);
  const inner = { w: outer.w - 4, h: outer.h - 4 };
  const text = textSize(String(node.data('label') ?? ''), nodeFont(node));
  switch (side) {
    case 'bottom':
      return { x1: -text.w / 2, x2: text.w / 2, y1: inner.h, y2: outer.h + LABEL_GAP + text.h };
    case 'top':
      return { x1: -text.w / 2, x2: text.w / 2, y1: -outer.h - LABEL_GAP - text.h, y2: -inner.h };
    case 'right':
      return { x1: inner.w, x2: outer.w + LABEL_GAP + text.w, y1: -text.h / 2, y2: text.h / 2 };
    case 'left':
      return { x1: -outer.w - LABEL_GAP - text.w, x2: -inner.w, y1: -text.h / 2, y2: text.h / 2 };
  }
}

export const sideOf = (node: cytoscape.NodeSingular): Side =>
  node.hasClass('label-top') ? 'top' : node.hasClass('label-right') ? 'right' : node.hasClass('label-left') ? 'left' : 'bottom';

export const shift = (box: Box, x: number, y: number): Box => ({ x1: box.x1 + x, x2: box.x2 + x, y1: box.y1 + y, y2: box.y2 + y });
export const overlaps = (a: Box, b: Box) => a.x1 < b.x2 && b.x1 < a.x2 && a.y1 < b.y2 && b.y1 < a.y2;
export const grow = (box: Box, by: number): Box => ({ x1: box.x1 - by, x2: box.x2 + by, y1: box.y1 - by, y2: box.y2 + by });
