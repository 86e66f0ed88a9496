/**
 * What the swarm doctor reads of one daemon: its own swarm state from `docker info`, and on a
 * manager the node list (`docker node ls`). A manager without quorum answers the list with an
 * error (Docker's words, kept as they came): that error is a fact too.
 */
import { DockerCallError, type DockerClient, type InfoAnswer, type NodeAnswer } from '../../docker/dockerClient';

export interface SwarmNode {
  id: string;
  hostname: string;
  /** Status.State: ready, down, unknown, disconnected. */
  state: string;
  /** Status.Message ("heartbeat failure" for a node that stopped answering). */
  message: string;
  /** Status.Addr: the address the node advertises to its peers. */
  addr: string;
  /** Managers only: ManagerStatus. */
  manager?: { leader: boolean; reachability: string; addr: string };
}

export interface SwarmFacts {
  /** Swarm.LocalNodeState: inactive, pending, active, error, locked. */
  state: string;
  /** Swarm.Error: "" when none; on a manager without quorum, Docker's "The swarm does not have a leader…". */
  error: string;
  controlAvailable: boolean;
  nodeId: string;
  /** Swarm.NodeAddr: the advertise address, no port. */
  nodeAddr: string;
  clusterId: string;
  /** The managers this node knows, "addr:2377". */
  remoteManagers: string[];
  /** Cluster.DataPathPort: 4789 unless `swarm init --data-path-port` chose another. */
  dataPathPort: number;
  /** On a manager: its `node ls`, or what the daemon said instead. */
  nodes?: { kind: 'listed'; nodes: SwarmNode[] } | { kind: 'refused'; reason: string };
}

export const DEFAULT_DATA_PATH_PORT = 4789;

/** Undefined when the daemon is in no swarm (inactive, or an engine without the field). */
export async function swarmFacts(info: InfoAnswer, client: DockerClient): Promise<SwarmFacts | undefined> {
  const facts = readSwarm(info);
  if (facts && asksNodeList(facts)) facts.nodes = await nodeList(client);
  return facts;
}

/** A manager lists the swarm's nodes; a locked one refuses, in Docker's words (DNE211 quotes them). */
export function asksNodeList(facts: SwarmFacts): boolean {
  return (facts.controlAvailable && facts.state === 'active') || facts.state === 'locked';
}

/** `docker info`'s swarm part as the rules read it (no node list: that is another call). */
export function readSwarm(info: InfoAnswer): SwarmFacts | undefined {
  const swarm = info.Swarm;
  const state = swarm?.LocalNodeState ?? '';
  if (!swarm || state === '' || state === 'inactive') return undefined;
  return {
    state,
    error: swarm.Error ?? '',
    controlAvailable: swarm.ControlAvailable === true,
    nodeId: swarm.NodeID ?? '',
    nodeAddr: swarm.NodeAddr ?? '',
    clusterId: swarm.Cluster?.ID ?? '',
    remoteManagers: (swarm.RemoteManagers ?? []).map((manager) => manager.Addr ?? '').filter((addr) => addr !== ''),
    dataPathPort: swarm.Cluster?.DataPathPort || DEFAULT_DATA_PATH_PORT,
  };
}

async function nodeList(client: DockerClient): Promise<SwarmFacts['nodes']> {
  try {
    return { kind: 'listed', nodes: (await client.listNodes()).map(swarmNode) };
  } catch (error) {
    // The daemon's own message (DockerCallError.reason), not ours around it.
    return { kind: 'refused', reason: error instanceof DockerCallError ? error.reason : String(error) };
  }
}

export function swarmNode(node: NodeAnswer): SwarmNode {
  const manager = node.ManagerStatus;
  return {
    id: node.ID,
    hostname: node.Description?.Hostname ?? '',
    state: node.Status?.State ?? '',
    message: node.Status?.Message ?? '',
    addr: node.Status?.Addr ?? '',
    ...(manager
      ? { manager: { leader: manager.Leader === true, reachability: manager.Reachability ?? '', addr: manager.Addr ?? '' } }
      : {}),
  };
}
