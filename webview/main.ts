import cytoscape from 'cytoscape';
// The toolbar's controls, one module each (not the whole library): @vscode-elements/elements
// follows VS Code's look and theme variables; Microsoft archived @vscode/webview-ui-toolkit in
// January 2025.
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-textfield/index.js';
import type { VscodeTextfield } from '@vscode-elements/elements/dist/vscode-textfield/vscode-textfield.js';
import type { HostToWebview, WebviewToHost } from '../src/core/topology/protocol';
import type { ElementDiff, TopologyData, TopologyElement } from '../src/core/topology/topologyElements';
import { menuItems } from './contextMenu';
import { toData, toDefinition } from './elements';
import { graphToSvg } from './exportSvg';
import { graphStyle } from './graphStyle';
import { fitHostFrames, followHostDrags, growHostFrames, hostsOf, membersOf, spreadHosts } from './hostFrames';
import { keepViewOnResize } from './keepView';
import { arrangeLabels } from './labels';
import { placeNear, structuredPositions } from './layout';
import { renderDetails, SummaryList } from './summary';

interface VsCodeApi {
  postMessage(message: WebviewToHost): void;
  getState(): unknown;
  setState(state: SavedState): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

/** What survives hiding the panel and reloading the window: where the user left each node. */
interface SavedState {
  positions: Record<string, cytoscape.Position>;
}

const vscode = acquireVsCodeApi();
const saved = vscode.getState() as Partial<SavedState> | undefined;
const positions: Record<string, cytoscape.Position> = { ...saved?.positions };

const byId = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const summary = byId<HTMLUListElement>('summary');
const details = byId<HTMLElement>('details');
const search = byId<VscodeTextfield>('search');
const menu = byId<HTMLElement>('menu');
const graph = byId<HTMLElement>('graph');
const filterHint = byId<HTMLElement>('filter-hint');

const cy = cytoscape({ container: graph, style: graphStyle(), wheelSensitivity: 0.3, minZoom: 0.1, maxZoom: 4 });
const summaryList = new SummaryList(summary, cy, (id, anchor) => select(id, anchor));

const isLeaf = (node: cytoscape.NodeSingular) => node.data('kind') !== 'host';

function savePositions(): void {
  cy.nodes().forEach((node) => {
    if (isLeaf(node)) positions[node.id()] = { ...node.position() };
  });
  vscode.setState({ positions });
}

function placeAll(): void {
  const layout = structuredPositions(cy);
  cy.nodes().forEach((node) => {
    const at = layout.get(node.id());
    if (at && isLeaf(node)) node.position(at);
  });
  relabel();
  // Addresses near a host's edge may reach out of it: hosts then move apart, which turns only
  // the edges between hosts and overlays: their ends' labels are placed again.
  if (spreadHosts(cy, 40)) {
    const crossing = cy.edges().filter((edge) => edge.source().data('host') !== edge.target().data('host'));
    relabel(crossing.connectedNodes());
  }
}

/**
 * Labels placed for where the nodes now are (all, or these nodes and their neighbours), then
 * the host frames sized around them: refitted, or (for a diff, which must stay cheap on a big
 * graph) only grown to take in what was placed.
 */
function relabel(nodes?: cytoscape.NodeCollection, frames: 'fit' | 'grow' = 'fit'): void {
  // Neighbours inside a host: an overlay's name (above everything, its edges going down) keeps
  // its place, and leaving it out keeps the region to search small.
  const scope = nodes?.union(nodes.neighborhood().nodes().filter((node) => node.data('host') !== undefined)).filter(isLeaf);
  arrangeLabels(cy, scope);
  if (!scope) fitHostFrames(cy);
  else if (frames === 'grow') growHostFrames(cy, scope);
  else fitHostFrames(cy, hostsOf(cy, scope));
}

/**
 * Places of nodes no longer in the graph are kept (a host that reconnects, or a snapshot taken
 * while it was still connecting, gets its nodes back where they were), up to a bound so that
 * the saved state does not grow with every container ever seen.
 */
const KEEP_GONE = 2000;
function forgetGone(): void {
  const ids = Object.keys(positions);
  let excess = ids.length - cy.nodes().length - KEEP_GONE;
  // Oldest first: object keys keep insertion order.
  for (const id of ids) {
    if (excess <= 0) break;
    if (cy.getElementById(id).nonempty()) continue;
    delete positions[id];
    excess--;
  }
}

/**
 * Fits the view to the host frames and what is outside them (overlays): the frames already hold
 * their members and labels, and measuring a handful of boxes is cheaper than every label of a
 * big graph.
 */
function fitView(): void {
  cy.fit(cy.nodes().filter((node) => !isLeaf(node) || node.data('host') === undefined), 30);
}

function runLayout(): void {
  cy.batch(placeAll);
  fitView();
  savePositions();
}

function showSnapshot(elements: TopologyElement[]): void {
  // One batch: Cytoscape then styles the 2,000 elements of a big graph once, not per addition.
  cy.batch(() => {
    cy.elements().remove();
    cy.add(elements.map(toDefinition));
    // Saved positions win (a reload, or the panel shown again). Nodes that appeared meanwhile
    // go next to their neighbours; only a graph with none saved is laid out from scratch.
    const leaves = cy.nodes().filter(isLeaf);
    const known = leaves.filter((node) => positions[node.id()] !== undefined);
    if (known.nonempty()) {
      known.forEach((node) => void node.position(positions[node.id()]));
      leaves.not(known).forEach((node) => void node.position(placeNear(node)));
      relabel();
    } else placeAll();
  });
  fitView();
  savePositions();
  applyFilter();
  summaryList.rebuild();
}

/** Applies a diff without re-laying-out: new nodes go next to a neighbour, old ones stay. */
function applyDiff(diff: ElementDiff): void {
  let laidOut = false;
  cy.batch(() => {
    for (const id of diff.removed) cy.getElementById(id).remove();
    for (const element of diff.updated) {
      const existing = cy.getElementById(element.data.id);
      existing.data(toData(element));
      existing.classes(element.classes);
    }
    const addedElements = cy.add(diff.added.map(toDefinition));
    const added = addedElements.nodes().filter(isLeaf);
    const unplaced = added.filter((node) => positions[node.id()] === undefined);
    if (unplaced.length > cy.nodes().filter(isLeaf).length - added.length) {
      // Mostly new (the panel opened while its host was still connecting): a real layout,
      // then every node that has a saved place goes back to it.
      placeAll();
      cy.nodes().filter(isLeaf).forEach((node) => void (positions[node.id()] && node.position(positions[node.id()])));
      relabel();
      laidOut = true;
    } else {
      added.forEach((node) => void node.position(positions[node.id()] ?? placeNear(node)));
      // New edges change where their ends' labels fit.
      const touched = added.union(addedElements.edges().connectedNodes());
      if (touched.nonempty()) relabel(touched, 'grow');
    }
    added.forEach((node) => void (positions[node.id()] = { ...node.position() }));
  });
  if (laidOut) fitView();
  // Only what changed: walking every node of a big graph on each diff cost more than the diff.
  forgetGone();
  vscode.setState({ positions });
  if (search.value.trim()) applyFilter();
  summaryList.update(diff.removed, diff.added.concat(diff.updated).map((element) => element.data.id));
}

/** The filter box: by name, network or IP; what does not match fades (and stays in the list). */
function applyFilter(): void {
  const query = search.value.trim().toLowerCase();
  const faded = cy.elements('.faded');
  let fade = cy.collection();
  let matched = true;
  if (query) {
    const matches = (element: cytoscape.SingularElementArgument) => {
      const data = element.data() as TopologyData;
      return [data.label, ...data.details.map(([, value]) => value)].some((text) => text.toLowerCase().includes(query));
    };
    const hit = cy.elements().filter(matches);
    matched = hit.nonempty();
    const shown = hit.union(hit.connectedNodes()).union(hit.nodes().connectedEdges());
    fade = cy.elements().not(shown.union(hostsOf(cy, shown.nodes())));
  }
  // Nothing matches: everything fades, and the hint says why the graph went pale.
  filterHint.textContent = matched ? '' : `No element matches "${search.value.trim()}"`;
  filterHint.hidden = matched;
  // Only the difference: a class change restyles the element, and restyling all of a big graph
  // for nothing was most of a diff's cost.
  if (faded.same(fade)) return;
  cy.batch(() => {
    faded.not(fade).removeClass('faded');
    fade.not(faded).addClass('faded');
  });
  summaryList.syncFaded();
}

function select(id: string, anchor?: HTMLElement): void {
  const element = cy.getElementById(id);
  if (element.empty()) return;
  cy.elements().unselect();
  element.select();
  renderDetails(details, element.data() as TopologyData);
  if (anchor) anchor.focus();
}

/** Right-click: the same operations as the tree. The webview only asks; the extension acts. */
function openMenu(id: string, x: number, y: number): void {
  const element = cy.getElementById(id);
  const items = element.nonempty() ? menuItems(element) : [];
  if (items.length === 0) return closeMenu();
  menu.replaceChildren(
    ...items.map((item) => {
      const button = document.createElement('button');
      button.type = 'button';
      button.setAttribute('role', 'menuitem');
      // Docker names (the network of "Disconnect from …") only ever as text.
      button.textContent = item.label;
      button.addEventListener('click', () => {
        closeMenu();
        vscode.postMessage({ type: 'contextAction', action: item.action, id: item.id });
      });
      return button;
    }),
  );
  menu.style.left = `${x}px`;
  menu.style.top = `${y}px`;
  menu.hidden = false;
  (menu.firstElementChild as HTMLElement | null)?.focus();
}

function closeMenu(): void {
  menu.hidden = true;
}

cy.on('tap', (event) => {
  closeMenu();
  if (event.target === cy) renderDetails(details, undefined);
  else select((event.target as cytoscape.SingularElementReturnValue).id());
});
cy.on('cxttap', 'node, edge', (event) => {
  const box = graph.getBoundingClientRect();
  openMenu((event.target as cytoscape.SingularElementReturnValue).id(), box.left + event.renderedPosition.x, box.top + event.renderedPosition.y);
});
cy.on('dragfree', 'node', (event) => {
  const node = event.target as cytoscape.NodeSingular;
  cy.batch(() => relabel(node.data('kind') === 'host' ? membersOf(node) : node));
  savePositions();
});
followHostDrags(cy);
keepViewOnResize(cy, graph);
// Aliases on hover: a title attribute is text, never markup.
cy.on('mouseover', 'edge[kind="endpoint"]', (event) => {
  const aliases = (event.target.data('aliases') as string[] | undefined) ?? [];
  graph.title = aliases.length ? `aliases: ${aliases.join(', ')}` : '';
});
cy.on('mouseout', 'edge', () => graph.removeAttribute('title'));

summary.addEventListener('contextmenu', (event) => {
  const item = (event.target as HTMLElement).closest('li');
  if (!item?.dataset.id) return;
  event.preventDefault();
  openMenu(item.dataset.id, event.clientX, event.clientY);
});
document.addEventListener('keydown', (event) => {
  if (event.key === 'Escape') closeMenu();
});
search.addEventListener('input', applyFilter);
byId<HTMLElement>('fit').addEventListener('click', () => fitView());
byId<HTMLElement>('relayout').addEventListener('click', runLayout);
const editorBackground = () => getComputedStyle(document.documentElement).getPropertyValue('--vscode-editor-background').trim();
byId<HTMLElement>('export-png').addEventListener('click', () => {
  const base64 = cy.png({ output: 'base64', full: true, scale: 2, bg: editorBackground() || undefined });
  vscode.postMessage({ type: 'export', format: 'png', base64 });
});
byId<HTMLElement>('export-svg').addEventListener('click', () => {
  vscode.postMessage({ type: 'export', format: 'svg', svg: graphToSvg(cy, editorBackground()) });
});
// VS Code marks a theme change on the body's class (vscode-light / vscode-dark / vscode-high-contrast).
new MutationObserver(() => cy.style(graphStyle())).observe(document.body, { attributes: true, attributeFilter: ['class'] });

/**
 * Performance marks: `dne:<what>-applied` once the graph holds the message (laid out), then
 * `dne:<what>-drawn` after Cytoscape's next frame. bench/topologyBench.ts times them; they also
 * show up in a devtools profile. Cheap: one entry each.
 */
function markDone(what: 'snapshot' | 'diff'): void {
  performance.mark(`dne:${what}-applied`);
  cy.one('render', () => performance.mark(`dne:${what}-drawn`));
}

window.addEventListener('message', (event: MessageEvent<HostToWebview>) => {
  const message = event.data;
  if (message.type === 'snapshot') {
    showSnapshot(message.elements);
    if (message.focus) select(message.focus);
  } else if (message.type === 'diff') applyDiff(message.diff);
  markDone(message.type);
});
vscode.postMessage({ type: 'ready' });
