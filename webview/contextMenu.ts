import type cytoscape from 'cytoscape';
import {
  GRAPH_ACTIONS,
  graphLabel,
  graphState,
  perEndpointLabel,
  type GraphAction,
  type GraphKind,
} from '../src/core/topology/topologyActions';

/** One entry of the graph's context menu: what it says, and what the extension is asked to do with which element. */
export interface MenuItem {
  label: string;
  action: GraphAction;
  /** The element the action is on: for "Disconnect from …" on a container, its endpoint edge. */
  id: string;
}

const isGraphKind = (kind: unknown): kind is GraphKind => kind === 'network' || kind === 'container' || kind === 'endpoint';

/**
 * The same operations as the tree's context menus, from the one action table
 * (topologyActions.ts), in its order. An action with a `perEndpoint` label is also offered on a
 * container once per network it is on ("Disconnect from <network>"), sorted by name.
 */
export function menuItems(element: cytoscape.SingularElementArgument): MenuItem[] {
  const kind: unknown = element.data('kind');
  const state = isGraphKind(kind) ? graphState(kind, element.classes()) : undefined;
  if (!isGraphKind(kind) || !state) return [];
  return GRAPH_ACTIONS.flatMap((action): MenuItem[] => {
    const label = graphLabel(action, kind, state);
    const items = label ? [{ label, action, id: element.id() }] : [];
    if (kind === 'container' && element.isNode()) items.push(...perEndpoint(action, element));
    return items;
  });
}

function perEndpoint(action: GraphAction, container: cytoscape.NodeSingular): MenuItem[] {
  const prefix = perEndpointLabel(action);
  if (!prefix) return [];
  return container
    .connectedEdges('[kind="endpoint"]')
    .map((edge): MenuItem => ({ label: `${prefix} ${String(edge.target().data('label'))}`, action, id: edge.id() }))
    .sort((a, b) => a.label.localeCompare(b.label));
}
