/**
 * Where a Docker daemon is and how to talk to it. Produced by host resolution (pure: the
 * environment and home directory are parameters) and consumed by the Docker client.
 */

export type HostSource = 'DOCKER_HOST' | 'context' | 'default' | 'setting';

export interface TlsFiles {
  /** Verify the daemon's certificate against `ca` (DOCKER_TLS_VERIFY / context SkipTLSVerify=false). */
  verify: boolean;
  ca?: string;
  cert?: string;
  key?: string;
}

export type HostEndpoint =
  | { kind: 'unix'; socketPath: string }
  | { kind: 'tcp'; host: string; port: number; tls?: TlsFiles }
  | { kind: 'ssh'; host: string; port: number; username?: string; auth?: SshAuth; knownHostsFiles?: string[] };

/**
 * An ssh endpoint's `knownHostsFiles` are where its host key is checked (the user's file first,
 * where a newly trusted key is written); absent: ~/.ssh/known_hosts and /etc/ssh/ssh_known_hosts.
 */

/** How to log in over ssh: the agent (SSH_AUTH_SOCK) and/or a private key file, as ssh would. */
export interface SshAuth {
  agentSocket?: string;
  identityFile?: string;
}

export interface DockerHost {
  /** Stable key used across snapshots, tree ids and settings (unique within one resolution). */
  id: string;
  /** Label shown to the user ("local", a context name or a configured name). */
  name: string;
  source: HostSource;
  /** The address as the user wrote it (DOCKER_HOST value, context Host, setting url). */
  url: string;
  /** Absent when the configuration itself is unusable; `problem` then says why. */
  endpoint?: HostEndpoint;
  /** A configuration error that prevents connecting at all (malformed URL, missing TLS files). */
  problem?: string;
  /** Things that work but deserve a word (e.g. DOCKER_TLS_VERIFY=true read as "verify"). */
  warnings: string[];
  /**
   * Nobody chose this daemon: the default socket, only because no DOCKER_HOST, DOCKER_CONTEXT or
   * currentContext names another. Until it answers once it is shown quietly (HostMonitor's
   * "absent"), and not at all while other hosts exist.
   */
  implicit?: boolean;
}

/** How the connection is protected, said plainly: shown on every remote host's row. */
export function transportSecurity(endpoint: HostEndpoint): string {
  switch (endpoint.kind) {
    case 'unix':
      return 'unix socket';
    case 'ssh':
      return 'SSH';
    case 'tcp':
      if (!endpoint.tls) return 'plain TCP, unencrypted';
      return endpoint.tls.verify ? 'TLS, certificate verified' : 'TLS, certificate NOT verified';
  }
}
