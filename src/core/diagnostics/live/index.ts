/**
 * Entry point of the live doctor: asks running daemons and their cluster stores what the files
 * cannot tell. Every host and every probe runs in parallel under its own timeout, so a dead
 * daemon or store costs no more than that timeout. Not pure (it dials), but free of VS Code.
 */
import type { Finding } from '../finding';
import { DEFAULT_SOCKET } from '../../hosts/dockerUrl';
import { thisMachineRoutes } from '../../reachability/routes';
import { capFindingsPerFile } from '../limits';
import { timerMs } from '../../util/timeouts';
import { addressPoolDrafts, poolsFromDaemonJson } from './addressPools';
import { findingAt, clusterSettings } from './anchor';
import { crossHostFindings, type ProbedHost } from './crossHost';
import { loadSwarmViews, swarmContainerFindings } from './swarmContainers';
import { probeDocker, versionBelow } from './docker';
import { dockerFindings } from './dockerRules';
import { upgradeFindings } from './upgradeRules';
import { portTargets, probePorts, swarmGroups } from './swarmPorts';
import { swarmFindings } from './swarmRules';
import { probeFromNodes } from './swarmNodeProbeRun';
import { removedClusterStoreFindings } from '../rules/removedClusterStore';
import { buildDockerdConfig } from '../dockerdConfig';
import { StoreProbes } from './storeProbes';
import { storeTls } from './storeTls';
import { sameStore } from './storeUrl';
import type { LiveHost, LiveOptions } from './types';
import { appendAll } from '../../util/arrays';

export type { Anchor, LiveHost, LiveOptions } from './types';

const DEFAULT_TIMEOUT_MS = 3000;

export interface LiveReport {
  findings: Finding[];
  /** Each answering host's engine version, by host URL: callers diagnose that host's files for it. */
  engines: Map<string, string>;
}

/**
 * The live findings and each daemon's version, WITHOUT the findings of the files' rules for that
 * version: the CLI and the scan diagnose the files themselves with `engine` set to it.
 */
export async function diagnoseLiveReport(hosts: LiveHost[], options: LiveOptions = {}): Promise<LiveReport> {
  // Clamped: a timer over 2^31-1 ms would fire at once (util/timeouts.ts).
  const timeoutMs = timerMs(options.timeoutMs ?? DEFAULT_TIMEOUT_MS, DEFAULT_TIMEOUT_MS);
  const stores = new StoreProbes(timeoutMs);
  const answered = await Promise.all(hosts.map((host) => diagnoseHostLive(host, stores, timeoutMs, options)));
  // The default socket nobody chose, silent, beside hosts the user did choose: not worth a word.
  const silentDefault = (result: (typeof answered)[number]) => result.view.host.implicit === true && result.view.facts === undefined;
  const results = hosts.length > 1 ? answered.filter((result) => !silentDefault(result)) : answered;
  const engines = new Map(
    results.flatMap((result) => (result.view.facts ? [[result.view.host.url, result.view.facts.serverVersion] as const] : [])),
  );
  const views = results.map((result) => result.view);
  // The swarm's ports are dialled once every host has answered: a manager's node list names them.
  const groups = swarmGroups(views);
  const nodeProbe = { timeoutMs, helperImages: options.helperImages, hostKeys: options.hostKeys };
  const swarms = await Promise.all(
    groups.map(async (group) => {
      const [ports, fromNodes] = await Promise.all([
        probePorts(portTargets(group), timeoutMs),
        options.probeFromNodes ? probeFromNodes(group, nodeProbe) : undefined,
      ]);
      return swarmFindings(
        group,
        ports,
        groups.filter((other) => other !== group),
        fromNodes,
      );
    }),
  );
  const swarmHosts = results.filter((result) => result.view.facts?.swarmState === 'active').map((result) => result.view.host);
  const swarmViews = swarmHosts.length ? await loadSwarmViews(swarmHosts, timeoutMs, options.hostKeys) : [];
  return {
    findings: capFindingsPerFile([
      ...results.flatMap((result) => result.findings),
      ...crossHostFindings(views),
      ...swarms.flat(),
      ...swarmContainerFindings(swarmViews),
    ]),
    engines,
  };
}

/**
 * diagnoseLiveReport, plus, for each host whose files were given and whose engine removed the
 * cluster store (23+), what its files' store settings do there (DNE161, DNE165), in its words.
 */
export async function diagnoseLive(hosts: LiveHost[], options: LiveOptions = {}): Promise<Finding[]> {
  const report = await diagnoseLiveReport(hosts, options);
  const forEngine = hosts.flatMap((host) => {
    const engine = report.engines.get(host.url);
    return host.files && engine ? removedClusterStoreFindings(buildDockerdConfig(host.files), engine) : [];
  });
  return [...report.findings, ...forEngine];
}

async function diagnoseHostLive(
  host: LiveHost,
  stores: StoreProbes,
  timeoutMs: number,
  options: LiveOptions,
): Promise<{ findings: Finding[]; view: ProbedHost }> {
  const upgradeCheck = options.upgradeCheck === true;
  const settings = clusterSettings(host);
  const configuredStore = settings.configured?.store?.value.trim() ?? '';
  const tls = host.files ? storeTls(host.files) : undefined;
  const tlsDrafts = tls?.kind === 'unreadable' ? [tls.draft] : [];
  const clientTls = tls?.kind === 'ok' ? tls.tls : undefined;
  // The files' store need not wait for the daemon's answer: start its probe now (not with TLS files we cannot read).
  const early = configuredStore !== '' && tls?.kind !== 'unreadable' ? stores.drafts(configuredStore, clientTls) : undefined;
  const docker = await probeDocker(host, timeoutMs, { containers: upgradeCheck, hostKeys: options.hostKeys });
  const findings = dockerFindings(host, settings, docker);
  const facts = docker.kind === 'ok' ? docker : undefined;
  const running = facts?.clusterStore.trim() ?? '';
  // From Docker 23 on the store settings only stop the daemon (DNE161); the store itself is moot.
  const storesMatter = !facts || versionBelow(facts.serverVersion, [23]);
  const toProbe = running !== '' && !sameStore(running, configuredStore) ? [running] : [];
  const drafts = storesMatter
    ? [...tlsDrafts, ...(await Promise.all([...(early ? [early] : []), ...toProbe.map((url) => stores.drafts(url, clientTls))])).flat()]
    : [];
  appendAll(
    findings,
    drafts.map((draft) => findingAt(settings.storeAnchor, draft.severity, draft.code, draft.message)),
  );
  if (upgradeCheck && facts) appendAll(findings, upgradeFindings(host, settings, facts));
  if (facts) {
    // Only the default socket's daemon is known to share this machine's routes.
    const routes = host.url === `unix://${DEFAULT_SOCKET}` ? thisMachineRoutes() : undefined;
    const pools = poolsFromDaemonJson(host.files?.daemonJson?.text);
    appendAll(
      findings,
      addressPoolDrafts(host.name, facts.networks, routes, pools, facts.serverVersion).map((draft) =>
        findingAt(settings.storeAnchor, draft.severity, draft.code, draft.message),
      ),
    );
  }
  return { findings, view: { host, settings, facts, store: running || configuredStore } };
}
