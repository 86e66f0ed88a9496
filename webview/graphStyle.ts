import type cytoscape from 'cytoscape';

/** A `--vscode-*` colour of the current theme, with a fallback while the variable is unset. */
function themeColor(name: string, fallback: string): string {
  return getComputedStyle(document.documentElement).getPropertyValue(`--vscode-${name}`).trim() || fallback;
}

/**
 * Cytoscape draws on a canvas, so CSS cannot reach it: the theme's colours are read here and
 * read again whenever VS Code switches theme (main.ts watches the body's class).
 */
export function graphStyle(): cytoscape.StylesheetJson {
  const fg = themeColor('editor-foreground', '#cccccc');
  const bg = themeColor('editor-background', '#1e1e1e');
  const muted = themeColor('disabledForeground', '#888888');
  const line = themeColor('descriptionForeground', '#999999');
  const border = themeColor('panel-border', '#555555');
  const focus = themeColor('focusBorder', '#007fd4');
  const font = themeColor('font-family', 'sans-serif');
  const blue = themeColor('charts-blue', '#3794ff');
  const green = themeColor('charts-green', '#89d185');
  const orange = themeColor('charts-orange', '#d18616');
  const purple = themeColor('charts-purple', '#b180d7');
  const yellow = themeColor('charts-yellow', '#cca700');
  const red = themeColor('charts-red', '#f14c4c');
  return [
    {
      selector: 'node',
      style: {
        label: 'data(label)', color: fg, 'font-family': font, 'font-size': 11, 'text-valign': 'bottom',
        'text-halign': 'center', 'text-margin-y': 3, 'text-wrap': 'ellipsis', 'text-max-width': '220px',
        width: 26, height: 26, 'border-width': 1, 'border-color': bg,
      },
    },
    {
      selector: 'node[kind="host"]',
      style: {
        shape: 'round-rectangle', 'background-color': fg, 'background-opacity': 0.04, 'border-color': border,
        'border-width': 2, 'text-valign': 'top', 'font-weight': 'bold', 'font-size': 13, padding: '24px',
      },
    },
    { selector: 'node[kind="network"]', style: { shape: 'round-rectangle', width: 34, height: 22, 'background-color': blue } },
    { selector: 'node.overlay', style: { shape: 'hexagon', width: 40, height: 34, 'background-color': purple } },
    // Sealed: no route out of an internal network.
    { selector: 'node.internal', style: { 'border-width': 4, 'border-style': 'double', 'border-color': fg } },
    { selector: 'node.predefined', style: { 'background-color': muted, color: muted } },
    { selector: 'node.iccOff', style: { 'border-width': 3, 'border-style': 'dashed', 'border-color': orange } },
    { selector: 'node[kind="container"]', style: { shape: 'ellipse', 'background-color': green } },
    { selector: 'node.stopped', style: { 'background-color': muted, opacity: 0.5 } },
    {
      selector: 'node[kind="port"]',
      style: { shape: 'tag', width: 14, height: 14, 'background-color': orange, 'font-size': 10 },
    },
    { selector: 'node.unreachable', style: { 'border-color': red, 'border-style': 'dashed' } },
    {
      selector: 'edge',
      style: {
        width: 1.5, 'line-color': line, 'curve-style': 'bezier', label: 'data(label)', color: fg, 'font-family': font,
        'font-size': 9, 'text-background-color': bg, 'text-background-opacity': 0.85, 'text-background-padding': '1px',
        'text-rotation': 'autorotate',
      },
    },
    {
      selector: 'edge.link',
      style: { 'line-style': 'dashed', 'line-color': yellow, 'target-arrow-shape': 'triangle', 'target-arrow-color': yellow },
    },
    { selector: 'edge.published', style: { 'line-style': 'dotted', 'line-color': orange } },
    { selector: ':selected', style: { 'border-color': focus, 'border-width': 3, 'line-color': focus } },
    { selector: '.faded', style: { opacity: 0.12 } },
  ];
}
