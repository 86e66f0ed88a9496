/**
 * The node-side probe's live half: on each node that can be asked, one helper container with the
 * node's own network (`--network host`), made from an image already there (never pulled), runs
 * swarmNodeProbe's script for every other node's targets once, and is removed whatever happens.
 */
import { execInContainer } from '../../docker/containerExec';
import { DockerCallError, DockerClient } from '../../docker/dockerClient';
import { DEFAULT_HELPER_IMAGES, presentHelperImage, withHelper } from '../../docker/helperContainer';
import { parseDockerUrl } from '../../hosts/dockerUrl';
import type { HostKeyTrust } from '../../ssh/hostKeyTrust';
import { errorMessage } from '../../util/errors';
import {
  NODE_PROBE_WAIT_SECONDS,
  nodeProbeCommand,
  nodeProbeDeadlineMs,
  nodeNameOf,
  nodeProbePlans,
  readNodeProbeOutput,
  type NodeProbePlan,
  type NodeProbeRun,
} from './swarmNodeProbe';
import type { SwarmGroup } from './swarmPorts';

/** HELPER_LABEL's value on a node probe's helper. */
export const NODE_PROBE_LABEL = 'swarm-node-probe';

export interface NodeProbeOptions {
  /** Per Docker request. */
  timeoutMs: number;
  helperImages?: readonly string[];
  hostKeys?: HostKeyTrust;
}

/** Every node's side of the group, side by side. */
export function probeFromNodes(group: SwarmGroup, options: NodeProbeOptions): Promise<NodeProbeRun[]> {
  return Promise.all(nodeProbePlans(group).map((plan) => (plan.kind === 'plan' ? runPlan(plan, options) : plan)));
}

async function runPlan(plan: NodeProbePlan, options: NodeProbeOptions): Promise<NodeProbeRun> {
  const { from, targets, rejected } = plan;
  const notRun = (why: string): NodeProbeRun => ({ kind: 'not-run', from: nodeNameOf(from), why });
  if (!targets.length) return { kind: 'ran', from, image: '', results: [], rejected };
  const parsed = from.host.config?.endpoint ? { endpoint: from.host.config.endpoint } : parseDockerUrl(from.host.url);
  if (!parsed.endpoint) return notRun('no usable address for its daemon');
  const client = new DockerClient(parsed.endpoint, from.host.name, { timeoutMs: options.timeoutMs, hostKeys: options.hostKeys });
  const images = options.helperImages?.length ? options.helperImages : DEFAULT_HELPER_IMAGES;
  try {
    const image = await presentHelperImage(client, images);
    if (!image) return notRun(`no helper image there: looked for ${images.join(', ')}; none is pulled`);
    const deadlineMs = nodeProbeDeadlineMs(NODE_PROBE_WAIT_SECONDS);
    const spec = { image, networkMode: 'host', label: NODE_PROBE_LABEL, lifetimeSeconds: deadlineMs / 1000 + 30 };
    const result = await withHelper(client, spec, (helperId) =>
      execInContainer(client, helperId, nodeProbeCommand(targets, NODE_PROBE_WAIT_SECONDS), deadlineMs),
    );
    return { kind: 'ran', from, image, results: readNodeProbeOutput(result.output, targets, result.exitCode !== null), rejected };
  } catch (error) {
    // Docker's own words (a daemon that refuses host networking, a policy plugin…), not ours around them.
    return notRun(`the helper container failed: ${error instanceof DockerCallError ? error.reason : errorMessage(error)}`);
  }
}
