/**
 * The swarm's ports, from this machine: 2377/tcp on each manager's address and 7946/tcp on each
 * node's advertise address, as a manager's `node ls` lists them. Only TCP can be measured from
 * outside: 7946/udp, the data port (4789/udp) and ESP answer nothing to a probe, so the doctor
 * says it did not check them (DNE218) rather than claim they pass.
 */
import type { NetFailure } from './types';
import { tcpConnect } from './transport';
import { splitHostPort } from '../../net/addresses';
import type { ProbedHost } from './crossHost';
import type { SwarmFacts, SwarmNode } from './swarmFacts';

export const MANAGER_PORT = 2377;
export const GOSSIP_PORT = 7946;

/** One swarm as the given hosts show it: its members among them, and its nodes. */
export interface SwarmGroup {
  /** The hosts in this swarm that answered, managers first. */
  members: Array<ProbedHost & { swarm: SwarmFacts }>;
  /** A manager's `node ls`, and which host gave it; undefined when no manager listed its nodes. */
  listed?: { by: ProbedHost & { swarm: SwarmFacts }; nodes: SwarmNode[] };
}

export interface PortTarget {
  node: string;
  addr: string;
  port: number;
  /** The host (among the given ones) that is this node, when known. */
  view?: ProbedHost;
  /** The address the managers see the node at, when it advertises another one (`addr`). */
  seenAt?: string;
}

export interface PortResult extends PortTarget {
  result: { kind: 'open' } | NetFailure;
}

/** The given hosts grouped by swarm: by cluster ID, a worker (which has none) by the managers it knows. */
export function swarmGroups(views: ProbedHost[]): SwarmGroup[] {
  const members = views.flatMap((view) => (view.facts?.swarm ? [{ ...view, swarm: view.facts.swarm }] : []));
  members.sort((a, b) => Number(b.swarm.controlAvailable) - Number(a.swarm.controlAvailable));
  const groups: SwarmGroup[] = [];
  for (const member of members) {
    const group = groups.find((candidate) => sameSwarm(candidate, member.swarm));
    if (group) group.members.push(member);
    else groups.push({ members: [member] });
  }
  for (const group of groups) {
    const by = group.members.find((member) => member.swarm.nodes?.kind === 'listed');
    if (by?.swarm.nodes?.kind === 'listed') group.listed = { by, nodes: by.swarm.nodes.nodes };
  }
  // A locked node tells nothing of its swarm (no cluster, node ID or managers): it belongs where a manager lists its hostname.
  return groups.filter((group) => {
    if (group.listed || !group.members.every(isLocked)) return true;
    const home = groups.find((other) => other.listed?.nodes.some((node) => group.members.some((member) => sameHost(member, node))));
    home?.members.push(...group.members);
    return !home;
  });
}

/** A locked node: its swarm ports stay closed and its managers lose it until `docker swarm unlock`. */
export function isLocked(view: ProbedHost | undefined): boolean {
  return view?.facts?.swarm?.state === 'locked';
}

/**
 * Why a node's swarm ports are not probed: it says itself that it is out of the swarm (locked,
 * still joining, or failed), so they are closed for that reason, which DNE210/211 already give.
 */
export function notProbedBecause(view: ProbedHost | undefined): string | undefined {
  switch (view?.facts?.swarm?.state) {
    case 'locked':
      return 'locked: its swarm ports stay closed until it is unlocked';
    case 'pending':
      return 'pending: it has not joined yet, and opens no swarm port until it does';
    case 'error':
      return 'error: out of the swarm until it joins again';
    default:
      return undefined;
  }
}

const sameHost = (member: ProbedHost, node: SwarmNode) => node.hostname !== '' && member.facts?.name === node.hostname;

function sameSwarm(group: SwarmGroup, swarm: SwarmFacts): boolean {
  return group.members.some((member) => {
    if (member.swarm.clusterId !== '' && swarm.clusterId !== '') return member.swarm.clusterId === swarm.clusterId;
    return member.swarm.remoteManagers.some((addr) => swarm.remoteManagers.includes(addr));
  });
}

/** The host among the given ones that is this node: by node ID, else by advertise address. */
export function viewOfNode(group: SwarmGroup, node: SwarmNode): ProbedHost | undefined {
  return (
    group.members.find((member) => member.swarm.nodeId === node.id) ??
    group.members.find((member) => node.addr !== '' && member.swarm.nodeAddr === node.addr) ??
    group.members.find((member) => sameHost(member, node))
  );
}

/** What to probe: from a manager's node list, else each member's own advertise address. */
export function portTargets(group: SwarmGroup): PortTarget[] {
  if (group.listed) {
    return group.listed.nodes.flatMap((node) => {
      const name = node.hostname || node.addr;
      const view = viewOfNode(group, node);
      if (notProbedBecause(view)) return [];
      const manager = node.manager ? splitHostPort(node.manager.addr) : undefined;
      // A node's Status.Addr is where the managers see it connect from; its peers gossip to the
      // address it advertises (its own Swarm.NodeAddr), which is what must answer.
      const advertised = view?.facts?.swarm?.nodeAddr ?? '';
      const gossip = usable(advertised) ? advertised : node.addr;
      const seenAt = gossip !== node.addr && usable(node.addr) ? { seenAt: node.addr } : {};
      return [
        ...(manager ? [{ node: name, addr: manager.host, port: Number(manager.port) || MANAGER_PORT, view }] : []),
        ...(usable(gossip) ? [{ node: name, addr: gossip, port: GOSSIP_PORT, view, ...seenAt }] : []),
      ];
    });
  }
  return group.members.flatMap((member) =>
    usable(member.swarm.nodeAddr) && !notProbedBecause(member)
      ? [
          ...(member.swarm.controlAvailable
            ? [{ node: member.host.name, addr: member.swarm.nodeAddr, port: MANAGER_PORT, view: member }]
            : []),
          { node: member.host.name, addr: member.swarm.nodeAddr, port: GOSSIP_PORT, view: member },
        ]
      : [],
  );
}

/** 0.0.0.0 is what a node shows before it knows its address: nothing to dial. */
function usable(addr: string): boolean {
  return addr !== '' && addr !== '0.0.0.0';
}

export function probePorts(targets: PortTarget[], timeoutMs: number): Promise<PortResult[]> {
  return Promise.all(
    targets.map(async (target) => ({ ...target, result: await tcpConnect({ host: target.addr, port: target.port }, timeoutMs) })),
  );
}
