import type cytoscape from 'cytoscape';
import { halfSize, NAME_FONT, textSize } from './geometry';
import { hostOf, membersOf } from './hostFrames';
import { maxOf } from '../src/core/util/arrays';

/**
 * The topology's own layout, in linear time (Cytoscape's force-directed `cose` is O(n²) per
 * iteration: 7.5 s for 2,000 elements, bench/topologyBench.ts). It draws what a network diagram
 * in a design document shows: overlay networks in a row above the hosts (swarm services in a row
 * above them), hosts side by side, and in each host every network with its containers: the ones
 * that also join an overlay in a row above their network (between it and the overlay, name
 * beside them, ports on the other side), the ones that stay on the host in a row below (name
 * under them, ports beside). A container on several local networks sits with its "home": a user
 * network before a predefined or system one. Containers on overlays only form a row at the top
 * of their host; networks nobody joins (host, none…) a grid at its bottom. Overlays sit above
 * the containers they join, services above their networks. Labels are then placed by labels.ts;
 * the spacing here leaves them room.
 */
type Position = cytoscape.Position;

/** From a network to its first row of containers, and between rows. */
const HUB_GAP = 76;
const ROW_STEP = 66;
const MEMBER_GAP = 26;
const CLUSTER_GAP = 36;
const HOST_GAP = 100;
/** From the top of the hosts' contents to the overlays' row. */
const OVERLAY_RISE = 170;
/** From the overlays' row to the services' row above it; between services added by diffs. */
const SERVICE_RISE = 110;
const SERVICE_PITCH = 90;
/** A published port beside its container, and between stacked ports. */
const PORT_DX = 40;
const PORT_PITCH = 20;
/** Above a row of containers that join overlays: their addresses on the way up. */
const ADDRESS_ROOM = 34;

const nameWidth = (node: cytoscape.NodeSingular) => textSize(String(node.data('label') ?? ''), NAME_FONT).w;
const portsOf = (container: cytoscape.NodeSingular) => container.connectedEdges('[kind="published"]').sources();

interface Member {
  node: cytoscape.NodeSingular;
  /** Joins something outside its host (an overlay): drawn above its network. */
  up: boolean;
  ports: cytoscape.NodeCollection;
  left: number;
  right: number;
}

interface Cluster {
  hub?: cytoscape.NodeSingular;
  members: cytoscape.NodeSingular[];
  /** Networks no container calls home whose members are all in this cluster: beside its hub. */
  beside: cytoscape.NodeSingular[];
}

/** A laid-out cluster: its box around the hub at (0, 0), and how to move it into place. */
interface Placed {
  x1: number;
  x2: number;
  y1: number;
  y2: number;
  moveTo(x: number, y: number): void;
}

/** Where each node but the hosts goes (host frames then fit around them: hostFrames.ts). */
export function structuredPositions(cy: cytoscape.Core): Map<string, Position> {
  const positions = new Map<string, Position>();
  let x = 0;
  const hosts = cy.nodes('[kind="host"]');
  hosts.forEach((host) => {
    x = layoutHost(host, positions, x, hosts.length) + HOST_GAP;
  });
  const outside = cy.nodes().filter((node) => node.data('kind') !== 'host' && hostOf(node) === undefined && !positions.has(node.id()));
  const services = outside.filter('[kind="service"]');
  const overlayY = x > 0 ? -OVERLAY_RISE : 0;
  placeOverlays(outside.not(services), positions, overlayY);
  // Services in a row of their own over the overlays, each above the networks it is on.
  placeOverlays(services, positions, overlayY - SERVICE_RISE);
  return positions;
}

/**
 * Overlays in a row above the hosts, each over the containers it joins (the mean of their x),
 * pushed apart left to right where two would meet, then the row centred on where they wanted.
 * Services the same way, over their networks (placed first).
 */
function placeOverlays(outside: cytoscape.NodeCollection, positions: Map<string, Position>, y: number): void {
  const wanted = outside.map((node, index) => {
    const xs = node
      .connectedEdges()
      .connectedNodes()
      .not(node)
      .map((other) => positions.get(other.id())?.x)
      .filter((at): at is number => at !== undefined);
    return {
      node,
      index,
      x: xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : Infinity,
      w: Math.max(2 * halfSize(node).w, nameWidth(node)),
    };
  });
  const known = wanted.filter((entry) => entry.x !== Infinity);
  const end = known.length ? maxOf(known.map((entry) => entry.x)) : 0;
  wanted.forEach((entry, n) => void (entry.x === Infinity && (entry.x = end + 1 + n)));
  wanted.sort((a, b) => a.x - b.x || a.index - b.index);
  const xs: number[] = [];
  wanted.forEach((entry, n) => {
    const previous = wanted[n - 1];
    xs.push(n === 0 ? entry.x : Math.max(entry.x, xs[n - 1] + (previous.w + entry.w) / 2 + 40));
  });
  const drift = wanted.reduce((sum, entry, n) => sum + entry.x - xs[n], 0) / Math.max(1, wanted.length);
  wanted.forEach((entry, n) => positions.set(entry.node.id(), { x: xs[n] + drift, y }));
}

/** Lays out one host from x = left; returns its right edge. */
function layoutHost(host: cytoscape.NodeSingular, positions: Map<string, Position>, left: number, hostCount: number): number {
  const children = membersOf(host);
  const clusters = new Map<string, Cluster>();
  const cluster = (key: string, hub?: cytoscape.NodeSingular) => {
    let found = clusters.get(key);
    if (!found) clusters.set(key, (found = { hub, members: [], beside: [] }));
    return found;
  };
  children.filter('[kind="network"]').forEach((network) => void cluster(network.id(), network));
  children.filter('[kind="container"]').forEach((container) => {
    const home = homeNetwork(container, host);
    if (!home) cluster('(none)').members.push(container);
    else if (home.data('host') !== host.id()) cluster('(outside)').members.push(container);
    else cluster(home.id(), home).members.push(container);
  });
  // A network that is no container's home but joins only members of one cluster (docker_gwbridge
  // beside `front`'s bridge) stands beside that cluster's network, its members between the two.
  const homeOf = new Map<string, Cluster>();
  clusters.forEach((entry) => entry.members.forEach((member) => homeOf.set(member.id(), entry)));
  clusters.forEach((entry, key) => {
    if (!entry.hub || entry.members.length > 0) return;
    const homes = new Set(
      entry.hub
        .connectedEdges('[kind="endpoint"]')
        .sources()
        .map((member) => homeOf.get(member.id())),
    );
    const [only] = homes;
    if (homes.size !== 1 || !only?.hub) return;
    only.beside.push(entry.hub);
    clusters.delete(key);
  });
  // Containers on overlays only first (their row tops the host), then networks, biggest first;
  // the networks nobody joins (host, none, unused) in a grid last.
  const order = (entry: Cluster) => (entry.hub ? 1 : entry === clusters.get('(outside)') ? 0 : 2);
  const busy = [...clusters.values()].filter((entry) => entry.members.length > 0);
  busy.sort((a, b) => order(a) - order(b) || b.members.length - a.members.length);
  const lonely = [...clusters.values()].filter((entry) => entry.members.length === 0 && entry.hub);
  const placed = busy.map((entry) => placeCluster(entry, host, positions));
  const area = placed.reduce((sum, entry) => sum + (entry.x2 - entry.x1 + CLUSTER_GAP) * (entry.y2 - entry.y1 + CLUSTER_GAP), 0);
  // Rows about as wide as the panel's shape asks for: hosts stand side by side, so each one is
  // narrower the more hosts there are.
  const aspect = Math.max(0.6, 1.6 / hostCount);
  const rowWidth = Math.max(maxOf(placed.map((entry) => entry.x2 - entry.x1)), Math.sqrt(area * aspect) * 1.2);
  let x = 0;
  let y = 0;
  let rowHeight = 0;
  let width = 0;
  placed.forEach((entry) => {
    const w = entry.x2 - entry.x1;
    if (x > 0 && x + w > rowWidth) {
      x = 0;
      y += rowHeight + CLUSTER_GAP;
      rowHeight = 0;
    }
    entry.moveTo(left + x - entry.x1, y - entry.y1);
    x += w + CLUSTER_GAP;
    width = Math.max(width, x - CLUSTER_GAP);
    rowHeight = Math.max(rowHeight, entry.y2 - entry.y1);
  });
  y += placed.length ? rowHeight + CLUSTER_GAP : 0;
  // The idle networks: rows as wide as the rest (two a row at least), under it.
  let lonelyX = 0;
  let lonelyWidth = 0;
  // As many a row as fit in the width above, or as keep the grid the panel's shape if there are
  // many (at least two): the same number in every row, a grid rather than a ragged row.
  const widest = Math.max(0, ...lonely.map((entry) => Math.max(2 * halfSize(entry.hub!).w, nameWidth(entry.hub!)) + 20));
  const columns = Math.max(2, Math.floor(width / Math.max(1, widest)), Math.ceil(Math.sqrt(lonely.length * aspect)));
  lonely.forEach((entry, n) => {
    const w = Math.max(2 * halfSize(entry.hub!).w, nameWidth(entry.hub!)) + 20;
    if (n > 0 && n % columns === 0) {
      lonelyX = 0;
      y += 52;
    }
    positions.set(entry.hub!.id(), { x: left + lonelyX + w / 2, y: y + 14 });
    lonelyX += w;
    lonelyWidth = Math.max(lonelyWidth, lonelyX);
  });
  return left + Math.max(width, lonelyWidth, 100);
}

/** The network a container is drawn around: its host's user network, else a system one, else an overlay. */
function homeNetwork(container: cytoscape.NodeSingular, host: cytoscape.NodeSingular): cytoscape.NodeSingular | undefined {
  const networks = container
    .connectedEdges('[kind="endpoint"]')
    .targets()
    .sort((a, b) => (a.id() < b.id() ? -1 : 1));
  let best: cytoscape.NodeSingular | undefined;
  networks.forEach((network) => {
    if (!best || networkRank(network, host) < networkRank(best, host)) best = network;
  });
  return best;
}

/** docker_gwbridge and ingress are Docker's own plumbing for overlays, like the predefined three. */
const SYSTEM = new Set(['docker_gwbridge', 'ingress']);
const networkRank = (network: cytoscape.NodeSingular, host: cytoscape.NodeSingular) =>
  network.data('host') !== host.id() ? 2 : network.hasClass('predefined') || SYSTEM.has(String(network.data('label'))) ? 1 : 0;

/**
 * A network and its members: a row (or rows) above it of the members that also join an
 * overlay, rows below it of the others. A cluster without a hub (overlay-only members, or
 * none at all) is rows from the top.
 */
function placeCluster(entry: Cluster, host: cytoscape.NodeSingular, positions: Map<string, Position>): Placed {
  const local = new Map<string, Position>();
  const members = entry.members.map((node) => member(node, entry.hub !== undefined && joinsOutside(node, host)));
  const up = members.filter((m) => m.up);
  const down = members.filter((m) => !m.up);
  // Members of one overlay side by side: their edges then run up together.
  up.sort((a, b) => overlayKey(a.node, host).localeCompare(overlayKey(b.node, host)));
  const perRow = Math.max(3, Math.ceil(Math.sqrt(members.length)));
  const box = { x1: 0, x2: 0, y1: 0, y2: 0 };
  if (entry.hub) {
    local.set(entry.hub.id(), { x: 0, y: 0 });
    const half = halfSize(entry.hub);
    const name = nameWidth(entry.hub);
    // Room for the network's name: beside it, or above/below when only one side has members.
    Object.assign(box, { x1: -half.w, x2: half.w + 3 + name, y1: -half.h - (down.length && !up.length ? 20 : 0), y2: half.h + 20 });
    let x = box.x2 + 30;
    entry.beside.forEach((network) => {
      const w = Math.max(2 * halfSize(network).w, nameWidth(network));
      local.set(network.id(), { x: x + w / 2, y: 0 });
      x += w + 30;
      box.x2 = x - 30;
      box.y2 = Math.max(box.y2, half.h + 3 + 17 + 4);
    });
  }
  // The members that join overlays centred over all the cluster's networks: between them.
  const centre = entry.beside.length ? local.get(entry.beside[entry.beside.length - 1].id())!.x / 2 : 0;
  const rows = (list: Member[], firstY: number, step: number, top: (y: number) => number, bottom: (y: number) => number, cx = 0) => {
    for (let row = 0; row * perRow < list.length; row++) {
      const inRow = list.slice(row * perRow, (row + 1) * perRow);
      const widths = inRow.map((m) => m.left + m.right);
      const total = widths.reduce((a, b) => a + b, 0) + MEMBER_GAP * (inRow.length - 1);
      // Every other row half a slot aside: edges from the far row pass between the near one.
      let x = cx - total / 2 + (row % 2) * (total / inRow.length / 2);
      const y = firstY + row * step;
      inRow.forEach((m) => {
        const at = { x: x + m.left, y };
        local.set(m.node.id(), at);
        m.ports.forEach((port, n) => {
          local.set(port.id(), { x: at.x + (m.up ? -PORT_DX : PORT_DX), y: y + (n - (m.ports.length - 1) / 2) * PORT_PITCH });
        });
        box.x1 = Math.min(box.x1, x);
        box.x2 = Math.max(box.x2, x + m.left + m.right);
        x += m.left + m.right + MEMBER_GAP;
      });
      box.y1 = Math.min(box.y1, top(y));
      box.y2 = Math.max(box.y2, bottom(y));
    }
  };
  const nameBelow = (y: number) => y + 13 + 3 + 17;
  if (entry.hub) {
    rows(
      up,
      -HUB_GAP,
      -ROW_STEP,
      (y) => y - 13 - ADDRESS_ROOM,
      (y) => y + 13,
      centre,
    );
    rows(down, HUB_GAP, ROW_STEP, (y) => y - 13, nameBelow);
  } else {
    rows(
      down,
      entry.members.some((node) => joinsOutside(node, host)) ? ADDRESS_ROOM : 0,
      ROW_STEP,
      (y) => y - 13 - ADDRESS_ROOM,
      nameBelow,
    );
  }
  return {
    ...box,
    moveTo(x, y) {
      local.forEach((at, id) => positions.set(id, { x: x + at.x, y: y + at.y }));
    },
  };
}

function member(node: cytoscape.NodeSingular, up: boolean): Member {
  const ports = portsOf(node);
  const name = nameWidth(node);
  const portWidth = ports.length ? PORT_DX + 7 + 3 + maxOf(ports.map((port) => textSize(String(port.data('label') ?? ''), 10).w)) : 0;
  if (up) return { node, up, ports, left: Math.max(13, portWidth), right: 13 + 3 + name };
  const half = Math.max(13, name / 2);
  return { node, up, ports, left: half, right: Math.max(half, portWidth) };
}

const joinsOutside = (container: cytoscape.NodeSingular, host: cytoscape.NodeSingular) =>
  container
    .connectedEdges('[kind="endpoint"]')
    .targets()
    .some((network) => network.data('host') !== host.id());

function overlayKey(container: cytoscape.NodeSingular, host: cytoscape.NodeSingular): string {
  const ids = container
    .connectedEdges('[kind="endpoint"]')
    .targets()
    .filter((network) => network.data('host') !== host.id())
    .map((network) => network.id());
  return ids.sort()[0] ?? '';
}

/**
 * A spot for a node added by a diff: on the outer ring of its network, by its container, or (a
 * service) above its first network, beside the services already there.
 */
export function placeNear(node: cytoscape.NodeSingular): Position {
  const published = node.connectedEdges('[kind="published"]').targets();
  if (node.data('kind') === 'port' && published.nonempty()) {
    const at = published.first().position();
    return { x: at.x + PORT_DX, y: at.y - PORT_PITCH };
  }
  const network = node.connectedEdges('[kind="attached"]').targets().first();
  if (node.data('kind') === 'service' && network.nonempty()) {
    const at = network.position();
    const others = network.connectedEdges('[kind="attached"]').sources().not(node);
    return { x: at.x + others.length * SERVICE_PITCH, y: at.y - SERVICE_RISE };
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
    const radius = Math.max(HUB_GAP, far + 10);
    return { x: center.x + radius * Math.cos(angle), y: center.y + radius * Math.sin(angle) };
  }
  const host = hostOf(node);
  const box = host ? host.boundingBox({ includeLabels: false }) : node.cy().extent();
  return { x: box.x1 + 40 + Math.random() * Math.max(1, box.w - 80), y: box.y2 + 30 };
}
