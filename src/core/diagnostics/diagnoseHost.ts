/**
 * Entry point of the file-based doctor: all the configuration files of ONE host in, findings
 * out. Pure: no file system, no network, no VS Code.
 */
import type { Finding } from './finding';
import { advertiseInterfaceFindings } from './rules/advertiseInterface';
import { clusterStoreFindings } from './rules/clusterStore';
import { daemonJsonSyntaxFindings } from './rules/daemonJsonSyntax';
import { envFileUnreadFindings } from './rules/envFileUnread';
import { execStartFindings } from './rules/execStart';
import { flagConflictFindings } from './rules/flagConflict';
import { buildHostConfig, type HostConfig, type HostConfigFiles } from './rules/hostConfig';
import { tcpWithoutTlsFindings } from './rules/tcpWithoutTls';

export type { HostConfigFiles, HostInterface } from './rules/hostConfig';
export { Codes } from './rules/codes';

const RULES: Array<(config: HostConfig) => Finding[]> = [
  daemonJsonSyntaxFindings,
  execStartFindings,
  flagConflictFindings,
  clusterStoreFindings,
  advertiseInterfaceFindings,
  envFileUnreadFindings,
  tcpWithoutTlsFindings,
];

export function diagnoseHost(files: HostConfigFiles): Finding[] {
  const config = buildHostConfig(files);
  return RULES.flatMap((rule) => rule(config));
}
