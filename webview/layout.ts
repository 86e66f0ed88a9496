import type cytoscape from 'cytoscape';
import { hostOf, membersOf } from './hostFrames';

/**
 * The topology's own layout, in linear time. Cytoscape's force-directed `cose` is O(n²) per
 * iteration: 7.5 s for 2,000 elements here (bench/topologyBench.ts), and it let edge-less
 * nodes drift to the corners. Docker networks have an obvious shape instead: each network is a
 * hub, its containers sit on rings around it (ports just outside their container), hubs are
 * packed in rows inside their host, hosts side by side, overlay networks in a row above them.
 * A container on several networks sits with its "home": a user network of its host before a
 * predefined one, before an overlay; its other edges cross to the other hubs.
 */
type Position = cytoscape.Position;

const RING_START = 70;
const RING_STEP = 64;
const CLUSTER_GAP = 40;
const HOST_GAP = 100;

/** A label's width at the graph's 11px font, roughly: spacing that keeps labels apart. */
const labelWidth = (node: cytoscape.NodeSingular) => Math.min(220, String(node.data('label') ?? '').length * 6.4 + 12);

interface Cluster {
  hub?: cytoscape.NodeSingular;
  members: cytoscape.NodeSingular[];
}

/** Where each node but the hosts goes (host frames then fit around them: hostFrames.ts). */
export function structuredPositions(cy: cytoscape.Core): Map<string, Position> {
  const positions = new Map<string, Position>();
  let x = 0;
  let bottom = 0;
  const hosts = cy.nodes('[kind="host"]');
  hosts.forEach((host) => {
    const box = layoutHost(host, positions, x, hosts.length);
    x = box.x2 + HOST_GAP;
    bottom = Math.max(bottom, box.y2);
  });
  // Overlays (and anything else outside a host): a row above the hosts, centred.
  const outside = cy.nodes().filter((node) => node.data('kind') !== 'host' && hostOf(node) === undefined && !positions.has(node.id()));
  const pitch = Math.max(120, ...outside.map(labelWidth));
  const width = x > 0 ? x - HOST_GAP : 0;
  outside.forEach((node, index) => {
    positions.set(node.id(), { x: width / 2 + (index - (outside.length - 1) / 2) * pitch, y: x > 0 ? -140 : 0 });
  });
  return positions;
}

function layoutHost(host: cytoscape.NodeSingular, positions: Map<string, Position>, left: number, hostCount: number): { x2: number; y2: number } {
  const children = membersOf(host);
  const clusters = new Map<string, Cluster>();
  const cluster = (key: string, hub?: cytoscape.NodeSingular) => {
    let found = clusters.get(key);
    if (!found) clusters.set(key, (found = { hub, members: [] }));
    return found;
  };
  children.filter('[kind="network"]').forEach((network) => void cluster(network.id(), network));
  children.filter('[kind="container"]').forEach((container) => {
    const home = homeNetwork(container, host);
    cluster(home ? home.id() : '(none)', home && home.data('host') === host.id() ? home : undefined).members.push(container);
  });
  // Hubs first (biggest first), then the edge-less networks (host, none, unused), in a row last.
  const hubs = [...clusters.values()].filter((entry) => entry.members.length > 0).sort((a, b) => b.members.length - a.members.length);
  const lonely = [...clusters.values()].filter((entry) => entry.members.length === 0);
  const placed = hubs.map((entry) => placeCluster(entry, positions));
  const area = placed.reduce((sum, entry) => sum + (2 * entry.radius + CLUSTER_GAP) ** 2, 0);
  // Rows about as wide as the panel's shape asks for: hosts stand side by side, so each one is
  // narrower the more hosts there are.
  const aspect = Math.max(0.6, 1.6 / hostCount);
  const rowWidth = Math.max(2 * (placed[0]?.radius ?? 0), Math.sqrt(area * aspect) * 1.25);
  let x = 0;
  let y = 0;
  let rowHeight = 0;
  let width = 0;
  placed.forEach((entry) => {
    const size = 2 * entry.radius;
    if (x > 0 && x + size > rowWidth) {
      x = 0;
      y += rowHeight + CLUSTER_GAP;
      rowHeight = 0;
    }
    entry.moveTo(left + x + entry.radius, y + entry.radius);
    x += size + CLUSTER_GAP;
    width = Math.max(width, x);
    rowHeight = Math.max(rowHeight, size);
  });
  y += placed.length ? rowHeight + CLUSTER_GAP : 0;
  let lonelyX = 0;
  lonely.forEach((entry) => {
    const hub = entry.hub;
    if (!hub) return;
    const w = Math.max(80, labelWidth(hub) + 16);
    positions.set(hub.id(), { x: left + lonelyX + w / 2, y: y + 20 });
    lonelyX += w;
  });
  return { x2: left + Math.max(width, lonelyX, 100), y2: y + 40 };
}

/** The network a container is drawn around: its host's user network, else predefined, else overlay. */
function homeNetwork(container: cytoscape.NodeSingular, host: cytoscape.NodeSingular): cytoscape.NodeSingular | undefined {
  const networks = container.connectedEdges('[kind="endpoint"]').targets().sort((a, b) => (a.id() < b.id() ? -1 : 1));
  const rank = (network: cytoscape.NodeSingular) => (network.data('host') !== host.id() ? 2 : network.hasClass('predefined') ? 1 : 0);
  let best: cytoscape.NodeSingular | undefined;
  networks.forEach((network) => {
    if (!best || rank(network) < rank(best)) best = network;
  });
  return best;
}

/**
 * Members on rings around the hub (or the cluster's centre when its hub is elsewhere). Returns
 * its radius and a function that moves the cluster to its final centre.
 */
function placeCluster(entry: Cluster, positions: Map<string, Position>): { radius: number; moveTo(x: number, y: number): void } {
  const local = new Map<string, Position>();
  if (entry.hub) local.set(entry.hub.id(), { x: 0, y: 0 });
  const pitch = Math.max(54, ...entry.members.map(labelWidth));
  // The first ring holds up to 10 members a label's width apart (as the crow flies: labels are
  // horizontal), so a few members form one ring instead of a column of two-member rings.
  const first = Math.min(entry.members.length, 10);
  let radius = entry.hub ? Math.max(RING_START, first < 2 ? 0 : pitch / (2 * Math.sin(Math.PI / first))) : 0;
  let outerRing = 0;
  let index = 0;
  for (let ring = 0; index < entry.members.length; ring++) {
    outerRing = radius;
    // How many members fit on this ring with `pitch` between neighbours (chord length).
    const capacity = radius === 0 ? 1 : pitch >= 2 * radius ? 1 : Math.max(1, Math.floor(Math.PI / Math.asin(pitch / (2 * radius))));
    const count = Math.min(capacity, entry.members.length - index);
    for (let slot = 0; slot < count; slot++, index++) {
      // Start at the top; shift every other ring by half a slot so labels do not stack, and a
      // ring of 4, 8… so that no member sits level with the hub, whose label is under it.
      const shift = ((ring + (count % 4 === 0 ? 1 : 0)) % 2) * 0.5;
      const angle = -Math.PI / 2 + (2 * Math.PI * (slot + shift)) / count;
      const member = entry.members[index];
      const at = { x: radius * Math.cos(angle), y: radius * Math.sin(angle) };
      local.set(member.id(), at);
      // Published ports just outside their container, away from the hub.
      const ports = member.connectedEdges('[kind="published"]').sources();
      ports.forEach((port, n) => {
        const spread = angle + (n - (ports.length - 1) / 2) * 0.35;
        local.set(port.id(), { x: at.x + 30 * Math.cos(spread), y: at.y + 30 * Math.sin(spread) });
      });
    }
    radius = radius === 0 ? RING_START : radius + RING_STEP;
  }
  return {
    // Room for the outer ring's labels and ports.
    radius: outerRing + 45,
    moveTo(x, y) {
      local.forEach((at, id) => positions.set(id, { x: x + at.x, y: y + at.y }));
    },
  };
}

/** A spot for a node added by a diff: on the outer ring of its network, or by its container. */
export function placeNear(node: cytoscape.NodeSingular): Position {
  const published = node.connectedEdges('[kind="published"]').targets();
  if (node.data('kind') === 'port' && published.nonempty()) {
    const at = published.first().position();
    return { x: at.x + 30, y: at.y - 20 };
  }
  const hub = node.connectedEdges('[kind="endpoint"]').targets().first();
  if (hub.nonempty()) {
    const center = hub.position();
    const members = hub.connectedEdges('[kind="endpoint"]').sources().not(node);
    let far = 0;
    members.forEach((member) => {
      far = Math.max(far, Math.hypot(member.position('x') - center.x, member.position('y') - center.y));
    });
    const angle = members.length * 2.39996; // golden angle: successive additions spread out
    const radius = Math.max(RING_START, far + 10);
    return { x: center.x + radius * Math.cos(angle), y: center.y + radius * Math.sin(angle) };
  }
  const host = hostOf(node);
  const box = host ? host.boundingBox({ includeLabels: false }) : node.cy().extent();
  return { x: box.x1 + 40 + Math.random() * Math.max(1, box.w - 80), y: box.y2 + 30 };
}
