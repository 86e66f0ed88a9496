import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';

/**
 * The panel's page. It carries no Docker data at all (that arrives by message and is set as
 * text), so nothing untrusted is ever parsed as HTML. A fresh nonce per page; no inline style,
 * no eval: Cytoscape styles its elements through the CSSOM, which the CSP allows.
 */
/**
 * Cytoscape injects an inline <style> (which this CSP blocks) unless an element with this id
 * exists: our stylesheet takes the id, and topology.css carries the one rule it would add.
 */
const CYTOSCAPE_STYLESHEET_ID = '__________cytoscape_stylesheet';

export function topologyHtml(webview: vscode.Webview, extensionUri: vscode.Uri): string {
  const nonce = randomBytes(16).toString('base64');
  const script = webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', 'webview.js'));
  const style = webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'media', 'topology.css'));
  const csp = [
    "default-src 'none'",
    `script-src 'nonce-${nonce}'`,
    `style-src ${webview.cspSource} 'nonce-${nonce}'`,
    `img-src ${webview.cspSource} data:`,
  ].join('; ');
  const legend: Array<[string, string]> = [
    ['network', 'network'],
    ['overlay', 'overlay / swarm network'],
    ['internal', 'internal network (sealed)'],
    ['iccOff', 'bridge with ICC disabled'],
    ['predefined', 'predefined network'],
    ['container', 'running container'],
    ['stopped', 'stopped container'],
    ['port', 'published port'],
    ['link', 'legacy link (alias)'],
  ];
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" nonce="${nonce}" href="${style}" id="${CYTOSCAPE_STYLESHEET_ID}">
<title>Docker Network Topology</title>
</head>
<body>
<header class="toolbar">
  <input id="search" type="search" placeholder="Filter by name, network or IP" aria-label="Filter by name, network or IP">
  <button id="fit" type="button">Fit</button>
  <button id="relayout" type="button">Relayout</button>
  <button id="export-png" type="button">Export PNG…</button>
  <button id="export-svg" type="button">Export SVG…</button>
</header>
<main>
  <div id="graph" role="img" aria-label="Docker network topology; the Elements list has the same content as text"></div>
  <aside>
    <section aria-labelledby="details-title"><h2 id="details-title">Details</h2><dl id="details"></dl></section>
    <section aria-labelledby="legend-title"><h2 id="legend-title">Legend</h2><ul id="legend">
${legend.map(([swatch, text]) => `      <li><span class="swatch ${swatch}"></span>${text}</li>`).join('\n')}
    </ul></section>
    <section aria-labelledby="summary-title"><h2 id="summary-title">Elements</h2><ul id="summary" aria-live="polite"></ul></section>
  </aside>
</main>
<div id="menu" role="menu" hidden></div>
<script nonce="${nonce}" src="${script}"></script>
</body>
</html>`;
}
