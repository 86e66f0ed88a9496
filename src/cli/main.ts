/**
 * `docker-network-explorer diagnose`: the cluster-store doctor without VS Code. Same core as the
 * Problems panel: diagnoseGroup for the files (for the engine given or found live), diagnoseLiveReport
 * for --host daemons and their stores.
 */
import * as fs from 'fs';
import * as os from 'os';
import { classifyConfigFile, diagnoseGroup, groupHostFiles, screenFiles } from '../core/diagnostics/configFiles';
import { decodeConfigBytes } from '../core/diagnostics/decode';
import { Codes } from '../core/diagnostics/diagnoseHost';
import { thisMachineFile, thisMachineInterfaces } from '../core/diagnostics/hostFiles/thisMachine';
import { wholeFileFinding, type Finding } from '../core/diagnostics/finding';
import { diagnoseLiveReport, type LiveHost } from '../core/diagnostics/live/index';
import { resolveCliHosts } from '../core/hosts/resolveHosts';
import { HostKeyTrust } from '../core/ssh/hostKeyTrust';
import { parseArgs, USAGE, type DiagnoseArgs } from './args';
import { wantsJson } from './options';
import { exitCode, failureReporter, jsonLine, toJson, toText } from './format';
import { escapeForTerminal } from '../core/util/untrustedText';
import { capFindingsPerFile, MAX_CHECKED_BYTES, tooLargeFinding } from '../core/diagnostics/limits';
import { runReach } from './reach';
import { errorMessage } from '../core/util/errors';

class UsageError extends Error {}

/** Exit status: 0 no error found, 1 an error found, 2 bad usage, 3 the tool itself failed. */
export const EXIT_INTERNAL = 3;

/** `check` is the diagnosis itself (a parameter so that tests can make it fail). */
export async function main(
  argv: readonly string[],
  out: (text: string) => void,
  err: (text: string) => void,
  check: (args: DiagnoseArgs, err: (text: string) => void) => Promise<Finding[]> = diagnose,
): Promise<number> {
  if (argv[0] === 'reach') return runReach(argv.slice(1), out, err);
  // Known before parsing, so that even bad usage answers in JSON when JSON was asked for.
  const json = wantsJson(argv);
  const report = failureReporter('docker-network-explorer', USAGE, json, out, err);
  const fail = (kind: 'usage' | 'internal', message: string, code: number): number => {
    report(kind, message);
    return code;
  };
  try {
    const parsed = parseArgs(argv);
    if (parsed.kind === 'help') {
      out(json ? jsonLine({ help: USAGE }) : `${USAGE}\n`);
      return 0;
    }
    if (parsed.kind === 'usage') return fail('usage', parsed.problem, 2);
    for (const note of parsed.args.notes) err(`docker-network-explorer: ${escapeForTerminal(note)}\n`);
    // Sorted first, so that what a cap leaves out is the end of each file.
    const findings = capFindingsPerFile((await check(parsed.args, err)).sort(byPlace));
    out(parsed.args.json ? jsonLine(toJson(findings)) : toText(findings));
    return exitCode(findings);
  } catch (error) {
    if (error instanceof UsageError) return fail('usage', error.message, 2);
    return fail('internal', error instanceof Error ? (error.stack ?? error.message) : String(error), EXIT_INTERNAL);
  }
}

async function diagnose(args: DiagnoseArgs, err: (text: string) => void): Promise<Finding[]> {
  const read = args.files.map(readConfigFile);
  const screened = screenFiles(read.filter((entry): entry is { path: string; text: string } => !('code' in entry)));
  const skipped = [...read.filter((entry): entry is Finding => 'code' in entry), ...screened.skipped];
  const files = screened.checked;
  const interfaces = args.thisMachine ? thisMachineInterfaces() : undefined;
  const hostFile = args.thisMachine ? thisMachineFile : undefined;
  const groups = groupHostFiles(files);
  if (args.offline || (args.hosts.length === 0 && args.context === undefined))
    return [...skipped, ...diagnoseGroup(groups, { interfaces, hostFile, engine: args.engine })];
  // Each host with its full connection settings: TLS files for tcp, login and known_hosts for ssh.
  const configs = resolveCliHosts({ env: process.env, homeDir: os.homedir(), urls: args.hosts, context: args.context, tls: args.tls });
  for (const config of configs) if (config.problem) throw new UsageError(`${config.url || config.name}: ${config.problem}`);
  const hosts: LiveHost[] = configs.map((config, index) => ({
    name: config.url,
    url: config.url,
    config,
    files: index === 0 ? groups.host : undefined,
  }));
  // Headless, an unknown ssh host key is refused (HostKeyTrust without askUnknown), unless told.
  const hostKeys = args.acceptNewHostKey
    ? new HostKeyTrust({
        askUnknown: async (key) => {
          // What ssh says when it records a key (StrictHostKeyChecking=accept-new).
          err(
            `Warning: Permanently added '${escapeForTerminal(key.name)}' (${key.keyType} ${key.fingerprint}) to ${escapeForTerminal(key.recordIn)}.\n`,
          );
          return true;
        },
      })
    : undefined;
  const live = await diagnoseLiveReport(hosts, {
    timeoutMs: args.timeoutMs,
    upgradeCheck: args.upgradeCheck,
    hostKeys,
    probeFromNodes: args.probeFromNodes,
    ...(args.helperImages.length ? { helperImages: args.helperImages } : {}),
  });
  // The FILEs are the first host's: checked for the engine it runs, unless --engine says otherwise.
  const engine = args.engine ?? live.engines.get(hosts[0].url);
  return [...skipped, ...diagnoseGroup(groups, { interfaces, hostFile, engine }), ...live.findings];
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
    // A pipe or device says size 0 and may never end (/dev/zero): read at most one byte over the cap.
    const bytes = readAtMost(file, MAX_CHECKED_BYTES + 1);
    if (bytes.length > MAX_CHECKED_BYTES) return tooLargeFinding(file, bytes.length);
    text = decodeConfigBytes(bytes).text;
  } catch (error) {
    throw new UsageError(`cannot read ${file}: ${errorMessage(error)}`);
  }
  if (!classifyConfigFile(file, text)) return notChecked(file, 'skipped');
  return { path: file, text };
}

function readAtMost(file: string, limit: number): Buffer {
  const fd = fs.openSync(file, 'r');
  try {
    const buffer = Buffer.alloc(limit);
    let length = 0;
    while (length < limit) {
      const read = fs.readSync(fd, buffer, length, limit - length, null);
      if (read === 0) break;
      length += read;
    }
    return buffer.subarray(0, length);
  } finally {
    fs.closeSync(fd);
  }
}

function notChecked(file: string, what: string): Finding {
  return wholeFileFinding(
    file,
    'information',
    Codes.fileNotChecked,
    `Not a file this tool checks (${what}): it checks daemon.json, docker.service and its drop-ins, docker.socket, ` +
      '/etc/sysconfig/docker, /etc/default/docker and compose files that run a cluster store.',
  );
}

if (require.main === module) {
  main(
    process.argv.slice(2),
    (text) => process.stdout.write(text),
    (text) => process.stderr.write(text),
  ).then(
    (code) => (process.exitCode = code),
    (error: unknown) => {
      process.stderr.write(`docker-network-explorer: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exitCode = EXIT_INTERNAL;
    },
  );
}
