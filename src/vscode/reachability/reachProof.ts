/**
 * "Prove It": the live probe from the editor (issue #12). Runs the checks inside FROM's network
 * namespace on FROM's own host, with progress and cancel. FROM's own tools first; a helper
 * container only after the user agreed, from an image already on that host (never pulled).
 */
import * as vscode from 'vscode';
import type { DockerClient } from '../../core/docker/dockerClient';
import { DEFAULT_HELPER_IMAGES, LiveProber, toProbeResult, type LiveProbeResult } from '../../core/reachability/probe';
import type { ProbeRequest, ProbeResult } from '../../core/reachability/types';
import { readHelperImages } from '../settings';
import { notify, progressTitle } from '../untrusted';

export const START_HELPER = 'Start Helper Container';

/** Resolves with the probe's result, or undefined when the user cancelled (or declined the helper). */
export async function proveLive(client: DockerClient, request: ProbeRequest, hostName: string): Promise<ProbeResult | undefined> {
  const waitSeconds = Math.max(1, Math.ceil(request.timeoutMs / 1000));
  const question = { from: request.fromContainerId, target: request.target, ...(request.port === undefined ? {} : { port: request.port }) };
  const helperImages = readHelperImages() ?? DEFAULT_HELPER_IMAGES;
  const run = (helper: 'never' | 'always') =>
    withCancel(
      `Proving ${request.fromName} → ${request.target}${request.port === undefined ? '' : ` port ${request.port}`} from inside ${request.fromName}`,
      () => new LiveProber(client, { waitSeconds, helper, helperImages }).probe(question),
    );
  let live = await run('never');
  if (live?.helperRefused) {
    const choice = await notify(
      'warning',
      `${request.fromName} cannot run the checks itself (${live.summary.replace(/; a helper container is not allowed$/, '')}). Start a short-lived helper container in its network namespace on ${hostName}?`,
      {
        modal: true,
        detail: `The helper is made from an image already on ${hostName} (${helperImages.join(' or ')}; nothing is pulled), shares ${request.fromName}'s network (--network container:${request.fromName}), runs the same checks and is removed right after.`,
      },
      START_HELPER,
    );
    if (choice !== START_HELPER) return live ? toProbeResult(live, request) : undefined;
    live = await run('always');
  }
  return live ? toProbeResult(live, request) : undefined;
}

/**
 * Progress with a Cancel button. The checks are bounded by their own timeouts: a cancel stops
 * waiting for them (and a helper is still removed when its checks end).
 */
async function withCancel(title: string, probe: () => Promise<LiveProbeResult>): Promise<LiveProbeResult | undefined> {
  return vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: progressTitle(title), cancellable: true },
    (_progress, token) =>
      new Promise<LiveProbeResult | undefined>((resolve, reject) => {
        const cancelled = token.onCancellationRequested(() => resolve(undefined));
        probe().then(
          (result) => {
            cancelled.dispose();
            resolve(result);
          },
          (error: unknown) => {
            cancelled.dispose();
            reject(error instanceof Error ? error : new Error(String(error)));
          },
        );
      }),
  );
}
