/**
 * The docker CLI's arguments for one of our hosts, so a terminal can run `docker logs -f` or
 * `docker exec -it … sh` against the daemon the tree shows: the endpoint as host resolution
 * understood it (DOCKER_HOST, a context, the setting) written out as `-H` and TLS flags. Always
 * an argv for a process, never a shell string: nothing here is ever parsed by a shell.
 */
import type { DockerHost } from './dockerHost';

/** The variables the docker CLI would read instead of our flags: unset in the terminal. */
export const DOCKER_CLI_ENVIRONMENT = ['DOCKER_HOST', 'DOCKER_CONTEXT', 'DOCKER_TLS', 'DOCKER_TLS_VERIFY', 'DOCKER_CERT_PATH'] as const;

export interface DockerCliHost {
  args: string[];
  /** What the CLI will not do as the extension does (shown to the user before it runs). */
  notes: string[];
}

/** `-H …` plus TLS flags for the host; throws when the host has no usable endpoint. */
export function dockerCliHost(host: DockerHost): DockerCliHost {
  const endpoint = host.endpoint;
  if (!endpoint) throw new Error(`Host ${host.name} cannot be used: ${host.problem ?? 'no endpoint'}`);
  switch (endpoint.kind) {
    case 'unix':
      return { args: [`--host=unix://${endpoint.socketPath}`], notes: [] };
    case 'tcp': {
      const address = `--host=tcp://${hostPart(endpoint.host)}:${endpoint.port}`;
      const tls = endpoint.tls;
      if (!tls) return { args: [address], notes: [] };
      // `--tlsverify` checks the daemon's certificate against the CA; `--tls` alone encrypts only.
      const files = [
        ...(tls.verify && tls.ca ? [`--tlscacert=${tls.ca}`] : []),
        ...(tls.cert ? [`--tlscert=${tls.cert}`] : []),
        ...(tls.key ? [`--tlskey=${tls.key}`] : []),
      ];
      return { args: [tls.verify ? '--tlsverify' : '--tls', ...files, address], notes: [] };
    }
    case 'ssh': {
      const user = endpoint.username ? `${endpoint.username}@` : '';
      const notes = endpoint.auth?.identityFile
        ? [`the docker CLI logs in with ssh's own keys and ~/.ssh/config, not with ${endpoint.auth.identityFile}`]
        : [];
      return { args: [`--host=ssh://${user}${hostPart(endpoint.host)}:${endpoint.port}`], notes };
    }
  }
}

/** `docker … logs -f <id>`: follows the container's output until the terminal is closed. */
export function containerLogsArgs(host: DockerHost, containerId: string): string[] {
  return [...dockerCliHost(host).args, 'logs', '--follow', checkedId(containerId)];
}

/** `docker … exec -it <id> sh`: a shell inside the running container. */
export function containerShellArgs(host: DockerHost, containerId: string): string[] {
  return [...dockerCliHost(host).args, 'exec', '--interactive', '--tty', checkedId(containerId), 'sh'];
}

/**
 * The container's ID as the daemon gave it: hex only, so a hostile daemon cannot slip an option
 * (`--privileged`…) into the command line through it. Names are never used.
 */
function checkedId(id: string): string {
  if (!/^[0-9a-f]{12,64}$/.test(id)) throw new Error(`not a container ID: ${JSON.stringify(id)}`);
  return id;
}

/** An IPv6 address goes in brackets in a URL. */
function hostPart(host: string): string {
  return host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
}
