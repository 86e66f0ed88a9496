/**
 * Pure rules across several hosts: one store for all, unique advertise addresses and node names,
 * no store on loopback, and overlay subnets clear of local networks and host addresses.
 * Host interface CIDRs are not available through Docker's API; the advertise and store
 * addresses stand in for the LAN.
 */
import type { Finding } from '../finding';
import { isLoopback, splitHostPort } from '../../net/addresses';
import { Codes } from '../codes';
import { cidrContainsIp, cidrsOverlap, parseCidr, parseIp, type Cidr } from '../../net/cidr';
import { findingAt, type ClusterSettings } from './anchor';
import { versionBelow, type DockerFacts } from './docker';
import { normalizeStore, storeTarget } from './storeUrl';
import type { LiveHost } from './types';
import { maxOf } from '../../util/arrays';
import { storeCutOff } from './storeCutOff';

/** One host as the live doctor saw it: what the cross-host rules compare. */
export interface ProbedHost {
  host: LiveHost;
  settings: ClusterSettings;
  /** Undefined when the daemon did not answer. */
  facts?: DockerFacts;
  /** The store the daemon runs with, else the one its files set; "" for none. */
  store: string;
}

export function crossHostFindings(views: ProbedHost[]): Finding[] {
  const clustered = views.filter((view) => view.store !== '');
  return [
    ...storeDiffers(clustered),
    ...duplicates(
      clustered,
      (facts) => facts.clusterAdvertise,
      Codes.advertiseNotUnique,
      (value, others) =>
        `Advertise address ${value} is also advertised by ${others}: each daemon must advertise its own address, ` +
        "or the others reach the wrong host. Set --cluster-advertise to this host's own interface or IP.",
    ),
    ...duplicates(
      clustered,
      (facts) => facts.name,
      Codes.nodeNameNotUnique,
      (value, others) =>
        `Node name "${value}" is also the name of ${others}: gossip fails ("serf: Node name conflicts with ` +
        'another node") and cross-host traffic stalls. Give every host its own hostname.',
    ),
    ...loopbackStores(clustered),
    ...overlayOverlaps(views),
    ...engineIds(views),
    ...clockSkew(views),
    ...storeCutOff(views),
  ];
}

/**
 * DNE185. An engine's ID is made once per installation (/etc/docker/key.json up to 22, the data
 * root's engine-id from 23): VMs cloned from an image with Docker installed share it, and
 * classic Swarm then sees one engine ("ID duplicated"). https://github.com/docker-archive/classicswarm/issues/1467,
 * https://github.com/docker-archive/classicswarm/issues/362. The same ID AND name is more likely
 * one daemon reached by two addresses: not reported.
 */
function engineIds(views: ProbedHost[]): Finding[] {
  const answering = views.filter((view) => (view.facts?.id ?? '') !== '');
  const findings: Finding[] = [];
  for (const [id, group] of groupBy(answering, (view) => view.facts!.id!)) {
    if (new Set(group.map((view) => view.facts!.name)).size < 2) continue;
    for (const view of group) {
      const others = group
        .filter((other) => other !== view)
        .map((other) => `"${other.host.name}" (${other.facts!.name})`)
        .join(', ');
      const idFile = versionBelow(view.facts!.serverVersion, [23])
        ? '/etc/docker/key.json'
        : "the data root's engine-id (/var/lib/docker/engine-id)";
      findings.push(
        findingAt(
          view.settings.advertiseAnchor,
          'error',
          Codes.engineIdNotUnique,
          `Engine ID ${id} of "${view.host.name}" (${view.facts!.name}) is also the ID of ${others}: these machines were cloned with Docker's state, ` +
            'so classic Swarm and other tools that tell engines apart by this ID see one engine ("ID duplicated"). ' +
            `On every clone but one: stop dockerd, delete ${idFile}, start it (it makes a new ID).`,
        ),
      );
    }
  }
  return findings;
}

/** Swarm's certificates are backdated one hour (swarmkit ca/certificates.go CertBackdate) against clock drift. */
export const SWARM_CERT_BACKDATE_MS = 60 * 60 * 1000;

/**
 * DNE186. A node whose clock is more than the backdate behind the manager that issued its
 * certificate sees it as "not yet valid": joins and renewals fail with "x509: certificate has
 * expired or is not yet valid". https://github.com/moby/moby/issues/25112,
 * https://github.com/docker/for-linux/issues/400. Checked among swarm hosts that answered.
 */
function clockSkew(views: ProbedHost[]): Finding[] {
  const timed = views.filter(
    (view) => view.facts?.clockOffsetMs !== undefined && view.facts.swarmState !== 'inactive' && view.facts.swarmState !== '',
  );
  if (timed.length < 2) return [];
  const offsets = timed.map((view) => view.facts!.clockOffsetMs!);
  const spread = Math.max(...offsets) - Math.min(...offsets);
  if (spread <= SWARM_CERT_BACKDATE_MS) return [];
  const seconds = (ms: number) => `${ms >= 0 ? '+' : '−'}${Math.round(Math.abs(ms) / 1000)} s`;
  const list = timed.map((view) => `"${view.host.name}" ${seconds(view.facts!.clockOffsetMs!)}`).join(', ');
  return timed.map((view) =>
    findingAt(
      view.settings.storeAnchor,
      'error',
      Codes.clockSkew,
      `The swarm hosts' clocks differ by ${Math.round(spread / 60_000)} minutes (against this machine: ${list}): swarm certificates are backdated only one hour, ` +
        'so a node behind the manager that issued its certificate refuses it ("x509: certificate has expired or is not yet valid") and cannot join or renew. ' +
        "Synchronise every host's clock (NTP: systemd-timesyncd, chrony).",
    ),
  );
}

function storeDiffers(clustered: ProbedHost[]): Finding[] {
  const groups = groupBy(clustered, (view) => normalizeStore(view.store));
  if (groups.size < 2) return [];
  const largest = maxOf([...groups.values()].map((group) => group.length));
  const majorities = [...groups.values()].filter((group) => group.length === largest);
  const majority = majorities.length === 1 ? majorities[0] : [];
  return clustered
    .filter((view) => !majority.includes(view))
    .map((view) => {
      const others = clustered
        .filter((other) => normalizeStore(other.store) !== normalizeStore(view.store))
        .map((other) => `"${other.host.name}" uses ${other.store}`);
      return findingAt(
        view.settings.storeAnchor,
        'error',
        Codes.storeDiffersAcrossHosts,
        `"${view.host.name}" uses cluster store ${view.store}, but ${others.join(', ')}: daemons on different stores never see each ` +
          "other's overlay networks. Point every daemon at the same store.",
      );
    });
}

function duplicates(
  clustered: ProbedHost[],
  key: (facts: DockerFacts) => string,
  code: string,
  message: (value: string, others: string) => string,
): Finding[] {
  const withFacts = clustered.filter((view) => view.facts && key(view.facts) !== '');
  const groups = groupBy(withFacts, (view) => key(view.facts!));
  const findings: Finding[] = [];
  for (const [value, group] of groups) {
    if (group.length < 2) continue;
    for (const view of group) {
      const others = group
        .filter((other) => other !== view)
        .map((other) => `"${other.host.name}"`)
        .join(', ');
      findings.push(findingAt(view.settings.advertiseAnchor, 'error', code, message(value, others)));
    }
  }
  return findings;
}

function loopbackStores(clustered: ProbedHost[]): Finding[] {
  if (clustered.length < 2) return [];
  return clustered
    .filter((view) => storeTarget(view.store)?.addresses.some((address) => isLoopback(address.host)))
    .map((view) =>
      findingAt(
        view.settings.storeAnchor,
        'error',
        Codes.storeOnLoopbackMultiHost,
        `"${view.host.name}" reaches its cluster store ${view.store} on loopback, yet ${clustered.length} hosts share a store: ` +
          'on each host loopback is that host itself, so they do not share one store. Use an address every host can reach.',
      ),
    );
}

interface Overlay {
  name: string;
  subnet: Cidr;
}

function overlayOverlaps(views: ProbedHost[]): Finding[] {
  const overlays = new Map<string, Overlay>();
  for (const network of views.flatMap((view) => view.facts?.networks ?? [])) {
    if (network.driver !== 'overlay') continue;
    for (const subnet of cidrs(network.subnets)) overlays.set(`${network.name} ${subnet.text}`, { name: network.name, subnet });
  }
  const findings: Finding[] = [];
  for (const overlay of overlays.values()) {
    for (const view of views) {
      const clash = localClash(overlay, view) ?? addressClash(overlay, view);
      if (clash) {
        findings.push(
          findingAt(
            view.settings.storeAnchor,
            'warning',
            Codes.overlaySubnetOverlap,
            `Overlay "${overlay.name}" (${overlay.subnet.text}) overlaps ${clash} on "${view.host.name}": packets for those addresses ` +
              'go to the wrong network. Recreate the overlay with a subnet no host or local network uses.',
          ),
        );
      }
    }
  }
  return findings;
}

function localClash(overlay: Overlay, view: ProbedHost): string | undefined {
  for (const network of view.facts?.networks ?? []) {
    if (network.driver === 'overlay' || network.scope !== 'local') continue;
    const hit = cidrs(network.subnets).find((subnet) => cidrsOverlap(subnet, overlay.subnet));
    if (hit) return `local network "${network.name}" (${hit.text})`;
  }
  return undefined;
}

/** A host address inside the overlay: this host's advertise address or its store's address. */
function addressClash(overlay: Overlay, view: ProbedHost): string | undefined {
  const advertise = splitHostPort(view.facts?.clusterAdvertise ?? '')?.host;
  const swarmAddr = view.facts?.swarm?.nodeAddr ?? '';
  const candidates = [
    ...(advertise ? [{ address: advertise, what: 'its advertise address' }] : []),
    ...(swarmAddr ? [{ address: swarmAddr, what: 'its swarm advertise address' }] : []),
    ...(storeTarget(view.store)?.addresses ?? []).map((address) => ({ address: address.host, what: 'its cluster store address' })),
  ];
  const hit = candidates.find((candidate) => {
    const ip = parseIp(candidate.address);
    return ip !== undefined && cidrContainsIp(overlay.subnet, ip);
  });
  return hit ? `${hit.what} ${hit.address}` : undefined;
}

function cidrs(subnets: string[]): Cidr[] {
  return subnets.map((subnet) => parseCidr(subnet, false)).flatMap((result) => (result.ok ? [result.cidr] : []));
}

function groupBy<T>(items: T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) groups.set(key(item), [...(groups.get(key(item)) ?? []), item]);
  return groups;
}
