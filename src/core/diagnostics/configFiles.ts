/**
 * From "some files" to "one host's configuration": which of our checks a file gets (by its
 * path, then by its content when the name says little), and all of one host's files diagnosed
 * together so rules can link a flag in the unit with the same key in daemon.json.
 */
import { diagnoseHost, type DockerdFiles, type HostFileReader, type HostInterface } from './diagnoseHost';
import type { Finding } from './finding';
import { unreadableFinding } from './decode';
import { capFindingsPerFile, MAX_CHECKED_BYTES, tooLargeFinding } from './limits';
import { composeFindings } from './rules/composeStore';
import type { ConfigFile } from './text';

export type ConfigFileKind = 'daemonJson' | 'serviceUnit' | 'serviceDropIn' | 'envFile' | 'socketUnit' | 'socketDropIn' | 'compose';

const ENV_FILE_PATHS = ['/etc/sysconfig/docker', '/etc/default/docker'];

/**
 * How much of a file's beginning decides its kind when the name says little. Real configuration
 * files are a few KB; the editor, the scan and the CLI all look at this much, so they agree, and
 * the editor never copies a large document to learn that it is not Docker's.
 */
export const KIND_PREFIX_CHARS = 8192;

/**
 * What a file is, from its name and, when the name says little, its first KIND_PREFIX_CHARS
 * characters. `content` may be a function (given the number of characters wanted): it is called
 * only when the name says little.
 */
export function classifyConfigFile(filePath: string, content: string | ((chars: number) => string)): ConfigFileKind | undefined {
  let read: string | undefined;
  const text = () => (read ??= (typeof content === 'string' ? content : content(KIND_PREFIX_CHARS)).slice(0, KIND_PREFIX_CHARS));
  const normalized = filePath.replace(/\\/g, '/');
  const base = normalized.slice(normalized.lastIndexOf('/') + 1);
  const folder = normalized.slice(0, normalized.lastIndexOf('/') + 1);
  if (base === 'daemon.json') return 'daemonJson';
  if (/\.service\.d\/$/.test(folder) && base.endsWith('.conf'))
    return /docker\.service\.d\/$/.test(folder) || mentionsDockerd(text()) ? 'serviceDropIn' : undefined;
  if (/\.socket\.d\/$/.test(folder) && base.endsWith('.conf')) return /docker\.socket\.d\/$/.test(folder) ? 'socketDropIn' : undefined;
  if (base === 'docker.service') return 'serviceUnit';
  if (base === 'docker.socket') return 'socketUnit';
  if (ENV_FILE_PATHS.some((envPath) => normalized.endsWith(envPath))) return 'envFile';
  if (/^(docker-)?compose(\.[\w.-]+)?\.ya?ml$/.test(base) || /\.compose\.ya?ml$/.test(base)) return 'compose';
  // Names that say little: decide by what is inside.
  if (base.endsWith('.json') && /"cluster-(store|advertise)"\s*:/.test(text())) return 'daemonJson';
  if (base.endsWith('.service') && /^\s*ExecStart\s*=.*\bdockerd\b/m.test(text())) return 'serviceUnit';
  if (/\.ya?ml$/.test(base) && /^services\s*:/m.test(text()) && /\b(consul|etcd|zookeeper|dockerd|dind)\b/i.test(text())) return 'compose';
  if (base === 'docker' && /^\s*(export\s+)?(OPTIONS|DOCKER_OPTS)\s*=/m.test(text())) return 'envFile';
  return undefined;
}

function mentionsDockerd(text: string): boolean {
  return /\bdockerd\b/.test(text);
}

/**
 * All the files of ONE host → findings. Files we do not check are ignored. `interfaces`: that
 * host's network interfaces, when the files are known to be this machine's (or the lab host's).
 */
export interface DiagnoseOptions {
  interfaces?: HostInterface[];
  /** Reads that host's files by path (this machine's): the TLS files --cluster-store-opt names. */
  hostFile?: HostFileReader;
  /** The Docker Engine version these files are for, when known: it selects the rules (diagnoseHost.ts). */
  engine?: string;
}

export function diagnoseFiles(files: ReadonlyArray<{ path: string; text: string }>, options: DiagnoseOptions = {}): Finding[] {
  const { checked, skipped } = screenFiles(files);
  return capFindingsPerFile([...skipped, ...diagnoseGroup(groupHostFiles(checked), options)]);
}

/**
 * The files the rules may read, and a finding for each of the others: over the size cap (an
 * editor may hold any size), or not text (NUL characters: UTF-16 without its mark, binary).
 */
export function screenFiles<T extends { path: string; text: string }>(files: readonly T[]): { checked: T[]; skipped: Finding[] } {
  const size = (text: string) => (text.length > MAX_CHECKED_BYTES / 4 ? Buffer.byteLength(text) : text.length);
  const checked: T[] = [];
  const skipped: Finding[] = [];
  for (const file of files) {
    const bytes = size(file.text);
    const unreadable = bytes > MAX_CHECKED_BYTES ? tooLargeFinding(file.path, bytes) : unreadableFinding(file.path, file.text);
    if (unreadable) skipped.push(unreadable);
    else checked.push(file);
  }
  return { checked, skipped };
}

/** diagnoseFiles for files already grouped (when the caller needs the groups too). */
export function diagnoseGroup({ host, compose }: HostFileGroups, options: DiagnoseOptions = {}): Finding[] {
  return [
    ...diagnoseHost({ ...host, interfaces: options.interfaces, hostFile: options.hostFile }, { engine: options.engine }),
    ...compose.flatMap(composeFindings),
  ];
}

export interface HostFileGroups {
  host: DockerdFiles;
  compose: ConfigFile[];
}

/** One host's files sorted into the slots the rules (and the live checks' anchors) read. */
export function groupHostFiles(files: ReadonlyArray<{ path: string; text: string }>): HostFileGroups {
  const host: Required<Pick<DockerdFiles, 'serviceDropIns' | 'envFiles' | 'socketDropIns'>> & DockerdFiles = {
    serviceDropIns: [],
    envFiles: [],
    socketDropIns: [],
  };
  const compose: ConfigFile[] = [];
  for (const { path: filePath, text } of files) {
    const file: ConfigFile = { file: filePath, text };
    switch (classifyConfigFile(filePath, text)) {
      case 'daemonJson':
        host.daemonJson ??= file;
        break;
      case 'serviceUnit':
        host.serviceUnit ??= file;
        break;
      case 'serviceDropIn':
        host.serviceDropIns.push(file);
        break;
      case 'socketUnit':
        host.socketUnit ??= file;
        break;
      case 'socketDropIn':
        host.socketDropIns.push(file);
        break;
      case 'envFile':
        // EnvironmentFile= names the file by its path on the host, whatever folder it was opened from.
        host.envFiles.push({ ...file, hostPath: ENV_FILE_PATHS.find((envPath) => filePath.endsWith(envPath)) ?? filePath });
        break;
      case 'compose':
        compose.push(file);
        break;
      case undefined:
        break;
    }
  }
  // systemd applies drop-ins in the order of their file names, whatever folder they sit in.
  const byName = (a: ConfigFile, b: ConfigFile) => baseName(a.file).localeCompare(baseName(b.file));
  host.serviceDropIns.sort(byName);
  host.socketDropIns.sort(byName);
  return { host, compose };
}

function baseName(filePath: string): string {
  return filePath.slice(filePath.replace(/\\/g, '/').lastIndexOf('/') + 1);
}

/**
 * Node's `os.networkInterfaces()` as the rules read interfaces (passed in: this module stays
 * pure), plus `linkNames`: interfaces without any address, which Node does not list.
 */
export function interfacesFromNode(
  record: Record<string, ReadonlyArray<{ address: string; family: string | number }> | undefined>,
  linkNames: readonly string[] = [],
): HostInterface[] {
  const withAddresses = Object.entries(record).map(([name, addresses = []]) => ({
    name,
    ipv4: addresses.filter((entry) => entry.family === 'IPv4' || entry.family === 4).map((entry) => entry.address),
    ipv6: addresses.filter((entry) => entry.family === 'IPv6' || entry.family === 6).map((entry) => entry.address),
  }));
  const bare = linkNames.filter((name) => !(name in record)).map((name) => ({ name, ipv4: [], ipv6: [] }));
  return [...withAddresses, ...bare];
}
