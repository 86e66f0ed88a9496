import type cytoscape from 'cytoscape';
import { parseHighlight, type PathHighlight } from '../src/core/topology/protocol';
import { opaque } from './colors';
import { themeColor } from './graphStyle';

/** The classes the path puts on elements; the page's tests read them (test/ui/reachability.test.ts). */
export const PATH_CLASS = 'path-lit';
export const BLOCKED_CLASS = 'path-blocked';
export const OFF_PATH_CLASS = 'path-off';

/**
 * A reachability answer drawn on the graph (issue #12): the path's elements lit, the element that
 * blocks it marked, everything else dimmed, and a bar saying what was asked with a Clear button
 * (Escape clears too). The extension sends the path; a cleared one is reported so it is not sent
 * again. Kept across snapshots and diffs: the classes are put back on the new elements.
 */
export class PathLights {
  private current: PathHighlight | null = null;
  /** Some element carries a path class: only then is there anything to take off. */
  private drawn = false;

  constructor(
    private readonly cy: cytoscape.Core,
    private readonly bar: HTMLElement,
    private readonly caption: HTMLElement,
    clearButton: HTMLElement,
    /** The user cleared it. */
    private readonly onCleared: () => void,
  ) {
    clearButton.addEventListener('click', () => this.clear());
    document.addEventListener('keydown', (event) => {
      if (event.key === 'Escape' && this.current) this.clear();
    });
  }

  /** A `highlight` message's payload, checked before it touches the graph; an invalid one is ignored. */
  receive(value: unknown): void {
    const highlight = parseHighlight(value);
    if (typeof highlight === 'string') return console.warn(`Ignored a path highlight: ${highlight}.`);
    this.current = highlight;
    this.apply();
  }

  /**
   * Puts the classes back after the graph changed (a snapshot replaces every element). With no
   * path shown it touches nothing: a class change on every element restyles and redraws them all,
   * which on each diff of a 2,000-element graph cost ~100 ms (the topology bench's attach).
   */
  apply(): void {
    const { cy, current } = this;
    if (current || this.drawn) cy.batch(() => this.paint(current));
    this.drawn = current !== null;
    this.bar.hidden = !current;
    this.bar.dataset.verdict = current?.verdict ?? '';
    // Names from Docker: text, never markup.
    this.caption.textContent = current?.caption ?? '';
  }

  private paint(current: PathHighlight | null): void {
    const { cy } = this;
    cy.$(`.${PATH_CLASS}, .${BLOCKED_CLASS}, .${OFF_PATH_CLASS}`).removeClass([PATH_CLASS, BLOCKED_CLASS, OFF_PATH_CLASS]);
    if (current) {
      const lit = cy.collection();
      for (const id of current.lit) lit.merge(cy.getElementById(id));
      const blocked = cy.collection();
      for (const id of current.blocked) blocked.merge(cy.getElementById(id));
      lit.addClass(PATH_CLASS);
      blocked.addClass(BLOCKED_CLASS);
      // Host frames stay as they are: dimming one would dim the path inside it.
      cy.elements().not(lit).not(blocked).not('[kind="host"]').addClass(OFF_PATH_CLASS);
    }
  }

  clear(): void {
    if (!this.current) return;
    this.current = null;
    this.apply();
    this.onCleared();
  }
}

/** The path's styles in the theme's colours (appended to graphStyle's; read again on a theme change). */
export function pathStyle(): cytoscape.StylesheetJson {
  const bg = opaque(themeColor('editor-background', '#1e1e1e'), '#000000');
  const lit = opaque(themeColor('charts-yellow', '#cca700'), bg);
  const blocked = opaque(themeColor('errorForeground', '#f14c4c'), bg);
  return [
    { selector: `node.${PATH_CLASS}`, style: { 'overlay-color': lit, 'overlay-opacity': 0.35, 'overlay-padding': 6 } },
    { selector: `edge.${PATH_CLASS}`, style: { width: 4, 'line-color': lit, 'z-index': 3 } },
    {
      selector: `.${BLOCKED_CLASS}`,
      style: {
        'border-width': 4,
        'border-style': 'solid',
        'border-color': blocked,
        'overlay-color': blocked,
        'overlay-opacity': 0.4,
        'overlay-padding': 8,
      },
    },
    { selector: `.${OFF_PATH_CLASS}`, style: { opacity: 0.25 } },
  ];
}
