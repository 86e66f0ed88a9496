// What every Playwright suite starts with: code-server with the extension under development,
// Chromium on it, the workbench loaded; and one close() for the `after` hook.
import type { Page } from 'playwright-core';
import { findRepoRoot, startCodeServer, type CodeServer, type StartCodeServerOptions } from './codeServer';
import { launchBrowser, openWorkbench, type BrowserSession } from './playwrightBrowser';

export interface WorkbenchSession {
  server: CodeServer;
  browser: BrowserSession;
  page: Page;
  close(): Promise<void>;
}

/**
 * `beforeLoad` attaches page listeners (dialogs, console) before the workbench loads; `viewport`
 * is the browser window's size (default launchBrowser's).
 */
export async function openExtensionWorkbench(
  { viewport, ...options }: StartCodeServerOptions & { viewport?: { width: number; height: number } } = {},
  beforeLoad?: (page: Page) => void,
): Promise<WorkbenchSession> {
  const server = await startCodeServer({ extensionDir: findRepoRoot(), ...options });
  let browser: BrowserSession | undefined;
  try {
    browser = await launchBrowser({ runDir: server.runDir, viewport });
    beforeLoad?.(browser.page);
    await openWorkbench(browser.page, server.devUrl!, { server });
  } catch (error) {
    await browser?.close();
    await server.stop();
    throw error;
  }
  const opened = browser;
  return {
    server,
    browser: opened,
    page: opened.page,
    async close() {
      await opened.close();
      await server.stop();
    },
  };
}

/** The workbench on the lab's hosts (`labUp`'s `hosts` setting), in the window the topology's readability goal is stated for. */
export function openLabWorkbench(hosts: unknown): Promise<WorkbenchSession> {
  return openExtensionWorkbench({ settings: { 'dockerNetworkExplorer.hosts': hosts }, viewport: { width: 1600, height: 1000 } });
}
