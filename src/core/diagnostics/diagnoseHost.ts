/**
 * Entry point of the file-based doctor: all the configuration files of ONE host in, findings
 * out. Pure: no file system, no network, no VS Code.
 *
 * `engine` (a Docker Engine version: `diagnose --engine 26`, or what the host's daemon answered)
 * selects the rules. Unknown, the files are checked as for an engine that still has the cluster
 * store (up to 22.x): a file naming a cluster store is written for one, and the live checks or
 * --engine say otherwise. From 23 on, the store settings only stop the daemon (DNE161, DNE165),
 * so the rules about a working store (DNE110–118) are left out, and so is DNE120 for them on 24+,
 * where dockerd refuses the unknown flag before it reads daemon.json.
 */
import { CLUSTER_STORE_KEYS, clusterStoreSupport } from './engine';
import type { Finding } from './finding';
import { advertiseInterfaceFindings } from './rules/advertiseInterface';
import { clusterStoreFindings } from './rules/clusterStore';
import { daemonJsonSyntaxFindings } from './rules/daemonJsonSyntax';
import { envFileUnreadFindings } from './rules/envFileUnread';
import { execStartFindings } from './rules/execStart';
import { flagConflictFindings } from './rules/flagConflict';
import { buildDockerdConfig, type DockerdFiles } from './dockerdConfig';
import { removedClusterStoreFindings } from './rules/removedClusterStore';
import { storeOptsFindings } from './rules/storeOpts';
import { tcpWithoutTlsFindings } from './rules/tcpWithoutTls';

export type { DockerdFiles, HostFileReader, HostInterface } from './dockerdConfig';
export { Codes } from './codes';

export interface HostRuleOptions {
  /** The Docker Engine version the files are for; undefined when not known. */
  engine?: string;
}

export function diagnoseHost(files: DockerdFiles, options: HostRuleOptions = {}): Finding[] {
  const config = buildDockerdConfig(files);
  const support = clusterStoreSupport(options.engine);
  const removed = support === 'removed-23' || support === 'removed-24';
  return [
    ...daemonJsonSyntaxFindings(config, options.engine),
    ...execStartFindings(config),
    ...flagConflictFindings(config, support === 'removed-24' ? CLUSTER_STORE_KEYS : []),
    ...(removed
      ? removedClusterStoreFindings(config, options.engine)
      : [...clusterStoreFindings(config), ...advertiseInterfaceFindings(config), ...storeOptsFindings(config)]),
    ...envFileUnreadFindings(config),
    ...tcpWithoutTlsFindings(config),
  ];
}
