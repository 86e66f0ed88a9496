import type cytoscape from 'cytoscape';
import type { TopologyData } from '../src/core/topology/topologyElements';
import { hostsOf } from './hostFrames';

/**
 * The filter box: by name, network or IP; what does not match fades (and stays in the list).
 * Nothing matching fades everything, and the hint says why the graph went pale.
 */
export class GraphFilter {
  constructor(
    private readonly cy: cytoscape.Core,
    private readonly hint: HTMLElement,
    /** Called when which elements are faded changed (the Elements list follows). */
    private readonly onFaded: () => void,
  ) {}

  /** Applies `text` (the box's value); after a diff only when there is a query (`onlyIfActive`). */
  apply(text: string, onlyIfActive = false): void {
    const query = text.trim().toLowerCase();
    if (onlyIfActive && !query) return;
    const { cy } = this;
    const faded = cy.elements('.faded');
    let fade = cy.collection();
    let matched = true;
    if (query) {
      const matches = (element: cytoscape.SingularElementArgument) => {
        const data = element.data() as TopologyData;
        return [data.label, ...data.details.map(([, value]) => value)].some((value) => value.toLowerCase().includes(query));
      };
      const hit = cy.elements().filter(matches);
      matched = hit.nonempty();
      const shown = hit.union(hit.connectedNodes()).union(hit.nodes().connectedEdges());
      fade = cy.elements().not(shown.union(hostsOf(cy, shown.nodes())));
    }
    this.hint.textContent = matched ? '' : `No element matches "${text.trim()}"`;
    this.hint.hidden = matched;
    // Only the difference: a class change restyles the element, and restyling all of a big graph
    // for nothing was most of a diff's cost.
    if (faded.same(fade)) return;
    cy.batch(() => {
      faded.not(fade).removeClass('faded');
      fade.not(faded).addClass('faded');
    });
    this.onFaded();
  }
}
