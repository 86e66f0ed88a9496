/**
 * The swarm's TCP ports measured from each node (opt-in: it runs a helper container on the
 * node), pure: which node dials which targets, the one script a node runs for all of them, and
 * what its output says of each. A firewall between two nodes is invisible from this machine.
 * The script takes the targets as argv (never spliced into its text), and each is checked to be
 * an IP address or host name and a port number before it gets there.
 */
import { parseIp } from '../../net/cidr';
import { SHELL_TOOLS } from '../../reachability/probeScript';
import type { ProbedHost } from './crossHost';
import type { SwarmFacts } from './swarmFacts';
import { notProbedBecause, portTargets, viewOfNode, type PortTarget, type SwarmGroup } from './swarmPorts';

/** Seconds nc waits for the connection (`nc -w`). */
export const NODE_PROBE_WAIT_SECONDS = 2;

export type SwarmMember = ProbedHost & { swarm: SwarmFacts };

/** Where the probe runs: a given host that answered and is an active member, and what it dials. */
export interface NodeProbePlan {
  kind: 'plan';
  from: SwarmMember;
  targets: PortTarget[];
  /** Targets that are no IP address or host name nc may be given (the daemon's text): said, never run. */
  rejected: Array<{ target: PortTarget; why: string }>;
}

/** A node nothing was dialled from, and why (not given as a host, locked, no helper image…). */
export interface NodeNotProbed {
  kind: 'not-run';
  from: string;
  why: string;
}

export type NodePortOutcome =
  | { kind: 'open' }
  /** `said`: what nc printed, for the finding. */
  | { kind: 'refused' | 'timeout' | 'unreachable' | 'failed'; said: string }
  /** No answer either way: nc missing, cut off by the deadline. */
  | { kind: 'unchecked'; why: string };

export interface NodePortResult extends PortTarget {
  outcome: NodePortOutcome;
}

export interface NodeProbeRan {
  kind: 'ran';
  from: SwarmMember;
  image: string;
  results: NodePortResult[];
  rejected: NodeProbePlan['rejected'];
}

export type NodeProbeRun = NodeProbeRan | NodeNotProbed;

/**
 * A member as the other nodes know it: its hostname (the node list's name for it, which names the
 * targets too), else the name it was given as a host (the CLI's is its URL).
 */
export function nodeNameOf(member: ProbedHost): string {
  return member.facts?.name || member.host.name;
}

/** Each member's plan, and a word for each node nothing can be dialled from. */
export function nodeProbePlans(group: SwarmGroup): Array<NodeProbePlan | NodeNotProbed> {
  const targets = portTargets(group);
  const plans = group.members.map((from): NodeProbePlan | NodeNotProbed => {
    const why = notProbedBecause(from) ?? (from.swarm.state === 'active' ? undefined : `swarm state ${from.swarm.state}`);
    if (why) return { kind: 'not-run', from: nodeNameOf(from), why };
    const others = targets.filter((target) => !isSelf(from, target));
    const rejected = others.flatMap((target) => {
      const bad = checkNodeTarget(target.addr, target.port);
      return bad ? [{ target, why: bad }] : [];
    });
    return { kind: 'plan', from, targets: others.filter((target) => !rejected.some((entry) => entry.target === target)), rejected };
  });
  // Nodes a manager lists that are none of the given hosts: their side cannot be asked.
  const unknown = (group.listed?.nodes ?? [])
    .filter((node) => !viewOfNode(group, node))
    .map((node): NodeNotProbed => ({ kind: 'not-run', from: node.hostname || node.addr || node.id, why: 'not one of the given hosts' }));
  return [...plans, ...unknown];
}

function isSelf(from: SwarmMember, target: PortTarget): boolean {
  if (target.view) return target.view.host.url === from.host.url;
  return target.addr === from.swarm.nodeAddr;
}

/** Undefined when nc may be given this address and port; else why not. */
export function checkNodeTarget(addr: string, port: number): string | undefined {
  if (!Number.isInteger(port) || port < 1 || port > 65535) return `port ${port} is not 1–65535`;
  const hostName = /^(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;
  if (parseIp(addr)) return undefined;
  // Digits and dots that are no IP address are no name either (a name's last label is not numeric).
  if (hostName.test(addr) && !/^[\d.]+$/.test(addr)) return undefined;
  return `"${addr.slice(0, 80)}" is no IP address or host name`;
}

const MARK = '@@dne-node';

/**
 * `nc -w W ADDR PORT </dev/null` for each target at once, each in a background subshell whose
 * lines carry its index. Debian's static busybox 1.35 (the lab's image) has no `nc -z`: with
 * stdin at EOF, nc returns once the listener closes, and `timeout` ends it when the listener
 * keeps the connection open (connected all the same). A blank line before each marker keeps it
 * off a line the listener's bytes left unfinished.
 */
const SCRIPT = [
  'w=$1; shift',
  ...SHELL_TOOLS,
  'NC=$(pick nc); TO=$(pick timeout)',
  'probe() {',
  `  if [ -z "$NC" ]; then echo "${MARK} missing"; return; fi`,
  '  s=$(now)',
  '  if [ -n "$TO" ]; then $TO "$((w + 1))" $NC -w "$w" "$1" "$2" </dev/null; else $NC -w "$w" "$1" "$2" </dev/null; fi',
  '  r=$?',
  `  echo; echo "${MARK} end $r $(($(now) - s))"`,
  '}',
  'i=0',
  'while [ $# -ge 2 ]; do',
  '  (probe "$1" "$2" 2>&1 | while IFS= read -r line; do echo "$i $line"; done) &',
  '  i=$((i + 1)); shift 2',
  'done',
  'wait',
].join('\n');

/** The argv to exec in the helper: `sh -c SCRIPT sh WAIT (ADDR PORT)…`. Throws on a target checkNodeTarget refuses. */
export function nodeProbeCommand(targets: readonly PortTarget[], waitSeconds = NODE_PROBE_WAIT_SECONDS): string[] {
  for (const target of targets) {
    const bad = checkNodeTarget(target.addr, target.port);
    if (bad) throw new Error(`not probing ${target.node}: ${bad}`);
  }
  return ['sh', '-c', SCRIPT, 'sh', String(waitSeconds), ...targets.flatMap((target) => [target.addr, String(target.port)])];
}

/** How long the helper's exec may take: every check runs side by side, each bounded by `timeout`. */
export function nodeProbeDeadlineMs(waitSeconds = NODE_PROBE_WAIT_SECONDS): number {
  return (waitSeconds + 1 + 5) * 1000;
}

/** `timeout` ends nc with SIGTERM: 143 (busybox), 124 (coreutils). */
const KILLED = new Set([124, 143]);

/** Each target's outcome from the script's output; `finished`: the exec ended before its deadline. */
export function readNodeProbeOutput(output: string, targets: readonly PortTarget[], finished: boolean): NodePortResult[] {
  const lines = targets.map((): string[] => []);
  for (const line of output.split('\n')) {
    const match = /^(\d+) (.*)$/.exec(line);
    const index = match ? Number(match[1]) : -1;
    if (match && index < lines.length) lines[index].push(match[2]);
  }
  return targets.map((target, i) => ({ ...target, outcome: judge(lines[i], finished) }));
}

function judge(lines: readonly string[], finished: boolean): NodePortOutcome {
  if (lines.some((line) => line === `${MARK} missing`)) return { kind: 'unchecked', why: 'no nc there (nor a busybox that has it)' };
  const end = lines.map((line) => new RegExp(`^${MARK} end (\\d+)`).exec(line)).find((match) => match);
  if (!end)
    return { kind: 'unchecked', why: finished ? 'the check printed nothing' : `no result within ${nodeProbeDeadlineMs() / 1000} s` };
  const code = Number(end[1]);
  const said = lines
    .filter((line) => !line.startsWith(MARK) && line.trim() !== '')
    .join(' ')
    .trim()
    .slice(0, 300);
  if (code === 0) return { kind: 'open' };
  // Ended by `timeout`, not by nc's own -w: the connection was made and the listener kept it open.
  if (KILLED.has(code) && !/timed out/i.test(said)) return { kind: 'open' };
  if (/refused/i.test(said)) return { kind: 'refused', said };
  if (/timed out/i.test(said)) return { kind: 'timeout', said };
  if (/unreachable|no route/i.test(said)) return { kind: 'unreachable', said };
  if (code === 127 || /not found/i.test(said)) return { kind: 'unchecked', why: `nc could not run (${said || `exit ${code}`})` };
  return { kind: 'failed', said: said || `exit ${code}` };
}

/** The outcome in a few words: "timed out", "refused". */
export function outcomeWords(outcome: NodePortOutcome): string {
  switch (outcome.kind) {
    case 'open':
      return 'open';
    case 'timeout':
      return 'timed out';
    case 'unchecked':
      return `not checked (${outcome.why})`;
    default:
      return outcome.kind;
  }
}
