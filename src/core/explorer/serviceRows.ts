/**
 * A swarm network's services as rows under it (Networks view): each service with its virtual IP
 * and its tasks on every node, as a manager's verbose inspect (`docker network inspect -v`) lists
 * them. The standalone containers of an attachable overlay (the "" service) are not repeated:
 * they are the network's endpoint rows, from the hosts that run them.
 */
import type { SwarmService, SwarmTask } from '../model/snapshot';
import { detailLines } from '../model/format';
import type { ExplorerNode } from './explorerNode';

export function serviceRows(networkRowId: string, services: readonly SwarmService[] | undefined): ExplorerNode[] {
  return (services ?? [])
    .filter((service) => service.name !== '')
    .map((service) => serviceRow(networkRowId, service))
    .sort((a, b) => a.label.localeCompare(b.label));
}

function serviceRow(networkRowId: string, service: SwarmService): ExplorerNode {
  const id = `${networkRowId}/service/${service.name}`;
  const tasks = `${service.tasks.length} task${service.tasks.length === 1 ? '' : 's'}`;
  return {
    id,
    kind: 'service',
    label: service.name,
    // No VIP: a DNSRR service (or one Docker shows as "<nil>"): its name resolves to each task.
    description: `service · ${service.vip ? `VIP ${service.vip}` : 'no VIP (DNS round robin)'} · ${tasks}`,
    tooltip: detailLines([
      ['Service', service.name],
      ['VIP', service.vip ?? 'none: DNS round robin, its name answers with every task'],
      ['Tasks', service.tasks.map(taskText).join('\n  ') || 'none on this network'],
    ]),
    icon: { id: 'layers' },
    contextValue: 'swarmService',
    children: service.tasks.map((task) => taskRow(id, task)).sort((a, b) => a.label.localeCompare(b.label)),
  };
}

function taskRow(serviceRowId: string, task: SwarmTask): ExplorerNode {
  return {
    id: `${serviceRowId}/task/${task.endpointId || task.name}`,
    kind: 'task',
    label: task.name,
    description: [task.ip ?? 'no address', task.hostIp && `on node ${task.hostIp}`].filter(Boolean).join(' · '),
    tooltip: detailLines([
      ['Task', task.name],
      ['Address', task.ip],
      ['Node', task.hostIp],
      ['Endpoint', task.endpointId.slice(0, 12)],
    ]),
    icon: { id: 'vm' },
    contextValue: 'swarmTask',
    children: [],
  };
}

function taskText(task: SwarmTask): string {
  return [task.name, task.ip, task.hostIp && `on ${task.hostIp}`].filter(Boolean).join(' ');
}
