/**
 * The topology panel's page as a string, without `vscode`: topologyHtml.ts gives it the
 * webview's URIs, and the benchmark (bench/topologyBench.ts) serves the very same page from a
 * local server. It carries no Docker data at all (that arrives by message and is set as text),
 * so nothing untrusted is ever parsed as HTML. No inline style, no eval: Cytoscape styles its
 * elements through the CSSOM, which the CSP allows.
 */

/**
 * Cytoscape injects an inline <style> (which this CSP blocks) unless an element with this id
 * exists: our stylesheet takes the id, and topology.css carries the one rule it would add.
 */
const CYTOSCAPE_STYLESHEET_ID = '__________cytoscape_stylesheet';

export interface TopologyPageResources {
  /** A fresh random nonce per page. */
  nonce: string;
  /** The origin(s) the webview may load from (VS Code's `webview.cspSource`). */
  cspSource: string;
  scriptUri: string;
  styleUri: string;
}

const LEGEND: Array<[string, string]> = [
  ['network', 'network'],
  ['overlay', 'overlay / swarm network'],
  ['internal', 'internal network (sealed)'],
  ['iccOff', 'bridge with ICC disabled'],
  ['predefined', 'predefined network'],
  ['container', 'running container'],
  ['stopped', 'stopped container'],
  ['port', 'published port'],
  ['service', 'swarm service (tasks in its details)'],
  ['link', 'legacy link (alias)'],
];

export function topologyPage({ nonce, cspSource, scriptUri, styleUri }: TopologyPageResources): string {
  const csp = [
    "default-src 'none'",
    `script-src 'nonce-${nonce}'`,
    `style-src ${cspSource} 'nonce-${nonce}'`,
    `img-src ${cspSource} data:`,
    // The toolbar's @vscode-elements components style their shadow roots with constructed
    // stylesheets (adoptedStyleSheets), which this policy allows without 'unsafe-inline'. Their
    // icons (codicons) would need a font-src; none is used, so no font is allowed.
  ].join('; ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" nonce="${nonce}" href="${styleUri}" id="${CYTOSCAPE_STYLESHEET_ID}">
<title>Docker Network Topology</title>
</head>
<body>
<header class="toolbar">
  <vscode-textfield id="search" type="search" placeholder="Filter by name, network or IP" aria-label="Filter by name, network or IP"></vscode-textfield>
  <span id="filter-hint" role="status" hidden></span>
  <vscode-button id="fit" secondary>Fit</vscode-button>
  <vscode-button id="relayout" secondary>Relayout</vscode-button>
  <vscode-button id="export-png" secondary>Export PNG…</vscode-button>
  <vscode-button id="export-svg" secondary>Export SVG…</vscode-button>
</header>
<div id="status" role="alert" hidden></div>
<div id="path-bar" role="status" hidden><span id="path-caption"></span><vscode-button id="path-clear" secondary title="Clear the highlighted path (Escape)">Clear Highlight</vscode-button></div>
<main>
  <div id="graph" role="img" aria-label="Docker network topology; the Elements list has the same content as text"></div>
  <aside>
    <section aria-labelledby="details-title"><h2 id="details-title">Details</h2><dl id="details"></dl></section>
    <section aria-labelledby="legend-title"><h2 id="legend-title">Legend</h2><ul id="legend">
${LEGEND.map(([swatch, text]) => `      <li><span class="swatch ${swatch}"></span>${text}</li>`).join('\n')}
    </ul></section>
    <section aria-labelledby="summary-title"><h2 id="summary-title">Elements</h2><ul id="summary" aria-live="polite"></ul></section>
  </aside>
</main>
<div id="menu" role="menu" hidden></div>
<script nonce="${nonce}" src="${scriptUri}"></script>
</body>
</html>`;
}
