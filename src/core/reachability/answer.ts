/** Collects an answer's parts while the rules run; blocking reasons lead an unreachable answer. */
import type { ContainerNode, HostNode, NetNode } from './reachIndex';
import type { NameResolution, NetworkOnPath, PathStep, ReachAnswer, ReachQuestion, Reason, ReasonCode, Verdict } from './types';

export class AnswerBuilder {
  readonly names: NameResolution[] = [];
  readonly networks: NetworkOnPath[] = [];
  private readonly blocking: Reason[] = [];
  private readonly facts: Reason[] = [];
  steps: PathStep[] = [];
  blockedAt: PathStep | undefined;

  constructor(private readonly question: ReachQuestion) {}

  block(code: ReasonCode, message: string, at?: PathStep): this {
    this.blocking.push({ code, message });
    if (at && !this.blockedAt) this.blockedAt = at;
    return this;
  }

  fact(code: ReasonCode, message: string): this {
    if (!this.facts.some((reason) => reason.code === code && reason.message === message)) this.facts.push({ code, message });
    return this;
  }

  get blocked(): boolean {
    return this.blocking.length > 0;
  }

  finish(verdict?: Verdict): ReachAnswer {
    const decided = verdict ?? (this.blocked ? 'unreachable' : 'reachable');
    // The assumption about a listener is said last: it qualifies the rest.
    const listener = this.facts.findIndex((reason) => reason.code === 'listener-assumed');
    const facts = listener < 0 ? this.facts : [...this.facts.slice(0, listener), ...this.facts.slice(listener + 1), this.facts[listener]];
    const reasons = decided === 'unreachable' ? [...this.blocking, ...facts] : [...facts, ...this.blocking];
    return {
      from: this.question.from,
      target: this.question.target,
      port: this.question.port ?? null,
      verdict: decided,
      names: this.names,
      networks: this.networks,
      reasons,
      ...(this.steps.length > 0 ? { path: { steps: this.steps, ...(this.blockedAt ? { blockedAt: this.blockedAt } : {}) } } : {}),
      probe: null,
    };
  }
}

export function containerStep(node: ContainerNode): PathStep {
  return { kind: 'container', id: node.container.id, name: node.container.name, hostId: node.host.id };
}

export function networkStep(net: NetNode, host?: HostNode): PathStep {
  return { kind: 'network', id: net.network.id, name: net.network.name, hostId: (host ?? net.hosts[0])?.id };
}

export function hostStep(host: HostNode): PathStep {
  return { kind: 'host', id: host.id, name: host.name, hostId: host.id };
}

/** "for port 80" / "" — the port of the question, said where it matters. */
export function onPort(port: number | undefined): string {
  return port === undefined ? '' : ` on port ${port}`;
}
