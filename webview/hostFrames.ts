import type cytoscape from 'cytoscape';
import { halfSize, nameBox, sideOf } from './geometry';
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
  return host.cy().nodes().filter((node) => node.data('host') === id);
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
      // Positions, sizes and names' estimated boxes (geometry.ts), no text measuring: cheap on
      // hundreds of members.
      members.forEach((member) => {
        const { x, y } = member.position();
        const half = halfSize(member);
        const name = nameBox(member, sideOf(member));
        x1 = Math.min(x1, x - half.w, x + name.x1);
        x2 = Math.max(x2, x + half.w, x + name.x2);
        y1 = Math.min(y1, y - half.h, y + name.y1);
        y2 = Math.max(y2, y + half.h, y + name.y2);
        // And the addresses beside a container (labels.ts), which may reach out of its cluster.
        member.connectedEdges('[labelOffset]').forEach((edge) => {
          const box = edge.source().same(member) && !edge.hasClass('label-hidden') ? addressBox(edge, Number(edge.data('labelOffset'))) : undefined;
          if (!box) return;
          x1 = Math.min(x1, box.x1);
          x2 = Math.max(x2, box.x2);
          y1 = Math.min(y1, box.y1);
          y2 = Math.max(y2, box.y2);
        });
      });
      host.data({ frameW: x2 - x1 + 2 * PADDING, frameH: y2 - y1 + 2 * PADDING });
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
    cy.batch(() => members.forEach((member) => void member.position({ x: member.position('x') + delta.x, y: member.position('y') + delta.y })));
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
    if (x1 < right + gap) push += right + gap - x1;
    if (push > 0) {
      membersOf(host).forEach((member) => void member.position({ x: member.position('x') + push, y: member.position('y') }));
      host.position({ x: host.position('x') + push, y: host.position('y') });
    }
    right = host.position('x') + width / 2;
  });
  return push > 0;
}
