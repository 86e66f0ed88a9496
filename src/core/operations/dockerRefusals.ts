/**
 * What Docker's terser refusals mean, for the messages that come up with multi-host networks.
 * Docker's own words are always shown first (users search for them); this adds what to do.
 * Strings are dockerd 20.10's (see moby's libnetwork and daemon sources).
 */
const EXPLANATIONS: Array<{ pattern: RegExp; explain: (match: RegExpMatchArray) => string }> = [
  {
    // dockerd 20.10 on a cluster-store overlay says "endpoint with name X already exists in network N"; swarm says "service endpoint …".
    pattern: /endpoint with name (\S+) already exists/,
    explain: ([, name]) =>
      `A container named "${name}" is already attached to this overlay, on one of its hosts: container names must be unique across every host of an overlay, because its DNS answers by name. Rename one of them (or give this one a different name) and connect again.`,
  },
  {
    pattern: /This node is not a swarm manager/,
    explain: () =>
      'An overlay network needs this daemon to be a swarm manager (`docker swarm init`) or to run with a cluster store (`--cluster-store` and `--cluster-advertise`, Docker 20.10 and older).',
  },
  {
    pattern: /could not get pools config from store: Unexpected response code: 500/,
    explain: () =>
      'The cluster store is Consul and it answered 500: most often Consul has no leader ("No cluster leader"), e.g. a lone server started without -bootstrap or -bootstrap-expect=1. Check `/v1/status/leader` on the store; Scan Host Configuration checks it for you.',
  },
  {
    pattern: /response is invalid json\. The endpoint is probably not valid etcd cluster endpoint/,
    explain: () =>
      "The cluster store is etcd without its v2 API, which Docker's store client needs: start etcd with --enable-v2=true (off by default since etcd 3.4).",
  },
  {
    pattern: /etcd cluster is unavailable or misconfigured|exceeded header timeout/,
    explain: () =>
      'The daemon cannot reach its cluster store: check that the store runs and that this host reaches the address in --cluster-store.',
  },
];

/** Refusals of macvlan/ipvlan networks and config-only pairs (libnetwork's drivers, both engines). */
const DRIVER_EXPLANATIONS: typeof EXPLANATIONS = [
  {
    pattern: /network (\S+) is already using parent interface (\S+)/,
    explain: ([, , parent]) =>
      `Another network of this driver already sits on ${parent} (Docker names it by its dummy link, dm-<id>): one macvlan or ipvlan network per parent. Connect containers to that network, or use a VLAN sub-interface such as ${parent.split('.')[0]}.10.`,
  },
  {
    pattern: /invalid subinterface vlan name (\S+), example formatting is eth0\.10/,
    explain: ([, parent]) =>
      `This host has no interface "${parent}": Docker only creates VLAN sub-interfaces (name.vlan_id, e.g. eth0.10) itself. Enter an interface the host has (\`ip link\` lists them).`,
  },
  {
    pattern: /parent interface (?:does )?was not found on the host: (\S+)/,
    explain: ([, parent]) =>
      `The VLAN sub-interface's master "${parent}" does not exist on this host: enter an interface the host has (\`ip link\` lists them).`,
  },
  {
    // Seen on a kernel built without ipvlan: the network is created, each container start fails.
    pattern: /failed to create the ipvlan port: operation not supported/,
    explain: () =>
      "This host's kernel has no ipvlan support (module ipvlan): `ip link add link eth0 type ipvlan` fails the same way. Use macvlan, or a kernel with CONFIG_IPVLAN.",
  },
  {
    pattern: /requested ipvlan mode 'l3s' is not valid/,
    explain: () => "This daemon's Docker Engine does not know ipvlan mode l3s (20.10 knows l2 and l3; 26 adds l3s): choose l2 or l3.",
  },
  {
    pattern: /configuration network "([^"]+)" is in use/,
    explain: ([, name]) => `Networks made with --config-from ${name} still exist on this host: remove them first, then ${name}.`,
  },
];

export function explainDockerRefusal(reason: string): string | undefined {
  for (const { pattern, explain } of [...EXPLANATIONS, ...DRIVER_EXPLANATIONS]) {
    const match = reason.match(pattern);
    if (match) return explain(match);
  }
  return undefined;
}
