// The tests and the bench reuse the repository's tools (ES modules under tools/). They compile to
// CommonJS, where `import()` would become require(), which cannot load an .mjs: this keeps it.
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';

const importEsm = new Function('specifier', 'return import(specifier)') as (specifier: string) => Promise<unknown>;

/** Loads tools/<segments…> of `repo`; the caller states the module's shape as `T`. */
export function importTool<T>(repo: string, ...segments: string[]): Promise<T> {
  return importEsm(pathToFileURL(path.join(repo, 'tools', ...segments)).href) as Promise<T>;
}

/** tools/lib: what the tools and the tests share (one rule each). */
export interface ToolsLib {
  /** Alive and not a zombie (tools/lib/processes.mjs). */
  alive(pid: number): boolean;
  /** A daemon answers GET /_ping on the socket (tools/lib/pingSocket.mjs). */
  pingSocket(socketPath: string, timeoutMs?: number): Promise<boolean>;
}

const libs = new Map<string, Promise<ToolsLib>>();

export function toolsLib(repo: string): Promise<ToolsLib> {
  let lib = libs.get(repo);
  if (!lib) {
    lib = Promise.all([importTool<object>(repo, 'lib', 'processes.mjs'), importTool<object>(repo, 'lib', 'pingSocket.mjs')]).then(
      ([processes, ping]) => ({ ...processes, ...ping }) as ToolsLib,
    );
    libs.set(repo, lib);
  }
  return lib;
}
