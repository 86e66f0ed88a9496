/**
 * Consul probe: leader, peers, the agent's own configuration, and a KV read under Docker's
 * prefix (which is where ACLs and a missing leader show up as Docker sees them).
 */
import { Codes } from '../codes';
import { isRecord, parseJson, snippet, storeFailureDraft, tlsOnlyDraft, unexpectedAnswerDraft, type Draft } from './draft';
import { httpGet, isNetFailure, PLAIN_TO_TLS, speaksTls, type HttpAnswer } from './transport';
import type { NetFailure, StoreAddress, StoreTls } from './types';

export const DOCKER_CONSUL_KEYS = '/v1/kv/docker/network/v1.0/?keys';

export interface ConsulAgent {
  server: boolean;
  bootstrap: boolean;
  bootstrapExpect: number;
}

export type ConsulResult =
  | NetFailure
  | { kind: 'tlsOnly' }
  | { kind: 'notConsul'; status: number; body: string }
  | {
      kind: 'answered';
      /** "" when the cluster has no leader. */
      leader: string;
      peers: string[];
      /** Undefined when /v1/agent/self was refused (ACLs) or unreadable. */
      agent?: ConsulAgent;
      kv: { status: number; body: string };
    };

/** With `tls` (the kv.* files), HTTPS as libkv's Consul store speaks it with them. */
export async function probeConsul(address: StoreAddress, timeoutMs: number, tls?: StoreTls): Promise<ConsulResult> {
  const [leader, peers, self, kv] = await Promise.all([
    httpGet(address, '/v1/status/leader', timeoutMs, tls),
    httpGet(address, '/v1/status/peers', timeoutMs, tls),
    httpGet(address, '/v1/agent/self', timeoutMs, tls),
    httpGet(address, DOCKER_CONSUL_KEYS, timeoutMs, tls),
  ]);
  const failed = [leader, peers, self, kv].find(isNetFailure);
  // A TLS server that is not Go's closes a plain request without a word: a handshake tells.
  if (failed?.kind === 'unreachable' && !tls && (await speaksTls(address, timeoutMs))) return { kind: 'tlsOnly' };
  if (failed) return failed;
  const leaderAnswer = leader as HttpAnswer;
  const leaderJson = parseJson(leaderAnswer.body);
  if (leaderAnswer.status !== 200 || typeof leaderJson !== 'string') {
    return { kind: 'notConsul', status: leaderAnswer.status, body: leaderAnswer.body };
  }
  const peersJson = parseJson((peers as HttpAnswer).body);
  const kvAnswer = kv as HttpAnswer;
  return {
    kind: 'answered',
    leader: leaderJson,
    peers: Array.isArray(peersJson) ? peersJson.filter((peer): peer is string => typeof peer === 'string') : [],
    agent: readAgent(self as HttpAnswer),
    kv: { status: kvAnswer.status, body: kvAnswer.body },
  };
}

/** `Config.Server` and, from `DebugConfig` (the agent's runtime configuration), Bootstrap/BootstrapExpect. */
function readAgent(answer: HttpAnswer): ConsulAgent | undefined {
  const json = parseJson(answer.body);
  if (answer.status !== 200 || !isRecord(json) || !isRecord(json.Config)) return undefined;
  const debug = isRecord(json.DebugConfig) ? json.DebugConfig : {};
  return {
    server: json.Config.Server === true,
    bootstrap: debug.Bootstrap === true,
    bootstrapExpect: typeof debug.BootstrapExpect === 'number' ? debug.BootstrapExpect : 0,
  };
}

const DOCKER_NO_LEADER = '"error getting pools config from store: could not get pools config from store: Unexpected response code: 500"';

export function consulDrafts(storeUrl: string, result: ConsulResult): Draft[] {
  if (result.kind === 'tlsOnly')
    return [tlsOnlyDraft('consul', storeUrl, 'it closed our plain HTTP request and completed a TLS handshake')];
  if (result.kind === 'notConsul' && result.body.includes(PLAIN_TO_TLS)) return [tlsOnlyDraft('consul', storeUrl, `"${PLAIN_TO_TLS}."`)];
  if (result.kind === 'notConsul') {
    return [
      unexpectedAnswerDraft(
        'consul',
        storeUrl,
        `GET /v1/status/leader answered ${result.status} "${snippet(result.body)}"`,
        "Check the port: Consul's HTTP API is on 8500 by default.",
      ),
    ];
  }
  if (result.kind !== 'answered') return [storeFailureDraft('consul', storeUrl, result)];
  const drafts: Draft[] = [];
  if (result.leader === '') drafts.push(noLeaderDraft(storeUrl, result.peers, result.agent));
  if (result.kv.status === 403) {
    drafts.push({
      severity: 'error',
      code: Codes.consulAclDenied,
      message:
        `Consul at ${storeUrl} denies Docker's key reads under docker/network/v1.0/ (403 "${snippet(result.kv.body)}"). ` +
        "Docker's store client sends no ACL token, so the agent's default token must allow it: give that token a policy with " +
        'key_prefix "docker/" { policy = "write" } (acl.tokens.default), or set acl.default_policy to allow.',
    });
  }
  return drafts;
}

function noLeaderDraft(storeUrl: string, peers: string[], agent: ConsulAgent | undefined): Draft {
  const lone = agent?.server === true && peers.length <= 1 && !agent.bootstrap && agent.bootstrapExpect === 0;
  if (lone) {
    return {
      severity: 'error',
      code: Codes.consulLoneServer,
      message:
        `Consul at ${storeUrl} has no leader: a lone server started without -bootstrap / -bootstrap-expect never elects a leader: ` +
        `add -bootstrap (or -bootstrap-expect=1) to its command line. Until then Consul answers KV reads with 500 "No cluster leader" ` +
        `and Docker fails with ${DOCKER_NO_LEADER}.`,
    };
  }
  return {
    severity: 'error',
    code: Codes.consulNoLeader,
    message:
      `Consul at ${storeUrl} has no cluster leader (peers: ${peers.length === 0 ? 'none' : peers.join(', ')}): it answers KV reads ` +
      `with 500 "No cluster leader" and Docker fails with ${DOCKER_NO_LEADER}. Start enough servers for a quorum ` +
      '(as many as -bootstrap-expect says) and check that they joined each other (consul members).',
  };
}
