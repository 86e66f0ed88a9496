/**
 * Which action applies to which element, in one table: the tree's context menus (package.json
 * `view/item/context`, checked against this table by test/unit/topology/topologyActions.test.ts), the
 * graph's context menu (webview/contextMenu.ts) and the command the topology panel runs for it
 * (src/vscode/topology/topologyPanel.ts). Pure data, no imports: the webview bundles it.
 *
 * Adding an action is one entry here, its command in package.json `commands`, and
 * `node tools/menus.mjs` (after `npx tsc -p .`) to write the tree's menus. Its command is
 * registered with registerCommand (src/vscode/commands) and reads its argument with
 * `commandTarget(arg)`: a tree row or the graph's typed target, both become a CommandTarget.
 */

/**
 * The state an element is in, as the tree's `contextValue` spells it (src/core/explorer). A host
 * row's value may end in `.removable` (added in the hosts setting): `hostConnected` stands for
 * both, `removableHost` for any host that has it. The graph gives its nodes and endpoint edges
 * the same names (graphState).
 */
export type ElementState =
  | 'network.custom'
  | 'network.predefined'
  | 'container.running'
  | 'container.stopped'
  /** A container on a network: an endpoint row (under a network) or edge in the graph. */
  | 'endpoint'
  /** The same pair seen from the container (a row under a container in the Containers view). */
  | 'attachment'
  | 'hostConnecting'
  | 'hostConnected'
  | 'hostAbsent'
  | 'hostUnreachable'
  | 'hostMisconfigured'
  | 'removableHost';

/** Where in a tree row's menu an action shows (VS Code's `group@order`; `inline@n` on the row). */
export interface TreePlacement {
  group: string;
  /** Only in this view; both views when absent. */
  view?: 'networks';
}

/** What the graph's context menu says, per kind of element it offers the action on. */
export interface GraphLabels {
  network?: string;
  container?: string;
  endpoint?: string;
  /** Also on a container, once per network it is on: this text, then the network's name. */
  perEndpoint?: string;
}

export interface ActionSpec {
  command: string;
  on: readonly ElementState[];
  tree?: readonly TreePlacement[];
  graph?: GraphLabels;
}

const NETWORKS = ['network.custom', 'network.predefined'] as const;
const CONTAINERS = ['container.running', 'container.stopped'] as const;

/** In menu order: the graph lists its actions in this order, the tree by `group`. */
export const ACTIONS = {
  inspect: {
    command: 'dockerNetworkExplorer.inspect',
    on: [...NETWORKS, ...CONTAINERS, 'endpoint', 'attachment'],
    tree: [{ group: 'inline@1' }, { group: '1_inspect@1' }],
    graph: { network: 'Inspect', container: 'Inspect' },
  },
  showTopology: { command: 'dockerNetworkExplorer.showTopology', on: NETWORKS, tree: [{ group: '1_inspect@2', view: 'networks' }] },
  openShell: {
    command: 'dockerNetworkExplorer.openShell',
    on: ['container.running'],
    tree: [{ group: '1_inspect@3' }],
    graph: { container: 'Open Shell' },
  },
  showLogs: {
    command: 'dockerNetworkExplorer.showLogs',
    on: CONTAINERS,
    tree: [{ group: '1_inspect@4' }],
    graph: { container: 'Show Logs' },
  },
  retryHost: { command: 'dockerNetworkExplorer.retryHost', on: ['hostUnreachable', 'hostAbsent'], tree: [{ group: 'inline@1' }] },
  createBridgeNetwork: {
    command: 'dockerNetworkExplorer.createBridgeNetwork',
    on: ['hostConnected'],
    tree: [{ group: 'inline@1', view: 'networks' }, { group: '2_create@1' }],
  },
  createOverlayNetwork: { command: 'dockerNetworkExplorer.createOverlayNetwork', on: ['hostConnected'], tree: [{ group: '2_create@2' }] },
  createMacvlanNetwork: { command: 'dockerNetworkExplorer.createMacvlanNetwork', on: ['hostConnected'], tree: [{ group: '2_create@3' }] },
  createIpvlanNetwork: { command: 'dockerNetworkExplorer.createIpvlanNetwork', on: ['hostConnected'], tree: [{ group: '2_create@4' }] },
  connect: {
    command: 'dockerNetworkExplorer.connectContainer',
    on: [...NETWORKS, ...CONTAINERS],
    tree: [{ group: '3_connect@1' }],
    graph: { network: 'Connect a Container…', container: 'Connect to a Network…' },
  },
  disconnect: {
    command: 'dockerNetworkExplorer.disconnectContainer',
    on: ['endpoint', 'attachment'],
    tree: [{ group: '3_connect@2' }],
    graph: { endpoint: 'Disconnect', perEndpoint: 'Disconnect from' },
  },
  checkReachability: {
    command: 'dockerNetworkExplorer.checkReachability',
    on: [...CONTAINERS, 'endpoint'],
    tree: [{ group: '5_reachability@1' }],
    graph: { container: 'Check Reachability To…' },
  },
  reachabilityMatrix: {
    command: 'dockerNetworkExplorer.reachabilityMatrix',
    on: [...NETWORKS, 'hostConnected'],
    tree: [{ group: '5_reachability@2' }],
    graph: { network: 'Show Reachability Matrix' },
  },
  removeNetwork: {
    command: 'dockerNetworkExplorer.removeNetwork',
    on: ['network.custom'],
    tree: [{ group: '4_remove@1' }],
    graph: { network: 'Remove' },
  },
  removeContainer: {
    command: 'dockerNetworkExplorer.removeContainer',
    on: ['container.stopped'],
    tree: [{ group: '4_remove@1' }],
    graph: { container: 'Remove' },
  },
  pruneNetworks: { command: 'dockerNetworkExplorer.pruneNetworks', on: ['hostConnected'], tree: [{ group: '4_remove@2' }] },
  removeHost: { command: 'dockerNetworkExplorer.removeHost', on: ['removableHost'], tree: [{ group: '5_host@1' }] },
  // Selects the row in the sidebar: on request only (it opens the sidebar, which narrows the graph).
  reveal: {
    command: 'dockerNetworkExplorer.revealInTree',
    on: [...NETWORKS, ...CONTAINERS],
    graph: { network: 'Reveal in Tree', container: 'Reveal in Tree' },
  },
} as const satisfies Record<string, ActionSpec>;

export type ActionId = keyof typeof ACTIONS;

/** The actions the graph offers: what a webview may ask for. */
export type GraphAction = { [K in ActionId]: (typeof ACTIONS)[K] extends { graph: GraphLabels } ? K : never }[ActionId];

export const GRAPH_ACTIONS = (Object.keys(ACTIONS) as ActionId[]).filter((id): id is GraphAction => 'graph' in ACTIONS[id]);

export const actionSpec = (id: ActionId): ActionSpec => ACTIONS[id];

/** The kinds of graph element an action can be on (the rest, hosts, ports and links, have no menu). */
export type GraphKind = 'network' | 'container' | 'endpoint';

/** A graph element's state in the table's words, from its kind and style classes (topologyModel.ts). */
export function graphState(kind: string, classes: readonly string[]): ElementState | undefined {
  if (kind === 'network') return classes.includes('predefined') ? 'network.predefined' : 'network.custom';
  if (kind === 'container') return classes.includes('stopped') ? 'container.stopped' : 'container.running';
  if (kind === 'endpoint') return 'endpoint';
  return undefined;
}

/** The menu label of `action` on an element of this kind and state, or undefined when it does not apply. */
export function graphLabel(action: GraphAction, kind: GraphKind, state: ElementState): string | undefined {
  const spec: ActionSpec = ACTIONS[action];
  return spec.on.includes(state) ? spec.graph?.[kind] : undefined;
}

/** The prefix of the "<prefix> <network>" entries an action adds to a container's menu, one per endpoint. */
export function perEndpointLabel(action: GraphAction): string | undefined {
  const spec: ActionSpec = ACTIONS[action];
  return spec.on.includes('endpoint') ? spec.graph?.perEndpoint : undefined;
}

/** The `viewItem` pattern of each state: exact, so a new contextValue matches nothing by accident. */
const STATE_PATTERN: Record<ElementState, string> = {
  'network.custom': 'network\\.custom',
  'network.predefined': 'network\\.predefined',
  'container.running': 'container\\.running',
  'container.stopped': 'container\\.stopped',
  endpoint: 'endpoint',
  attachment: 'attachment',
  hostConnecting: 'hostConnecting(\\.removable)?',
  hostConnected: 'hostConnected(\\.removable)?',
  hostAbsent: 'hostAbsent(\\.removable)?',
  hostUnreachable: 'hostUnreachable(\\.removable)?',
  hostMisconfigured: 'hostMisconfigured(\\.removable)?',
  removableHost: 'host[A-Za-z]+\\.removable',
};

/** Whether a tree row with this contextValue is in `state`. */
export function rowIs(contextValue: string, state: ElementState): boolean {
  return new RegExp(`^(${STATE_PATTERN[state]})$`).test(contextValue);
}

export interface MenuEntry {
  command: string;
  when: string;
  group: string;
}

/** package.json's `contributes.menus["view/item/context"]`, as the table says it must be. */
export function treeMenus(): MenuEntry[] {
  return Object.values(ACTIONS as Record<string, ActionSpec>).flatMap((spec) =>
    (spec.tree ?? []).map((placement) => ({
      command: spec.command,
      when: `${placement.view ? `view == dockerNetworkExplorer.${placement.view}` : 'view =~ /^dockerNetworkExplorer\\./'} && viewItem =~ /^(${spec.on
        .map((state) => STATE_PATTERN[state])
        .join('|')})$/`,
      group: placement.group,
    })),
  );
}
