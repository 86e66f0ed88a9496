/**
 * The swarm lab's recorded answers (test/fixtures/swarm/<engine>/<state>.json: each host's
 * `docker info` swarm part and its `GET /nodes`, status and body, as the daemon gave them) turned
 * into the views the live doctor builds, for the swarm rules' unit tests.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Finding } from '../../../src/core/diagnostics/finding';
import { clusterSettings } from '../../../src/core/diagnostics/live/anchor';
import type { ProbedHost } from '../../../src/core/diagnostics/live/crossHost';
import type { DockerFacts } from '../../../src/core/diagnostics/live/docker';
import { asksNodeList, readSwarm, swarmNode, type SwarmFacts } from '../../../src/core/diagnostics/live/swarmFacts';
import type { NodeProbeRun } from '../../../src/core/diagnostics/live/swarmNodeProbe';
import { portTargets, swarmGroups, type PortResult, type SwarmGroup } from '../../../src/core/diagnostics/live/swarmPorts';
import { swarmFindings } from '../../../src/core/diagnostics/live/swarmRules';
import { checkAnswer, infoAnswer, nodeListAnswer } from '../../../src/core/docker/responseSchemas';
import type { InfoAnswer, NodeAnswer } from '../../../src/core/docker/dockerClient';
import type { NetFailure } from '../../../src/core/diagnostics/live/types';

const FIXTURES = path.join(__dirname, '..', '..', '..', '..', 'test', 'fixtures', 'swarm');
export const ENGINES = fs.readdirSync(FIXTURES).filter((name) => fs.statSync(path.join(FIXTURES, name)).isDirectory());
export const HOSTS = ['docker1', 'docker2', 'docker3'] as const;
export type HostName = (typeof HOSTS)[number];

export interface Recorded {
  info: (InfoAnswer & { Name: string; ServerVersion: string }) | null;
  nodes: { status: number; body: NodeAnswer[] | { message: string } | null };
}

export function load(engine: string, state: string): Record<HostName, Recorded> {
  return JSON.parse(fs.readFileSync(path.join(FIXTURES, engine, `${state}.json`), 'utf8')) as Record<HostName, Recorded>;
}

export const urlOf = (name: string) => `unix:///lab/${name}.sock`;

/** The views the live doctor would build from these answers (a host whose info failed has no facts). */
export function views(
  recorded: Record<HostName, Recorded>,
  tweak: (name: HostName, swarm: SwarmFacts, facts: DockerFacts) => void = () => undefined,
): ProbedHost[] {
  return HOSTS.map((name) => {
    const host = { name, url: urlOf(name) };
    const settings = clusterSettings(host);
    const { info, nodes } = recorded[name];
    if (!info) return { host, settings, store: '' };
    const swarm = readSwarm(checkAnswer(infoAnswer, info) as InfoAnswer);
    assert.ok(swarm, `${name} is in the swarm`);
    if (asksNodeList(swarm)) {
      swarm.nodes = Array.isArray(nodes.body)
        ? { kind: 'listed', nodes: (checkAnswer(nodeListAnswer, nodes.body) as NodeAnswer[]).map(swarmNode) }
        : { kind: 'refused', reason: nodes.body?.message ?? '' };
    }
    const facts: DockerFacts = {
      kind: 'ok',
      name: info.Name,
      serverVersion: info.ServerVersion,
      kernelVersion: '6.1.0',
      clusterStore: '',
      clusterAdvertise: '',
      swarmState: swarm.state,
      swarm,
      networks: [],
      apiVersion: '',
    };
    tweak(name, swarm, facts);
    return { host, settings, facts, store: '' };
  });
}

export const failure = (kind: NetFailure['kind']): NetFailure => ({ kind, reason: `${kind} (recorded)` });

/**
 * The swarm findings, every port as `port(node, port)` says (default: open); `fromNodes`, when
 * given, is what the node-side probe found in each group (absent: that probe is off).
 */
export function diagnose(
  all: ProbedHost[],
  port: (node: string, port: number, addr: string) => PortResult['result'] = () => ({ kind: 'open' }),
  fromNodes?: (group: SwarmGroup) => NodeProbeRun[],
): Finding[] {
  const groups = swarmGroups(all);
  return groups.flatMap((group) =>
    swarmFindings(
      group,
      portTargets(group).map((target) => ({ ...target, result: port(target.node, target.port, target.addr) })),
      groups.filter((other) => other !== group),
      fromNodes?.(group),
    ),
  );
}

/** [code, severity, host] of each finding, in order. */
export const summary = (findings: Finding[]) =>
  findings.map((finding) => [finding.code, finding.severity, HOSTS.find((name) => finding.file === urlOf(name)) ?? finding.file]);
