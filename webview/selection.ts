import type cytoscape from 'cytoscape';
import type { TopologyData } from '../src/core/topology/topologyElements';
import { renderDetails } from './summary';

/** One selected element at a time, its details in the side pane. A click only selects. */
export class Selection {
  constructor(
    private readonly cy: cytoscape.Core,
    private readonly details: HTMLElement,
  ) {}

  select(id: string, anchor?: HTMLElement): void {
    const element = this.cy.getElementById(id);
    if (element.empty()) return;
    this.cy.elements().unselect();
    element.select();
    renderDetails(this.details, element.data() as TopologyData);
    if (anchor) anchor.focus();
  }

  clear(): void {
    renderDetails(this.details, undefined);
  }
}
