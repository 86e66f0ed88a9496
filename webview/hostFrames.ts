import type cytoscape from 'cytoscape';
import { halfSize, nameBox, sideOf, type Box } from './geometry';
import { addressBox } from './labels';

/**
 * Hosts are drawn as plain nodes (a box behind their members), not as Cytoscape compound
 * parents. With compound nodes in the graph, Cytoscape walks each element's ancestors and
 * descendants on every style property it applies and on every z-sort: on 2,000 elements that
 * was ~40% of the first frame and two thirds of each diff (bench/topologyBench.ts). A node's
 * host is `data.host`; the frame is sized here from its members' positions, follows them when
 * they are dragged, and carries them along when it is dragged itself.
 */
const PADDING = 16;

export function membersOf(host: cytoscape.NodeSingular): cytoscape.NodeCollection {
  const id = host.id();
  return host
    .cy()
    .nodes()
    .filter((node) => node.data('host') === id);
}

export function hostOf(node: cytoscape.NodeSingular): cytoscape.NodeSingular | undefined {
  const id = node.data('host') as string | undefined;
  const host = id === undefined ? undefined : node.cy().getElementById(id);
  return host && host.nonempty() && host.isNode() ? host : undefined;
}

/** The hosts of these nodes. */
export function hostsOf(cy: cytoscape.Core, nodes: cytoscape.NodeCollection): cytoscape.NodeCollection {
  const ids = new Set<string>();
  nodes.forEach((node) => {
    const id: unknown = node.data('host');
    if (typeof id === 'string') ids.add(id);
  });
  return cy.nodes().filter((node) => ids.has(node.id()));
}

/** Sizes and places host frames around their members (all hosts, or the given ones). */
export function fitHostFrames(cy: cytoscape.Core, hosts: cytoscape.NodeCollection = cy.nodes('[kind="host"]')): void {
  cy.batch(() => {
    hosts.forEach((host) => {
      const members = membersOf(host);
      if (members.empty()) return;
      let x1 = Infinity;
      let y1 = Infinity;
      let x2 = -Infinity;
      let y2 = -Infinity;
      members.forEach((member) => {
        const box = footprint(member);
        x1 = Math.min(x1, box.x1);
        x2 = Math.max(x2, box.x2);
        y1 = Math.min(y1, box.y1);
        y2 = Math.max(y2, box.y2);
      });
      host.data({ frameW: x2 - x1 + 2 * PADDING, frameH: y2 - y1 + 2 * PADDING });
      host.position({ x: (x1 + x2) / 2, y: (y1 + y2) / 2 });
    });
  });
}

/**
 * A member with its name and the addresses beside it (labels.ts): estimated boxes, no text
 * measuring, so cheap on hundreds of members.
 */
function footprint(member: cytoscape.NodeSingular): Box {
  const { x, y } = member.position();
  const half = halfSize(member);
  const name = nameBox(member, sideOf(member));
  const box = {
    x1: Math.min(x - half.w, x + name.x1),
    x2: Math.max(x + half.w, x + name.x2),
    y1: Math.min(y - half.h, y + name.y1),
    y2: Math.max(y + half.h, y + name.y2),
  };
  member.connectedEdges().forEach((edge) => {
    if (edge.data('labelOffset') === undefined || !edge.source().same(member) || edge.hasClass('label-hidden')) return;
    const address = addressBox(edge, Number(edge.data('labelOffset')));
    if (!address) return;
    box.x1 = Math.min(box.x1, address.x1);
    box.x2 = Math.max(box.x2, address.x2);
    box.y1 = Math.min(box.y1, address.y1);
    box.y2 = Math.max(box.y2, address.y2);
  });
  return box;
}

/** Grows the frames of these nodes' hosts to take them in (never shrinks: a diff stays cheap). */
export function growHostFrames(cy: cytoscape.Core, nodes: cytoscape.NodeCollection): void {
  cy.batch(() => {
    nodes.forEach((node) => {
      const host = hostOf(node);
      if (!host) return;
      const box = footprint(node);
      const { x, y } = host.position();
      const w = Number(host.data('frameW')) / 2;
      const h = Number(host.data('frameH')) / 2;
      const x1 = Math.min(x - w, box.x1 - PADDING);
      const x2 = Math.max(x + w, box.x2 + PADDING);
      const y1 = Math.min(y - h, box.y1 - PADDING);
      const y2 = Math.max(y + h, box.y2 + PADDING);
      if (x1 === x - w && x2 === x + w && y1 === y - h && y2 === y + h) return;
      host.data({ frameW: x2 - x1, frameH: y2 - y1 });
      host.position({ x: (x1 + x2) / 2, y: (y1 + y2) / 2 });
    });
  });
}

/** Dragging a host moves its members; dragging a member stretches its host. */
export function followHostDrags(cy: cytoscape.Core): void {
  let last: cytoscape.Position | undefined;
  cy.on('grab', 'node[kind="host"]', (event) => {
    last = { ...(event.target as cytoscape.NodeSingular).position() };
  });
  cy.on('drag', 'node[kind="host"]', (event) => {
    const host = event.target as cytoscape.NodeSingular;
    const now = host.position();
    if (!last) return;
    const delta = { x: now.x - last.x, y: now.y - last.y };
    last = { ...now };
    const members = membersOf(host);
    cy.batch(() =>
      members.forEach((member) => void member.position({ x: member.position('x') + delta.x, y: member.position('y') + delta.y })),
    );
  });
  cy.on('drag', 'node[host]', (event) => {
    const host = hostOf(event.target as cytoscape.NodeSingular);
    if (host && !host.grabbed()) fitHostFrames(cy, host);
  });
}

/**
 * Pushes hosts (side by side, as the layout put them) apart where their frames, which hold
 * their members' labels, come closer than `gap`; returns whether any moved.
 */
export function spreadHosts(cy: cytoscape.Core, gap: number): boolean {
  let push = 0;
  let right = -Infinity;
  cy.nodes('[kind="host"]').forEach((host) => {
    const width = Number(host.data('frameW'));
    const x1 = host.position('x') - width / 2 + push;
    if (x1 < right + gap - 0.5) push += right + gap - x1;
    if (push > 0) {
      membersOf(host).forEach((member) => void member.position({ x: member.position('x') + push, y: member.position('y') }));
      host.position({ x: host.position('x') + push, y: host.position('y') });
    }
    right = host.position('x') + width / 2;
  });
  return push > 0;
}
