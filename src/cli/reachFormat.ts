/** A reachability answer as the CLI prints it: plain text (Docker's strings neutralised) or JSON. */
import { probeAgrees } from '../core/reachability/probeRequest';
import type { ReachAnswer } from '../core/reachability/types';
import { neutralise } from '../core/util/untrustedText';

export function reachJson(answer: ReachAnswer): Record<string, unknown> {
  const agrees = probeAgrees(answer, answer.probe);
  return { ...answer, ...(answer.probe ? { probeAgrees: agrees } : {}) };
}

export function reachText(answer: ReachAnswer): string {
  const safe = neutralise;
  const lines: string[] = [];
  const port = answer.port === null ? '' : ` port ${answer.port}`;
  lines.push(`${safe(answer.from)} → ${safe(answer.target)}${port}: ${answer.verdict.toUpperCase()}`);
  if (answer.names.length > 0) {
    lines.push('names:');
    for (const name of answer.names) {
      const where = name.network ? ` on ${safe(name.network)}` : '';
      lines.push(
        `  ${safe(name.name)} (${name.kind})${where}: ${name.resolves ? `→ ${name.addresses.map(safe).join(', ')}` : `does not resolve${name.because ? ` (${name.because})` : ''}`}`,
      );
    }
  }
  if (answer.networks.length > 0) {
    lines.push('networks shared:');
    for (const net of answer.networks) {
      const ports = net.ports === 'all' ? 'all ports' : net.ports.length > 0 ? `ports ${net.ports.join(', ')} only` : 'nothing';
      lines.push(
        `  ${safe(net.name)} (${safe(net.driver)}${net.internal ? ', internal' : ''}${net.icc ? '' : ', ICC off'}): ${safe(net.fromAddress ?? '-')} → ${safe(net.targetAddress ?? '-')}, ${net.passes ? 'passes' : 'blocked'} (${ports})`,
      );
    }
  }
  if (answer.path) {
    const blocked = answer.path.blockedAt;
    lines.push(
      `path: ${answer.path.steps.map((step) => `${safe(step.name)}${blocked && blocked.kind === step.kind && blocked.id === step.id ? ' ✗' : ''}`).join(' → ')}`,
    );
  }
  lines.push(answer.verdict === 'reachable' ? 'why:' : 'why not:');
  for (const reason of answer.reasons) lines.push(`  [${reason.code}] ${safe(reason.message)}`);
  if (answer.probe) {
    const agrees = probeAgrees(answer, answer.probe);
    lines.push(
      `probe: ${answer.probe.verdict.toUpperCase()}${agrees === false ? ' — DISAGREES with the explanation: something the model does not show (a firewall, iptables rules, a daemon bug) decides here' : agrees ? ' (agrees)' : ''}`,
    );
    for (const evidence of answer.probe.evidence) {
      lines.push(`  ${evidence.ok ? '✓' : '✗'} ${evidence.check} (${evidence.durationMs} ms): ${safe(evidence.command)}`);
      for (const line of evidence.output.split('\n').filter(Boolean).slice(0, 8)) lines.push(`      ${safe(line)}`);
    }
  }
  return `${lines.join('\n')}\n`;
}
