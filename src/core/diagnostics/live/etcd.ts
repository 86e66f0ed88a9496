/** etcd probe: /version, /health and the v2 keys API that Docker's store client speaks. */
import { Codes } from '../codes';
import { isRecord, parseJson, snippet, storeFailureDraft, tlsOnlyDraft, unexpectedAnswerDraft, type Draft } from './draft';
import { httpGet, isNetFailure, PLAIN_TO_TLS, speaksTls, type HttpAnswer } from './transport';
import { isLocalUrl, isLoopback } from '../../net/addresses';
import type { NetFailure, StoreAddress, StoreTls } from './types';

/** Docker's prefix; a 404 "Key not found" there is fine (the daemon creates it). */
export const DOCKER_ETCD_KEYS = '/v2/keys/docker/network/v1.0/';

/** The /version answer when it is etcd's ({"etcdserver": …}); else what came back. */
export type EtcdVersion = { etcd: true; server: string } | { etcd: false; status: number; body: string };
export type EtcdHealth = { ok: true } | { ok: false; reason: string } | 'unknown';

export type EtcdResult =
  | NetFailure
  | { kind: 'tlsOnly' }
  | {
      kind: 'answered';
      version: EtcdVersion;
      health: EtcdHealth;
      v2: 'on' | 'off';
      /** The client URLs etcd advertises (GET /v2/members), which Docker's client switches to; undefined when unreadable. */
      clientUrls?: string[];
      /** The address probed, to tell whether a loopback advertisement matters. */
      dialed?: string;
    };

export async function probeEtcd(address: StoreAddress, timeoutMs: number, tls?: StoreTls): Promise<EtcdResult> {
  const [version, health, keys, members] = await Promise.all([
    httpGet(address, '/version', timeoutMs, tls),
    httpGet(address, '/health', timeoutMs, tls),
    httpGet(address, DOCKER_ETCD_KEYS, timeoutMs, tls),
    httpGet(address, '/v2/members', timeoutMs, tls),
  ]);
  const failed = [version, health, keys].find(isNetFailure);
  // etcd 3.4 closes a plain connection to its TLS port without a word ("first record does not look like a TLS handshake" in its log).
  if (failed?.kind === 'unreachable' && !tls && (await speaksTls(address, timeoutMs))) return { kind: 'tlsOnly' };
  if (failed) return failed;
  const clientUrls = isNetFailure(members) ? undefined : readClientUrls(members as HttpAnswer);
  return {
    kind: 'answered',
    version: readVersion(version as HttpAnswer),
    health: readHealth(health as HttpAnswer),
    v2: readV2(keys as HttpAnswer),
    ...(clientUrls ? { clientUrls } : {}),
    dialed: address.host,
  };
}

function readClientUrls(answer: HttpAnswer): string[] | undefined {
  const json = parseJson(answer.body);
  if (answer.status !== 200 || !isRecord(json) || !Array.isArray(json.members)) return undefined;
  return json.members.flatMap((member: unknown) =>
    isRecord(member) && Array.isArray(member.clientURLs) ? member.clientURLs.filter((url): url is string => typeof url === 'string') : [],
  );
}

function readVersion(answer: HttpAnswer): EtcdVersion {
  const json = parseJson(answer.body);
  if (answer.status === 200 && isRecord(json) && typeof json.etcdserver === 'string') return { etcd: true, server: json.etcdserver };
  return { etcd: false, status: answer.status, body: answer.body };
}

function readHealth(answer: HttpAnswer): EtcdHealth {
  const json = parseJson(answer.body);
  if (!isRecord(json) || typeof json.health !== 'string') return 'unknown';
  if (json.health === 'true') return { ok: true };
  const reason = typeof json.reason === 'string' && json.reason !== '' ? json.reason : `GET /health answered ${snippet(answer.body)}`;
  return { ok: false, reason };
}

/** The v2 API answers JSON even for a missing key (errorCode 100); without it etcd says "404 page not found". */
function readV2(answer: HttpAnswer): 'on' | 'off' {
  const json = parseJson(answer.body);
  return isRecord(json) && ('node' in json || 'errorCode' in json) ? 'on' : 'off';
}

export function etcdDrafts(storeUrl: string, result: EtcdResult): Draft[] {
  const tlsOnly = (how: string): Draft[] => [tlsOnlyDraft('etcd', storeUrl, how)];
  if (result.kind === 'tlsOnly') return tlsOnly('it closed our plain HTTP request and completed a TLS handshake');
  if (result.kind !== 'answered') return [storeFailureDraft('etcd', storeUrl, result)];
  if (!result.version.etcd && result.version.body.includes(PLAIN_TO_TLS)) return tlsOnly(`"${PLAIN_TO_TLS}."`);
  if (!result.version.etcd) {
    return [
      unexpectedAnswerDraft(
        'etcd',
        storeUrl,
        `GET /version answered ${result.version.status} "${snippet(result.version.body)}"`,
        "Check the port: etcd's client port is 2379 (2380 is its peer port).",
      ),
    ];
  }
  const drafts: Draft[] = [];
  if (result.v2 === 'off') {
    drafts.push({
      severity: 'error',
      code: Codes.etcdNoV2Api,
      message:
        `etcd serves no v2 API; Docker's store client needs it: start etcd with --enable-v2=true (etcd ${result.version.server} at ${storeUrl}). ` +
        'Until then overlay calls fail with "client: response is invalid json. The endpoint is probably not valid etcd cluster endpoint".',
    });
  }
  // Docker 20.10's client (vendored libkv store/etcd: AutoSync every 5 minutes) replaces the address it was given by these.
  // https://github.com/etcd-io/etcd/issues/7588, https://github.com/etcd-io/etcd/issues/3886.
  if (result.clientUrls && result.clientUrls.length > 0 && result.clientUrls.every(isLocalUrl) && !isLoopback(result.dialed ?? '')) {
    drafts.push({
      severity: 'warning',
      code: Codes.etcdAdvertisesLoopback,
      message:
        `etcd at ${storeUrl} advertises its clients ${result.clientUrls.join(', ')}: Docker's etcd client syncs its endpoints from that list (at start, then every 5 minutes) ` +
        'and dials them instead of the address in --cluster-store, which on each Docker host is the host itself: overlay calls fail once it has synced. ' +
        'Start etcd with --advertise-client-urls=http://<an address every Docker host reaches>:2379.',
    });
  }
  if (result.health !== 'unknown' && !result.health.ok) {
    drafts.push({
      severity: 'error',
      code: Codes.etcdUnhealthy,
      message:
        `etcd at ${storeUrl} reports itself unhealthy (${result.health.reason}): Docker's writes will fail or hang. ` +
        'Check that a majority of the etcd members run and reach each other (etcdctl endpoint health).',
    });
  }
  return drafts;
}
