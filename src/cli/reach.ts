/**
 * `docker-network-explorer reach FROM TARGET`: reads each host (two list calls and the
 * inspects, as the explorer does), explains, and with --probe asks the live probe. Without
 * --probe nothing is started or sent anywhere: only GET calls to the daemons.
 */
import * as fs from 'fs';
import * as os from 'os';
import { DockerClient } from '../core/docker/dockerClient';
import { SnapshotLoader } from '../core/docker/snapshotLoader';
import { DEFAULT_SOCKET } from '../core/hosts/dockerUrl';
import type { DockerHost } from '../core/hosts/dockerHost';
import { resolveCliHosts, resolveHosts } from '../core/hosts/resolveHosts';
import { explain, UnknownOrigin } from '../core/reachability/explain';
import { createProber } from '../core/reachability/probe';
import { probeRequestFor } from '../core/reachability/probeRequest';
import { ReachIndex } from '../core/reachability/reachIndex';
import { parseIpRoute, thisMachineRoutes } from '../core/reachability/routes';
import type { HostRoute, ReachHost } from '../core/reachability/types';
import { escapeForTerminal } from '../core/util/untrustedText';
import { failureReporter, jsonLine } from './format';
import { wantsJson } from './options';
import { parseReachArgs, REACH_USAGE, type ReachArgs } from './reachArgs';
import { reachJson, reachText } from './reachFormat';
import { errorMessage } from '../core/util/errors';

export const EXIT_REACHABLE = 0;
export const EXIT_UNREACHABLE = 1;
export const EXIT_USAGE = 2;
export const EXIT_FAILED = 3;

class UsageProblem extends Error {}

export async function runReach(argv: readonly string[], out: (text: string) => void, err: (text: string) => void): Promise<number> {
  // Known before parsing, so that even bad usage answers in JSON when JSON was asked for.
  const json = wantsJson(argv);
  const report = failureReporter('docker-network-explorer reach', REACH_USAGE, json, out, err);
  const fail = (kind: 'usage' | 'internal', message: string, code: number, showUsage = kind === 'usage'): number => {
    report(kind, message, showUsage);
    return code;
  };
  const parsed = parseReachArgs(argv);
  if (parsed.kind === 'help') {
    out(json ? jsonLine({ help: REACH_USAGE }) : `${REACH_USAGE}\n`);
    return EXIT_REACHABLE;
  }
  if (parsed.kind === 'usage') return fail('usage', parsed.problem, EXIT_USAGE);
  const args = parsed.args;
  for (const note of args.notes) err(`docker-network-explorer reach: ${escapeForTerminal(note)}\n`);
  try {
    const prober = args.probe ? createProber : undefined;
    const targets = hostConfigs(args).map((host) => ({
      host,
      client: new DockerClient(host.endpoint!, host.name, { timeoutMs: args.timeoutMs }),
    }));
    const hosts = await Promise.all(
      targets.map(({ host, client }, index) => readHost(client, host, index === 0 ? firstHostRoutes(args, host) : undefined)),
    );
    const index = new ReachIndex(uniqueNames(hosts));
    const question = { from: args.from, target: args.target, ...(args.port === undefined ? {} : { port: args.port }) };
    const answer = explain(index, question);
    if (prober) {
      const request = probeRequestFor(index, question, answer, args.timeoutMs);
      if ('problem' in request) return fail('usage', `--probe: ${request.problem}`, EXIT_USAGE);
      const clientFor = (hostId: string) => targets.find(({ host }) => host.id === hostId)?.client;
      answer.probe = await prober({ clientFor, ...(args.helperImage ? { helperImage: args.helperImage } : {}) }).probe(request);
    }
    out(args.json ? jsonLine(reachJson(answer)) : reachText(answer));
    // A conclusive probe is what really happened: it decides the exit status.
    const verdict = answer.probe && answer.probe.verdict !== 'inconclusive' ? answer.probe.verdict : answer.verdict;
    return verdict === 'reachable' ? EXIT_REACHABLE : EXIT_UNREACHABLE;
  } catch (error) {
    if (error instanceof UnknownOrigin || error instanceof UsageProblem) return fail('usage', error.message, EXIT_USAGE, false);
    return fail('internal', errorMessage(error), EXIT_FAILED);
  }
}

/** The --host daemons, else the one the docker CLI would use (DOCKER_HOST, context, default socket). */
function hostConfigs(args: ReachArgs): DockerHost[] {
  if (args.hosts.length === 0) {
    const [primary] = resolveHosts({ env: process.env, homeDir: os.homedir(), settingHosts: [] });
    if (!primary?.endpoint) throw new UsageProblem(primary?.problem ?? 'no Docker host: give --host URL');
    return [primary];
  }
  // As `diagnose --host` reads them: DOCKER_TLS_VERIFY / DOCKER_CERT_PATH for tcp, ssh's defaults for ssh.
  return resolveCliHosts({ env: process.env, homeDir: os.homedir(), urls: args.hosts }).map((host, index) => {
    if (!host.endpoint) throw new UsageProblem(`--host ${host.url}: ${host.problem ?? 'unusable address'}`);
    return { ...host, id: `host${index + 1}` };
  });
}

/** A host named as its daemon names itself (`docker info` Name), e.g. docker1, else by its URL. */
async function readHost(client: DockerClient, host: DockerHost, routes: HostRoute[] | undefined): Promise<ReachHost> {
  await client.negotiate();
  const [info, snapshot] = await Promise.all([client.info(), new SnapshotLoader(client, host.id).load()]);
  const name = typeof info.Name === 'string' && info.Name !== '' ? info.Name : host.url;
  return { name, snapshot, ...(routes ? { routes } : {}) };
}

/** Two daemons on machines of the same name (or one given twice) keep apart by their URL. */
function uniqueNames(hosts: ReachHost[]): ReachHost[] {
  return hosts.map((host) =>
    hosts.filter((other) => other.name === host.name).length > 1 ? { ...host, name: `${host.name} (${host.snapshot.hostId})` } : host,
  );
}

function firstHostRoutes(args: ReachArgs, host: DockerHost): HostRoute[] | undefined {
  if (args.routesFile) {
    try {
      return parseIpRoute(fs.readFileSync(args.routesFile, 'utf8'));
    } catch (error) {
      throw new UsageProblem(`cannot read --routes ${args.routesFile}: ${errorMessage(error)}`);
    }
  }
  // The default socket's daemon runs on this machine, in its network namespace: its routes are ours.
  if (host.endpoint?.kind === 'unix' && host.endpoint.socketPath === DEFAULT_SOCKET) {
    return thisMachineRoutes();
  }
  return undefined;
}
