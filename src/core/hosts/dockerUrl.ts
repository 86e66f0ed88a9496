/**
 * Parses Docker daemon addresses the way the docker CLI does (`opts.ParseHost`), but reports a
 * readable problem instead of throwing: docker-modem throws on a malformed DOCKER_HOST, and a
 * bad address in one host must not take the whole view down.
 */
import type { HostEndpoint, TlsFiles } from './dockerHost';

export const DEFAULT_SOCKET = '/var/run/docker.sock';
const PLAIN_PORT = 2375;
const TLS_PORT = 2376;
const SSH_PORT = 22;

/** Hostnames, IPv4 addresses, or a bracketed IPv6 address (brackets kept so ':' splits port). */
const HOST_PATTERN = /^(?:[A-Za-z0-9_](?:[A-Za-z0-9_.-]*[A-Za-z0-9_])?|\[[0-9A-Fa-f:.]+\])$/;

type ParseResult = { endpoint?: HostEndpoint; problem?: string };

/** `tls` only matters for tcp addresses: it is attached to the endpoint and picks port 2376. */
export function parseDockerUrl(url: string, tls?: TlsFiles): ParseResult {
  const value = url.trim();
  if (value === '') return { problem: 'The Docker address is empty. Example: unix:///var/run/docker.sock' };
  const separator = value.indexOf('://');
  // Like the CLI, an address without a scheme is a tcp address ("1.2.3.4:2375").
  if (separator < 0) return parseBare(value, tls);
  const scheme = value.slice(0, separator);
  const rest = value.slice(separator + 3);
  switch (scheme) {
    case 'unix':
      return parseUnix(value, rest);
    case 'tcp':
      return parseTcp(value, rest, tls);
    case 'ssh':
      return parseSsh(value, rest);
    case 'npipe':
      return {
        problem: `"${value}": Windows named pipes (npipe://) are not supported on this platform. Use unix:///var/run/docker.sock or tcp://host:2376.`,
      };
    default:
      return {
        problem: `"${value}": unsupported scheme "${scheme}://". Use unix:///path/to/docker.sock, tcp://host:2376 or ssh://user@host.`,
      };
  }
}

function parseBare(value: string, tls: TlsFiles | undefined): ParseResult {
  // A bare absolute path is almost always a socket with the scheme forgotten; say so.
  if (value.startsWith('/')) {
    return { problem: `"${value}" has no scheme. For a socket write unix://${value}` };
  }
  const parsed = parseTcp(value, value, tls);
  return parsed.problem ? { problem: `${parsed.problem} (an address without a scheme is read as tcp://)` } : parsed;
}

function parseUnix(value: string, path: string): ParseResult {
  if (path === '') return { endpoint: { kind: 'unix', socketPath: DEFAULT_SOCKET } };
  // A relative path would resolve against the editor's working directory, which nobody means.
  if (!path.startsWith('/')) {
    return { problem: `"${value}": the socket path must be absolute, e.g. unix:///var/run/docker.sock` };
  }
  return { endpoint: { kind: 'unix', socketPath: path } };
}

function parseTcp(value: string, rest: string, tls: TlsFiles | undefined): ParseResult {
  const example = 'Example: tcp://192.168.1.10:2376';
  const { authority, path } = splitAuthority(rest);
  if (path !== '' && path !== '/') return { problem: `"${value}": a tcp address must not contain a path ("${path}"). ${example}` };
  if (authority.includes('@')) return { problem: `"${value}": a tcp address cannot carry a user name. ${example}` };
  const hostPort = splitHostPort(authority);
  if (hostPort.host === '') return { problem: `"${value}" has no host name. ${example}` };
  if (!HOST_PATTERN.test(hostPort.host)) return { problem: `"${value}": "${hostPort.host}" is not a valid host name. ${example}` };
  const port = parsePort(hostPort.port, tls ? TLS_PORT : PLAIN_PORT);
  if (port === undefined) return { problem: `"${value}": port "${hostPort.port ?? ''}" must be a number from 1 to 65535. ${example}` };
  const endpoint: HostEndpoint = { kind: 'tcp', host: unbracket(hostPort.host), port };
  return { endpoint: tls ? { ...endpoint, tls } : endpoint };
}

function parseSsh(value: string, rest: string): ParseResult {
  const example = 'Example: ssh://me@build-host or ssh://me@build-host:2222';
  const { authority, path } = splitAuthority(rest);
  if (path !== '' && path !== '/') return { problem: `"${value}": a path after the ssh host ("${path}") is not supported. ${example}` };
  const at = authority.lastIndexOf('@');
  const user = at >= 0 ? authority.slice(0, at) : undefined;
  if (user !== undefined && (user === '' || user.includes(':'))) {
    // The docker CLI refuses passwords in ssh URLs too: keys or an agent are the only safe route.
    return { problem: `"${value}": the ssh user is empty or carries a password (use an ssh key or agent). ${example}` };
  }
  const hostPort = splitHostPort(authority.slice(at + 1));
  if (!HOST_PATTERN.test(hostPort.host)) return { problem: `"${value}" has no valid host name. ${example}` };
  const port = parsePort(hostPort.port, SSH_PORT);
  if (port === undefined) return { problem: `"${value}": port "${hostPort.port ?? ''}" must be a number from 1 to 65535. ${example}` };
  const endpoint: HostEndpoint = { kind: 'ssh', host: unbracket(hostPort.host), port };
  return { endpoint: user === undefined ? endpoint : { ...endpoint, username: user } };
}

function splitAuthority(rest: string): { authority: string; path: string } {
  const slash = rest.indexOf('/');
  return slash < 0 ? { authority: rest, path: '' } : { authority: rest.slice(0, slash), path: rest.slice(slash) };
}

/** Splits "host:port" / "[v6]:port"; a colon inside brackets is part of the host. */
function splitHostPort(authority: string): { host: string; port?: string } {
  const colon = authority.lastIndexOf(':');
  if (colon < 0 || authority.lastIndexOf(']') > colon) return { host: authority };
  return { host: authority.slice(0, colon), port: authority.slice(colon + 1) };
}

function parsePort(text: string | undefined, fallback: number): number | undefined {
  if (text === undefined) return fallback;
  if (!/^\d{1,5}$/.test(text)) return undefined;
  const port = Number(text);
  return port >= 1 && port <= 65535 ? port : undefined;
}

function unbracket(host: string): string {
  return host.startsWith('[') ? host.slice(1, -1) : host;
}
