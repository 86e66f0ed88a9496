import type cytoscape from 'cytoscape';
import { graphToSvg } from './exportSvg';
import type { HostChannel } from './hostChannel';

const editorBackground = () => getComputedStyle(document.documentElement).getPropertyValue('--vscode-editor-background').trim();

/** The Export buttons: the picture is drawn here; the extension asks where to save it. */
export function wireExports(cy: cytoscape.Core, channel: HostChannel, png: HTMLElement, svg: HTMLElement): void {
  png.addEventListener('click', () => {
    const base64 = cy.png({ output: 'base64', full: true, scale: 2, bg: editorBackground() || undefined });
    channel.request({ type: 'export', format: 'png', base64 }, 'Export PNG');
  });
  svg.addEventListener('click', () => {
    channel.request({ type: 'export', format: 'svg', svg: graphToSvg(cy, editorBackground()) }, 'Export SVG');
  });
}
