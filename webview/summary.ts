import type cytoscape from 'cytoscape';
import type { TopologyData } from '../src/core/topology/topologyElements';

const KIND_ORDER: Record<string, number> = { host: 0, network: 1, container: 2, port: 3, endpoint: 4, link: 5, published: 6 };

/** One line of text per element: what a screen reader (and the UI test) reads. */
export function describe(element: cytoscape.SingularElementArgument): string {
  const data = element.data() as TopologyData;
  const label = (id: string | undefined) => (id ? String(element.cy().getElementById(id).data('label') ?? '') : '');
  const where = data.parent ? ` on ${label(data.parent)}` : '';
  const classes = element.classes();
  switch (data.kind) {
    case 'host':
      return `Host ${data.label}`;
    case 'network': {
      const marks = ['overlay', 'internal', 'predefined', 'iccOff'].filter((mark) => classes.includes(mark));
      return `Network ${data.label}${where}${marks.length ? ` (${marks.join(', ')})` : ''}`;
    }
    case 'container':
      return `Container ${data.label}${where}${classes.includes('stopped') ? ' (stopped)' : ''}`;
    case 'port':
      const edge = element.cy().edges().filter((candidate) => candidate.data('source') === data.id).first();
      return `Port ${data.label} of ${label(edge.empty() ? undefined : String(edge.data('target')))}`;
    case 'endpoint': {
      const aliases = data.aliases?.length ? ` (aliases ${data.aliases.join(', ')})` : '';
      return `Edge ${label(data.source)} — ${label(data.target)}: ${data.label || 'no address'}${aliases}`;
    }
    case 'link':
      return `Link ${label(data.source)} → ${label(data.target)}: alias ${data.label}`;
    case 'published':
      return `Published ${label(data.source)} → ${label(data.target)}`;
  }
}

/**
 * Rebuilds the accessible list from the graph. Each entry is a button: selecting it selects the
 * element in the graph, so everything the canvas shows is reachable by keyboard too.
 */
export function renderSummary(list: HTMLElement, cy: cytoscape.Core, onPick: (id: string, anchor: HTMLElement) => void): void {
  const entries = cy
    .elements()
    .filter((element) => element.data('kind') !== 'published')
    .map((element) => ({ id: element.id(), kind: String(element.data('kind')), text: describe(element), faded: element.hasClass('faded') }))
    .sort((a, b) => (KIND_ORDER[a.kind] ?? 9) - (KIND_ORDER[b.kind] ?? 9) || a.text.localeCompare(b.text));
  const items = entries.map((entry) => {
    const item = document.createElement('li');
    item.dataset.kind = entry.kind;
    item.dataset.id = entry.id;
    item.classList.toggle('faded', entry.faded);
    const button = document.createElement('button');
    button.type = 'button';
    button.textContent = entry.text;
    button.addEventListener('click', () => onPick(entry.id, button));
    item.append(button);
    return item;
  });
  list.replaceChildren(...items);
  list.dataset.count = String(entries.length);
}

/** The selected element's key/value lines; Docker strings only ever as text. */
export function renderDetails(target: HTMLElement, data: TopologyData | undefined): void {
  if (!data) {
    target.replaceChildren();
    return;
  }
  const rows = data.details.flatMap(([key, value]) => {
    const term = document.createElement('dt');
    term.textContent = key;
    const description = document.createElement('dd');
    description.textContent = value;
    return [term, description];
  });
  target.replaceChildren(...rows);
}
