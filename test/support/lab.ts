// Typed access, from the compiled tests, to the three-host lab in tools/lab/ (ES modules, loaded
// with a real dynamic import: TypeScript's CommonJS output would turn `import()` into require()).
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { findRepoRoot } from './codeServer';

/** A cluster store, or swarm instead of one (`up --swarm`). */
export type LabStore = 'etcd' | 'zookeeper' | 'swarm';
export type LabHostName = 'docker1' | 'docker2' | 'docker3';

export interface LabHostEntry {
  name: LabHostName;
  /** unix:///run/dnelab/<host>/docker.sock */
  url: string;
}

export interface LabProcess {
  pid: number;
  cmdline: string;
}

export interface LabLeftovers {
  processes: LabProcess[];
  namespaces: string[];
  cgroups: string[];
  labDir: boolean;
}

export interface LabHostStatus {
  name: LabHostName;
  pid: number | undefined;
  alive: boolean;
  socket: string;
  answers: boolean;
  networks: number | undefined;
}

export interface LabStatus {
  up: boolean;
  store: { kind: Exclude<LabStore, 'swarm'>; pid: number | undefined; alive: boolean; answers: boolean } | undefined;
  mode: LabStore | undefined;
  storeUrl: string | undefined;
  namespaces: string[];
  hosts: LabHostStatus[];
  processes: number;
}

interface LabApi {
  labUp(options?: { store?: LabStore; log?: (line: string) => void }): Promise<{ alreadyUp: boolean; store: LabStore; hosts: LabHostEntry[] }>;
  labDown(options?: { log?: (line: string) => void }): Promise<LabLeftovers>;
  labStatus(): Promise<LabStatus>;
  /** Resolves with the PID that was stopped (undefined when it was not running). */
  stopHost(name: LabHostName): Promise<number | undefined>;
  startHost(name: LabHostName): Promise<{ pid: number; started: boolean }>;
  hostEntries(): LabHostEntry[];
}

interface LabProc {
  labProcesses(): LabProcess[];
  /** Summed resident memory of the lab's processes, in bytes. */
  labRss(): number;
}

interface LabSeed {
  /** Each seed container's httpd page: "<name> on <host>\n". */
  pageOf(container: { name: string; host: string }): string;
}

export type Lab = LabApi & LabProc & LabSeed;

// A dynamic import that the CommonJS output keeps as import().
const importEsm = new Function('specifier', 'return import(specifier)') as (specifier: string) => Promise<unknown>;

let loaded: Promise<Lab> | undefined;

/** Loads tools/lab/{index,proc,seed}.mjs once. */
export function loadLab(repo: string = findRepoRoot()): Promise<Lab> {
  const load = (name: string) => importEsm(pathToFileURL(path.join(repo, 'tools', 'lab', name)).href);
  loaded ??= Promise.all([load('index.mjs'), load('proc.mjs'), load('seed.mjs')]).then(
    ([api, proc, seed]) => ({ ...(api as LabApi), ...(proc as LabProc), ...(seed as LabSeed) }),
  );
  return loaded;
}
