/**
 * DNE166: what moving a host to Docker 28/29 breaks, from what the host has (its daemon's
 * answers and its files), each change with the release note it comes from. Whether anything
 * reaches a container by its address from outside cannot be seen from here: that item says so.
 */
import type { Finding } from '../finding';
import { Codes } from '../codes';
import { findingAt, type ClusterSettings } from './anchor';
import { versionBelow, type DockerFacts } from './docker';
import type { LiveHost } from './types';

export const RELEASE_NOTES = {
  /** docs.docker.com/engine/deprecated/ "Host discovery and overlay networks with external k/v stores": deprecated 20.10, removed 23.0. */
  clusterStore:
    'Engine 23.0 removed host discovery and overlay networks with external k/v stores (docs.docker.com/engine/deprecated/, deprecated in 20.10, removed in 23.0)',
  /** docs.docker.com/engine/release-notes/28/#2800, "Port publishing in bridge networks". */
  directRouting:
    'Engine 28.0 release notes: "Direct routed access to container ports that are not exposed using p/-publish is now blocked in the DOCKER iptables chain" (moby/moby#48724)',
  /** moby v28.0.0 docs/api/version-history.md, v1.48 API changes; the refusal: api/server/router/container/container_routes.go handleSysctlBC. */
  sysctls:
    'Engine 28.0 (API 1.48) release notes: "Sysctls in HostConfig (top level --sysctl settings) for eth0 are no longer migrated to DriverOpts"',
  /** docs.docker.com/engine/release-notes/29/#2900, "Breaking Changes"; the refusal: moby docker-v29.0.0 daemon/server/middleware/version.go. */
  minimumApi: 'Engine 29.0 release notes, breaking changes: "The daemon now requires API version v1.44 or later (Docker v25.0+)"',
} as const;

const EXAMPLES = 3;

export function upgradeFindings(host: LiveHost, settings: ClusterSettings, facts: DockerFacts): Finding[] {
  if (!versionBelow(facts.serverVersion, [29])) return [];
  const items: string[] = [];
  let certain = false;
  const storeInUse = facts.clusterStore !== '' || settings.configured?.store !== undefined || settings.configured?.advertise !== undefined;
  if (versionBelow(facts.serverVersion, [23]) && storeInUse) {
    certain = true;
    const global = facts.networks.filter((network) => network.scope === 'global').map((network) => network.name);
    items.push(
      `${RELEASE_NOTES.clusterStore}: with its cluster-store settings the daemon will not start (DNE161 quotes each version's words)` +
        `${global.length ? `, and the cluster-store networks ${list(global)} are gone` : ''}; move to swarm mode first (DNE165, docs/swarm-migration.md)`,
    );
  }
  const containers = facts.containers ?? [];
  if (versionBelow(facts.serverVersion, [28])) {
    const withSysctls = containers.filter((container) => container.interfaceSysctls.length > 0);
    if (withSysctls.length > 0) {
      certain = true;
      const example = withSysctls[0].interfaceSysctls[0];
      items.push(
        `${RELEASE_NOTES.sysctls}: ${list(withSysctls.map((container) => `${container.name} (${container.interfaceSysctls.join(', ')})`))} ` +
          `cannot be created again that way by a client speaking API 1.48+ (docker CLI 28+): "interface specific sysctl setting \\"${example}\\" must be supplied using driver option ` +
          `'com.docker.network.endpoint.sysctls'"; give it per network instead: --network name=<network>,driver-opt=` +
          `com.docker.network.endpoint.sysctls=${example.replace(/^(net\.[^.]+\.[^.]+\.)[^.]+/, '$1IFNAME')}=<value>`,
      );
    }
    const unpublished = containers.flatMap((container) =>
      container.networks
        .filter((network) => network.driver === 'bridge' && network.ipv4 !== '' && container.unpublishedPorts.length > 0)
        .map((network) => `${container.name} (${network.ipv4}: ${container.unpublishedPorts.join(', ')})`),
    );
    if (unpublished.length > 0) {
      items.push(
        `${RELEASE_NOTES.directRouting}: ${list(unpublished)} expose ports without publishing them; whatever reaches them from ` +
          "another host by the container's address (a route to the bridge subnet) is cut off, which this host alone cannot tell. " +
          "Publish what must stay reachable (-p), or set the network's com.docker.network.bridge.gateway_mode_ipv4=nat-unprotected",
      );
    }
  }
  if (facts.apiVersion !== '' && versionBelow(facts.apiVersion, [1, 44])) {
    items.push(
      `${RELEASE_NOTES.minimumApi}: clients that speak API ${facts.apiVersion} like this engine's own docker CLI (and docker-compose 1.x, ` +
        `older SDKs) are refused with "client version ${facts.apiVersion} is too old. Minimum supported API version is 1.44, please upgrade your ` +
        'client to a newer version"; upgrade them with the engine (DOCKER_MIN_API_VERSION=1.24 in the daemon\'s environment re-admits them for now)',
    );
  }
  if (items.length === 0) return [];
  return [
    findingAt(
      settings.storeAnchor,
      certain ? 'warning' : 'information',
      Codes.upgradeBreaks,
      `Moving "${host.name}" from Docker ${facts.serverVersion} to 28/29 breaks: ${items.map((item, index) => `(${index + 1}) ${item}`).join('; ')}.`,
    ),
  ];
}

function list(names: readonly string[]): string {
  const shown = names.slice(0, EXAMPLES).join(', ');
  return names.length > EXAMPLES ? `${shown} and ${names.length - EXAMPLES} more` : shown;
}
