/**
 * `docker-network-explorer diagnose`: the cluster-store doctor without VS Code. Same core as the
 * Problems panel: diagnoseGroup for the files (for the engine given or found live), diagnoseLiveReport
 * for --host daemons and their stores.
 */
import * as fs from 'fs';
import * as os from 'os';
import { classifyConfigFile, diagnoseGroup, groupHostFiles, interfacesFromNode } from '../core/diagnostics/configFiles';
import type { Finding } from '../core/diagnostics/finding';
import { diagnoseLiveReport, type LiveHost } from '../core/diagnostics/live/index';
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
  if (args.offline || args.hosts.length === 0) return diagnoseGroup(groups, { interfaces, engine: args.engine });
  const hosts: LiveHost[] = args.hosts.map((url, index) => ({ name: url, url, files: index === 0 ? groups.host : undefined }));
  const live = await diagnoseLiveReport(hosts, { timeoutMs: args.timeoutMs, upgradeCheck: args.upgradeCheck });
  // The FILEs are the first host's: checked for the engine it runs, unless --engine says otherwise.
  const engine = args.engine ?? live.engines.get(hosts[0].url);
  return [...diagnoseGroup(groups, { interfaces, engine }), ...live.findings];
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
