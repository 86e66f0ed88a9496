/** A finding before it is placed: one store probe serves every host that uses that store. */
import type { Severity } from '../finding';
import { Codes } from '../codes';
import type { NetFailure } from './types';

export interface Draft {
  severity: Severity;
  code: string;
  message: string;
}

const STORE_NAMES = { etcd: 'etcd', zk: 'ZooKeeper', consul: 'Consul' } as const;

/** What Docker says when it cannot reach the store, and what to do about it. */
export function storeFailureDraft(kind: keyof typeof STORE_NAMES, storeUrl: string, failure: NetFailure): Draft {
  const store = `${STORE_NAMES[kind]} cluster store ${storeUrl}`;
  switch (failure.kind) {
    case 'refused':
      return {
        severity: 'error',
        code: Codes.storeRefused,
        message:
          `${store}: store refused the connection (${failure.reason}): nothing listens there. Overlay calls fail at once ` +
          `with "error getting pools config from store: could not get pools config from store: …connect: connection refused". ` +
          `Start ${STORE_NAMES[kind]} on that address, or point --cluster-store at where it runs.`,
      };
    case 'timeout':
      return {
        severity: 'error',
        code: Codes.storeTimeout,
        message:
          `${store}: store did not answer (${failure.reason}): the host is down or a firewall drops the packets. ` +
          `Docker's calls then fail after a few seconds ("… exceeded header timeout"). Open that port from every Docker host to the store.`,
      };
    case 'tls':
      return {
        severity: 'error',
        code: Codes.storeTlsRefused,
        message:
          `${store}: TLS with the --cluster-store-opt kv.cacertfile, kv.certfile and kv.keyfile files failed: ${failure.reason}. ` +
          "Docker uses the same files, so its store calls fail the same way. Check that the CA signed the store's certificate (for the address in --cluster-store) and that the store trusts the client certificate's CA (etcd --trusted-ca-file).",
      };
    case 'unreachable':
      return {
        severity: 'error',
        code: Codes.storeUnreachable,
        message: `${store}: store cannot be reached (${failure.reason}). Check the address in --cluster-store resolves and is routable from every Docker host.`,
      };
  }
}

/** The store speaks TLS only and the files give Docker none (etcd, Consul: their clients can speak TLS). */
export function tlsOnlyDraft(kind: 'etcd' | 'consul', storeUrl: string, how: string): Draft {
  const name = STORE_NAMES[kind];
  return {
    severity: 'error',
    code: Codes.storeExpectsTls,
    message:
      `${name} at ${storeUrl} speaks TLS only (${how}), and without all three of --cluster-store-opt kv.cacertfile, kv.certfile and kv.keyfile ` +
      `Docker speaks plain HTTP to it, so every overlay call fails. Give the three options (the CA that signed ${name}'s certificate, a client certificate and its key).`,
  };
}

export function unexpectedAnswerDraft(kind: keyof typeof STORE_NAMES, storeUrl: string, what: string, hint: string): Draft {
  return {
    severity: 'error',
    code: Codes.storeUnexpectedAnswer,
    message: `${STORE_NAMES[kind]} cluster store ${storeUrl}: ${what}: this does not look like ${STORE_NAMES[kind]}. ${hint}`,
  };
}

/** The first characters of a body, on one line, for messages. */
export function snippet(text: string, length = 80): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > length ? `${line.slice(0, length)}…` : line;
}

export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
