// Shared by the extension-host suites: which extension they drive, and how they find a row in
// the rendered trees its test API returns.
import type { RenderedRow } from '../../src/vscode/testApi';

export const EXTENSION_ID = 'docker-network-explorer.docker-network-explorer';

/** The first row with this label, depth first, anywhere in the tree. */
export function findRow(rows: readonly RenderedRow[], label: string): RenderedRow | undefined {
  for (const entry of rows) {
    if (entry.label === label) return entry;
    const found = findRow(entry.children, label);
    if (found) return found;
  }
  return undefined;
}
