/**
 * Words for the create flow: examples in the input boxes that fit what was already chosen (a
 * gateway and an ip-range inside the subnet typed before them), and the summary of the network
 * about to be created, options included, for the confirmation that ends the flow.
 */
import { formatIp, lastAddress, parseCidr } from '../net/cidr';
import { DRIVER_MODES, isLinkDriver, type NetworkDriver, type NetworkSpec } from './networkSpec';

const FALLBACK = { gateway: '10.15.20.1', ipRange: '10.15.20.128/25' };

/** "e.g. …" for the name: a bridge name for a bridge, an overlay's for an overlay. */
export function exampleName(driver: NetworkDriver): string {
  return { bridge: 'testbridge', overlay: 'multihost', macvlan: 'lan', ipvlan: 'lan' }[driver];
}

/**
 * A gateway example inside `subnet` (its first host address) and an ip-range example inside it
 * (its upper half), so neither example is refused when typed as shown. A subnet that does not
 * parse or has no room (IPv4 /31, /32) gets the generic examples.
 */
export function examplesInSubnet(subnet: string): { gateway: string; ipRange: string } {
  const parsed = parseCidr(subnet.trim(), false);
  if (!parsed.ok || parsed.cidr.family !== 4 || parsed.cidr.prefix > 30) return FALLBACK;
  const { network, prefix } = parsed.cidr;
  const gateway = formatIp({ family: 4, value: network + 1n });
  const upperHalf = network + (lastAddress(parsed.cidr) - network + 1n) / 2n;
  return { gateway, ipRange: `${formatIp({ family: 4, value: upperHalf })}/${prefix + 1}` };
}

/** The confirmation's text: one line per aspect, the options as they were ticked. */
export function describeNetworkSpec(spec: NetworkSpec): string[] {
  const scope = spec.scope === 'swarm' ? [`Swarm scope · Attachable: ${spec.attachable ? 'yes' : 'no'}`] : [];
  if (spec.configFrom)
    return [`Every setting from config-only network ${spec.configFrom}`, `Internal: ${spec.internal ? 'yes' : 'no'}`, ...scope];
  const lines = [
    ...(isLinkDriver(spec.driver)
      ? [
          `${spec.configOnly ? 'Config-only template: ' : ''}parent ${spec.parent ?? 'a dummy interface (no traffic leaves the host)'}, mode ${spec.mode ?? DRIVER_MODES[spec.driver][0]}`,
        ]
      : []),
    spec.subnet
      ? `Subnet ${spec.subnet}, gateway ${spec.gateway ?? 'the first address'}, ip-range ${spec.ipRange ?? 'the whole subnet'}`
      : 'Subnet picked by Docker from its address pools',
  ];
  if (spec.ipv6Subnet) {
    lines.push(
      `IPv6 ${spec.ipv6Subnet}, gateway ${spec.ipv6Gateway ?? 'the first address'}, ip-range ${spec.ipv6IpRange ?? 'the whole subnet'}`,
    );
  }
  const options = [`Internal: ${spec.internal ? 'yes' : 'no'}`];
  if (spec.driver === 'overlay')
    options.push(`Attachable: ${spec.attachable ? 'yes' : 'no'}`, `Encrypted: ${spec.encrypted ? 'yes' : 'no'}`);
  else if (spec.driver === 'bridge') options.push(`Inter-container communication: ${spec.icc ? 'yes' : 'no'}`);
  lines.push(options.join(' · '), ...scope);
  const more = [
    spec.driver === 'bridge' ? `Bridge ${spec.bridgeName ?? 'br-<id>'}` : undefined,
    `MTU ${spec.mtu ?? 'default'}`,
    Object.keys(spec.labels).length
      ? `Labels ${Object.entries(spec.labels)
          .map(([key, value]) => `${key}=${value}`)
          .join(', ')}`
      : undefined,
  ].filter((entry): entry is string => entry !== undefined);
  lines.push(more.join(' · '));
  return lines;
}
