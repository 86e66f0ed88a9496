import type cytoscape from 'cytoscape';
import type { TopologyData } from '../src/core/topology/topologyElements';

const KIND_ORDER: Record<string, number> = {
  host: 0,
  network: 1,
  service: 2,
  container: 3,
  port: 4,
  endpoint: 5,
  attached: 6,
  link: 7,
  published: 8,
};

/** One line of text per element: what a screen reader (and the UI test) reads. */
export function describe(element: cytoscape.SingularElementArgument): string {
  const data = element.data() as TopologyData;
  const label = (id: string | undefined) => (id ? String(element.cy().getElementById(id).data('label') ?? '') : '');
  const host = element.data('host') as string | undefined;
  const where = host ? ` on ${label(host)}` : '';
  const classes = element.classes();
  switch (data.kind) {
    case 'host':
      return `Host ${data.label}`;
    case 'network': {
      const marks = ['overlay', 'internal', 'predefined', 'iccOff'].filter((mark) => classes.includes(mark));
      return `Network ${data.label}${where}${marks.length ? ` (${marks.join(', ')})` : ''}`;
    }
    case 'service': {
      // Not on a host: its networks are its edges, and the list names them there.
      const tasks = data.tasks ?? 0;
      const vip = classes.includes('dnsrr') ? 'DNS round robin' : 'VIP';
      return `Service ${data.label} (swarm, ${vip}, ${tasks} task${tasks === 1 ? '' : 's'})`;
    }
    case 'container':
      return `Container ${data.label}${where}${classes.includes('stopped') ? ' (stopped)' : ''}`;
    case 'port': {
      // Its own edges only: scanning all edges for each port was quadratic on big graphs.
      const edge = (element as cytoscape.NodeSingular).connectedEdges('[kind="published"]').first();
      return `Port ${data.label} of ${label(edge.empty() ? undefined : String(edge.data('target')))}`;
    }
    case 'endpoint': {
      const aliases = data.aliases?.length ? ` (aliases ${data.aliases.join(', ')})` : '';
      return `Edge ${label(data.source)} — ${label(data.target)}: ${data.label || 'no address'}${aliases}`;
    }
    case 'link':
      return `Link ${label(data.source)} → ${label(data.target)}: alias ${data.label}`;
    case 'published':
      return `Published ${label(data.source)} → ${label(data.target)}`;
    case 'attached':
      return `Edge ${label(data.source)} — ${label(data.target)}: ${data.label ? `VIP ${data.label}` : 'DNS round robin'}`;
  }
}

interface Entry {
  item: HTMLLIElement;
  button: HTMLButtonElement;
  rank: number;
  text: string;
}

/**
 * The accessible list of the graph, one button per element: selecting it selects the element in
 * the graph, so everything the canvas shows is reachable by keyboard too. Kept in step with the
 * graph entry by entry: a diff touches only its own lines (rebuilding 2,000 lines cost ~70 ms
 * per diff on a big graph, more than the goal for the whole diff).
 */
export class SummaryList {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly list: HTMLElement,
    private readonly cy: cytoscape.Core,
    private readonly onPick: (id: string, anchor: HTMLElement) => void,
  ) {}

  /** Everything again (a new snapshot). */
  rebuild(): void {
    this.entries.clear();
    const entries = this.cy
      .elements()
      .filter((element) => element.data('kind') !== 'published')
      .map((element) => this.entry(element))
      .sort(compare);
    this.list.replaceChildren(...entries.map((entry) => entry.item));
    this.list.dataset.count = String(entries.length);
  }

  /**
   * After a diff: drops the removed lines, and writes again the lines of the elements added or
   * updated and of their neighbours (an edge's line names the nodes at its ends).
   */
  update(removed: readonly string[], changed: readonly string[]): void {
    for (const id of removed) {
      this.entries.get(id)?.item.remove();
      this.entries.delete(id);
    }
    let touched = this.cy.collection();
    for (const id of changed) {
      const element = this.cy.getElementById(id);
      touched = touched.union(element);
      if (element.isNode()) touched = touched.union(element.connectedEdges()).union(element.connectedEdges('[kind="published"]').sources());
    }
    touched.forEach((element) => {
      if (element.data('kind') === 'published') return;
      this.entries.get(element.id())?.item.remove();
      this.insert(this.entry(element));
    });
    this.list.dataset.count = String(this.entries.size);
  }

  /** Mirrors the graph's `faded` class (the filter) on the lines. */
  syncFaded(): void {
    this.entries.forEach((entry, id) => entry.item.classList.toggle('faded', this.cy.getElementById(id).hasClass('faded')));
  }

  private entry(element: cytoscape.SingularElementArgument): Entry {
    const kind = String(element.data('kind'));
    const item = document.createElement('li');
    item.dataset.kind = kind;
    item.dataset.id = element.id();
    item.classList.toggle('faded', element.hasClass('faded'));
    const button = document.createElement('button');
    button.type = 'button';
    button.textContent = describe(element);
    button.addEventListener('click', () => this.onPick(element.id(), button));
    item.append(button);
    const entry = { item, button, rank: KIND_ORDER[kind] ?? 9, text: button.textContent };
    this.entries.set(element.id(), entry);
    return entry;
  }

  /** In sorted place: binary search over the list's current lines. */
  private insert(entry: Entry): void {
    const items = this.list.children;
    let low = 0;
    let high = items.length;
    while (low < high) {
      const middle = (low + high) >> 1;
      const other = this.entries.get((items[middle] as HTMLElement).dataset.id ?? '');
      if (other && compare(other, entry) <= 0) low = middle + 1;
      else high = middle;
    }
    this.list.insertBefore(entry.item, items[low] ?? null);
  }
}

const compare = (a: Pick<Entry, 'rank' | 'text'>, b: Pick<Entry, 'rank' | 'text'>) => a.rank - b.rank || a.text.localeCompare(b.text);

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
