// Typed access, from the compiled tests, to the three-host lab in tools/lab/ (ES modules, loaded
// with a real dynamic import: TypeScript's CommonJS output would turn `import()` into require()).
import { findRepoRoot } from './codeServer';
import { importTool } from './toolModule';
import type Dockerode from 'dockerode';

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
  /** The root namespace's port on the LAN (dnelab-root) if it survived. */
  links: string[];
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
  /** 192.168.77.254 while the root namespace has its port on the LAN (dnelab-root). */
  rootAddress: string | undefined;
  /** Hosts last started with other flags (`restartHost` with overrides). */
  overrides: Partial<Record<LabHostName, LabOverrides>>;
  hosts: LabHostStatus[];
  processes: number;
}

/** Flags that replace the lab's own on one host, to break it on purpose. */
export interface LabOverrides {
  /** --cluster-store, e.g. etcd://192.168.77.1:2399 (nothing listens there). */
  store?: string;
  /** --cluster-advertise, e.g. eth9:2376 (no such interface). */
  advertise?: string;
}

export interface LabRestart {
  pid: number | undefined;
  /** False when the daemon refused to start (only possible with overrides). */
  answers: boolean;
  /** What dockerd said before it exited ("failed to start daemon: …"). */
  failure: string | undefined;
}

interface LabApi {
  labUp(options?: {
    store?: LabStore;
    log?: (line: string) => void;
    engine?: string;
  }): Promise<{ alreadyUp: boolean; store: LabStore; hosts: LabHostEntry[] }>;
  labDown(options?: { log?: (line: string) => void }): Promise<LabLeftovers>;
  labStatus(): Promise<LabStatus>;
  /** Resolves with the PID that was stopped (undefined when it was not running). */
  stopHost(name: LabHostName): Promise<number | undefined>;
  startHost(name: LabHostName): Promise<{ pid: number; started: boolean }>;
  /**
   * Restarts one host's dockerd with `overrides` (none: the lab's own flags, then the seed is
   * repaired). With overrides, that host's containers on overlays are stopped first.
   */
  restartHost(name: LabHostName, overrides?: LabOverrides, options?: { log?: (line: string) => void }): Promise<LabRestart>;
  /**
   * Swarm lab: the host (docker1 or docker2) leaves and joins again, as a worker advertising
   * `advertise` when given (an address no host has), else as a manager on its own address.
   */
  rejoinSwarm(name: LabHostName, options?: { advertise?: string; manager?: string }, log?: (line: string) => void): Promise<number>;
  /** Stops the cluster store; resolves with its PID (undefined when it was not running). */
  storeStop(): Promise<number | undefined>;
  storeStart(): Promise<{ pid: number; started: boolean }>;
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
  /** Docker's "network <id> not found" to a start right after a failed one (a join still pending). */
  PENDING_JOIN: RegExp;
  /** Starts a container on a swarm overlay, again while Docker answers PENDING_JOIN (up to 5 tries). */
  startPastPendingJoin(docker: Dockerode, name: string, log?: (line: string) => void): Promise<unknown>;
}

export type Lab = LabApi & LabProc & LabSeed;

/**
 * The running lab's names and addresses, as tools/lab/config.mjs gives them (DNELAB_ID picks one
 * of several labs; test/unit/tools/labLayout.test.ts keeps the two in step). Synchronous, so a
 * test file can name sockets and addresses at its top.
 */
export function labLayout(env: NodeJS.ProcessEnv = process.env) {
  const id = env.DNELAB_ID ? Number(env.DNELAB_ID) : 0;
  const prefix = id === 0 ? 'dnelab' : `dnelab${id}`;
  const dir = env.DNELAB_DIR ?? `/run/${prefix}`;
  const subnet = `192.168.${77 + id}`;
  const index = (name: LabHostName) => ['docker1', 'docker2', 'docker3'].indexOf(name);
  return {
    prefix,
    dir,
    /** The LAN bridge's address: where the cluster store listens. */
    storeIp: `${subnet}.1`,
    /** This (root) namespace's address on the lab's LAN. */
    rootIp: `${subnet}.254`,
    hostIp: (name: LabHostName) => `${subnet}.${11 + index(name)}`,
    socket: (name: LabHostName) => `${dir}/${name}/docker.sock`,
    netns: (name: LabHostName) => `${prefix}-${name}`,
  };
}

let loaded: Promise<Lab> | undefined;

/** Loads tools/lab/{index,proc,seed}.mjs once. */
export function loadLab(repo: string = findRepoRoot()): Promise<Lab> {
  const load = (name: string) => importTool<object>(repo, 'lab', name);
  loaded ??= Promise.all([load('index.mjs'), load('proc.mjs'), load('seed.mjs')]).then(([api, proc, seed]) => ({
    ...(api as LabApi),
    ...(proc as LabProc),
    ...(seed as LabSeed),
  }));
  return loaded;
}

/** `labUp`, with the lab's own progress lines in the error when it fails (CI shows nothing else). */
export async function labUpOrExplain(lab: Lab, options: { store?: LabStore } = {}): ReturnType<Lab['labUp']> {
  const lines: string[] = [];
  try {
    return await lab.labUp({ ...options, log: (line) => lines.push(line) });
  } catch (error) {
    throw new Error(`${error instanceof Error ? error.message : String(error)}\nlab up said:\n${lines.join('\n')}`, { cause: error });
  }
}

/**
 * Loads the lab, refusing when one is already up: its names and directory are fixed, and a lab
 * somebody is using must not be taken down by a test. Only a claimed lab is taken down after.
 */
export async function claimLab(): Promise<Lab> {
  const lab = await loadLab();
  const status = await lab.labStatus();
  if (status.up || status.namespaces.length) throw new Error('a lab is already up here: `npm run lab -- down` first');
  return lab;
}
