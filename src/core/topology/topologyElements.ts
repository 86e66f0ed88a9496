/**
 * The topology graph as plain data: what the webview hands to Cytoscape. Types only, so the
 * webview bundle imports them without pulling in the model. Ids are stable across reloads (built from
 * host and Docker ids, never from names) so a diff moves nothing that did not change.
 */
export type TopologyKind =
  | 'host'
  | 'network'
  | 'container'
  | 'port'
  /** A swarm service: one node for all its tasks, on every network it is on (topologyServices.ts). */
  | 'service'
  | 'endpoint'
  | 'link'
  | 'published'
  /** A service on a network: the edge carries that network's VIP. */
  | 'attached';

export interface TopologyData {
  id: string;
  kind: TopologyKind;
  /** Untrusted text from Docker: the webview only ever sets it through textContent. */
  label: string;
  /** Compound parent (a host), for nodes. */
  parent?: string;
  source?: string;
  target?: string;
  /** Network-scoped aliases of an endpoint edge (shown on hover). */
  aliases?: string[];
  /** What a context action acts on. */
  dockerTarget?: { hostId: string; type: 'network' | 'container'; id: string; name: string };
  /** The network of an endpoint edge (its dockerTarget is the container). */
  networkId?: string;
  /** A service's tasks on all its networks (the Elements list counts them). */
  tasks?: number;
  /** Key/value lines for the details pane. */
  details: Array<[string, string]>;
}

export interface TopologyElement {
  group: 'nodes' | 'edges';
  data: TopologyData;
  /** Style classes: internal, predefined, iccOff, overlay, stopped, unreachable, absent, port, link, published, attached, dnsrr. */
  classes: string[];
}

export interface ElementDiff {
  added: TopologyElement[];
  removed: string[];
  updated: TopologyElement[];
}
