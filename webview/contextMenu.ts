import type cytoscape from 'cytoscape';
import type { ContextAction } from '../src/core/topology/protocol';
import type { TopologyData } from '../src/core/topology/topologyElements';

/** One entry of the graph's context menu: what it says, and what the extension is asked to do with which element. */
export interface MenuItem {
  label: string;
  action: ContextAction;
  /** The element the action is on: for "Disconnect from …" on a container, its endpoint edge. */
  id: string;
}

/**
 * The same operations as the tree's context menus. A container gets one "Disconnect from
 * <network>" per network it is on and, when stopped, "Remove"; a network "Remove" unless it is
 * one of Docker's predefined ones. "Reveal in Tree" selects the row in the sidebar (on request
 * only: it opens the sidebar, which shrinks the graph).
 */
export function menuItems(element: cytoscape.SingularElementArgument): MenuItem[] {
  const data = element.data() as TopologyData;
  const id = element.id();
  const item = (action: ContextAction, label: string): MenuItem => ({ label, action, id });
  if (data.kind === 'network') {
    return [
      item('inspect', 'Inspect'),
      item('connect', 'Connect a Container…'),
      ...(element.hasClass('predefined') ? [] : [item('remove', 'Remove')]),
      item('reveal', 'Reveal in Tree'),
    ];
  }
  if (data.kind === 'container') {
    const endpoints = (element as cytoscape.NodeSingular).connectedEdges('[kind="endpoint"]');
    const disconnects = endpoints
      .map((edge): MenuItem => ({ label: `Disconnect from ${String(edge.target().data('label'))}`, action: 'disconnect', id: edge.id() }))
      .sort((a, b) => a.label.localeCompare(b.label));
    return [
      item('inspect', 'Inspect'),
      item('connect', 'Connect to a Network…'),
      ...disconnects,
      ...(element.hasClass('stopped') ? [item('remove', 'Remove')] : []),
      item('reveal', 'Reveal in Tree'),
    ];
  }
  if (data.kind === 'endpoint') return [item('disconnect', 'Disconnect')];
  return [];
}
