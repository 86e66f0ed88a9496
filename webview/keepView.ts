import type cytoscape from 'cytoscape';

/**
 * Keeps what the user was looking at when the graph's panel changes size (the sidebar opening,
 * the editor split): the same point stays in the middle, and the zoom follows the panel so what
 * was visible still is. Cytoscape on its own keeps the top-left corner and the zoom, so a
 * narrower panel cut off the hosts on the right.
 */
export function keepViewOnResize(cy: cytoscape.Core, container: HTMLElement): void {
  let last = { width: container.clientWidth, height: container.clientHeight };
  new ResizeObserver(() => {
    const size = { width: container.clientWidth, height: container.clientHeight };
    if (size.width === 0 || size.height === 0) return; // hidden: keep the last real size
    if (last.width === 0 || last.height === 0 || (size.width === last.width && size.height === last.height)) {
      last = size;
      cy.resize();
      return;
    }
    const zoom = cy.zoom();
    const pan = cy.pan();
    // The model point at the old centre, and how much of the model was visible.
    const centre = { x: (last.width / 2 - pan.x) / zoom, y: (last.height / 2 - pan.y) / zoom };
    const scale = Math.min(size.width / last.width, size.height / last.height);
    const nextZoom = Math.min(cy.maxZoom(), Math.max(cy.minZoom(), zoom * scale));
    cy.resize();
    cy.viewport({ zoom: nextZoom, pan: { x: size.width / 2 - centre.x * nextZoom, y: size.height / 2 - centre.y * nextZoom } });
    last = size;
  }).observe(container);
}
