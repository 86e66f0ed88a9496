/**
 * The Containers view grouped by Compose project, as Container Tools users expect: a row per
 * `com.docker.compose.project` label (the label `docker compose` puts on every container it
 * makes), holding that project's containers; containers of no project follow the groups.
 */
import type { ContainerModel } from '../model/snapshot';
import type { ExplorerNode } from './explorerNode';

export const COMPOSE_PROJECT_LABEL = 'com.docker.compose.project';

export function composeProjectRows(
  hostRowId: string,
  rows: ReadonlyArray<{ container: ContainerModel; node: ExplorerNode }>,
): ExplorerNode[] {
  const projects = new Map<string, ExplorerNode[]>();
  const loose: ExplorerNode[] = [];
  for (const { container, node } of rows) {
    const project = container.labels[COMPOSE_PROJECT_LABEL];
    if (!project) loose.push(node);
    else projects.set(project, [...(projects.get(project) ?? []), node]);
  }
  const groups = [...projects.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([project, children]): ExplorerNode => {
      const running = children.filter((child) => child.contextValue === 'container.running').length;
      const counts = `${children.length} container${children.length === 1 ? '' : 's'}, ${running} running`;
      return {
        // encodeURIComponent: the label is the daemon's text, the id must not collide with another row's path.
        id: `${hostRowId}/compose/${encodeURIComponent(project)}`,
        kind: 'group',
        label: project,
        description: counts,
        tooltip: `Compose project ${project}\n${counts}`,
        icon: { id: 'layers' },
        contextValue: 'composeProject',
        children,
        expanded: true,
      };
    });
  return [...groups, ...loose];
}
