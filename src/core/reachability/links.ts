/**
 * Whether traffic between two containers passes on one network they share: ICC, legacy links
 * and exposed ports, overlays across hosts.
 */
import { containerStep, hostStep, networkStep, type AnswerBuilder } from './answer';
import type { ContainerNode, NetNode } from './reachIndex';
import type { NetworkOnPath, PathStep } from './types';

export interface Passage {
  passes: boolean;
  ports: 'all' | number[];
}

/** The ports Docker says a container exposes (the list shows exposed and published ones; the inspect's bindings too). */
export function exposedPorts(node: ContainerNode): number[] {
  const ports = new Set<number>();
  for (const port of [...node.ns.container.ports, ...(node.ns.container.portBindings ?? [])])
    if (port.protocol === 'tcp') ports.add(port.containerPort);
  return [...ports].sort((a, b) => a - b);
}

/** Legacy link from → target (--link on the default bridge): only that direction is let through when ICC is off. */
function linked(from: ContainerNode, target: ContainerNode): string | undefined {
  return from.ns.container.legacyLinks?.find(
    (link) => link.container === target.ns.container.name || link.container === target.container.name,
  )?.alias;
}

/** Without explaining: does traffic pass on `net` (used for the answer's networks list). */
export function passage(from: ContainerNode, target: ContainerNode, net: NetNode, port?: number): Passage {
  if (net.network.icc || net.network.driver !== 'bridge') return { passes: true, ports: 'all' };
  const isDefaultBridge = net.network.predefined && net.network.name === 'bridge';
  if (!isDefaultBridge || linked(from, target) === undefined) return { passes: false, ports: [] };
  const ports = exposedPorts(target);
  return { passes: port !== undefined && ports.includes(port), ports };
}

export function networkOnPath(from: ContainerNode, target: ContainerNode, net: NetNode, port?: number): NetworkOnPath {
  const fromView = from.ns.endpoints.find((view) => view.net === net);
  const targetView = target.ns.endpoints.find((view) => view.net === net);
  const pass = passage(from, target, net, port);
  return {
    id: net.network.id,
    name: net.network.name,
    driver: net.network.driver,
    scope: net.network.scope,
    internal: net.network.internal,
    icc: net.network.icc,
    ...(fromView?.endpoint.ipv4 ? { fromAddress: fromView.endpoint.ipv4 } : {}),
    ...(targetView?.endpoint.ipv4 ? { targetAddress: targetView.endpoint.ipv4 } : {}),
    passes: pass.passes,
    ports: pass.ports,
  };
}

/** The networks both namespaces are on (what the answer lists), excluding docker_gwbridge's gateway endpoints. */
export function sharedNetworks(from: ContainerNode, target: ContainerNode): NetNode[] {
  const shared: NetNode[] = [];
  for (const net of from.ns.nets)
    if (target.ns.nets.has(net) && net.network.driver !== 'null' && net.network.driver !== 'host') shared.push(net);
  return shared;
}

/** The path container → (host) → network → (host) → container, hosts only when they differ. */
export function pathOver(from: ContainerNode, target: ContainerNode, net: NetNode): PathStep[] {
  const cross = from.host !== target.host;
  return [
    containerStep(from),
    ...(cross ? [hostStep(from.host)] : []),
    networkStep(net, from.host),
    ...(cross ? [hostStep(target.host)] : []),
    containerStep(target),
  ];
}

/**
 * Explains the passage on `net` into `answer`: blocks when ICC (or a host missing from an overlay)
 * stops it. The caller has checked both ends run and are on `net`.
 */
export function explainPassage(
  answer: AnswerBuilder,
  from: ContainerNode,
  target: ContainerNode,
  net: NetNode,
  port: number | undefined,
): void {
  const fromName = from.container.name;
  const targetName = target.container.name;
  const name = net.network.name;
  answer.steps = pathOver(from, target, net);
  const netStep = answer.steps.find((step) => step.kind === 'network');
  if (from.host !== target.host) {
    const missing = [from.host, target.host].filter((host) => !net.hosts.includes(host));
    if (missing.length > 0) {
      answer.block(
        'overlay-host-not-connected',
        `${name} spans hosts, but ${missing.map((host) => host.name).join(' and ')} does not list it: that host is not connected to the overlay (its cluster store or swarm), so traffic between ${fromName} and ${targetName} has no way across.`,
        netStep,
      );
      return;
    }
    answer.fact(
      'overlay-path',
      `${fromName} on ${from.host.name} and ${targetName} on ${target.host.name} are both on the ${net.network.driver} network ${name}, which carries traffic between the hosts (${from.host.name} → ${name} → ${target.host.name}).`,
    );
  }
  if (net.network.icc || net.network.driver !== 'bridge') {
    answer.fact(
      'shared-network',
      `${fromName} and ${targetName} are both on ${name}${net.network.internal ? ' (internal: traffic inside the network is allowed)' : ''}.`,
    );
    return;
  }
  const isDefaultBridge = net.network.predefined && name === 'bridge';
  const alias = linked(from, target);
  if (!isDefaultBridge || alias === undefined) {
    answer.block(
      'icc-disabled',
      `Inter-container communication is disabled on ${name} (ICC off): Docker drops traffic between its containers${isDefaultBridge ? `, except from a container that declared a --link, to the linked container's exposed ports; ${fromName} has no link to ${targetName}` : ''}.`,
      netStep,
    );
    return;
  }
  const ports = exposedPorts(target);
  const exposed = ports.length > 0 ? `exposed port${ports.length > 1 ? 's' : ''} ${ports.join(', ')}` : 'no exposed ports';
  if (port === undefined) {
    answer.block(
      'icc-disabled',
      `ICC is off on ${name}: ${fromName}'s link to ${targetName} (as ${alias}) opens only ${targetName}'s ${exposed}, so a ping is dropped. Ask with --port to check a port.`,
      netStep,
    );
  } else if (!ports.includes(port)) {
    answer.block(
      'port-not-exposed',
      `ICC is off on ${name}: ${fromName}'s link to ${targetName} (as ${alias}) opens only ${exposed}, not ${port}.`,
      netStep,
    );
  } else {
    answer.fact(
      'exposed-port-linked',
      `ICC is off on ${name}, but ${fromName} declared a link to ${targetName} (as ${alias}) and ${targetName} exposes ${port}: Docker lets this port through.`,
    );
  }
}
