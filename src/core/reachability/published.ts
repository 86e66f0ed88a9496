/**
 * A Docker host as the target: the host itself, or with a port, what is published on it.
 * Docker programs a container's published ports only through a network with a way out (its
 * gateway endpoint): a container only on internal networks publishes nothing (seen on 20.10:
 * `docker run --network INTERNAL -p 18181:80` lists no port and nothing answers on 18181).
 */
import { containerStep, hostStep, type AnswerBuilder } from './answer';
import type { ContainerNode, HostNode, ReachIndex } from './reachIndex';
import type { PathStep } from './types';

/** Who asks: a container (on some host), a host itself, or a machine on the hosts' LAN. */
export type Origin = { kind: 'container'; node: ContainerNode } | { kind: 'host'; host: HostNode } | { kind: 'lan' };

export function originName(origin: Origin): string {
  return origin.kind === 'container'
    ? origin.node.container.name
    : origin.kind === 'host'
      ? `the host ${origin.host.name}`
      : 'a machine on the LAN';
}

/** Networks that give a container a way out of its host (not internal, not none/host). */
export function egressNetworks(node: ContainerNode): string[] {
  return node.ns.endpoints
    .filter((view) => !view.net.network.internal && view.net.network.driver !== 'null' && view.net.network.driver !== 'host')
    .map((view) => view.net.network.name);
}

const LOOPBACK = /^(127\.|::1$)/;

export function explainHostTarget(
  index: ReachIndex,
  answer: AnswerBuilder,
  origin: Origin,
  host: HostNode,
  port: number | undefined,
): void {
  const who = originName(origin);
  const sameHost = origin.kind === 'host' ? origin.host === host : origin.kind === 'container' ? origin.node.host === host : false;
  const start: PathStep[] =
    origin.kind === 'container'
      ? [containerStep(origin.node)]
      : origin.kind === 'host'
        ? [hostStep(origin.host)]
        : [{ kind: 'address', id: 'lan', name: 'LAN' }];
  answer.steps = [...start, ...(origin.kind === 'host' && sameHost ? [] : [hostStep(host)])];
  if (origin.kind === 'container') {
    const node = origin.node;
    if (node.ns.mode !== 'host') {
      const ways = sameHost
        ? node.ns.endpoints
            .filter((view) => view.endpoint.gateway || view.net.network.driver === 'bridge')
            .map((view) => view.net.network.name)
        : egressNetworks(node);
      if (ways.length === 0) {
        answer.block(
          sameHost ? 'network-mode-none' : 'internal-network',
          sameHost
            ? `${who} has no network with a gateway to its host.`
            : `${who} is only on internal networks: Docker drops everything leaving them, so ${host.name} is out of reach.`,
          start[0],
        );
        return;
      }
      answer.fact(
        'via-gateway',
        sameHost
          ? `${who} reaches its own host at the gateway address of ${ways[0]} (even an internal bridge has one).`
          : `${who} leaves through ${ways[0]} and its host's routes to ${host.name}.`,
      );
    } else {
      answer.fact('host-network-mode', `${who} uses its host's network stack (host mode).`);
    }
  }
  if (port === undefined) {
    if (!answer.blocked)
      answer.fact('via-gateway', `${host.name} itself answers (a ping reaches the host${sameHost ? '' : ' if the LAN routes it'}).`);
    return;
  }
  explainPublished(index, answer, origin, host, port, sameHost);
}

function explainPublished(index: ReachIndex, answer: AnswerBuilder, origin: Origin, host: HostNode, port: number, sameHost: boolean): void {
  const who = originName(origin);
  const onHost = index.containers.filter((node) => node.host === host);
  const bindings = onHost.flatMap((node) =>
    node.container.ports.filter((entry) => entry.hostPort === port && entry.protocol === 'tcp').map((entry) => ({ node, entry })),
  );
  const portStep: PathStep = { kind: 'port', id: `${bindings[0]?.entry.hostIp ?? '0.0.0.0'}:${port}`, name: `${port}`, hostId: host.id };
  if (bindings.length > 0) {
    const { node, entry } = bindings.find((binding) => !LOOPBACK.test(binding.entry.hostIp ?? '')) ?? bindings[0];
    answer.steps.push(portStep, containerStep(node));
    const bound = entry.hostIp ?? '0.0.0.0';
    // Only the host's own stack has the host's 127.0.0.1; a bridged container's 127.0.0.1 is its own.
    const local = origin.kind === 'host' ? sameHost : origin.kind === 'container' ? sameHost && origin.node.ns.mode === 'host' : false;
    if (LOOPBACK.test(bound) && !local) {
      answer.block(
        'published-port-loopback',
        `${node.container.name} publishes ${port}→${entry.containerPort} on ${bound} of ${host.name} only: that address is the host's loopback, which ${who} cannot reach${origin.kind === 'container' ? ' (its own 127.0.0.1 is its own)' : ''}. Publish on 0.0.0.0 (-p ${port}:${entry.containerPort}) to open it.`,
        portStep,
      );
      return;
    }
    answer.fact(
      'published-port',
      `${node.container.name} publishes ${port}→${entry.containerPort}/tcp on ${bound} of ${host.name}: Docker forwards it to the container${sameHost ? '' : ` from other machines too`}.`,
    );
    answer.fact(
      'listener-assumed',
      `This assumes ${node.container.name} listens on ${entry.containerPort}; Docker forwards the port whether or not something listens.`,
    );
    return;
  }
  const asked = onHost.flatMap((node) =>
    (node.container.portBindings ?? []).filter((entry) => entry.hostPort === port).map((entry) => ({ node, entry })),
  );
  for (const { node, entry } of asked) {
    answer.steps.push(portStep, containerStep(node));
    if (!node.ns.running) {
      answer.block(
        'stopped',
        `${node.container.name} asks for ${port}→${entry.containerPort} but is ${node.ns.container.state || 'not running'}: a port is published only while its container runs.`,
        containerStep(node),
      );
      return;
    }
    if (egressNetworks(node).length === 0) {
      const nets = node.ns.endpoints.map((view) => view.net.network.name).join(', ');
      answer.block(
        'published-port-internal',
        `${node.container.name} asks for ${port}→${entry.containerPort}, but it is only on internal network ${nets}: Docker publishes no port for it. Connect it to a network with a way out as well (e.g. docker network connect bridge ${node.container.name}) to bring the port back.`,
        portStep,
      );
      return;
    }
  }
  const hostMode = onHost.filter((node) => node.running && node.mode === 'host');
  if (hostMode.length > 0) {
    answer.steps.push(portStep);
    answer.fact(
      'host-network-mode',
      `Nothing is published on ${port}, but ${hostMode.map((node) => node.container.name).join(', ')} use${hostMode.length === 1 ? 's' : ''} ${host.name}'s network (host mode) and serve${hostMode.length === 1 ? 's' : ''} on the host's ports directly.`,
    );
    answer.fact('listener-assumed', `This assumes one of them listens on ${port}.`);
    return;
  }
  answer.block(
    'port-not-published',
    `No container on ${host.name} publishes port ${port} (and none runs in host mode): nothing Docker runs answers there.`,
    hostStep(host),
  );
}
