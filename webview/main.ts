import cytoscape from 'cytoscape';
import type { ContextAction, HostToWebview, WebviewToHost } from '../src/core/topology/protocol';
import type { ElementDiff, TopologyData, TopologyElement } from '../src/core/topology/topologyElements';
import { graphToSvg } from './exportSvg';
import { graphStyle } from './graphStyle';
import { renderDetails, renderSummary } from './summary';

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
const search = byId<HTMLInputElement>('search');
const menu = byId<HTMLElement>('menu');
const graph = byId<HTMLElement>('graph');

const cy = cytoscape({ container: graph, style: graphStyle(), wheelSensitivity: 0.3, minZoom: 0.1, maxZoom: 4 });

const toDefinition = (element: TopologyElement): cytoscape.ElementDefinition => ({
  group: element.group,
  data: { ...element.data },
  classes: element.classes,
});

function savePositions(): void {
  cy.nodes().forEach((node) => {
    if (!node.isParent()) positions[node.id()] = { ...node.position() };
  });
  vscode.setState({ positions });
}

function runLayout(): void {
  // Strong gravity: nodes with no edge (host, none, unused networks) would otherwise drift far
  // out and shrink the rest of the graph to unreadable size when fitted.
  const layout = cy.layout({
    name: 'cose', animate: false, nodeDimensionsIncludeLabels: true, padding: 30, randomize: true,
    gravity: 200, idealEdgeLength: () => 70, nodeRepulsion: () => 6000, componentSpacing: 30, numIter: 1500,
  });
  layout.one('layoutstop', () => {
    gatherIsolated();
    cy.fit(undefined, 30);
    savePositions();
  });
  layout.run();
}

/**
 * cose packs each edge-less node (host, none, an unused network) as its own component, in a
 * far corner of its host: they go in a row under the host's connected part instead.
 */
function gatherIsolated(): void {
  cy.nodes(':parent').forEach((parent) => {
    const children = parent.children();
    const isolated = children.filter((child) => child.degree(false) === 0 && !child.isParent());
    const connected = children.not(isolated);
    if (isolated.empty() || connected.empty()) return;
    const box = connected.boundingBox();
    isolated.forEach((node, index) => {
      node.position({ x: box.x1 + 20 + index * 70, y: box.y2 + 40 });
    });
  });
}

function showSnapshot(elements: TopologyElement[]): void {
  cy.elements().remove();
  cy.add(elements.map(toDefinition));
  const leaves = cy.nodes().filter((node) => !node.isParent());
  if (leaves.length > 0 && leaves.filter((node) => positions[node.id()] === undefined).empty()) {
    leaves.forEach((node) => {
      node.position(positions[node.id()]);
    });
    cy.fit(undefined, 30);
  } else runLayout();
  refresh();
}

/** Applies a diff without re-laying-out: new nodes go next to a neighbour, old ones stay. */
function applyDiff(diff: ElementDiff): void {
  cy.batch(() => {
    for (const id of diff.removed) cy.getElementById(id).remove();
    for (const element of diff.updated) {
      const existing = cy.getElementById(element.data.id);
      existing.data({ ...element.data });
      existing.classes(element.classes);
    }
    const added = cy.add(diff.added.map(toDefinition));
    added.nodes().forEach((node) => {
      if (node.isParent()) return;
      node.position(positions[node.id()] ?? placeNear(node));
    });
  });
  savePositions();
  refresh();
}

function placeNear(node: cytoscape.NodeSingular): cytoscape.Position {
  const anchors = node.neighborhood('node').filter((other) => !other.same(node)).union(node.siblings());
  const box = anchors.length ? anchors.boundingBox() : cy.extent();
  const jitter = () => (Math.random() - 0.5) * 60;
  return { x: (box.x1 + box.x2) / 2 + jitter(), y: (box.y1 + box.y2) / 2 + jitter() };
}

/** The filter box: by name, network or IP; what does not match fades (and stays in the list). */
function applyFilter(): void {
  const query = search.value.trim().toLowerCase();
  cy.elements().removeClass('faded');
  if (query) {
    const matches = (element: cytoscape.SingularElementArgument) => {
      const data = element.data() as TopologyData;
      return [data.label, ...data.details.map(([, value]) => value)].some((text) => text.toLowerCase().includes(query));
    };
    const hit = cy.elements().filter(matches);
    const shown = hit.union(hit.connectedNodes()).union(hit.nodes().connectedEdges()).union(hit.ancestors());
    cy.elements().not(shown).addClass('faded');
  }
}

function refresh(): void {
  applyFilter();
  renderSummary(summary, cy, (id, anchor) => select(id, anchor));
}

function select(id: string, anchor?: HTMLElement): void {
  const element = cy.getElementById(id);
  if (element.empty()) return;
  cy.elements().unselect();
  element.select();
  renderDetails(details, element.data() as TopologyData);
  vscode.postMessage({ type: 'select', id });
  if (anchor) anchor.focus();
}

function actionsFor(data: TopologyData): ContextAction[] {
  if (data.kind === 'network') return ['inspect', 'connect', 'remove'];
  if (data.kind === 'container') return ['inspect', 'connect'];
  if (data.kind === 'endpoint') return ['disconnect'];
  return [];
}

/** Right-click: the same operations as the tree. The webview only asks; the extension acts. */
function openMenu(id: string, x: number, y: number): void {
  const data = cy.getElementById(id).data() as TopologyData | undefined;
  const actions = data ? actionsFor(data) : [];
  if (actions.length === 0) return closeMenu();
  menu.replaceChildren(
    ...actions.map((action) => {
      const button = document.createElement('button');
      button.type = 'button';
      button.setAttribute('role', 'menuitem');
      button.textContent = action[0].toUpperCase() + action.slice(1);
      button.addEventListener('click', () => {
        closeMenu();
        vscode.postMessage({ type: 'contextAction', action, id });
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
cy.on('dragfree', 'node', savePositions);
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
search.addEventListener('input', refresh);
byId<HTMLButtonElement>('fit').addEventListener('click', () => cy.fit(undefined, 30));
byId<HTMLButtonElement>('relayout').addEventListener('click', runLayout);
const editorBackground = () => getComputedStyle(document.documentElement).getPropertyValue('--vscode-editor-background').trim();
byId<HTMLButtonElement>('export-png').addEventListener('click', () => {
  const base64 = cy.png({ output: 'base64', full: true, scale: 2, bg: editorBackground() || undefined });
  vscode.postMessage({ type: 'export', format: 'png', base64 });
});
byId<HTMLButtonElement>('export-svg').addEventListener('click', () => {
  vscode.postMessage({ type: 'export', format: 'svg', svg: graphToSvg(cy, editorBackground()) });
});
// VS Code marks a theme change on the body's class (vscode-light / vscode-dark / vscode-high-contrast).
new MutationObserver(() => cy.style(graphStyle())).observe(document.body, { attributes: true, attributeFilter: ['class'] });

window.addEventListener('message', (event: MessageEvent<HostToWebview>) => {
  const message = event.data;
  if (message.type === 'snapshot') {
    showSnapshot(message.elements);
    if (message.focus) select(message.focus);
  } else if (message.type === 'diff') applyDiff(message.diff);
});
vscode.postMessage({ type: 'ready' });
