/**
 * An event applied in place (HostState.change) patches the explorer tree in place: only the rows
 * it touched are built again, and they keep their object identity, so the VS Code layer fires
 * `onDidChangeTreeData` with those rows rather than the root. When rows came, went or moved, the
 * host's row is patched and its child list re-ordered from the rows already built.
 */
import { spansHosts, type HostSnapshot } from '../model/snapshot';
import type { SnapshotChange } from '../docker/applyEvent';
import type { HostView } from '../docker/hostMonitor';
import { composeProjectRows } from './composeGroups';
import { hostRowId, targetRowId, type ExplorerNode, type ExplorerView } from './explorerNode';
import { containerNode, hostNode, networkNode, type ExplorerOptions } from './explorerTree';

export interface TreePatch {
  /** Rows whose content changed in place (the same objects as before): fire these. */
  changed: ExplorerNode[];
  /** Rows no longer in the tree (removed, or the former children of a changed row). */
  detached: ExplorerNode[];
}

/** Undefined when the tree cannot be patched (the host's row is not a connected host's): rebuild it. */
export function patchExplorerTree(
  view: ExplorerView,
  roots: readonly ExplorerNode[],
  hosts: readonly HostView[],
  hostId: string,
  change: SnapshotChange,
  options: ExplorerOptions = {},
): TreePatch | undefined {
  const entry = hosts.find((candidate) => candidate.host.id === hostId);
  const hostRow = roots.find((root) => root.id === hostRowId(view, hostId));
  if (entry?.state.kind !== 'connected' || !hostRow?.contextValue.startsWith('hostConnected')) return undefined;
  const { snapshot } = entry.state;
  const mergeOverlays = view === 'networks' && hosts.length > 1;
  const fresh = view === 'networks' ? networkRows(snapshot, change, mergeOverlays) : containerRows(snapshot, change);
  if (!fresh) return undefined;
  const grouped = view === 'containers' && options.groupByComposeProject === true;
  const patch: TreePatch = { changed: [], detached: [] };
  if (!change.reordered && !grouped) {
    const existing = new Map(hostRow.children.map((row) => [row.id, row]));
    for (const [id, row] of fresh) {
      const old = existing.get(id);
      // A row that should be there and is not (or the reverse): the tree is not what we think.
      if (!old || !row) return undefined;
      patch.detached.push(...old.children);
      replaceInPlace(old, row);
      patch.changed.push(old);
    }
    return patch;
  }
  // Rows came, went or moved: the host's child list again, from the rows already built.
  const built = new Map(rowsUnder(hostRow).map((row) => [row.id, row]));
  const rowOf = (id: string): ExplorerNode | undefined => (fresh.has(id) ? fresh.get(id) : built.get(id));
  let children: ExplorerNode[];
  if (view === 'networks') {
    const visible = snapshot.networks.filter((network) => !(mergeOverlays && spansHosts(network)));
    children = visible.map((network) => rowOf(targetRowId({ hostId, type: 'network', id: network.id }))).filter(isNode);
    if (children.length !== visible.length) return undefined;
  } else {
    const rows = snapshot.containers.map((container) => ({
      container,
      node: rowOf(targetRowId({ hostId, type: 'container', id: container.id })),
    }));
    if (rows.some((row) => !row.node)) return undefined;
    const placed = rows.map(({ container, node }) => ({ container, node: node! }));
    children = grouped ? composeProjectRows(hostRow.id, placed) : placed.map((row) => row.node);
  }
  const kept = new Set(children.flatMap((row) => (row.kind === 'group' ? [row, ...row.children] : [row])));
  patch.detached.push(...hostRow.children.filter((row) => !kept.has(row)));
  replaceInPlace(hostRow, hostNode(view, entry, mergeOverlays, options, children));
  patch.changed.push(hostRow);
  return patch;
}

/** Row id → the row now (undefined: the network or container is gone). */
function networkRows(
  snapshot: HostSnapshot,
  change: SnapshotChange,
  mergeOverlays: boolean,
): Map<string, ExplorerNode | undefined> | undefined {
  const byId = new Map(snapshot.networks.map((network) => [network.id, network]));
  const touched = change.networks.map((id) => byId.get(id));
  // A multi-host network's row is in the group, with every host's members.
  if (mergeOverlays && touched.some((network) => network && spansHosts(network))) return undefined;
  const containers = new Map(snapshot.containers.map((container) => [container.id, container]));
  return new Map(
    change.networks.map((id, index) => {
      const network = touched[index];
      const endpoints = network ? snapshot.endpoints.filter((endpoint) => endpoint.networkId === id) : [];
      return [
        targetRowId({ hostId: snapshot.hostId, type: 'network', id }),
        network && networkNode(snapshot, containers, network, endpoints),
      ];
    }),
  );
}

function containerRows(snapshot: HostSnapshot, change: SnapshotChange): Map<string, ExplorerNode | undefined> {
  const byId = new Map(snapshot.containers.map((container) => [container.id, container]));
  const networks = new Map(snapshot.networks.map((network) => [network.id, network]));
  return new Map(
    change.containers.map((id) => {
      const container = byId.get(id);
      const attachments = container ? snapshot.endpoints.filter((endpoint) => endpoint.containerId === id) : [];
      return [
        targetRowId({ hostId: snapshot.hostId, type: 'container', id }),
        container && containerNode(snapshot, networks, container, attachments),
      ];
    }),
  );
}

/** The host's rows of networks or containers, also those inside Compose project groups. */
function rowsUnder(hostRow: ExplorerNode): ExplorerNode[] {
  return hostRow.children.flatMap((row) => (row.kind === 'group' ? row.children : [row]));
}

/** Gives `target` every field of `source` (and only those), keeping the object VS Code knows. */
function replaceInPlace(target: ExplorerNode, source: ExplorerNode): void {
  for (const key of Object.keys(target) as Array<keyof ExplorerNode>) if (!(key in source)) delete target[key];
  Object.assign(target, source);
}

function isNode(row: ExplorerNode | undefined): row is ExplorerNode {
  return row !== undefined;
}
