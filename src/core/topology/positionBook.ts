import { parsePositions, type Position, type Positions } from './protocol';
import type { TopologyElement } from './topologyElements';

/** Positions by host (`*` for networks that span hosts), then by element id: what is stored. */
export type StoredPositions = Record<string, Positions>;

/** The key overlays are kept under: they belong to no one host. */
export const SHARED = '*';

/**
 * Where the user left each node of the topology, by host and element, so that it outlives the
 * webview (VS Code drops a closed panel's webview state). Places of nodes no longer drawn are
 * kept (a host that reconnects gets its nodes back where they were), up to a bound per host, the
 * least recently placed dropped first.
 */
export class PositionBook {
  private readonly hosts = new Map<string, Map<string, Position>>();

  /** From what was stored; anything malformed there is dropped, never trusted. */
  constructor(
    stored: unknown,
    private readonly keepPerHost = 5000,
  ) {
    if (typeof stored !== 'object' || stored === null) return;
    for (const [host, positions] of Object.entries(stored)) {
      const parsed = parsePositions(positions);
      if (typeof parsed !== 'string') this.hosts.set(host, new Map(Object.entries(parsed)));
    }
  }

  /** Every position, whichever host it is under (element ids name their host). */
  all(): Positions {
    return Object.fromEntries([...this.hosts.values()].flatMap((positions) => [...positions]));
  }

  /** Keeps `moved` under each element's host (`hostOf`); ids it does not know are ignored. */
  record(moved: Positions, hostOf: (id: string) => string | undefined): void {
    for (const [id, at] of Object.entries(moved)) {
      const host = hostOf(id);
      if (host === undefined) continue;
      let positions = this.hosts.get(host);
      if (!positions) this.hosts.set(host, (positions = new Map()));
      // Re-inserted: a Map keeps insertion order, so the oldest come first when trimming.
      positions.delete(id);
      positions.set(id, { x: at.x, y: at.y });
      for (const oldest of positions.keys()) {
        if (positions.size <= this.keepPerHost) break;
        positions.delete(oldest);
      }
    }
  }

  toJSON(): StoredPositions {
    return Object.fromEntries([...this.hosts].map(([host, positions]) => [host, Object.fromEntries(positions)]));
  }
}

/** The host an element's position is kept under: its host node's, or SHARED for an overlay; none for hosts and edges. */
export function positionHost(element: TopologyElement): string | undefined {
  if (element.group !== 'nodes' || element.data.kind === 'host') return undefined;
  const parent = element.data.parent;
  return parent === undefined ? SHARED : parent.replace(/^host:/, '');
}
