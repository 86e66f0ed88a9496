import { actionSpec, graphLabel, graphState, type GraphAction } from '../../core/topology/topologyActions';
import type { TopologyData } from '../../core/topology/topologyElements';
import type { CommandTarget } from '../commands/commandTarget';

/**
 * The command and its typed target for a graph action on an element the panel drew, checked
 * against the action table as the webview's menu was built from it: a webview asking for an
 * action the element does not offer (Remove on a predefined network, Disconnect on a node) gets
 * an error, not a command run on the wrong thing.
 */
export function actionCommand(
  action: GraphAction,
  data: TopologyData,
  classes: readonly string[],
): { command: string; target: CommandTarget } {
  const state = graphState(data.kind, classes);
  const subject = data.dockerTarget;
  const kind = data.kind === 'network' || data.kind === 'container' || data.kind === 'endpoint' ? data.kind : undefined;
  if (!state || !subject || !kind || graphLabel(action, kind, state) === undefined) {
    throw new Error(`${action} does not apply to this ${data.kind}.`);
  }
  const { command } = actionSpec(action);
  if (kind !== 'endpoint') return { command, target: { on: kind, hostId: subject.hostId, subject } };
  if (!data.networkId) throw new Error('This edge names no network.');
  // An endpoint edge's subject is its container (Inspect would show it); the pair is what Disconnect needs.
  return { command, target: { on: 'endpoint', hostId: subject.hostId, subject, pair: { container: subject.id, network: data.networkId } } };
}
