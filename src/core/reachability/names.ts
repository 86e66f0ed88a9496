/**
 * Name resolution as a container resolves a name: first its /etc/hosts (legacy links, written by
 * Docker at start), then Docker's embedded DNS (127.0.0.11), which only a container on a
 * user-defined network has, answering from the networks it is on — plus the link aliases its
 * own endpoint declared there, which no other container sees.
 */
import type { ContainerNode, EndpointView, ReachIndex } from './reachIndex';
import type { NameKind, Reason } from './types';

export interface NameHit {
  name: string;
  kind: NameKind;
  /** The endpoint the name points to (its IPv4 is the answer). */
  view: EndpointView;
  /** Where FROM's resolver found it. */
  via: 'hosts-file' | 'dns';
}

/** What FROM's resolver answers for `name` (the first source that knows it, as a resolver stops there). */
export function resolveName(index: ReachIndex, from: ContainerNode, name: string): NameHit[] {
  const ns = from.ns;
  if (ns.mode === 'host' || ns.mode === 'none') return [];
  const fromHosts = hostsFileHits(index, ns, name);
  if (fromHosts.length > 0) return fromHosts;
  for (const own of ns.endpoints) {
    if (!own.net.dns) continue;
    const hits: NameHit[] = [];
    for (const link of own.endpoint.links) {
      if (link.alias !== name) continue;
      const linked = own.net.names.get(link.container)?.find((entry) => entry.kind === 'container-name');
      if (linked) hits.push({ name, kind: 'link-alias', view: linked.view, via: 'dns' });
    }
    for (const entry of own.net.names.get(name) ?? []) {
      if (!hits.some((hit) => hit.view === entry.view)) hits.push({ name, kind: entry.kind, view: entry.view, via: 'dns' });
    }
    if (hits.length > 0) return hits;
  }
  return [];
}

/** Legacy links on the default bridge: `IP alias shortid name` lines in the declaring container's /etc/hosts. */
function hostsFileHits(index: ReachIndex, ns: ContainerNode, name: string): NameHit[] {
  const hits: NameHit[] = [];
  for (const link of ns.container.legacyLinks ?? []) {
    const child = index.containerOn(ns.host, link.container)?.container;
    if (!child) continue;
    const kind: NameKind | undefined =
      name === link.alias ? 'link-alias' : name === child.name ? 'container-name' : name === child.id.slice(0, 12) ? 'short-id' : undefined;
    if (!kind) continue;
    const view = ns.endpoints
      .find((own) => own.net.network.name === 'bridge' && own.net.network.predefined)
      ?.net.members.find((member) => member.node.container.id === child.id && member.node.running && member.endpoint.ipv4);
    if (view) hits.push({ name, kind, view, via: 'hosts-file' });
  }
  return hits;
}

/** Why FROM's resolver does not answer `name`: the most telling fact about where the name does exist. */
export function whyNotResolved(index: ReachIndex, from: ContainerNode, name: string): Reason {
  const ns = from.ns;
  const fromName = from.container.name;
  if (ns.mode === 'host') {
    return {
      code: 'name-not-resolved',
      message: `${fromName} uses the host's network (host mode): it resolves names with the host's resolver, which knows no container names. Use an address.`,
    };
  }
  const ownNets = ns.nets;
  const link = index.linkAliases.get(name)?.find((entry) => entry.declarer.ns !== ns);
  if (link) return linkNotVisible(fromName, name, link.declarer.container.name, link.linked, link.network);
  const elsewhere = (index.nameNets.get(name) ?? []).filter((net) => !ownNets.has(net));
  const alias = elsewhere.find((net) => net.names.get(name)?.some((entry) => entry.kind === 'alias'));
  if (alias) {
    return {
      code: 'alias-on-other-network',
      message: `"${name}" is a network alias on ${alias.network.name}, and an alias resolves only on its own network: ${fromName} is not on ${alias.network.name}.`,
    };
  }
  const named = index.findTargets(name);
  const stopped = named.find((node) => !node.ns.running) ?? index.sleepingNames.get(name);
  if (stopped)
    return {
      code: 'stopped',
      message: `${stopped.container.name} is ${stopped.ns.container.state || 'not running'}: a container that is not running has no address and no name in Docker's DNS.`,
    };
  const joiner = named.find((node) => node.ns !== node);
  if (joiner) {
    return {
      code: 'name-not-resolved',
      message: `${joiner.container.name} runs in ${joiner.ns.container.name}'s network namespace (network mode container:): Docker's DNS knows it by ${joiner.ns.container.name}'s names, not its own.`,
    };
  }
  const special = named.find((node) => node.ns.mode === 'host' || node.ns.mode === 'none');
  if (special?.ns.mode === 'host') {
    return {
      code: 'name-not-resolved',
      message: `${special.container.name} uses its host's network (host mode): it has no name in Docker's DNS and no address of its own; it serves on ${special.host.name}'s ports (ask for target "host" with --port).`,
    };
  }
  if (special)
    return { code: 'network-mode-none', message: `${special.container.name} has network mode none: nothing outside it can reach it.` };
  if (named.length > 0 || elsewhere.length > 0) {
    const target = named[0];
    const onBridge =
      target &&
      ns.endpoints.some((own) => own.net.network.predefined && own.net.network.name === 'bridge') &&
      target.ns.endpoints.some((view) => view.net.network.predefined && view.net.network.name === 'bridge');
    if (onBridge) {
      const only = ns.endpoints.some((own) => own.net.dns)
        ? `${fromName} and ${target.container.name} share only the default bridge`
        : `${fromName} is only on the default bridge`;
      return {
        code: 'no-dns-on-default-bridge',
        message: `${only}, which has no embedded DNS: "${name}" does not resolve there (only legacy --link names do, through /etc/hosts). Use a user-defined network, a --link, or the address.`,
      };
    }
    const where =
      elsewhere.length > 0 ? elsewhere.map((net) => net.network.name) : [...(target?.ns.nets ?? [])].map((net) => net.network.name);
    return {
      code: 'no-shared-network',
      message: `"${name}" is only on ${where.length > 0 ? where.join(', ') : 'networks'} — ${where.length > 1 ? 'networks' : 'a network'} ${fromName} is not on — so ${fromName}'s resolver does not answer it, and Docker isolates networks from each other.`,
    };
  }
  if (!ns.endpoints.some((own) => own.net.dns)) {
    return {
      code: 'name-not-resolved',
      message: `"${name}" is no name Docker knows, and ${fromName} has no embedded DNS (it is on no user-defined network).`,
    };
  }
  return {
    code: 'target-not-found',
    message: `"${name}" is no container, alias or link Docker knows on these hosts; ${fromName}'s DNS would ask the host's resolvers.`,
  };
}

function linkNotVisible(fromName: string, alias: string, declarer: string, linked: string, network: string): Reason {
  return {
    code: 'link-alias-not-visible',
    message: `"${alias}" is a link alias that ${declarer} declared (for ${linked}, on ${network}): a link is visible only to the container that declared it, not to ${fromName}.`,
  };
}
