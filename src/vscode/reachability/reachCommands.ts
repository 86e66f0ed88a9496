/**
 * "Check Reachability To…" (a container's context menu, the palette; the topology passes
 * `{ hostId, containerId }`) and "Show Reachability Matrix" (a network or host row, the palette).
 * Both explain from the snapshots the explorer already holds: nothing is sent to any daemon.
 */
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import { DEFAULT_SOCKET } from '../../core/hosts/dockerUrl';
import type { HostRegistry } from '../../core/docker/hostRegistry';
import { explain } from '../../core/reachability/explain';
import { explainMatrix, matrixLabels, matrixMembers, reference } from '../../core/reachability/matrix';
import { ReachIndex, type ContainerNode } from '../../core/reachability/reachIndex';
import { probeAgrees, probeRequestFor } from '../../core/reachability/probeRequest';
import { thisMachineRoutes } from '../../core/reachability/routes';
import type { ReachAnswer, ReachHost, ReachQuestion } from '../../core/reachability/types';
import { commandTarget } from '../commands/commandTarget';
import { BACK, type Prompter } from '../commands/prompter';
import { registerCommand } from '../commands/registerCommand';
import { errorMessage } from '../../core/util/errors';
import { VsCodePrompter } from '../commands/vscodePrompter';
import { notify, progressTitle } from '../untrusted';
import type { TopologyPaths } from '../topology/topologyPanel';
import { answerPage, matrixPage } from './reachPages';
import { proveLive } from './reachProof';

export const CHECK_REACHABILITY = 'dockerNetworkExplorer.checkReachability';
export const REACHABILITY_MATRIX = 'dockerNetworkExplorer.reachabilityMatrix';

/** What the topology (or a test) passes instead of a tree row. */
export interface ContainerRef {
  hostId: string;
  containerId: string;
}

/** The answer notification's buttons. */
export const SHOW_PATH = 'Show Path on Topology';
export const PROVE_IT = 'Prove It (runs a check inside FROM)';
/** Each live check's wait. */
const PROBE_TIMEOUT_MS = 3000;

export function registerReachability(registry: HostRegistry, log: vscode.LogOutputChannel, topology: TopologyPaths): vscode.Disposable {
  const prompter: Prompter = new VsCodePrompter();
  const panels = new Map<string, vscode.WebviewPanel>();
  const show = (kind: 'answer' | 'matrix', title: string, html: string) => {
    // An answer goes into another column than an open topology: the lit path and the answer both in sight
    // (in the same column one would hide the other, and a hidden topology page is torn down).
    const beside = kind === 'answer' ? besideTopology(topology.column()) : undefined;
    let panel = panels.get(kind);
    if (!panel) {
      panel = vscode.window.createWebviewPanel(`dockerNetworkExplorer.reachability.${kind}`, title, beside ?? vscode.ViewColumn.Active, {
        enableScripts: false,
        enableFindWidget: true,
      });
      panels.set(kind, panel);
      panel.onDidDispose(() => panels.delete(kind));
    }
    panel.title = title;
    panel.webview.html = html;
    panel.reveal(beside ?? panel.viewColumn);
  };
  const index = async (): Promise<ReachIndex> => {
    await registry.ready(10_000);
    const hosts: ReachHost[] = [];
    for (const monitor of registry.all) {
      const state = monitor.state;
      if (state.kind !== 'connected') continue;
      const endpoint = monitor.host.endpoint;
      // The default socket's daemon shares this machine's network stack: its routes are ours.
      const routes = endpoint?.kind === 'unix' && endpoint.socketPath === DEFAULT_SOCKET ? thisMachineRoutes() : undefined;
      hosts.push({ name: monitor.host.name, snapshot: state.snapshot, ...(routes ? { routes } : {}) });
    }
    if (hosts.length === 0) throw new Error('No Docker host is connected: nothing to explain.');
    return new ReachIndex(hosts);
  };

  const check = async (arg?: unknown) => {
    const reach = await index();
    const from = await pickFrom(prompter, reach, arg);
    if (!from) return;
    const target = await pickTarget(prompter, reach, from);
    if (target === undefined) return;
    const port = await askPort(prompter);
    if (port === null) return;
    // An unknown FROM cannot happen here (picked from the index); registerCommand shows any error.
    const question: ReachQuestion = { from: reference(reach, from), target, ...(port === undefined ? {} : { port }) };
    const answer: ReachAnswer = { ...explain(reach, question), from: from.container.name };
    const title = `Reach: ${from.container.name} → ${target}`;
    show('answer', title, answerPage(answer, nonce()));
    log.info(
      `reachability ${from.container.name} → ${target}${port === undefined ? '' : `:${port}`}: ${answer.verdict} (${answer.reasons[0]?.code ?? ''})`,
    );
    if (topology.isOpen()) await topology.showPath(answer, false);
    // Not awaited: the command is done; the buttons act later, and report their own errors.
    void offerMore(reach, from, question, answer, title).catch((error: unknown) => {
      log.error(`reachability: ${errorMessage(error)}`);
      void notify('error', errorMessage(error));
    });
  };

  /** The answer in one line, with "Show Path on Topology" and "Prove It" where they apply. */
  const offerMore = async (reach: ReachIndex, from: ContainerNode, question: ReachQuestion, answer: ReachAnswer, title: string) => {
    const request = probeRequestFor(reach, question, answer, PROBE_TIMEOUT_MS);
    const buttons = [...(answer.path && !topology.isOpen() ? [SHOW_PATH] : []), ...('problem' in request ? [] : [PROVE_IT])];
    const port = answer.port === null ? '' : ` port ${answer.port}`;
    const choice = await notify(
      'information',
      `${answer.from} → ${answer.target}${port}: ${answer.verdict}. ${answer.reasons[0]?.message ?? ''}`,
      {},
      ...buttons,
    );
    if (choice === SHOW_PATH) return topology.showPath(answer, true);
    if (choice !== PROVE_IT || 'problem' in request) return;
    const client = registry.monitor(from.host.id)?.client;
    if (!client) throw new Error(`${from.host.name} is not connected: nothing can run there.`);
    const probe = await proveLive(client, request, from.host.name);
    if (!probe) return void log.info(`reachability probe ${answer.from} → ${answer.target}${port}: cancelled`);
    const proven: ReachAnswer = { ...answer, probe };
    show('answer', title, answerPage(proven, nonce()));
    const agrees = probeAgrees(answer, probe);
    log.info(
      `reachability probe ${answer.from} → ${answer.target}${port}: ${probe.verdict}${agrees === false ? ' (disagrees with the explanation)' : ''}`,
    );
    if (agrees === false)
      void notify(
        'warning',
        `The probe says ${probe.verdict}, the explanation ${answer.verdict}: ${answer.from} → ${answer.target}${port}. Something the daemons do not report decides here (a firewall, iptables rules, a daemon bug): see the evidence.`,
      );
  };

  const matrix = async (node?: unknown) => {
    const reach = await index();
    const scope = await pickScope(prompter, reach, node);
    if (!scope) return;
    const members = matrixMembers(reach, scope.filter);
    const cells = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: progressTitle(`Reachability matrix of ${scope.title}`), cancellable: true },
      (progress, token) => {
        let reported = 0;
        return explainMatrix(reach, members, {
          isCancelled: () => token.isCancellationRequested,
          onProgress: (done, total) => {
            const percent = total === 0 ? 100 : (done / total) * 100;
            progress.report({ increment: percent - reported, message: `${done} of ${total} pairs` });
            reported = percent;
          },
        });
      },
    );
    if (!cells) return;
    show(
      'matrix',
      `Reachability: ${scope.title}`,
      matrixPage(`Reachability matrix: ${scope.title}`, matrixLabels(members), cells, nonce()),
    );
  };

  const disposables = [registerCommand(log, CHECK_REACHABILITY, check), registerCommand(log, REACHABILITY_MATRIX, matrix)];
  return {
    dispose() {
      for (const disposable of disposables) disposable.dispose();
      for (const panel of [...panels.values()]) panel.dispose();
    },
  };
}

function besideTopology(column: vscode.ViewColumn | undefined): vscode.ViewColumn | undefined {
  if (column === undefined) return undefined;
  return column === vscode.ViewColumn.One ? vscode.ViewColumn.Two : vscode.ViewColumn.One;
}

function nonce(): string {
  return randomBytes(16).toString('base64');
}

async function pickFrom(prompter: Prompter, reach: ReachIndex, arg: unknown): Promise<ContainerNode | undefined> {
  const ref = isContainerRef(arg) ? arg : containerOf(arg);
  if (ref) {
    const node = reach.containers.find((candidate) => candidate.host.id === ref.hostId && candidate.container.id === ref.containerId);
    if (!node) throw new Error('That container is no longer there.');
    return node;
  }
  const picked = await prompter.pick({
    id: 'from',
    title: 'Check Reachability',
    placeholder: 'From which container?',
    items: reach.containers.map((node) => ({
      label: node.container.name,
      description: `${node.host.name} · ${node.container.state}`,
      value: node,
    })),
  });
  return picked === BACK ? undefined : picked;
}

function isContainerRef(arg: unknown): arg is ContainerRef {
  const ref = arg as Partial<ContainerRef> | null | undefined;
  return typeof ref === 'object' && ref !== null && typeof ref.hostId === 'string' && typeof ref.containerId === 'string';
}

/** The container a tree row or a graph element stands for (an endpoint: its container). */
function containerOf(arg: unknown): ContainerRef | undefined {
  const target = commandTarget(arg);
  if (target?.on === 'container') return { hostId: target.hostId, containerId: target.subject.id };
  if (target?.on === 'endpoint') return { hostId: target.hostId, containerId: target.pair.container };
  return undefined;
}

/** The target: another container, the host, or whatever the user types (a name, alias, IP). */
async function pickTarget(prompter: Prompter, reach: ReachIndex, from: ContainerNode): Promise<string | undefined> {
  const picked = await prompter.pick({
    id: 'target',
    title: `Check Reachability from ${from.container.name} to…`,
    placeholder: 'A container, or type a name as it would (alias, link alias, short ID) or an IPv4 address',
    items: [
      { label: 'host', description: `${from.host.name} itself (with a port: what it publishes)`, value: 'host' },
      ...reach.containers
        .filter((node) => node !== from)
        .map((node) => ({
          label: node.container.name,
          description: `${node.host.name} · ${node.ns.endpoints.map((view) => view.net.network.name).join(', ') || node.ns.mode}`,
          value: reference(reach, node),
        })),
    ],
    typed: (text) => (text ? { label: text, description: 'as typed', value: text } : undefined),
  });
  return picked === BACK ? undefined : picked;
}

/** undefined: no port (any traffic); null: cancelled. */
async function askPort(prompter: Prompter): Promise<number | undefined | null> {
  const text = await prompter.input({
    id: 'port',
    title: 'Check Reachability: port',
    prompt: 'A TCP port to check (a listener is assumed), or empty for any traffic (what ping would show)',
    validate: (value) =>
      value.trim() === '' || (/^\d+$/.test(value.trim()) && Number(value) >= 1 && Number(value) <= 65535)
        ? undefined
        : 'A port from 1 to 65535, or empty',
  });
  if (text === undefined || text === BACK) return null;
  return text.trim() === '' ? undefined : Number(text.trim());
}

type Scope = { title: string; filter: { hostId?: string; networkId?: string } };

async function pickScope(prompter: Prompter, reach: ReachIndex, arg: unknown): Promise<Scope | undefined> {
  const target = commandTarget(arg);
  if (target?.on === 'network') return { title: target.subject.name, filter: { networkId: target.subject.id } };
  const hostId = target?.hostId;
  const host = hostId ? reach.hosts.find((candidate) => candidate.id === hostId) : undefined;
  if (host) return { title: host.name, filter: { hostId: host.id } };
  const picked = await prompter.pick<Scope>({
    id: 'scope',
    title: 'Reachability Matrix',
    placeholder: 'Of a whole host, or of one network',
    items: [
      ...reach.hosts.map((entry) => ({
        label: entry.name,
        description: 'every container of the host',
        value: { title: entry.name, filter: { hostId: entry.id } },
      })),
      ...[...reach.nets.values()]
        .filter((net) => net.members.length > 1)
        .map((net) => ({
          label: net.network.name,
          description: `network · ${net.hosts.map((entry) => entry.name).join(', ')}`,
          value: { title: net.network.name, filter: { networkId: net.network.id } },
        })),
    ],
  });
  return picked === BACK ? undefined : picked;
}
