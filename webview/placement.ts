import type cytoscape from 'cytoscape';
import { fitHostFrames, growHostFrames, hostsOf, spreadHosts } from './hostFrames';
import { arrangeLabels } from './labels';
import { structuredPositions } from './layout';

/** Hosts are frames drawn around their members; every other node is placed. */
export const isLeaf = (node: cytoscape.NodeSingular) => node.data('kind') !== 'host';

/** Lays out every node from scratch, then the labels and host frames. */
export function placeAll(cy: cytoscape.Core): void {
  const layout = structuredPositions(cy);
  cy.nodes().forEach((node) => {
    const at = layout.get(node.id());
    if (at && isLeaf(node)) node.position(at);
  });
  relabel(cy);
  // Addresses near a host's edge may reach out of it: hosts then move apart, which turns only
  // the edges between hosts and overlays: their ends' labels are placed again.
  if (spreadHosts(cy, 40)) {
    const crossing = cy.edges().filter((edge) => edge.source().data('host') !== edge.target().data('host'));
    relabel(cy, crossing.connectedNodes());
  }
}

/**
 * Labels placed for where the nodes now are (all, or these nodes and their neighbours), then
 * the host frames sized around them: refitted, or (for a diff, which must stay cheap on a big
 * graph) only grown to take in what was placed.
 */
export function relabel(cy: cytoscape.Core, nodes?: cytoscape.NodeCollection, frames: 'fit' | 'grow' = 'fit'): void {
  // Neighbours inside a host: an overlay's name (above everything, its edges going down) keeps
  // its place, and leaving it out keeps the region to search small.
  const scope = nodes
    ?.union(
      nodes
        .neighborhood()
        .nodes()
        .filter((node) => node.data('host') !== undefined),
    )
    .filter(isLeaf);
  arrangeLabels(cy, scope);
  if (!scope) fitHostFrames(cy);
  else if (frames === 'grow') growHostFrames(cy, scope);
  else fitHostFrames(cy, hostsOf(cy, scope));
}

/**
 * Fits the view to the host frames and what is outside them (overlays): the frames already hold
 * their members and labels, and measuring a handful of boxes is cheaper than every label of a
 * big graph.
 */
export function fitView(cy: cytoscape.Core): void {
  cy.fit(
    cy.nodes().filter((node) => !isLeaf(node) || node.data('host') === undefined),
    30,
  );
}
