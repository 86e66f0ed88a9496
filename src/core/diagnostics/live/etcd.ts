/** etcd probe: /version, /health and the v2 keys API that Docker's store client speaks. */
import { Codes } from '../codes';
import { isRecord, parseJson, snippet, storeFailureDraft, unexpectedAnswerDraft, type Draft } from './draft';
import { httpGet, isNetFailure, type HttpAnswer } from './transport';
import type { NetFailure, StoreAddress } from './types';

/** Docker's prefix; a 404 "Key not found" there is fine (the daemon creates it). */
export const DOCKER_ETCD_KEYS = '/v2/keys/docker/network/v1.0/';

/** The /version answer when it is etcd's ({"etcdserver": …}); else what came back. */
export type EtcdVersion = { etcd: true; server: string } | { etcd: false; status: number; body: string };
export type EtcdHealth = { ok: true } | { ok: false; reason: string } | 'unknown';

export type EtcdResult = NetFailure | { kind: 'answered'; version: EtcdVersion; health: EtcdHealth; v2: 'on' | 'off' };

export async function probeEtcd(address: StoreAddress, timeoutMs: number): Promise<EtcdResult> {
  const [version, health, keys] = await Promise.all([
    httpGet(address, '/version', timeoutMs),
    httpGet(address, '/health', timeoutMs),
    httpGet(address, DOCKER_ETCD_KEYS, timeoutMs),
  ]);
  const failed = [version, health, keys].find(isNetFailure);
  if (failed) return failed;
  return {
    kind: 'answered',
    version: readVersion(version as HttpAnswer),
    health: readHealth(health as HttpAnswer),
    v2: readV2(keys as HttpAnswer),
  };
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
  if (result.kind !== 'answered') return [storeFailureDraft('etcd', storeUrl, result)];
  if (!result.version.etcd) {
    return [unexpectedAnswerDraft('etcd', storeUrl, `GET /version answered ${result.version.status} "${snippet(result.version.body)}"`,
      "Check the port: etcd's client port is 2379 (2380 is its peer port).")];
  }
  const drafts: Draft[] = [];
  if (result.v2 === 'off') {
    drafts.push({
      severity: 'error',
      code: Codes.etcdNoV2Api,
      message: `etcd serves no v2 API; Docker's store client needs it: start etcd with --enable-v2=true (etcd ${result.version.server} at ${storeUrl}). ` +
        'Until then overlay calls fail with "client: response is invalid json. The endpoint is probably not valid etcd cluster endpoint".',
    });
  }
  if (result.health !== 'unknown' && !result.health.ok) {
    drafts.push({
      severity: 'error',
      code: Codes.etcdUnhealthy,
      message: `etcd at ${storeUrl} reports itself unhealthy (${result.health.reason}): Docker's writes will fail or hang. ` +
        'Check that a majority of the etcd members run and reach each other (etcdctl endpoint health).',
    });
  }
  return drafts;
}
