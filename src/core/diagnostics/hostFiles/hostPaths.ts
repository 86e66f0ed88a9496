/**
 * Which host a configuration file belongs to, and the path the core should see for it. No
 * `vscode` import: plain path arithmetic on POSIX paths.
 *
 * A file under a folder that mirrors a host's root (…/etc/docker/daemon.json,
 * …/etc/systemd/system/docker.service.d/x.conf, …/usr/lib/systemd/system/docker.service) belongs
 * to the host rooted at that folder, and the core sees it under its path on the host
 * (/etc/docker/daemon.json). That is what `EnvironmentFile=/etc/sysconfig/docker` refers to, and
 * what dockerd's own messages name. Any other file (a compose file, a daemon.json lying in a
 * project) belongs to its workspace folder, else to its own folder, and keeps its path.
 */
import * as path from 'node:path';

export interface HostPath {
  /** Files with the same key are diagnosed together, as one host. */
  hostKey: string;
  /** The path given to the core, and found again in its findings. */
  corePath: string;
}

// Lazy prefix: the shortest root wins, so /r/usr/lib/systemd/… has root /r, not /r/usr.
const HOST_LOCATION =
  /^(.*?\/)((?:usr\/)?lib\/systemd\/system\/|run\/systemd\/system\/|etc\/(?:docker|systemd\/system|sysconfig|default)\/)/;

/**
 * @param fsPath absolute POSIX path of the file
 * @param workspaceFolders absolute paths of the open workspace folders
 */
export function hostPathOf(fsPath: string, workspaceFolders: readonly string[]): HostPath {
  const match = HOST_LOCATION.exec(fsPath);
  if (match) {
    const root = match[1] === '/' ? '/' : match[1].slice(0, -1);
    return { hostKey: root, corePath: `/${fsPath.slice(match[1].length)}` };
  }
  const folder = workspaceFolders.filter((candidate) => isInside(fsPath, candidate)).sort((a, b) => b.length - a.length)[0];
  return { hostKey: folder ?? path.posix.dirname(fsPath), corePath: fsPath };
}

/** The real path of a host path under a root folder ("/" for this machine). */
export function underRoot(root: string, hostPath: string): string {
  return path.posix.join(root, hostPath);
}

function isInside(file: string, folder: string): boolean {
  const withSlash = folder.endsWith('/') ? folder : `${folder}/`;
  return file.startsWith(withSlash);
}
