import type cytoscape from 'cytoscape';
import type { TopologyElement } from '../src/core/topology/topologyElements';

/**
 * Model elements → Cytoscape definitions (no DOM here: the layout's unit test uses them too).
 * The model's `parent` becomes `host`: hosts are plain nodes here, not compounds (hostFrames.ts).
 */
export function toData({ data }: TopologyElement): Record<string, unknown> {
  const { parent, ...rest } = data;
  return parent === undefined ? rest : { ...rest, host: parent };
}

/** Edges whose label labels.ts places near their source container (the offset is per edge). */
const labelled = (element: TopologyElement) => element.data.kind === 'endpoint' || element.data.kind === 'link';

export const toDefinition = (element: TopologyElement): cytoscape.ElementDefinition => ({
  group: element.group,
  data:
    element.data.kind === 'host'
      ? { ...toData(element), frameW: 120, frameH: 60 }
      : labelled(element)
        ? { ...toData(element), labelOffset: 20 }
        : toData(element),
  classes: element.classes,
});
