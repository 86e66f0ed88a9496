import type cytoscape from 'cytoscape';
import type { ElementDiff, TopologyElement } from '../src/core/topology/topologyElements';
import { toData, toDefinition } from './elements';
import { placeNear } from './layout';
import type { NodePositions } from './nodePositions';
import { fitView, isLeaf, placeAll, relabel } from './placement';

/**
 * A snapshot replaces the graph. Stored positions win (the panel reopened, the window reloaded);
 * nodes that appeared meanwhile go next to their neighbours; only a graph with none stored is
 * laid out from scratch. Every node's place is then saved (new ones were just placed).
 */
export function showSnapshot(cy: cytoscape.Core, positions: NodePositions, elements: TopologyElement[]): void {
  // One batch: Cytoscape then styles the 2,000 elements of a big graph once, not per addition.
  cy.batch(() => {
    cy.elements().remove();
    cy.add(elements.map(toDefinition));
    const leaves = cy.nodes().filter(isLeaf);
    const known = leaves.filter((node) => positions.get(node.id()) !== undefined);
    if (known.nonempty()) {
      known.forEach((node) => void node.position(positions.get(node.id())!));
      leaves.not(known).forEach((node) => void node.position(placeNear(node)));
      relabel(cy);
    } else placeAll(cy);
  });
  fitView(cy);
  positions.save(cy.nodes().filter(isLeaf));
}

/** Applies a diff without re-laying-out: new nodes go next to a neighbour, old ones stay. */
export function applyDiff(cy: cytoscape.Core, positions: NodePositions, diff: ElementDiff): void {
  let laidOut = false;
  let added = cy.collection();
  cy.batch(() => {
    for (const id of diff.removed) cy.getElementById(id).remove();
    for (const element of diff.updated) {
      const existing = cy.getElementById(element.data.id);
      existing.data(toData(element));
      existing.classes(element.classes);
    }
    const addedElements = cy.add(diff.added.map(toDefinition));
    added = addedElements.nodes().filter(isLeaf);
    const unplaced = added.filter((node) => positions.get(node.id()) === undefined);
    if (unplaced.length > cy.nodes().filter(isLeaf).length - added.length) {
      // Mostly new (the panel opened while its host was still connecting): a real layout,
      // then every node that has a saved place goes back to it.
      placeAll(cy);
      cy.nodes()
        .filter(isLeaf)
        .forEach((node) => {
          const at = positions.get(node.id());
          if (at) node.position(at);
        });
      relabel(cy);
      laidOut = true;
    } else {
      added.forEach((node) => void node.position(positions.get(node.id()) ?? placeNear(node)));
      // New edges change where their ends' labels fit.
      const touched = added.union(addedElements.edges().connectedNodes());
      if (touched.nonempty()) relabel(cy, touched, 'grow');
    }
  });
  if (laidOut) fitView(cy);
  // Only what was placed: walking every node of a big graph on each diff cost more than the diff.
  positions.save(added);
}

/** Relayout: every node placed again, and saved there. */
export function runLayout(cy: cytoscape.Core, positions: NodePositions): void {
  cy.batch(() => placeAll(cy));
  fitView(cy);
  positions.save(cy.nodes().filter(isLeaf));
}
