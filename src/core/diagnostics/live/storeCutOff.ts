/**
 * DNE168: one host cut off from the store the others share. Every daemon on a store lists the
 * store's global (overlay) networks; one that lists none of them while its peers on the same store
 * list some cannot read the store, though the store may answer this machine (a firewall on that
 * host, a route). Seen for real on the lab with iptables dropping the store's port inside one
 * host's namespace (test/integration/faultsPartition.test.ts): dockerd 20.10 then logs the line
 * quoted below, and its `docker network ls` shows only local networks.
 */
import type { Finding } from '../finding';
import { Codes } from '../codes';
import { findingAt } from './anchor';
import type { ProbedHost } from './crossHost';
import { normalizeStore } from './storeUrl';

/** dockerd 20.10's words (pkg/discovery/kv via libkv's etcd client) when it cannot reach an etcd store. */
const ETCD_UNREACHABLE_LOG = 'in discovery failed: client: etcd cluster is unavailable or misconfigured';

export function storeCutOff(views: ProbedHost[]): Finding[] {
  const onStore = views.filter((view) => view.facts && view.facts.clusterStore.trim() !== '');
  const groups = new Map<string, ProbedHost[]>();
  for (const view of onStore) {
    const key = normalizeStore(view.facts!.clusterStore);
    groups.set(key, [...(groups.get(key) ?? []), view]);
  }
  const globals = (view: ProbedHost) => view.facts!.networks.filter((network) => network.scope === 'global').map((network) => network.name);
  const findings: Finding[] = [];
  for (const group of groups.values()) {
    const seeing = group.filter((view) => globals(view).length > 0);
    if (seeing.length === 0) continue;
    const names = [...new Set(seeing.flatMap(globals))].sort();
    const shown = names.length > 5 ? `${names.slice(0, 5).join(', ')} and ${names.length - 5} more` : names.join(', ');
    // An empty list is a list that failed (a daemon always has host and none): no evidence either way.
    for (const view of group.filter((member) => member.facts!.networks.length > 0 && globals(member).length === 0)) {
      const store = view.facts!.clusterStore;
      const advertise = view.facts!.clusterAdvertise;
      const log = store.toLowerCase().startsWith('etcd://')
        ? ` Its daemon log (journalctl -u docker) says "Registering as \\"${advertise}\\" ${ETCD_UNREACHABLE_LOG}; …".`
        : '';
      findings.push(
        findingAt(
          view.settings.storeAnchor,
          'error',
          Codes.storeCutOff,
          `"${view.host.name}" lists none of the overlay networks that ${seeing.map((other) => `"${other.host.name}"`).join(', ')} ` +
            `see on the same store ${store} (${shown}): its daemon cannot reach the store.${log} ` +
            `Until it can, overlay calls on "${view.host.name}" fail and its containers lose the overlays. ` +
            `Open the path from that host to the store (a firewall on that host, a route): \`curl ${storeHttp(store)}/version\` run there must answer.`,
        ),
      );
    }
  }
  return findings;
}

/** etcd://a:2379,b:2379 → http://a:2379 (the first address, as a command to try). */
function storeHttp(store: string): string {
  const rest = store.replace(/^[a-z]+:\/\//i, '').split(/[,/]/)[0];
  return `http://${rest}`;
}
