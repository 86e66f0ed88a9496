import type cytoscape from 'cytoscape';
import { opaque } from './colors';
import { ADDRESS_FONT, LABEL_GAP, NAME_FONT } from './geometry';

/** A `--vscode-*` colour of the current theme, with a fallback while the variable is unset. */
export function themeColor(name: string, fallback: string): string {
  return getComputedStyle(document.documentElement).getPropertyValue(`--vscode-${name}`).trim() || fallback;
}

/**
 * Cytoscape draws on a canvas, so CSS cannot reach it: the theme's colours are read here and
 * read again whenever VS Code switches theme (main.ts watches the body's class).
 */
export function graphStyle(): cytoscape.StylesheetJson {
  const bg = opaque(themeColor('editor-background', '#1e1e1e'), '#000000');
  const color = (name: string, fallback: string) => opaque(themeColor(name, fallback), bg);
  const fg = color('editor-foreground', '#cccccc');
  const muted = color('disabledForeground', '#888888');
  const line = color('descriptionForeground', '#999999');
  const border = color('panel-border', '#555555');
  const focus = color('focusBorder', '#007fd4');
  const font = themeColor('font-family', 'sans-serif');
  const blue = color('charts-blue', '#3794ff');
  const green = color('charts-green', '#89d185');
  const orange = color('charts-orange', '#d18616');
  const purple = color('charts-purple', '#b180d7');
  const yellow = color('charts-yellow', '#cca700');
  const red = color('charts-red', '#f14c4c');
  // The six chart colours are taken: services get the terminal's cyan, which every theme sets.
  const cyan = color('terminal-ansiCyan', '#11a8cd');
  return [
    {
      selector: 'node',
      style: {
        label: 'data(label)',
        color: fg,
        'font-family': font,
        'font-size': NAME_FONT,
        'text-valign': 'bottom',
        'text-halign': 'center',
        'text-margin-y': LABEL_GAP,
        'text-wrap': 'ellipsis',
        'text-max-width': '220px',
        // Edges may pass under a name: the name stays readable over them.
        'text-background-color': bg,
        'text-background-opacity': 0.85,
        'text-background-padding': '1px',
        // Below ~7px on screen a label is unreadable anyway; not drawing it keeps a zoomed-out
        // graph of thousands of elements fast (bench/topologyBench.ts).
        'min-zoomed-font-size': 7,
        width: 26,
        height: 26,
        'border-width': 1,
        'border-color': bg,
        // Host frames are plain nodes (hostFrames.ts): manual z-order keeps them under the edges.
        'z-index-compare': 'manual',
        'z-index': 2,
      },
    },
    {
      selector: 'node[kind="host"]',
      style: {
        shape: 'round-rectangle',
        'background-color': fg,
        'background-opacity': 0.04,
        'border-color': border,
        'border-width': 2,
        'text-valign': 'top',
        'font-weight': 'bold',
        'font-size': 13,
        'text-margin-y': -4,
        width: 'data(frameW)',
        height: 'data(frameH)',
        'z-index': 0,
        'min-zoomed-font-size': 0,
      },
    },
    // The side labels.ts chose for a name: the one no edge leaves from.
    { selector: 'node.label-top', style: { 'text-valign': 'top', 'text-margin-y': -LABEL_GAP } },
    {
      selector: 'node.label-right',
      style: { 'text-valign': 'center', 'text-halign': 'right', 'text-margin-x': LABEL_GAP, 'text-margin-y': 0 },
    },
    {
      selector: 'node.label-left',
      style: { 'text-valign': 'center', 'text-halign': 'left', 'text-margin-x': -LABEL_GAP, 'text-margin-y': 0 },
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
    // A swarm service: a diamond (no other kind is one), above the overlays it is on.
    { selector: 'node[kind="service"]', style: { shape: 'diamond', width: 30, height: 30, 'background-color': cyan } },
    { selector: 'node.unreachable', style: { 'border-color': red, 'border-style': 'dashed' } },
    // The default socket nobody chose, silent so far: not an error.
    { selector: 'node.absent', style: { 'border-color': muted, 'border-style': 'dashed', color: muted } },
    {
      selector: 'edge',
      style: {
        // Straight: a container meets a network once, so there are no parallel edges to bend
        // apart, and bezier's control points cost a quarter of the first frame on big graphs.
        width: 1.5,
        'line-color': line,
        'curve-style': 'straight',
        color: fg,
        'font-family': font,
        'font-size': ADDRESS_FONT,
        'text-background-color': bg,
        'text-background-opacity': 0.85,
        'text-background-padding': '1px',
        'min-zoomed-font-size': 7,
        'z-index-compare': 'manual',
        'z-index': 1,
      },
    },
    {
      // The address (or a link's alias) near the container, level, where labels.ts found room
      // for it: at the middle, many edges of one network met and their labels covered each other.
      selector: 'edge[labelOffset]',
      // A data mapper, which the typings only allow as a string where a number goes.
      style: {
        'source-label': 'data(label)',
        'source-text-offset': 'data(labelOffset)' as unknown as number,
        'source-text-rotation': 'none',
      },
    },
    // No room found: shown when the edge is selected.
    { selector: 'edge.label-hidden', style: { 'source-label': '' } },
    { selector: 'edge.label-hidden:selected', style: { 'source-label': 'data(label)' } },
    {
      selector: 'edge.link',
      // Bezier here: two containers may link each other both ways.
      style: {
        'curve-style': 'bezier',
        'line-style': 'dashed',
        'line-color': yellow,
        'target-arrow-shape': 'triangle',
        'target-arrow-color': yellow,
      },
    },
    { selector: 'edge.published', style: { 'line-style': 'dotted', 'line-color': orange } },
    { selector: 'edge.attached', style: { 'line-color': cyan } },
    { selector: ':selected', style: { 'border-color': focus, 'border-width': 3, 'line-color': focus } },
    { selector: '.faded', style: { opacity: 0.12 } },
  ];
}
