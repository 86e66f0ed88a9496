/**
 * What failed when an ssh:// host cannot be reached: the ssh layer (no sshd there, the login
 * refused, no handshake), said in OpenSSH's words where it has them, so the user does not go
 * looking for a stopped dockerd behind an ssh server they never reached.
 */
import type { HostEndpoint } from '../hosts/dockerHost';

type SshEndpoint = Extract<HostEndpoint, { kind: 'ssh' }>;

/** ssh2 marks the errors of its own layer with `level` (client-socket, client-authentication, ...). */
interface Ssh2Error {
  level?: unknown;
  code?: unknown;
  message?: unknown;
}

/** Node's words for a socket error, as OpenSSH prints them after "connect to host H port P:". */
const SOCKET_WORDS: Record<string, string> = {
  ECONNREFUSED: 'Connection refused',
  ETIMEDOUT: 'Connection timed out',
  EHOSTUNREACH: 'No route to host',
  ENETUNREACH: 'Network is unreachable',
  ECONNRESET: 'Connection reset by peer',
};

/** Undefined when `error` is not ssh2's (the daemon's answer or Node's HTTP layer). */
export function describeSshFailure(error: unknown, endpoint: SshEndpoint): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const { level, code, message } = error as Ssh2Error;
  const text = typeof message === 'string' ? message : '';
  const at = `host ${endpoint.host} port ${endpoint.port}`;
  const login = `${endpoint.username ?? ''}${endpoint.username ? '@' : ''}${endpoint.host}`;
  switch (level) {
    case 'client-socket': {
      const words = (typeof code === 'string' && SOCKET_WORDS[code]) || text;
      const hint = code === 'ECONNREFUSED' ? ' Nothing listens for ssh there: is sshd running on that host, and is the port right?' : '';
      return `ssh: connect to ${at}: ${words}.${hint} (dockerd on that host was not asked.)`;
    }
    case 'client-dns':
      return `ssh: Could not resolve hostname ${endpoint.host}: ${text}.`;
    case 'client-authentication':
      return (
        `ssh: ${login}: Permission denied (ssh2: ${text}). The ssh server refused the login with ${triedWith(endpoint)}: ` +
        "put its public key in that user's ~/.ssh/authorized_keys on the host, or give the key that is there (identityFile in the hosts setting). " +
        '(dockerd on that host was not asked.)'
      );
    case 'client-timeout':
      return `ssh: connect to ${at}: no ssh handshake in time (${text}). (dockerd on that host was not asked.)`;
    case 'protocol':
    case 'handshake':
      return `ssh: the ssh handshake with ${at} failed: ${text}.`;
    default:
      return undefined;
  }
}

function triedWith(endpoint: SshEndpoint): string {
  const tried = [
    endpoint.auth?.identityFile ? `the key ${endpoint.auth.identityFile}` : undefined,
    endpoint.auth?.agentSocket ? `the keys of the ssh agent (${endpoint.auth.agentSocket})` : undefined,
  ].filter((entry): entry is string => entry !== undefined);
  return tried.length > 0 ? tried.join(' and ') : 'no key at all';
}
