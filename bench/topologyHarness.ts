/**
 * What the topology benchmark puts around the webview: VS Code's part (as browser code, in
 * strings: the root tsconfig has no DOM lib) and the memory reading.
 */
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import type { CDPSession } from 'playwright-core';
import { topologyPage } from '../src/vscode/topology/topologyPage';

/**
 * Serves the panel's own page (topologyPage.ts, under its CSP), the bundle and the stylesheet
 * from 127.0.0.1; nothing else.
 */
export async function serveTopologyPage(repo: string): Promise<{ url: string; close(): Promise<void> }> {
  const files: Record<string, [string, string]> = {
    '/dist/webview.js': [path.join(repo, 'dist/webview.js'), 'text/javascript'],
    '/media/topology.css': [path.join(repo, 'media/topology.css'), 'text/css'],
  };
  const server = http.createServer((request, response) => {
    const origin = `http://${request.headers.host}`;
    if (request.url === '/') {
      const nonce = Math.random().toString(36).slice(2);
      response.writeHead(200, { 'content-type': 'text/html' });
      response.end(
        topologyPage({ nonce, cspSource: origin, scriptUri: `${origin}/dist/webview.js`, styleUri: `${origin}/media/topology.css` }),
      );
      return;
    }
    const file = files[request.url ?? ''];
    if (!file) return void response.writeHead(404).end();
    response.writeHead(200, { 'content-type': file[1] });
    response.end(fs.readFileSync(file[0]));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

/**
 * Runs before the page's own scripts (an init script, which the page's CSP does not govern, as
 * VS Code's preload is not governed by it): `acquireVsCodeApi` once, state kept in memory,
 * messages to the host collected in `window.__toHost`; and VS Code's default dark theme's
 * main variables, which VS Code sets on <html> and the graph style reads.
 */
export const fakeVsCode = (theme: 'dark' | 'light' = 'dark') => `(() => {
  let state;
  let acquired = false;
  window.__toHost = [];
  window.acquireVsCodeApi = () => {
    if (acquired) throw new Error('acquireVsCodeApi called twice');
    acquired = true;
    return {
      postMessage: (message) => window.__toHost.push(message),
      getState: () => state,
      setState: (value) => { state = value; },
    };
  };
  const theme = ${JSON.stringify(THEMES[theme])};
  document.addEventListener('readystatechange', () => {
    if (document.readyState !== 'interactive') return;
    for (const [name, value] of Object.entries(theme)) document.documentElement.style.setProperty('--vscode-' + name, value);
    document.body.classList.add('vscode-${theme}');
  }, { once: true });
})();`;

/** VS Code's Dark Modern and Light Modern themes, the variables the page reads. */
const THEMES: Record<'dark' | 'light', Record<string, string>> = {
  dark: {
    'editor-background': '#1e1e1e',
    'editor-foreground': '#d4d4d4',
    foreground: '#cccccc',
    'font-family': 'system-ui, sans-serif',
    'font-size': '13px',
    'panel-border': '#80808059',
    descriptionForeground: '#ccccccb3',
    disabledForeground: '#cccccc80',
    focusBorder: '#007fd4',
    'charts-blue': '#3794ff',
    'charts-green': '#89d185',
    'charts-orange': '#d18616',
    'charts-purple': '#b180d7',
    'charts-yellow': '#cca700',
    'charts-red': '#f14c4c',
  },
  light: {
    'editor-background': '#ffffff',
    'editor-foreground': '#3b3b3b',
    foreground: '#3b3b3b',
    'font-family': 'system-ui, sans-serif',
    'font-size': '13px',
    'panel-border': '#e5e5e5',
    descriptionForeground: '#3b3b3b',
    disabledForeground: '#61616180',
    focusBorder: '#005fb8',
    'charts-blue': '#1a85ff',
    'charts-green': '#388a34',
    'charts-orange': '#d18616',
    'charts-purple': '#652d90',
    'charts-yellow': '#bf8803',
    'charts-red': '#e51400',
  },
};

export interface MemoryReading {
  jsHeapUsed: number;
  rendererRss: number;
  /** Proportional set size summed over Chromium's processes: shared pages counted once. */
  chromiumPss: number;
}

/** The page's JS heap (after a GC) from CDP; the renderer's RSS and Chromium's PSS from /proc. */
export async function browserMemory(cdp: CDPSession, profileDir: string): Promise<MemoryReading> {
  await cdp.send('HeapProfiler.collectGarbage');
  await cdp.send('Performance.enable');
  const { metrics } = await cdp.send('Performance.getMetrics');
  const jsHeapUsed = metrics.find((metric) => metric.name === 'JSHeapUsedSize')?.value ?? NaN;
  const processes = chromiumProcesses(profileDir);
  const rss = (pid: number) => Number(/VmRSS:\s+(\d+) kB/.exec(read(`/proc/${pid}/status`))?.[1] ?? 0) * 1024;
  const pss = (pid: number) => Number(/^Pss:\s+(\d+) kB/m.exec(read(`/proc/${pid}/smaps_rollup`))?.[1] ?? 0) * 1024;
  const renderers = processes.filter((pid) => read(`/proc/${pid}/cmdline`).includes('--type=renderer'));
  return {
    jsHeapUsed,
    rendererRss: Math.max(0, ...renderers.map(rss)),
    chromiumPss: processes.reduce((sum, pid) => sum + pss(pid), 0),
  };
}

function read(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

/** The browser process started with this profile, and all its descendants. */
function chromiumProcesses(profileDir: string): number[] {
  const all = fs
    .readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .map(Number);
  const parent = new Map(all.map((pid) => [pid, Number(/^PPid:\s+(\d+)/m.exec(read(`/proc/${pid}/status`))?.[1] ?? 0)]));
  const roots = all.filter(
    (pid) => read(`/proc/${pid}/cmdline`).includes(`--user-data-dir=${profileDir}`) && !read(`/proc/${pid}/cmdline`).includes('--type='),
  );
  const inTree = (pid: number): boolean => {
    for (let current = pid; current > 1; current = parent.get(current) ?? 0) if (roots.includes(current)) return true;
    return false;
  };
  return all.filter(inTree);
}
