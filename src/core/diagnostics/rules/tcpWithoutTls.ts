/**
 * DNE140: a TCP listener without --tlsverify. Anyone who reaches the port is root on the host
 * (docker run -v /:/host …). --tls alone encrypts but does not check clients.
 */
import type { Finding, QuickFix } from '../finding';
import { isLoopback, isTcpHost, tcpAddressHost } from '../../net/addresses';
import { Codes } from '../codes';
import { settingSources, type DockerdConfig } from '../dockerdConfig';

export function tcpWithoutTlsFindings(config: DockerdConfig): Finding[] {
  if (tlsVerifyEnabled(config)) return [];
  const findings: Finding[] = [];
  // --tlsverify without the CA, certificate and key given falls back to ~/.docker/*.pem, usually
  // absent: dockerd would then not start. Only certain when all three are set.
  const certain = ['tlscacert', 'tlscert', 'tlskey'].every((key) => settingSources(config, key).length > 0);
  for (const flag of config.flags) {
    if (flag.key !== 'hosts' || flag.value === undefined || !isTcpHost(flag.value)) continue;
    findings.push(
      tcpFinding(
        flag.file,
        flag.range,
        flag.value,
        tcpAddressHost(flag.value),
        certain
          ? {
              title: 'Add --tlsverify',
              edits: [
                {
                  range: {
                    startLine: flag.range.endLine,
                    startColumn: flag.range.endColumn,
                    endLine: flag.range.endLine,
                    endColumn: flag.range.endColumn,
                  },
                  newText: ' --tlsverify',
                },
              ],
            }
          : undefined,
      ),
    );
  }
  for (const source of settingSources(config, 'hosts')) {
    if (source.origin !== 'daemon.json' || !isTcpHost(source.value)) continue;
    findings.push(tcpFinding(source.file, source.range, source.value, tcpAddressHost(source.value)));
  }
  for (const listen of config.listens) {
    if (listen.kind !== 'tcp') continue;
    findings.push(tcpFinding(listen.file, listen.range, `ListenStream=${listen.value}`, listen.host ?? ''));
  }
  return findings;
}

function tcpFinding(file: string, range: Finding['range'], what: string, host: string, fix?: QuickFix): Finding {
  const local = isLoopback(host);
  return {
    file,
    range,
    severity: local ? 'warning' : 'error',
    code: Codes.tcpWithoutTlsVerify,
    message:
      `${what} opens the Docker API over TCP without --tlsverify: ${local ? 'any local user or process' : 'anyone who can reach this port'} ` +
      'gets root on this host. Add --tlsverify (or "tlsverify": true in daemon.json) with --tlscacert, --tlscert and --tlskey, or listen on the Unix socket only.',
    ...(fix ? { fix } : {}),
  };
}

function tlsVerifyEnabled(config: DockerdConfig): boolean {
  const flag = [...config.flags].reverse().find((candidate) => candidate.key === 'tlsverify');
  if (flag) return flag.value === undefined || !/^(false|0)$/i.test(flag.value);
  const entry = config.daemonJson ? [...config.daemonJson.entries].reverse().find((candidate) => candidate.key === 'tlsverify') : undefined;
  return entry?.node.kind === 'boolean' && entry.node.value;
}
