/**
 * DNE220 and DNE218's node-side part, pure: what the swarm's nodes found when they dialled each
 * other's TCP ports (swarmNodeProbe.ts). A port closed from this machine too is DNE216/217's
 * already ("open it from every node"): DNE220 is for a path that only a node's side shows closed.
 */
import { Codes } from '../codes';
import type { Finding } from '../finding';
import { findingAt } from './anchor';
import type { NodePortResult, NodeProbeRan, NodeProbeRun } from './swarmNodeProbe';
import { nodeNameOf, outcomeWords } from './swarmNodeProbe';
import { GOSSIP_PORT, type PortResult, type SwarmGroup } from './swarmPorts';

/** How the user turns the node-side probe on: the setting, and the CLI flag. */
export const PROBE_FROM_NODES_HOW =
  'the dockerNetworkExplorer.diagnostics.probeFromNodes setting or diagnose --probe-from-nodes checks it from each node, with a short-lived helper container there';

const same = (a: { node: string; addr: string; port: number }, b: { node: string; addr: string; port: number }) =>
  a.node === b.node && a.addr === b.addr && a.port === b.port;

const closed = (result: NodePortResult) => result.outcome.kind !== 'open' && result.outcome.kind !== 'unchecked';

/** DNE220: for each pair (from, to), the ports `from` could not open that this machine could. */
export function nodeProbeFindings(group: SwarmGroup, ports: readonly PortResult[], runs: readonly NodeProbeRun[]): Finding[] {
  const ran = runs.filter((run): run is NodeProbeRan => run.kind === 'ran');
  const dataPort = (group.listed?.by ?? group.members[0]).swarm.dataPathPort;
  return ran.flatMap((run) => {
    const failed = run.results.filter(
      (result) => closed(result) && !ports.some((port) => same(port, result) && port.result.kind !== 'open'),
    );
    const byNode = new Map<string, NodePortResult[]>();
    for (const result of failed) byNode.set(result.node, [...(byNode.get(result.node) ?? []), result]);
    return [...byNode].map(([node, results]) => {
      const from = nodeNameOf(run.from);
      const fromAddr = run.from.swarm.nodeAddr;
      // One address for all (the usual): said once, up front; else with each port.
      const oneAddr = results.every((result) => result.addr === results[0].addr);
      const list = results
        .map((result, i) => `${i === 0 ? `${node}'s ` : ''}${result.port}/tcp${oneAddr ? '' : ` at ${result.addr}`}: ${said(result)}`)
        .join('; ');
      const openHere = results.filter((result) => ports.some((port) => same(port, result)));
      const elsewhere = ran
        .filter((other) => other !== run && nodeNameOf(other.from) !== node)
        .flatMap((other) => {
          const theirs = other.results.filter((result) => results.some((mine) => same(mine, result)));
          return theirs.length && theirs.every((result) => result.outcome.kind === 'open') ? [nodeNameOf(other.from)] : [];
        });
      const portList = [...new Set(results.map((result) => result.port))];
      const rules = portList.map((port) => `iptables -I INPUT -p tcp${fromAddr ? ` -s ${fromAddr}` : ''} --dport ${port} -j ACCEPT`);
      const gossip = portList.includes(GOSSIP_PORT) ? `, with ${GOSSIP_PORT}/udp beside it` : '';
      return findingAt(
        (results[0].view ?? run.from).settings.storeAnchor,
        'error',
        Codes.swarmPortClosedBetweenNodes,
        `Swarm node "${from}" cannot open ${portList.map((port) => `${port}/tcp`).join(' and ')} of node "${node}"${oneAddr ? ` at ${results[0].addr}` : ''}: from ${from}, ${list}` +
          ` (nc in a helper container on ${from}'s network).` +
          contrast(openHere.length > 0, elsewhere, portList.length === 1 ? 'it is' : 'they are') +
          (openHere.length || elsewhere.length
            ? `: the path from ${from} is what is closed, by a firewall on ${node} against ${from}'s address${fromAddr ? ` ${fromAddr}` : ''}, on ${from}'s way out, or between them. `
            : ' ') +
          `Open ${portList.length === 1 ? 'it' : 'them'} on ${node} for every node (${rules.join('; ')}${gossip}; the data port ${dataPort}/udp likewise; cloud security groups too), ` +
          `and look at ${from}'s own rules (iptables -S OUTPUT).`,
      );
    });
  });
}

/** Where else the same ports are open: " From this machine they are open, and from docker3 too". */
function contrast(here: boolean, nodes: readonly string[], itThey: string): string {
  if (here) return ` From this machine ${itThey} open${nodes.length ? `, and from ${nodes.join(', ')} too` : ''}`;
  return nodes.length ? ` From ${nodes.join(', ')} ${itThey} open` : '';
}

function said(result: NodePortResult): string {
  const words = outcomeWords(result.outcome);
  return 'said' in result.outcome && result.outcome.said ? `${words} (nc: "${result.outcome.said.replace(/^nc: /, '')}")` : words;
}

/**
 * DNE218's sentence on the paths between nodes: undefined runs (the probe is off) say it was not
 * checked and how to turn it on; else what each node found, and the nodes nothing was dialled from.
 */
export function nodeProbeSentence(runs: readonly NodeProbeRun[] | undefined): { said: string; pathsUnchecked: boolean } {
  if (!runs) return { said: '', pathsUnchecked: true };
  const ran = runs.filter((run): run is NodeProbeRan => run.kind === 'ran');
  const notRun = runs.filter((run) => run.kind === 'not-run');
  // A lone node has no one to dial: nothing to say for it.
  const perNode = ran
    .filter((run) => run.results.length || run.rejected.length)
    .map((run) => {
      const open = run.results.filter((result) => result.outcome.kind === 'open').length;
      const unchecked = run.results.filter((result) => result.outcome.kind === 'unchecked');
      const nodes = new Set(run.results.map((result) => result.node)).size;
      return (
        `${nodeNameOf(run.from)}: ${run.results.length} TCP port${run.results.length === 1 ? '' : 's'} on ${nodes} node${nodes === 1 ? '' : 's'}, ${open} open` +
        (unchecked.length
          ? `, ${unchecked.length} not checked (${[...new Set(unchecked.map((result) => outcomeWords(result.outcome)))].join('; ')})`
          : '') +
        (run.rejected.length ? `, ${run.rejected.map((entry) => `${entry.target.node} not dialled: ${entry.why}`).join('; ')}` : '')
      );
    });
  const measured = perNode.length
    ? `Measured from the nodes themselves (a helper container with each node's network, removed after): ${perNode.join('; ')}. `
    : '';
  const skipped = notRun.length ? `Not checked from ${notRun.map((run) => `${run.from} (${run.why})`).join(', ')}. ` : '';
  return { said: measured + skipped, pathsUnchecked: notRun.length > 0 || ran.length === 0 };
}
