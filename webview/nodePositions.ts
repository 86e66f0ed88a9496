import type cytoscape from 'cytoscape';
import type { Position, Positions } from '../src/core/topology/protocol';

/**
 * Where each node is: received with every snapshot (the extension keeps them in the workspace
 * state, so they outlive closing the panel and reloading the window) and sent back whenever
 * nodes are placed or dragged (only those).
 */
export class NodePositions {
  private readonly known = new Map<string, Position>();

  constructor(private readonly send: (moved: Positions) => void) {}

  /** What the extension stored: replaces what this page knew. */
  reset(stored: Positions): void {
    this.known.clear();
    for (const [id, at] of Object.entries(stored)) this.known.set(id, at);
  }

  get(id: string): Position | undefined {
    return this.known.get(id);
  }

  /** Keeps where these nodes are now and tells the extension. */
  save(nodes: cytoscape.NodeCollection): void {
    if (nodes.empty()) return;
    const moved: Array<[string, Position]> = nodes.map((node) => [node.id(), { ...node.position() }]);
    for (const [id, at] of moved) this.known.set(id, at);
    this.send(Object.fromEntries(moved));
  }
}
