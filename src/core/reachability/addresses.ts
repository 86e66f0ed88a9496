/**
 * An IPv4 address as the target: a container's (on a network FROM is on, or isolated on another),
 * a gateway (the host), or an address outside Docker — which a Docker network whose subnet covers
 * it captures (the classic: a bridge on 172.17/16 or 192.168/16 shadowing the office VPN).
 */
import { cidrContainsIp, parseCidr, type Cidr, type IpAddress } from '../net/cidr';
import { containerStep, hostStep, networkStep, type AnswerBuilder } from './answer';
import { explainPassage, networkOnPath } from './links';
import { egressNetworks, explainHostTarget, originName, type Origin } from './published';
import type { HostNode, NetNode, ReachIndex } from './reachIndex';
import { isDockerDevice } from './routes';
import type { HostRoute } from './types';

export function explainAddress(
  index: ReachIndex,
  answer: AnswerBuilder,
  origin: Origin,
  text: string,
  ip: IpAddress,
  port: number | undefined,
): void {
  const who = originName(origin);
  if (origin.kind === 'lan') {
    const member = [...index.nets.values()].flatMap((net) => net.members).find((view) => view.endpoint.ipv4 === text);
    if (member) {
      answer.block(
        'no-route',
        `${text} is ${member.node.container.name}'s address on ${member.net.network.name}, which exists only inside ${member.node.host.name}: the LAN has no route to it. From outside, only ports ${member.node.container.name} publishes reach it.`,
        containerStep(member.node),
      );
    } else {
      answer.fact('via-gateway', `${text} is outside Docker: nothing Docker does stands in the way from the LAN.`);
    }
    return;
  }
  const host = origin.kind === 'host' ? origin.host : origin.node.host;
  const start = origin.kind === 'host' ? hostStep(host) : containerStep(origin.node);
  const bridged = origin.kind === 'container' && origin.node.ns.mode !== 'host' ? origin.node : undefined;
  answer.names.push({ name: text, kind: 'ip', resolves: true, addresses: [text] });
  if (bridged) {
    const onLink = bridged.ns.endpoints.find((view) => view.net.subnets.some((subnet) => cidrContainsIp(subnet, ip)));
    if (onLink) {
      const net = onLink.net;
      const member = net.members.find((view) => view.endpoint.ipv4 === text && !view.endpoint.gatewayName);
      if (member && member.node.ns === bridged.ns) {
        answer.steps = [start];
        answer.fact('shared-namespace', `${text} is ${who}'s own address.`);
        return;
      }
      if (member) {
        answer.networks.push(networkOnPath(bridged, member.node, net, port));
        if (!member.node.ns.running) {
          answer.block(
            'stopped',
            `${member.node.container.name} (${text}) is ${member.node.ns.container.state || 'not running'}.`,
            containerStep(member.node),
          );
          return;
        }
        explainPassage(answer, bridged, member.node, net, port);
        return;
      }
      if (isGateway(net, text)) {
        if (port !== undefined) return hostAddress(index, answer, origin, host, text, net, port);
        answer.steps = [start, networkStep(net, host), hostStep(host)];
        answer.fact('via-gateway', `${text} is the gateway of ${net.network.name}: ${host.name} itself, reached directly.`);
        return;
      }
      answer.steps = [start, networkStep(net, host)];
      answer.block('subnet-captures-address', capturedMessage(who, text, ip, net, host, true), networkStep(net, host));
      return;
    }
    if (egressNetworks(bridged).length === 0) {
      answer.block(
        'internal-network',
        `${who} is only on internal network${bridged.ns.endpoints.length > 1 ? 's' : ''} ${bridged.ns.endpoints.map((view) => view.net.network.name).join(', ')}: Docker drops traffic leaving ${bridged.ns.endpoints.length > 1 ? 'them' : 'it'}, so ${text} is out of reach.`,
        start,
      );
      return;
    }
  }
  explainBeyond(index, answer, origin, host, text, ip, start, port);
}

/** `text` is not on a network FROM is attached to: the host routes it (FROM's traffic leaves through a gateway). */
function explainBeyond(
  index: ReachIndex,
  answer: AnswerBuilder,
  origin: Origin,
  host: HostNode,
  text: string,
  ip: IpAddress,
  start: ReturnType<typeof hostStep>,
  port: number | undefined,
): void {
  const who = originName(origin);
  const route = hostRoute(host, ip);
  for (const net of index.networksHolding(ip, host)) {
    // A more specific host route (a VPN's /24 inside docker0's /16) wins for routed traffic.
    const subnetPrefix = Math.max(...net.subnets.filter((subnet) => cidrContainsIp(subnet, ip)).map((subnet) => subnet.prefix));
    if (route && route.cidr.prefix > subnetPrefix) break;
    const member = net.members.find((view) => view.endpoint.ipv4 === text && !view.endpoint.gatewayName);
    answer.steps = [start, networkStep(net, host)];
    if (member) {
      answer.steps.push(containerStep(member.node));
      const hostStack = origin.kind === 'host' || (origin.kind === 'container' && origin.node.ns.mode === 'host');
      if (hostStack && net.network.driver === 'bridge') {
        if (!member.node.ns.running)
          answer.block(
            'stopped',
            `${member.node.container.name} (${text}) is ${member.node.ns.container.state || 'not running'}.`,
            containerStep(member.node),
          );
        else
          answer.fact(
            'address-on-network',
            `${text} is ${member.node.container.name} on ${net.network.name}: ${host.name} routes to its bridges directly.`,
          );
        return;
      }
      answer.block(
        'no-shared-network',
        hostStack
          ? `${text} is ${member.node.container.name} on the ${net.network.driver} network ${net.network.name}: its addresses live inside the overlay, which ${host.name} has no route into.`
          : `${text} is ${member.node.container.name} on ${net.network.name}, a network ${who} is not on: Docker isolates networks from each other.`,
        networkStep(net, host),
      );
      return;
    }
    if (isGateway(net, text)) {
      if (port !== undefined) return hostAddress(index, answer, origin, host, text, net, port);
      answer.fact('via-gateway', `${text} is the gateway of ${net.network.name}: an address of ${host.name} itself.`);
      return;
    }
    answer.block('subnet-captures-address', capturedMessage(who, text, ip, net, host, false), networkStep(net, host));
    return;
  }
  answer.steps = [start, hostStep(host), { kind: 'address', id: text, name: text }];
  const routes = host.host.routes;
  if (!routes) {
    answer.fact(
      'via-gateway',
      `${text} is outside every Docker network on ${host.name}: ${who} reaches it through ${host.name}'s own routes (not known here), as far as those go.`,
    );
  } else if (route) {
    answer.fact('via-gateway', `${text} is outside Docker: ${host.name} routes it via ${describeRoute(route.route)}.`);
  } else {
    answer.block('no-route', `${host.name} has no route to ${text} (no default route either).`, hostStep(host));
  }
}

/** An address of the host itself (a network's gateway) with a port: what the host publishes there decides. */
function hostAddress(
  index: ReachIndex,
  answer: AnswerBuilder,
  origin: Origin,
  host: HostNode,
  text: string,
  net: NetNode,
  port: number,
): void {
  answer.fact(
    'via-gateway',
    `${text} is the gateway of ${net.network.name}: an address of ${host.name} itself, so port ${port} there is whatever ${host.name} publishes on it.`,
  );
  explainHostTarget(index, answer, origin, host, port);
}

function isGateway(net: NetNode, text: string): boolean {
  return net.network.ipam.some((config) => config.gateway === text) || net.members.some((view) => view.endpoint.gateway === text);
}

function capturedMessage(who: string, text: string, ip: IpAddress, net: NetNode, host: HostNode, onLink: boolean): string {
  const subnet = net.subnets.find((cidr) => cidrContainsIp(cidr, ip))?.text ?? 'its subnet';
  const shadowed = shadowedRoute(host, net);
  const where = shadowed ? ` — the route ${host.name} has for ${shadowed.destination} via ${describeRoute(shadowed)} is shadowed` : '';
  return (
    `${text} lies in ${net.network.name}'s subnet ${subnet}${where}: ${onLink ? `${who} sends it straight onto ${net.network.name}` : `${host.name} sends it to ${net.network.name}`}, where nothing has that address, so it never reaches the machine outside Docker. ` +
    `Recreate ${net.network.name} on a subnet that does not overlap${net.network.predefined ? ' (for bridge: "bip" in /etc/docker/daemon.json)' : ''}, and set "default-address-pools" in /etc/docker/daemon.json to ranges your LAN/VPN does not use, so Docker never picks it again.`
  );
}

interface ParsedRoute {
  route: HostRoute;
  cidr: Cidr;
}

export function parseRoute(route: HostRoute): Cidr | undefined {
  const parsed = parseCidr(
    route.destination === 'default' ? '0.0.0.0/0' : route.destination.includes('/') ? route.destination : `${route.destination}/32`,
    false,
  );
  return parsed.ok && parsed.cidr.family === 4 ? parsed.cidr : undefined;
}

/** The host's most specific non-Docker route to `ip`. */
function hostRoute(host: HostNode, ip: IpAddress): ParsedRoute | undefined {
  let best: ParsedRoute | undefined;
  for (const route of host.host.routes ?? []) {
    const cidr = parseRoute(route);
    if (!cidr || !cidrContainsIp(cidr, ip) || isDockerDevice(route)) continue;
    if (!best || cidr.prefix > best.cidr.prefix) best = { route, cidr };
  }
  return best;
}

/** A non-default host route that overlaps the network's subnet (what the network hides). */
function shadowedRoute(host: HostNode, net: NetNode): HostRoute | undefined {
  for (const route of host.host.routes ?? []) {
    const cidr = parseRoute(route);
    if (!cidr || cidr.prefix === 0 || isDockerDevice(route)) continue;
    if (net.subnets.some((subnet) => subnet.network === cidr.network && subnet.prefix === cidr.prefix)) continue;
    if (
      net.subnets.some((subnet) =>
        subnet.prefix <= cidr.prefix
          ? cidrContainsIp(subnet, { family: 4, value: cidr.network })
          : cidrContainsIp(cidr, { family: 4, value: subnet.network }),
      )
    )
      return route;
  }
  return undefined;
}

function describeRoute(route: HostRoute): string {
  return (
    [route.gateway ? `gateway ${route.gateway}` : '', route.device ? `dev ${route.device}` : ''].filter(Boolean).join(' ') || 'its route'
  );
}
