/**
 * `docker-network-explorer diagnose`: the cluster-store doctor without VS Code. Same core as the
 * Problems panel: diagnoseFiles for the files, diagnoseLive for --host daemons and their stores.
 */
import * as fs from 'fs';
import * as os from 'os';
import { classifyConfigFile, diagnoseGroup, groupHostFiles, interfacesFromNode } from '../core/diagnostics/configFiles';
import type { Finding } from '../core/diagnostics/finding';
import { diagnoseLive, type LiveHost } from '../core/diagnostics/live/index';
import { parseArgs, USAGE, type DiagnoseArgs } from './args';
import { exitCode, toJson, toText } from './format';

class UsageError extends Error {}

export async function main(argv: readonly string[], out: (text: string) => void, err: (text: string) => void): Promise<number> {
  const parsed = parseArgs(argv);
  if (parsed.kind === 'help') {
    out(`${USAGE}\n`);
    return 0;
  }
  if (parsed.kind === 'usage') {
    err(`docker-network-explorer: ${parsed.problem}\n\n${USAGE}\n`);
    return 2;
  }
  try {
    const findings = (await diagnose(parsed.args)).sort(byPlace);
    out(parsed.args.json ? `${JSON.stringify(toJson(findings))}\n` : toText(findings));
    return exitCode(findings);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    err(`docker-network-explorer: ${error.message}\n`);
    return 2;
  }
}

async function diagnose(args: DiagnoseArgs): Promise<Finding[]> {
  const files = args.files.map(readConfigFile);
  const interfaces = args.thisMachine ? interfacesFromNode(os.networkInterfaces()) : undefined;
  const groups = groupHostFiles(files);
  const findings = diagnoseGroup(groups, { interfaces });
  if (args.offline || args.hosts.length === 0) return findings;
  const hostFiles = groups.host;
  const hosts: LiveHost[] = args.hosts.map((url, index) => ({ name: url, url, files: index === 0 ? hostFiles : undefined }));
  return [...findings, ...(await diagnoseLive(hosts, { timeoutMs: args.timeoutMs }))];
}

function byPlace(a: Finding, b: Finding): number {
  return a.file.localeCompare(b.file) || a.range.startLine - b.range.startLine || a.range.startColumn - b.range.startColumn;
}

function readConfigFile(file: string): { path: string; text: string } {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read ${file}: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (!classifyConfigFile(file, text)) {
    throw new UsageError(`${file} is not a file this tool checks (daemon.json, docker.service and drop-ins, docker.socket, /etc/sysconfig/docker, /etc/default/docker, compose files)`);
  }
  return { path: file, text };
}

if (require.main === module) {
  main(process.argv.slice(2), (text) => process.stdout.write(text), (text) => process.stderr.write(text)).then(
    (code) => (process.exitCode = code),
    (error: unknown) => {
      process.stderr.write(`docker-network-explorer: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exitCode = 2;
    },
  );
}
