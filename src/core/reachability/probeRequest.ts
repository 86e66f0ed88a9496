/**
 * What the live probe is asked to try for an explained question: from FROM's namespace, the same
 * name FROM would type (or the address), expecting the addresses explain found. And whether the
 * probe's verdict agrees with the explanation — a disagreement is a finding, never hidden.
 */
import { findOrigin } from './explain';
import { ipv4, type ReachIndex } from './reachIndex';
import type { ProbeRequest, ProbeResult, ReachAnswer, ReachQuestion } from './types';

export function probeRequestFor(
  index: ReachIndex,
  question: ReachQuestion,
  answer: ReachAnswer,
  timeoutMs: number,
): ProbeRequest | { problem: string } {
  const origin = findOrigin(index, question.from);
  if (origin.kind !== 'container') return { problem: 'only a container can be probed from: FROM is a host or the LAN' };
  const from = origin.node;
  let target = question.target;
  const host = target === 'host' ? from.host : index.findTargets(target).length === 0 ? index.findHost(target) : undefined;
  if (host) {
    // A host is dialled at its address as FROM sees it: the gateway of FROM's network on the same host.
    const gateway =
      host === from.host ? from.ns.endpoints.map((view) => view.endpoint.gateway).find((address) => address && ipv4(address)) : undefined;
    if (!gateway) return { problem: `no address of ${host.name} is known as seen from ${from.container.name}: probe it by IP` };
    target = gateway;
  }
  return {
    hostId: from.host.id,
    fromContainerId: from.ns.container.id,
    fromName: from.container.name,
    target,
    expectedAddresses: answer.names.filter((name) => name.resolves).flatMap((name) => name.addresses),
    ...(question.port === undefined ? {} : { port: question.port }),
    timeoutMs,
  };
}

/** null: the probe decided nothing (inconclusive) or did not run. */
export function probeAgrees(answer: ReachAnswer, probe: ProbeResult | null): boolean | null {
  if (!probe || probe.verdict === 'inconclusive') return null;
  return probe.verdict === answer.verdict;
}
