import cytoscape from 'cytoscape';
// The toolbar's controls, one module each (not the whole library): @vscode-elements/elements
// follows VS Code's look and theme variables; Microsoft archived @vscode/webview-ui-toolkit in
// January 2025.
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-textfield/index.js';
import type { VscodeTextfield } from '@vscode-elements/elements/dist/vscode-textfield/vscode-textfield.js';
import { wireExports } from './exporting';
import { GraphFilter } from './filter';
import { graphStyle } from './graphStyle';
import { applyDiff, runLayout, showSnapshot } from './graphUpdates';
import { HostChannel } from './hostChannel';
import { followHostDrags, membersOf } from './hostFrames';
import { keepViewOnResize } from './keepView';
import { GraphMenu } from './menu';
import { listenToHost } from './messages';
import { NodePositions } from './nodePositions';
import { PathLights, pathStyle } from './pathLights';
import { fitView, relabel } from './placement';
import { Selection } from './selection';
import { SummaryList } from './summary';

// The page's parts (topologyPage.ts) and the modules that each own one job; this file only wires them.
const byId = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const graph = byId<HTMLElement>('graph');
const search = byId<VscodeTextfield>('search');
const summary = byId<HTMLUListElement>('summary');

const styles = (): cytoscape.StylesheetJson => [...graphStyle(), ...pathStyle()];
const cy = cytoscape({ container: graph, style: styles(), wheelSensitivity: 0.3, minZoom: 0.1, maxZoom: 4 });
const channel = new HostChannel(byId('status'));
const positions = new NodePositions((moved) => channel.post({ type: 'positions', positions: moved }));
const selection = new Selection(cy, byId('details'));
const summaryList = new SummaryList(summary, cy, (id, anchor) => selection.select(id, anchor));
const filter = new GraphFilter(cy, byId('filter-hint'), () => summaryList.syncFaded());
const path = new PathLights(cy, byId('path-bar'), byId('path-caption'), byId('path-clear'), () =>
  channel.post({ type: 'highlightCleared' }),
);
const menu = new GraphMenu(cy, byId('menu'), (item) =>
  channel.request({ type: 'action', action: item.action, element: item.id }, item.label),
);

cy.on('tap', (event) => {
  menu.close();
  if (event.target === cy) selection.clear();
  else selection.select((event.target as cytoscape.SingularElementReturnValue).id());
});
cy.on('cxttap', 'node, edge', (event) => {
  const box = graph.getBoundingClientRect();
  menu.open(
    (event.target as cytoscape.SingularElementReturnValue).id(),
    box.left + event.renderedPosition.x,
    box.top + event.renderedPosition.y,
  );
});
cy.on('dragfree', 'node', (event) => {
  const node = event.target as cytoscape.NodeSingular;
  // A host frame drags its members (hostFrames.ts): they moved, the frame is not saved.
  const moved = node.data('kind') === 'host' ? membersOf(node) : node;
  cy.batch(() => relabel(cy, moved));
  positions.save(moved);
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
  menu.open(item.dataset.id, event.clientX, event.clientY);
});
search.addEventListener('input', () => filter.apply(search.value));
byId('fit').addEventListener('click', () => fitView(cy));
byId('relayout').addEventListener('click', () => runLayout(cy, positions));
wireExports(cy, channel, byId('export-png'), byId('export-svg'));
// VS Code marks a theme change on the body's class (vscode-light / vscode-dark / vscode-high-contrast).
new MutationObserver(() => cy.style(styles())).observe(document.body, { attributes: true, attributeFilter: ['class'] });

listenToHost(cy, {
  snapshot(message) {
    positions.reset(message.positions);
    showSnapshot(cy, positions, message.elements);
    filter.apply(search.value);
    summaryList.rebuild();
    path.apply();
    if (message.focus) selection.select(message.focus);
  },
  diff({ diff }) {
    applyDiff(cy, positions, diff);
    path.apply();
    filter.apply(search.value, true);
    summaryList.update(
      diff.removed,
      diff.added.concat(diff.updated).map((element) => element.data.id),
    );
  },
  completion: (message) => channel.complete(message),
  highlight: (message) => path.receive(message.highlight),
});
channel.post({ type: 'ready' });
