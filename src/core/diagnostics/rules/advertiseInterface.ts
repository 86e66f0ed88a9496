/**
 * DNE116–118: --cluster-advertise checked against the host's real interfaces, when we know them
 * (a scan of this machine, the lab). dockerd resolves the advertise value at start: an unknown
 * interface, or one without IPv4, stops the daemon; an address it does not own breaks gossip.
 */
import { parseIp } from '../../net/cidr';
import type { Finding, QuickFix } from '../finding';
import { goSplitHostPort, isLoopback } from '../../net/addresses';
import { FAILED } from './clusterStore';
import { Codes } from '../codes';
import { settingSources, type DockerdConfig, type HostInterface, type SettingSource } from '../dockerdConfig';

export function advertiseInterfaceFindings(config: DockerdConfig): Finding[] {
  const interfaces = config.interfaces;
  if (!interfaces) return [];
  return settingSources(config, 'cluster-advertise').flatMap((advertise) => check(advertise, interfaces));
}

function check(advertise: SettingSource, interfaces: readonly HostInterface[]): Finding[] {
  const value = advertise.value;
  const split = goSplitHostPort(value);
  // Malformed values are DNE114's; nothing to compare here.
  if ('error' in split || split.host === '') return [];
  const usable = interfaces.filter((entry) => entry.ipv4.some((address) => !isLoopback(address)));
  const choices = usable.map((entry) => `${entry.name} (${entry.ipv4.join(', ')})`).join(', ') || 'none with an IPv4 address';
  // Only certain when exactly one interface could be meant.
  const onlyChoice = (text: (entry: HostInterface) => string): QuickFix | undefined =>
    usable.length === 1 ? replaceWith(advertise, `${text(usable[0])}:${split.port}`) : undefined;
  const finding = (severity: Finding['severity'], code: string, message: string, fix?: QuickFix): Finding[] => [
    { file: advertise.file, range: advertise.range, severity, code, message, ...(fix ? { fix } : {}) },
  ];
  const refused = (error: string) => `the daemon will not start: "${FAILED}discovery advertise parsing failed: ${error}"`;
  // dockerd takes anything Go's net.ParseIP reads as an address as it is (no zone, no brackets).
  if (parseIp(split.host) && !split.host.includes('%')) {
    const owner = interfaces.find((entry) => [...entry.ipv4, ...entry.ipv6].includes(split.host));
    if (owner) return underlayMtu(advertise, owner);
    return finding(
      'warning',
      Codes.advertiseAddressNotLocal,
      // dockerd starts; its complaint comes only when an overlay joins the cluster (a log line of the
      // overlay driver, not reproduced here), so it is described, not quoted.
      `${split.host} is not an address of this host: dockerd starts, but the other hosts are told to reach it at an address it does not have, so they cannot gossip with it (when an overlay joins, dockerd logs that cluster-advertise needs a local ip-address reachable within the cluster). Advertise one of this host's interfaces: ${choices}.`,
      onlyChoice((entry) => entry.ipv4[0]),
    );
  }
  const named = interfaces.find((entry) => entry.name === split.host);
  if (!named) {
    return finding(
      'error',
      Codes.advertiseInterfaceMissing,
      `This host has no interface "${split.host}": ${refused(`invalid cluster advertise IP address or interface name (${value}) : route ip+net: no such network interface`)}. Its interfaces: ${choices}.`,
      onlyChoice((entry) => entry.name),
    );
  }
  if (named.ipv4.length === 0 && named.ipv6.length === 0) {
    return finding(
      'error',
      Codes.advertiseInterfaceWithoutIpv4,
      `Interface "${split.host}" has no address: ${refused(`no available advertise IP address in interface (${value})`)}. Use one with an IPv4 address: ${choices}.`,
      onlyChoice((entry) => entry.name),
    );
  }
  if (!named.ipv4.some((address) => !isLoopback(address))) {
    return finding(
      'error',
      Codes.advertiseInterfaceWithoutIpv4,
      `Interface "${split.host}" has no IPv4 address other than loopback: ${refused(`could not find a valid ip-address in interface ${value}`)}. Use one with an address: ${choices}.`,
      onlyChoice((entry) => entry.name),
    );
  }
  return underlayMtu(advertise, named);
}

/**
 * DNE119. libnetwork gives an overlay's VXLAN interface and endpoints the MTU of the network's
 * com.docker.network.driver.mtu option (default 1500) minus 50 bytes of VXLAN encapsulation
 * (moby v20.10.24 vendor/github.com/docker/libnetwork/drivers/overlay/encryption.go maxMTU). On an
 * underlay below 1500 (cloud VMs at 1450/1460, VPNs) full-size packets no longer fit once
 * encapsulated: pings and handshakes pass, bulk transfers stall. Reported:
 * https://github.com/moby/libnetwork/issues/2661, https://github.com/docker/for-linux/issues/594.
 */
function underlayMtu(advertise: SettingSource, link: HostInterface): Finding[] {
  if (link.mtu === undefined || link.mtu >= 1500) return [];
  return [
    {
      file: advertise.file,
      range: advertise.range,
      severity: 'warning',
      code: Codes.advertiseUnderlayMtu,
      message:
        `Interface "${link.name}" carries the overlay traffic with an MTU of ${link.mtu}, but overlay networks assume 1500: ` +
        `their containers send 1450-byte packets, ${1450 + 50 - link.mtu} bytes too many once VXLAN adds its 50, so small packets (ping, handshakes) pass and large transfers stall. ` +
        `Create each overlay with the underlay's MTU: docker network create -d overlay --opt com.docker.network.driver.mtu=${link.mtu} … ` +
        `(its containers then get ${link.mtu - 50}).`,
    },
  ];
}

function replaceWith(advertise: SettingSource, value: string): QuickFix {
  // daemon.json ranges include the string's quotes; flag value ranges do not.
  const newText = advertise.origin === 'daemon.json' ? JSON.stringify(value) : value;
  return { title: `Advertise ${value}`, edits: [{ range: advertise.range, newText }] };
}
