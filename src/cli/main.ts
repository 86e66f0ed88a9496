/**
 * `docker-network-explorer diagnose`: the cluster-store doctor without VS Code. Same core as the
 * Problems panel: diagnoseGroup for the files (for the engine given or found live), diagnoseLiveReport
 * for --host daemons and their stores.
 */
import * as fs from 'fs';
import { classifyConfigFile, diagnoseGroup, groupHostFiles } from '../core/diagnostics/configFiles';
import { Codes } from '../core/diagnostics/diagnoseHost';
import { thisMachineInterfaces } from '../core/diagnostics/hostFiles/thisMachine';
import type { Finding } from '../core/diagnostics/finding';
import { diagnoseLiveReport, type LiveHost } from '../core/diagnostics/live/index';
import { parseArgs, USAGE, type DiagnoseArgs } from './args';
import { exitCode, toJson, toText } from './format';
import { MAX_CHECKED_BYTES, tooLargeFinding } from '../core/diagnostics/limits';
import { runReach } from './reach';

class UsageError extends Error {}

/** Exit status: 0 no error found, 1 an error found, 2 bad usage, 3 the tool itself failed. */
export const EXIT_INTERNAL = 3;

/** `check` is the diagnosis itself (a parameter so that tests can make it fail). */
export async function main(
  argv: readonly string[],
  out: (text: string) => void,
  err: (text: string) => void,
  check: (args: DiagnoseArgs) => Promise<Finding[]> = diagnose,
): Promise<number> {
  if (argv[0] === 'reach') return runReach(argv.slice(1), out, err);
  // Known before parsing, so that even bad usage answers in JSON when JSON was asked for.
  const json = argv.includes('--json');
  const fail = (kind: 'usage' | 'internal', message: string, code: number): number => {
    if (json) out(`${JSON.stringify({ error: { kind, message } })}\n`);
    err(`docker-network-explorer: ${message}\n${kind === 'usage' ? `\n${USAGE}\n` : ''}`);
    return code;
  };
  try {
    const parsed = parseArgs(argv);
    if (parsed.kind === 'help') {
      out(json ? `${JSON.stringify({ help: USAGE })}\n` : `${USAGE}\n`);
      return 0;
    }
    if (parsed.kind === 'usage') return fail('usage', parsed.problem, 2);
    const findings = (await check(parsed.args)).sort(byPlace);
    out(parsed.args.json ? `${JSON.stringify(toJson(findings))}\n` : toText(findings));
    return exitCode(findings);
  } catch (error) {
    if (error instanceof UsageError) return fail('usage', error.message, 2);
    return fail('internal', error instanceof Error ? (error.stack ?? error.message) : String(error), EXIT_INTERNAL);
  }
}

async function diagnose(args: DiagnoseArgs): Promise<Finding[]> {
  const read = args.files.map(readConfigFile);
  const skipped = read.filter((entry): entry is Finding => 'code' in entry);
  const files = read.filter((entry): entry is { path: string; text: string } => !('code' in entry));
  const interfaces = args.thisMachine ? thisMachineInterfaces() : undefined;
  const groups = groupHostFiles(files);
  if (args.offline || args.hosts.length === 0) return [...skipped, ...diagnoseGroup(groups, { interfaces, engine: args.engine })];
  const hosts: LiveHost[] = args.hosts.map((url, index) => ({ name: url, url, files: index === 0 ? groups.host : undefined }));
  const live = await diagnoseLiveReport(hosts, { timeoutMs: args.timeoutMs, upgradeCheck: args.upgradeCheck });
  // The FILEs are the first host's: checked for the engine it runs, unless --engine says otherwise.
  const engine = args.engine ?? live.engines.get(hosts[0].url);
  return [...skipped, ...diagnoseGroup(groups, { interfaces, engine }), ...live.findings];
}

function byPlace(a: Finding, b: Finding): number {
  return a.file.localeCompare(b.file) || a.range.startLine - b.range.startLine || a.range.startColumn - b.range.startColumn;
}

/**
 * A file to check, or, for one of another kind (a glob also matched an iptables dump, a
 * folder…), an information finding saying it was skipped: the run goes on with the others.
 */
function readConfigFile(file: string): { path: string; text: string } | Finding {
  let text: string;
  try {
    const stat = fs.statSync(file);
    if (stat.isDirectory()) return notChecked(file, 'a folder');
    // Not even read: the cap is the scan's and the editor's too (limits.ts).
    if (stat.size > MAX_CHECKED_BYTES) return tooLargeFinding(file, stat.size);
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read ${file}: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (!classifyConfigFile(file, text)) return notChecked(file, 'skipped');
  return { path: file, text };
}

function notChecked(file: string, what: string): Finding {
  return {
    file, range: { startLine: 0, startColumn: 0, endLine: 0, endColumn: 0 }, severity: 'information', code: Codes.fileNotChecked,
    message: `Not a file this tool checks (${what}): it checks daemon.json, docker.service and its drop-ins, docker.socket, ` +
      '/etc/sysconfig/docker, /etc/default/docker and compose files that run a cluster store.',
  };
}

if (require.main === module) {
  main(process.argv.slice(2), (text) => process.stdout.write(text), (text) => process.stderr.write(text)).then(
    (code) => (process.exitCode = code),
    (error: unknown) => {
      process.stderr.write(`docker-network-explorer: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exitCode = EXIT_INTERNAL;
    },
  );
}
