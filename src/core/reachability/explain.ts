/**
 * Explain (model only, no traffic): can FROM reach TARGET, by the name FROM would type, on
 * which network and port — and if not, what blocks it. Pure: reads snapshots, changes nothing.
 */
import { explainAddress } from './addresses';
import { AnswerBuilder, containerStep } from './answer';
import { explainPassage, networkOnPath, sharedNetworks } from './links';
import { resolveName, whyNotResolved, type NameHit } from './names';
import { explainHostTarget, type Origin } from './published';
import { ipv4, ReachIndex, type ContainerNode } from './reachIndex';
import type { NameResolution, ReachAnswer, ReachHost, ReachQuestion, Reason } from './types';

/** A FROM the question cannot start from (unknown, ambiguous): no answer, a usage problem. */
export class UnknownOrigin extends Error {
  constructor(readonly reason: Reason) {
    super(reason.message);
  }
}

export function explain(hosts: readonly ReachHost[] | ReachIndex, question: ReachQuestion): ReachAnswer {
  const index = hosts instanceof ReachIndex ? hosts : new ReachIndex(hosts);
  const origin = findOrigin(index, question.from);
  const answer = new AnswerBuilder(question);
  const target = question.target.trim();
  const port = question.port;
  if (port !== undefined)
    answer.fact(
      'listener-assumed',
      `With a port the question is whether a TCP connection to ${port} gets through; this assumes something listens on it.`,
    );
  if (origin.kind === 'container') {
    const from = origin.node;
    if (!from.ns.running)
      return answer
        .block(
          'stopped',
          `${describe(from)} is ${from.ns.container.state || 'not running'}: it has no network until it runs.`,
          containerStep(from),
        )
        .finish();
    if (from.ns.mode === 'none')
      return answer
        .block(
          'network-mode-none',
          `${describe(from)} has network mode none: only its loopback exists, nothing else is reachable.`,
          containerStep(from),
        )
        .finish();
  }
  const host = targetHost(index, origin, target);
  if (host) {
    explainHostTarget(index, answer, origin, host, port);
    return answer.finish();
  }
  const ip = ipv4(target);
  if (ip) {
    explainAddress(index, answer, origin, target, ip, port);
    return answer.finish();
  }
  if (origin.kind === 'container') explainName(index, answer, origin.node, target, port);
  else explainFromOutside(index, answer, origin, target, port);
  return answer.finish();
}

/** FROM: a container (name, ID, unique ID prefix), `host`/a host's name, or `lan`. */
export function findOrigin(index: ReachIndex, from: string): Origin {
  const ref = from.trim();
  if (ref === 'lan') return { kind: 'lan' };
  const containers = index.findContainers(ref);
  if (containers.length === 1) return { kind: 'container', node: containers[0] };
  if (containers.length > 1) {
    throw new UnknownOrigin({
      code: 'from-ambiguous',
      message: `"${ref}" names ${containers.length} containers (${containers.map((node) => `${node.container.name} on ${node.host.name}`).join(', ')}): give the full ID.`,
    });
  }
  const host = ref === 'host' && index.hosts.length === 1 ? index.hosts[0] : index.findHost(ref);
  if (host) return { kind: 'host', host };
  throw new UnknownOrigin({
    code: 'from-not-found',
    message: `No container "${ref}" on ${index.hosts.map((entry) => entry.name).join(', ') || 'any host'}${ref === 'host' ? ' (with several hosts, name the host)' : ''}.`,
  });
}

function targetHost(index: ReachIndex, origin: Origin, target: string) {
  if (target === 'host')
    return origin.kind === 'container'
      ? origin.node.host
      : origin.kind === 'host'
        ? origin.host
        : index.hosts.length === 1
          ? index.hosts[0]
          : undefined;
  // A container's name wins over a host's of the same name.
  return index.findTargets(target).length === 0 ? index.findHost(target) : undefined;
}

function describe(node: ContainerNode): string {
  return node.ns === node ? node.container.name : `${node.container.name} (in ${node.ns.container.name}'s network namespace)`;
}

function explainName(index: ReachIndex, answer: AnswerBuilder, from: ContainerNode, name: string, port: number | undefined): void {
  const hits = resolveName(index, from, name);
  const intended = index.findTargets(name);
  for (const node of intended)
    if (node.ns === from.ns) {
      answer.steps = [containerStep(from)];
      answer.fact(
        'shared-namespace',
        node === from
          ? `${name} is ${from.container.name} itself.`
          : `${node.container.name} and ${from.container.name} share one network namespace: they reach each other on localhost.`,
      );
      return;
    }
  const targets = [...new Map(hits.map((hit) => [hit.view.node.ns, hit])).values()];
  if (targets.length > 0) {
    answer.names.push(...hits.map(toResolution));
    listNetworks(answer, from, targets[0].view.node, port);
    if (targets.length > 1) {
      answer.fact(
        'name-clash',
        `"${name}" is held by ${targets.length} containers on ${targets[0].view.net.network.name} (${targets.map((hit) => `${hit.view.node.container.name} on ${hit.view.node.host.name}, ${hit.view.endpoint.ipv4}`).join('; ')}): Docker's DNS answers all their addresses and ${from.container.name} connects to whichever comes first. Names must be unique on a network.`,
      );
    }
    for (const hit of targets) {
      const first = answer.steps;
      explainPassage(answer, from, hit.view.node, hit.view.net, port);
      if (first.length > 0) answer.steps = first;
    }
    const first = hits[0];
    answer.fact(
      'name-resolves',
      first.via === 'hosts-file'
        ? `${from.container.name} resolves "${name}" through its /etc/hosts (a legacy link) to ${first.view.endpoint.ipv4} on ${first.view.net.network.name}.`
        : `${from.container.name} resolves "${name}" (${kindWords(first.kind)}) with Docker's DNS on ${first.view.net.network.name} to ${hits.map((hit) => hit.view.endpoint.ipv4).join(', ')}.`,
    );
    return;
  }
  const why = whyNotResolved(index, from, name);
  const target = intended.length === 1 ? intended[0] : undefined;
  // A stopped target is what blocks the way (the topology marks it), not FROM's resolver.
  const asleep = why.code === 'stopped' && target && !target.ns.running ? containerStep(target) : undefined;
  answer.steps = asleep ? [containerStep(from), asleep] : [containerStep(from)];
  answer.block(why.code, why.message, asleep ?? containerStep(from));
  answer.names.push({ name, kind: intended.length > 0 ? 'container-name' : 'alias', resolves: false, addresses: [], because: why.code });
  if (target) {
    listNetworks(answer, from, target, port);
    const shared = sharedNetworks(from, target).filter((net) => target.ns.endpoints.some((view) => view.net === net && view.endpoint.ipv4));
    for (const net of shared) {
      const address = target.ns.endpoints.find((view) => view.net === net)?.endpoint.ipv4;
      if (address) answer.names.push({ name: address, kind: 'ip', network: net.network.name, resolves: true, addresses: [address] });
    }
    if (shared.length > 0) {
      const address = answer.names[answer.names.length - 1].name;
      answer.fact(
        'address-on-network',
        `${target.container.name} is on ${shared.map((net) => net.network.name).join(', ')} with ${from.container.name}: its address ${address} works where the name does not (ask again with ${address}).`,
      );
    } else if (target.ns.running && why.code !== 'no-shared-network') {
      answer.block(
        'no-shared-network',
        `${from.container.name} and ${target.container.name} share no network: Docker isolates networks from each other. Connect one to a network of the other (docker network connect NETWORK ${from.container.name}).`,
      );
    }
  }
}

function listNetworks(answer: AnswerBuilder, from: ContainerNode, target: ContainerNode, port: number | undefined): void {
  for (const net of sharedNetworks(from, target)) answer.networks.push(networkOnPath(from, target, net, port));
}

/** From a host or the LAN, a container is meant by its name (the host's resolver knows none): its addresses decide. */
function explainFromOutside(index: ReachIndex, answer: AnswerBuilder, origin: Origin, name: string, port: number | undefined): void {
  const intended = index.findTargets(name);
  if (intended.length !== 1) {
    answer.block(
      intended.length > 1 ? 'target-ambiguous' : 'target-not-found',
      intended.length > 1 ? `"${name}" names ${intended.length} containers: give the full ID.` : `No container "${name}" on these hosts.`,
    );
    return;
  }
  const target = intended[0];
  if (!target.ns.running) {
    answer.block('stopped', `${target.container.name} is ${target.ns.container.state || 'not running'}.`, containerStep(target));
    return;
  }
  const view =
    target.ns.endpoints.find((entry) => entry.endpoint.ipv4 && !entry.endpoint.gatewayName && entry.net.network.driver === 'bridge') ??
    target.ns.endpoints.find((entry) => entry.endpoint.ipv4 && !entry.endpoint.gatewayName);
  if (!view?.endpoint.ipv4) {
    answer.block(
      'no-address',
      `${target.container.name} has no IPv4 address (network mode ${target.ns.container.networkMode ?? target.ns.mode}).`,
      containerStep(target),
    );
    return;
  }
  answer.fact(
    'name-not-resolved',
    `The host's resolver knows no container names: ${target.container.name} is reached at ${view.endpoint.ipv4} on ${view.net.network.name}.`,
  );
  const ip = ipv4(view.endpoint.ipv4);
  if (ip) explainAddress(index, answer, origin, view.endpoint.ipv4, ip, port);
}

function toResolution(hit: NameHit): NameResolution {
  return {
    name: hit.name,
    kind: hit.kind,
    network: hit.view.net.network.name,
    resolves: true,
    addresses: hit.view.endpoint.ipv4 ? [hit.view.endpoint.ipv4] : [],
  };
}

function kindWords(kind: NameHit['kind']): string {
  return {
    'container-name': 'its container name',
    alias: 'a network alias',
    'link-alias': 'a link alias it declared',
    'short-id': 'its short ID',
    'dns-name': 'one of its DNSNames',
    ip: 'an address',
  }[kind];
}
