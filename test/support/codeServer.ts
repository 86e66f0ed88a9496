// Typed access, from the compiled tests, to the code-server tools in tools/codeServer/*.mjs.
// Those are ES modules and the tests compile to CommonJS, where TypeScript would turn
// `import()` into `require()`: they are loaded with a real dynamic import instead, by absolute
// path, so this file works from out/test/support/ as well as from any bundle of it.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { importTool } from './toolModule';

export interface StartCodeServerOptions {
  /** Folder the workbench opens; default: an empty folder of the run. */
  workspaceFolder?: string;
  /** Extension under development: the result's `devUrl` opens the workbench with it loaded. */
  extensionDir?: string;
  /** Default: a free port. */
  port?: number;
  host?: string;
  /** 'dark' (default), 'light' or a theme's label. */
  colorTheme?: string;
  /** More user settings, merged over the defaults. */
  settings?: Record<string, unknown>;
  /** Default: a new <repo>/.test-runs/<timestamp>-<pid>/. */
  runDir?: string;
  extensionsDir?: string;
  /** More environment for the server and its extension host (e.g. DOCKER_HOST). */
  env?: Record<string, string>;
  bin?: string;
  startTimeoutMs?: number;
  /** Copy the server's output to stderr too. */
  echo?: boolean;
}

export interface CodeServer {
  /** http://127.0.0.1:PORT/ */
  url: string;
  port: number;
  runDir: string;
  workspaceFolder: string;
  userDataDir: string;
  extensionsDir: string;
  logFile: string;
  /** Also the process group id. */
  pid: number;
  /** The workbench on workspaceFolder. */
  folderUrl: string;
  /** The workbench on workspaceFolder with extensionDir loaded; undefined without extensionDir. */
  devUrl: string | undefined;
  /**
   * Whether a server-side extension host started since that time (a Date.now() value). Lets the
   * browser helpers notice the workbench's occasional start-up deadlock and reload the page.
   */
  extensionHostStartedSince(sinceMs: number): boolean;
  /** Settles when the server's main process ends, with its exit code or the signal's name. */
  exited: Promise<number | string>;
  /** Stops the whole process group; safe to call twice. */
  stop(): Promise<void>;
}

export interface WorkbenchUrlOptions {
  url: string;
  workspaceFolder?: string;
  extensionDevelopmentPath?: string;
  extensionTestsPath?: string;
}

export interface CodeServerTools {
  repoRoot: string;
  startCodeServer(options?: StartCodeServerOptions): Promise<CodeServer>;
  workbenchUrl(options: WorkbenchUrlOptions): string;
  newRunDir(label?: string): string;
  findFreePort(host?: string): Promise<number>;
  isPortFree(port: number, host?: string): Promise<boolean>;
  ensureCodeServer(options?: { dir?: string; verbose?: boolean }): Promise<string>;
  /** Resident memory of a process and all its descendants, in bytes. */
  treeRss(rootPid?: number): number;
  sampleTreeRss(intervalMs?: number): { stop(): number };
}

/** The repository root: the nearest folder above `from` that has tools/codeServer/launch.mjs. */
export function findRepoRoot(from: string = __dirname): string {
  for (let dir = path.resolve(from); ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'tools', 'codeServer', 'launch.mjs'))) return dir;
    if (path.dirname(dir) === dir) throw new Error(`no tools/codeServer/launch.mjs above ${from}`);
  }
}

const loaded = new Map<string, Promise<CodeServerTools>>();

/** Loads tools/codeServer/{launch,install}.mjs of a repository (once per repository). */
export function codeServerTools(repo: string = findRepoRoot()): Promise<CodeServerTools> {
  let tools = loaded.get(repo);
  if (!tools) {
    const load = (name: string) => importTool<object>(repo, 'codeServer', name);
    tools = Promise.all([load('launch.mjs'), load('install.mjs')]).then(
      ([launch, install]) => ({ ...(install as object), ...(launch as object) }) as CodeServerTools,
    );
    loaded.set(repo, tools);
  }
  return tools;
}

/** Starts code-server for one run; see tools/codeServer/launch.mjs. */
export async function startCodeServer(options: StartCodeServerOptions = {}, repo?: string): Promise<CodeServer> {
  return (await codeServerTools(repo)).startCodeServer(options);
}
