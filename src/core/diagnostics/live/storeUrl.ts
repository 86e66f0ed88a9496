/** A cluster-store URL split into what probes need: the kind of store and each address. */
import { splitHostPort } from '../../net/addresses';
import { parseStoreUrl } from '../rules/clusterStore';
import type { StoreAddress } from './types';

export type StoreKind = 'etcd' | 'zk' | 'consul';

export interface StoreTarget {
  url: string;
  kind: StoreKind;
  addresses: StoreAddress[];
}

const DEFAULT_PORTS: Record<StoreKind, number> = { etcd: 2379, zk: 2181, consul: 8500 };

/** Undefined for what the file rules already flag (DNE110): no scheme, unknown scheme, bad address. */
export function storeTarget(url: string): StoreTarget | undefined {
  const parsed = parseStoreUrl(url);
  if (!parsed || !(parsed.scheme in DEFAULT_PORTS)) return undefined;
  const kind = parsed.scheme as StoreKind;
  const addresses: StoreAddress[] = [];
  for (const text of parsed.addresses) {
    const split = splitHostPort(text);
    const host = (split?.host ?? text).trim();
    const port = split ? Number(split.port) : DEFAULT_PORTS[kind];
    if (host === '' || !Number.isInteger(port) || port < 1 || port > 65535) return undefined;
    addresses.push({ host, port });
  }
  return { url, kind, addresses };
}

/** Store URLs compare equal regardless of a trailing slash or case of the scheme. */
export function sameStore(a: string, b: string): boolean {
  return normalizeStore(a) === normalizeStore(b);
}

export function normalizeStore(url: string): string {
  const trimmed = url.trim().replace(/\/+$/, '');
  const separator = trimmed.indexOf('://');
  return separator < 0 ? trimmed : trimmed.slice(0, separator).toLowerCase() + trimmed.slice(separator);
}
