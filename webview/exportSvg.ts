import type cytoscape from 'cytoscape';

const SVG_NS = 'http://www.w3.org/2000/svg';

const labelOnly = (which: 'main' | 'source') => ({
  includeNodes: false,
  includeEdges: false,
  includeLabels: true,
  includeOverlays: false,
  includeMainLabels: which === 'main',
  includeSourceLabels: which === 'source',
  includeTargetLabels: false,
});

/**
 * The graph as SVG (Cytoscape itself only renders to canvas): host boxes, edges, nodes and their
 * labels, in the colours Cytoscape computed. Built with DOM calls and serialized, so Docker
 * strings are escaped by the serializer, never concatenated into markup.
 */
export function graphToSvg(cy: cytoscape.Core, background: string): string {
  const box = cy.elements().boundingBox({ includeLabels: true });
  const margin = 20;
  const svg = document.createElementNS(SVG_NS, 'svg');
  const set = (element: Element, attributes: Record<string, string | number>) => {
    for (const [key, value] of Object.entries(attributes)) element.setAttribute(key, String(value));
    return element;
  };
  set(svg, {
    xmlns: SVG_NS,
    viewBox: `${box.x1 - margin} ${box.y1 - margin} ${box.w + 2 * margin} ${box.h + 2 * margin}`,
    width: Math.round(box.w + 2 * margin),
    height: Math.round(box.h + 2 * margin),
    'font-family': 'sans-serif',
  });
  const add = (name: string, attributes: Record<string, string | number>, text?: string) => {
    const element = set(document.createElementNS(SVG_NS, name), attributes);
    if (text) element.textContent = text;
    svg.append(element);
  };
  /** Text centred in the box Cytoscape drew it in, on the background as there (edges pass under). */
  const addLabel = (area: cytoscape.BoundingBox12 & cytoscape.BoundingBoxWH, size: number, fill: string, text: string) => {
    if (background) add('rect', { x: area.x1, y: area.y1, width: area.w, height: area.h, fill: background, 'fill-opacity': 0.85 });
    add(
      'text',
      {
        x: (area.x1 + area.x2) / 2,
        y: (area.y1 + area.y2) / 2,
        'dominant-baseline': 'central',
        'text-anchor': 'middle',
        'font-size': size,
        fill,
      },
      text,
    );
  };
  if (background)
    add('rect', { x: box.x1 - margin, y: box.y1 - margin, width: box.w + 2 * margin, height: box.h + 2 * margin, fill: background });
  const color = (element: cytoscape.SingularElementArgument, property: string) => String(element.style(property));
  cy.nodes('[kind="host"]').forEach((host) => {
    const area = host.boundingBox({ includeLabels: false });
    add('rect', {
      x: area.x1,
      y: area.y1,
      width: area.w,
      height: area.h,
      rx: 6,
      fill: 'none',
      stroke: color(host, 'border-color'),
      'stroke-width': 2,
    });
    add(
      'text',
      {
        x: (area.x1 + area.x2) / 2,
        y: area.y1 - 6,
        'text-anchor': 'middle',
        'font-size': 13,
        'font-weight': 'bold',
        fill: color(host, 'color'),
      },
      host.data('label'),
    );
  });
  cy.edges().forEach((edge) => {
    const from = edge.sourceEndpoint();
    const to = edge.targetEndpoint();
    const dashed: Record<string, string> = edge.hasClass('link') || edge.hasClass('published') ? { 'stroke-dasharray': '4 3' } : {};
    add('line', { x1: from.x, y1: from.y, x2: to.x, y2: to.y, stroke: color(edge, 'line-color'), 'stroke-width': 1.5, ...dashed });
  });
  // Addresses where the canvas shows them (near their container, labels.ts), over the edges.
  cy.edges().forEach((edge) => {
    const label = String(edge.style('source-label') ?? '');
    if (label) addLabel(edge.boundingBox(labelOnly('source')), 9, color(edge, 'color'), label);
  });
  cy.nodes('[kind!="host"]').forEach((node) => {
    const { x, y } = node.position();
    const w = node.width();
    const h = node.height();
    const shape = String(node.style('shape'));
    const paint = { fill: color(node, 'background-color'), opacity: String(node.style('opacity')), stroke: color(node, 'border-color') };
    if (shape === 'ellipse') add('ellipse', { cx: x, cy: y, rx: w / 2, ry: h / 2, ...paint });
    // A service: a diamond, as on the canvas (it is the only kind drawn so).
    else if (shape === 'diamond')
      add('polygon', { points: `${x},${y - h / 2} ${x + w / 2},${y} ${x},${y + h / 2} ${x - w / 2},${y}`, ...paint });
    else add('rect', { x: x - w / 2, y: y - h / 2, width: w, height: h, rx: 4, ...paint });
    // The name on the side the canvas shows it (labels.ts chose it), from its drawn box.
    const label = String(node.data('label') ?? '');
    if (label) addLabel(node.boundingBox(labelOnly('main')), parseFloat(String(node.style('font-size'))), color(node, 'color'), label);
  });
  return new XMLSerializer().serializeToString(svg);
}
