/**
 * Probes each cluster store once per run, however many hosts use it, and turns the results into
 * drafts. A store URL may list several addresses: each is probed, in parallel.
 */
import { consulDrafts, probeConsul } from './consul';
import type { Draft } from './draft';
import { etcdDrafts, probeEtcd } from './etcd';
import { normalizeStore, storeTarget, type StoreKind } from './storeUrl';
import type { StoreAddress, StoreTls } from './types';
import { probeZookeeper, zookeeperDrafts } from './zookeeper';

type AddressProbe = (address: StoreAddress, timeoutMs: number, storeUrl: string, tls?: StoreTls) => Promise<Draft[]>;

/**
 * TLS is spoken to etcd and Consul with the kv.* files, as Docker's clients do. Docker's ZooKeeper
 * client has no TLS (rules/storeOpts.ts), so ZooKeeper is probed in plain TCP, as Docker dials it.
 */
const PROBES: Record<StoreKind, AddressProbe> = {
  etcd: async (address, timeoutMs, storeUrl, tls) => etcdDrafts(storeUrl, await probeEtcd(address, timeoutMs, tls)),
  zk: async (address, timeoutMs, storeUrl) => zookeeperDrafts(storeUrl, await probeZookeeper(address, timeoutMs)),
  consul: async (address, timeoutMs, storeUrl, tls) => consulDrafts(storeUrl, await probeConsul(address, timeoutMs, tls)),
};

export class StoreProbes {
  private readonly running = new Map<string, Promise<Draft[]>>();

  constructor(private readonly timeoutMs: number) {}

  /** Starts (or joins) the probe of `storeUrl`; the first caller's spelling names it in messages. */
  drafts(storeUrl: string, tls?: StoreTls): Promise<Draft[]> {
    const key = `${normalizeStore(storeUrl)} ${tls ? JSON.stringify(tls.files) : ''}`;
    let probe = this.running.get(key);
    if (!probe) {
      probe = probeStore(storeUrl, this.timeoutMs, tls);
      this.running.set(key, probe);
    }
    return probe;
  }
}

async function probeStore(storeUrl: string, timeoutMs: number, tls?: StoreTls): Promise<Draft[]> {
  // Malformed or unsupported URLs are the file rules' business (DNE110): nothing to dial.
  const target = storeTarget(storeUrl);
  if (!target) return [];
  const probe = PROBES[target.kind];
  const perAddress = await Promise.all(target.addresses.map((address) => probe(address, timeoutMs, storeUrl, tls)));
  const someHealthy = perAddress.some((drafts) => drafts.length === 0);
  // Docker's clients fail over between the listed addresses: one bad address among good ones degrades, not breaks.
  return perAddress
    .flat()
    .map((draft) =>
      someHealthy && draft.severity === 'error'
        ? { ...draft, severity: 'warning', message: `${draft.message} (Other addresses of this store answer, so Docker can still use it.)` }
        : draft,
    );
}
