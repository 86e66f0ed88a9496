/**
 * The swarm doctor's rules (DNE210–219), pure: each swarm member's own state, a manager's node
 * list (nodes down, managers unreachable, quorum), the ports measured from this machine, and what
 * could not be measured. Proven on the lab by breaking it that way (test/integration/swarmDoctor).
 * What the nodes measure themselves, when asked (DNE220), is swarmNodeProbeRules.ts.
 */
import type { Finding } from '../finding';
import { Codes } from '../codes';
import { findingAt } from './anchor';
import type { ProbedHost } from './crossHost';
import { GOSSIP_PORT, MANAGER_PORT, isLocked, notProbedBecause, viewOfNode, type PortResult, type SwarmGroup } from './swarmPorts';
import type { SwarmNode } from './swarmFacts';
import type { NodeProbeRun } from './swarmNodeProbe';
import { nodeProbeFindings, nodeProbeSentence, PROBE_FROM_NODES_HOW } from './swarmNodeProbeRules';

/**
 * A manager without quorum, in Docker's words (swarmkit's raft ErrNoClusterLeader as the daemon
 * passes it on: `docker info` Swarm.Error and `docker node ls` both answer "rpc error: code =
 * Unknown desc = " and this); the same in Engine 20.10 and 26, checked by breaking the lab's quorum.
 */
export const NO_LEADER =
  "The swarm does not have a leader. It's possible that too few managers are online. Make sure more than half of the managers are online.";

const PORT_PURPOSE: Record<number, string> = {
  [MANAGER_PORT]: 'the managers’ raft and every node’s control traffic to the managers',
  [GOSSIP_PORT]: 'the gossip that tells each node which overlay networks and containers the others have',
};

/**
 * `others`: the other swarms among the given hosts (a node joining the wrong address is told where
 * the managers are). `fromNodes`: what each node found dialling the others; undefined when that
 * probe is off (DNE218 then says the paths between nodes were not checked, and how to check them).
 */
export function swarmFindings(
  group: SwarmGroup,
  ports: readonly PortResult[],
  others: readonly SwarmGroup[] = [],
  fromNodes?: readonly NodeProbeRun[],
): Finding[] {
  return [
    ...memberStates(group, others),
    ...nodeList(group),
    ...portFindings(group, ports),
    ...(fromNodes ? nodeProbeFindings(group, ports, fromNodes) : []),
    ...notChecked(group, ports, fromNodes),
    ...encrypted(group),
  ];
}

/** Where the other swarms' managers listen (their node lists, else what their members know), sorted. */
function managersOf(groups: readonly SwarmGroup[]): { addrs: string[]; hosts: string[] } {
  const addrs = new Set<string>();
  const hosts = new Set<string>();
  for (const group of groups) {
    for (const node of group.listed?.nodes ?? []) if (node.manager?.addr) addrs.add(node.manager.addr);
    for (const member of group.members) {
      if (member.swarm.state !== 'active') continue;
      hosts.add(member.host.name);
      for (const addr of member.swarm.remoteManagers) addrs.add(addr);
    }
  }
  return { addrs: [...addrs].sort(), hosts: [...hosts].sort() };
}

/** A pending node whose join address is none of the managers the other hosts know: where to join instead. */
function wrongJoinAddress(remote: readonly string[], others: readonly SwarmGroup[]): string {
  const { addrs, hosts } = managersOf(others);
  if (remote.length === 0 || addrs.length === 0 || remote.some((addr) => addrs.includes(addr))) return '';
  return (
    ` ${remote.join(', ')} is no manager of the swarm ${hosts.join(', ')} ${hosts.length === 1 ? 'is' : 'are'} in (its managers: ${addrs.join(', ')}): ` +
    'if that is the swarm meant, docker swarm leave --force on it, then the command docker swarm join-token worker (or manager) prints on one of them.'
  );
}

const at = (view: ProbedHost) => view.settings.storeAnchor;
const majority = (managers: number) => Math.floor(managers / 2) + 1;
/** How many managers a swarm of `managers` can lose and keep quorum, in words. */
const tolerated = (managers: number) => {
  const losses = Math.floor((managers - 1) / 2);
  return losses === 0 ? 'no loss' : `the loss of ${losses}`;
};

/** DNE210, DNE211, DNE212: what each member says of itself in `docker info`. */
function memberStates(group: SwarmGroup, others: readonly SwarmGroup[]): Finding[] {
  return group.members.flatMap((member): Finding[] => {
    const { swarm, host } = member;
    const said = swarm.error.trim();
    const noLeader = [said, swarm.nodes?.kind === 'refused' ? swarm.nodes.reason : ''].find((text) => text.includes(NO_LEADER));
    if (noLeader) {
      const answering = new Set(group.members.map((other) => other.swarm.nodeAddr));
      const silent = swarm.remoteManagers.filter((addr) => !answering.has(addr.replace(/:\d+$/, ''))).sort();
      const total = swarm.remoteManagers.length;
      return [
        findingAt(
          at(member),
          'error',
          Codes.swarmNoQuorum,
          `Swarm manager "${host.name}" has no quorum: Docker says "${noLeader}". ` +
            (total > 0 ? `It knows ${total} manager${total === 1 ? '' : 's'}; ${majority(total)} must be up and reach each other. ` : '') +
            'Until then nothing in the swarm can change (services, overlay networks, nodes). ' +
            `Start dockerd on the managers that are down${silent.length ? ` (not answering here: ${silent.join(', ')})` : ''} and let them reach each other on 2377/tcp; ` +
            `if they are lost for good, on this manager: docker swarm init --force-new-cluster${swarm.nodeAddr ? ` --advertise-addr ${swarm.nodeAddr}` : ''} (keeps the swarm's state), then join new managers.`,
        ),
      ];
    }
    if (swarm.state === 'locked') {
      // 20.10 and 26 put it in docker info's Swarm.Error too; the node list's refusal says the same.
      const refusal = said || (swarm.nodes?.kind === 'refused' ? swarm.nodes.reason.trim() : '');
      return [
        findingAt(
          at(member),
          'error',
          Codes.swarmLocked,
          `"${host.name}" is locked: its swarm keys are encrypted (autolock) and dockerd restarted, so it takes no part in the swarm until unlocked` +
            (refusal ? `; asked for the swarm's nodes, Docker says "${refusal}". ` : '. ') +
            'Run docker swarm unlock on it with the unlock key (docker swarm unlock-key on another manager shows it).',
        ),
      ];
    }
    if (swarm.state === 'error' || swarm.state === 'pending' || said !== '') {
      const fix =
        swarm.state === 'pending'
          ? `It has not reached a manager yet: check that ${swarm.remoteManagers.join(', ') || 'the managers'} answer on 2377/tcp from "${host.name}".` +
            wrongJoinAddress(swarm.remoteManagers, others)
          : 'Read its dockerd log (journalctl -u docker); if it cannot recover, docker swarm leave --force on it and join again (docker swarm join-token worker|manager on a manager prints the command).';
      return [
        findingAt(
          at(member),
          swarm.state === 'error' ? 'error' : 'warning',
          Codes.swarmNodeError,
          `"${host.name}" is in swarm state ${swarm.state}${said ? `: Docker says "${said}"` : ''}. ${fix}`,
        ),
      ];
    }
    return [];
  });
}

/** DNE213, DNE214, DNE215: one manager's `node ls` (the first given one that answered it). */
function nodeList(group: SwarmGroup): Finding[] {
  if (!group.listed) return [];
  const { by, nodes } = group.listed;
  const findings: Finding[] = [];
  const place = (node: SwarmNode) => at(viewOfNode(group, node) ?? by);
  const name = (node: SwarmNode) => `"${node.hostname || node.id}" (${node.addr || 'no address'})`;
  // A locked node is down to its managers because it is locked: unlocking it is the fix, not starting or opening anything.
  const locked = (node: SwarmNode) => isLocked(viewOfNode(group, node));
  const UNLOCK = 'It is locked (DNE211): docker swarm unlock on it, with the unlock key, brings it back.';
  for (const node of nodes) {
    if (node.state !== 'ready' && node.state !== '') {
      findings.push(
        findingAt(
          place(node),
          'warning',
          Codes.swarmNodeDown,
          `Swarm node ${name(node)} is ${node.state} according to manager "${by.host.name}"${node.message ? ` (${node.message})` : ''}: ` +
            'its service tasks move to other nodes and its containers drop off the overlays. ' +
            (locked(node)
              ? UNLOCK
              : `Start its dockerd (systemctl start docker) and let it reach the managers on 2377/tcp; if the node is gone for good: docker node rm ${node.hostname || node.id}.`),
        ),
      );
    }
    if (node.manager && node.manager.reachability !== 'reachable' && node.manager.reachability !== '') {
      findings.push(
        findingAt(
          place(node),
          'warning',
          Codes.swarmManagerUnreachable,
          `Swarm manager ${name(node)} is ${node.manager.reachability} according to manager "${by.host.name}": the other managers cannot reach it at ${node.manager.addr}. ` +
            (locked(node)
              ? UNLOCK
              : `Start its dockerd and open 2377/tcp between the managers; if it is gone for good: docker node demote ${node.hostname || node.id}, then docker node rm --force ${node.hostname || node.id}.`),
        ),
      );
    }
  }
  const managers = nodes.filter((node) => node.manager);
  const reachable = managers.filter((node) => node.manager?.reachability === 'reachable');
  const need = majority(managers.length);
  if (managers.length >= 2 && reachable.length - 1 < need) {
    const lost = reachable.length < need;
    const down = managers.filter((node) => !reachable.includes(node)).map((node) => node.hostname || node.id);
    const lockedDown = managers.filter((node) => !reachable.includes(node) && locked(node)).map((node) => node.hostname || node.id);
    findings.push(
      findingAt(
        at(by),
        lost ? 'error' : 'warning',
        lost ? Codes.swarmNoQuorum : Codes.swarmQuorumAtRisk,
        `${reachable.length} of ${managers.length} swarm managers are reachable${down.length ? ` (not: ${down.join(', ')})` : ''}; quorum needs ${need}, ` +
          `so ${lost ? 'the swarm has none' : `losing ${down.length ? 'one more manager' : 'one manager'} leaves the swarm without a leader`}, and its managers then answer "${NO_LEADER}" ` +
          (down.length
            ? bringBack(down, lockedDown) +
              (managers.length - down.length >= 3 ? '.' : ', and promote other nodes to have 3 or 5 managers (docker node promote).')
            : `${managers.length} managers tolerate ${tolerated(managers.length)}${managers.length % 2 === 0 ? `, as ${managers.length - 1} would` : ''}: ` +
              'have 3 or 5 (docker node promote another node, or docker node demote one).'),
      ),
    );
  }
  return findings;
}

/** What brings lost managers back: unlock the locked ones, start the others; or remove them. */
function bringBack(down: readonly string[], lockedDown: readonly string[]): string {
  const stopped = down.filter((name) => !lockedDown.includes(name));
  const them = down.length === 1 ? 'it' : 'them';
  const ways = [
    ...(lockedDown.length ? [`unlock ${lockedDown.join(', ')} (docker swarm unlock)`] : []),
    ...(stopped.length ? [`bring back ${stopped.join(', ')} (start dockerd, open 2377/tcp)`] : []),
  ];
  const first = ways.join(' and ');
  return `${first[0].toUpperCase()}${first.slice(1)}, or remove ${them} for good (docker node demote, docker node rm --force)`;
}

/** DNE216, DNE217: the TCP ports measured from this machine, per node. */
function portFindings(group: SwarmGroup, ports: readonly PortResult[]): Finding[] {
  const findings: Finding[] = [];
  const byNode = new Map<string, PortResult[]>();
  for (const result of ports) byNode.set(result.node, [...(byNode.get(result.node) ?? []), result]);
  for (const [node, results] of byNode) {
    const failed = results.filter((result) => result.result.kind !== 'open');
    if (failed.length === 0) continue;
    const listedNode = group.listed?.nodes.find((candidate) => (candidate.hostname || candidate.addr) === node);
    // A node its manager already calls down, with every port refused: its dockerd is stopped (DNE214 says so).
    if (listedNode && listedNode.state === 'down' && failed.length === results.length && failed.every((r) => r.result.kind === 'refused'))
      continue;
    const anchor = at(results[0].view ?? group.listed?.by ?? group.members[0]);
    const reasons = failed.map((result) => `${result.port}/tcp: ${reason(result)}`).join('; ');
    if (failed.length === results.length && failed.every((result) => result.result.kind !== 'refused')) {
      findings.push(
        findingAt(
          anchor,
          'error',
          Codes.swarmAdvertiseUnreachable,
          `Nothing answers at the advertise address ${failed[0].addr} of swarm node "${node}" from this machine (${reasons})` +
            `${failed[0].seenAt ? `; the managers see it connect from ${failed[0].seenAt}, but its peers gossip to ${failed[0].addr}` : ''}. ` +
            "The other nodes dial this address too. If it is not the node's own address on a network they reach, the node must leave and join again with one " +
            '(docker swarm leave, then docker swarm join --advertise-addr <its IP> …); if it is, a firewall drops the swarm ports: ' +
            `open ${MANAGER_PORT}/tcp (managers), ${GOSSIP_PORT}/tcp+udp and the data port (udp) on it from every node.`,
        ),
      );
      continue;
    }
    for (const result of failed) {
      findings.push(
        findingAt(
          anchor,
          'error',
          Codes.swarmPortClosed,
          `Swarm node "${node}" does not accept ${result.port}/tcp at ${result.addr} from this machine (${reason(result)}): ${PORT_PURPOSE[result.port] ?? 'a swarm port'} needs it. ` +
            (result.result.kind === 'refused'
              ? `Nothing listens there: is its dockerd running, and listening on that address (docker swarm join/init --listen-addr)? A firewall may also reject it: `
              : 'A firewall drops it: ') +
            `open it from every node (iptables -I INPUT -p tcp --dport ${result.port} -j ACCEPT, or firewall-cmd --permanent --add-port=${result.port}/tcp; cloud security groups likewise)` +
            (result.port === GOSSIP_PORT ? `, with ${GOSSIP_PORT}/udp beside it.` : '.'),
        ),
      );
    }
  }
  return findings;
}

function reason(result: PortResult): string {
  return result.result.kind === 'open' ? 'open' : `${result.result.kind}, ${result.result.reason}`;
}

/** DNE218: what was measured, and from where; what was not. Said once per swarm. */
function notChecked(group: SwarmGroup, ports: readonly PortResult[], fromNodes: readonly NodeProbeRun[] | undefined): Finding[] {
  const first = group.listed?.by ?? group.members[0];
  const dataPort = first.swarm.dataPathPort;
  const nodes = new Set(ports.map((result) => result.node)).size;
  const open = ports.filter((result) => result.result.kind === 'open').length;
  const measured =
    ports.length > 0
      ? `Measured from this machine only: ${ports.length} TCP ports (${MANAGER_PORT} on managers, ${GOSSIP_PORT} on every node) on ${nodes} node${nodes === 1 ? '' : 's'}, ${open} open. `
      : 'No node address to measure from here. ';
  const out = group.members.flatMap((member) => {
    const why = notProbedBecause(member);
    return why ? [`${member.host.name} (${why})`] : [];
  });
  const skipped = out.length ? `Not probed: ${out.join(', ')}. ` : '';
  const nodeSide = nodeProbeSentence(fromNodes);
  const paths = !nodeSide.pathsUnchecked
    ? ''
    : fromNodes
      ? ', and TCP from the nodes named above'
      : `, and the path between each pair of nodes (only this machine's own path was tried: node-to-node TCP was not checked; ${PROBE_FROM_NODES_HOW})`;
  return [
    findingAt(
      at(first),
      'information',
      Codes.swarmPortsNotChecked,
      `${measured}${skipped}${nodeSide.said}Not checked: ${GOSSIP_PORT}/udp and the data port ${dataPort}/udp (a UDP probe gets no answer either way), ` +
        `IP protocol 50 (ESP) for encrypted overlays${paths}. ` +
        'Check those in each node’s firewall (iptables -S, firewall-cmd --list-all) and in the network between them (cloud security groups).',
    ),
  ];
}

/** DNE219: each encrypted overlay, once: ESP is no port, and cannot be measured from here. */
function encrypted(group: SwarmGroup): Finding[] {
  const seen = new Set<string>();
  const findings: Finding[] = [];
  for (const member of group.members) {
    for (const network of member.facts?.networks ?? []) {
      if (!network.encrypted || network.driver !== 'overlay' || seen.has(network.name)) continue;
      seen.add(network.name);
      findings.push(
        findingAt(
          at(member),
          'information',
          Codes.swarmEncryptedNeedsEsp,
          `Overlay "${network.name}" is encrypted: between nodes its traffic is ESP (IP protocol 50), which no TCP or UDP port rule lets through and which cannot be measured from here. ` +
            'Allow protocol 50 between all nodes (iptables -I INPUT -p esp -j ACCEPT; firewall-cmd --permanent --add-rich-rule=\'rule protocol value="esp" accept\'; cloud security groups: protocol 50): ' +
            'where it is dropped, its containers reach each other only on the same node. ' +
            'A kernel without ESP support (dockerd logs "Failed Adding fSA{…Proto: esp…}: function not implemented") carries nothing on it at all: use an unencrypted overlay there.',
        ),
      );
    }
  }
  return findings;
}
