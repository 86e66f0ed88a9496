/**
 * What every network command shares: the host it works on, the progress notification an
 * operation runs under, and the one message a failure becomes.
 */
import * as vscode from 'vscode';
import { progressTitle } from '../untrusted';
import type { DockerClient } from '../../core/docker/dockerClient';
import { DockerRequestError, describeRequest } from '../../core/docker/dockerOperationsClient';
import type { HostMonitor } from '../../core/docker/hostMonitor';
import type { HostRegistry } from '../../core/docker/hostRegistry';
import type { HostSnapshot } from '../../core/model/snapshot';
import { explainDockerRefusal } from '../../core/operations/dockerRefusals';
import { NetworkOperations, OperationRefusedError, OperationRolledBackError } from '../../core/operations/networkOperations';
import type { Prompter } from './prompter';
import { errorMessage } from '../../core/util/errors';

export interface CommandContext {
  registry: HostRegistry;
  /** The prompter for this run: VS Code's UI, or a test's script while one is installed. */
  prompter: Prompter;
}

/** A connected host: its monitor (whose snapshot follows the event stream) and operations. */
export interface HostHandle {
  monitor: HostMonitor;
  client: DockerClient;
  operations: NetworkOperations;
  /** The snapshot as of now: validation while typing always sees the latest state. */
  snapshot(): HostSnapshot;
}

export function hostHandle(monitor: HostMonitor): HostHandle {
  const client = monitor.client;
  if (!client) throw new Error(`Host ${monitor.host.name} cannot be used: ${monitor.host.problem ?? 'no daemon address'}.`);
  return {
    monitor,
    client,
    operations: new NetworkOperations(client),
    snapshot: () => {
      const state = monitor.state;
      if (state.kind === 'connected') return state.snapshot;
      const why = 'reason' in state ? `: ${state.reason}` : '';
      throw new Error(`Host ${monitor.host.name} is not connected (${state.kind}${why}).`);
    },
  };
}

/**
 * Runs a daemon operation under a progress notification. The tree is not refreshed afterwards:
 * the host's event stream reports the change. A failure becomes one message that starts with
 * `failure` ("Network tb was not created") and says why.
 */
export async function runOperation<T>(title: string, failure: string, task: () => Promise<T>): Promise<T> {
  try {
    return await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: progressTitle(title) }, task);
  } catch (error) {
    throw new Error(describeFailure(failure, error), { cause: error });
  }
}

export function describeFailure(failure: string, error: unknown): string {
  if (error instanceof OperationRefusedError) {
    const problems = error.problems.map((problem) => `${fieldLabel(problem.field)}: ${problem.message}`);
    return `${failure}; nothing was sent to Docker. ${problems.join(' ')}`;
  }
  if (error instanceof DockerRequestError) {
    // Docker's words untouched, and the request that drew them.
    const explanation = explainDockerRefusal(error.reason);
    return `${failure}. Docker answered: "${error.reason}".${explanation ? ` ${explanation}` : ''} Sent: ${describeRequest(error.request)}`;
  }
  if (error instanceof OperationRolledBackError) return `${failure}. ${error.message}`;
  return `${failure}: ${errorMessage(error)}`;
}

const FIELD_LABELS: Record<string, string> = {
  name: 'Name',
  driver: 'Driver',
  subnet: 'Subnet',
  gateway: 'Gateway',
  ipRange: 'IP range',
  bridgeName: 'Bridge name',
  mtu: 'MTU',
  labels: 'Labels',
  ipv6Subnet: 'IPv6 subnet',
  ipv6Gateway: 'IPv6 gateway',
  internal: 'Internal',
  attachable: 'Attachable',
  icc: 'Inter-container communication',
  container: 'Container',
  network: 'Network',
  aliases: 'Aliases',
  links: 'Links',
  ipv4Address: 'IPv4 address',
};

/** The field as the input step titles it, so the message points at the step to fix. */
export function fieldLabel(field: string): string {
  return FIELD_LABELS[field] ?? field;
}
