import * as vscode from 'vscode';
import { requestTimeoutMs } from '../core/util/timeouts';

const SECTION = 'dockerNetworkExplorer';

/**
 * Settings a workspace must not choose while it is untrusted: which daemons to dial, which files
 * to read as this machine's, whether to dial at all, how long to wait. Listed in package.json's
 * `restrictedConfigurations` too, so VS Code says so; read here from user settings only then.
 */
export const RESTRICTED_SETTINGS = [
  'hosts',
  'requestTimeoutSeconds',
  'diagnostics.hostConfigRoot',
  'diagnostics.liveChecks',
  'diagnostics.upgradeCheck',
  'diagnostics.probeFromNodes',
  'reachability.helperImages',
] as const;
type Restricted = (typeof RESTRICTED_SETTINGS)[number];

/** The user's (or default) value when the workspace is untrusted; the usual merged value when trusted. */
function restricted<T>(key: Restricted, fallback: T): T {
  const config = vscode.workspace.getConfiguration(SECTION);
  if (vscode.workspace.isTrusted) return config.get<T>(key, fallback);
  const inspected = config.inspect<T>(key);
  return inspected?.globalValue ?? inspected?.defaultValue ?? fallback;
}

/** Settings are read on use, so a change applies without reloading the window. */
export function readSettings() {
  const timeout = requestTimeoutMs(restricted<unknown>('requestTimeoutSeconds', 10));
  return {
    // Every entry, even malformed ones: resolveHosts turns those into a row that says what is wrong.
    hosts: restricted<unknown[]>('hosts', []),
    timeoutMs: timeout.ms,
    /** What was wrong with requestTimeoutSeconds and what is used instead, for the log. */
    timeoutNote: timeout.note,
  };
}

/**
 * What Scan Host Configuration reads: the root it treats as this machine's, whether to ask daemons,
 * whether to add the upgrade check (DNE166: it inspects every container of every host), and whether
 * to dial each swarm node's ports from the other nodes (DNE220: a helper container on each node).
 */
export function readScanSettings(): { root: string; liveChecks: boolean; upgradeCheck: boolean; probeFromNodes: boolean } {
  const root = restricted<unknown>('diagnostics.hostConfigRoot', '/');
  const liveChecks = restricted<unknown>('diagnostics.liveChecks', true);
  const upgradeCheck = restricted<unknown>('diagnostics.upgradeCheck', false) === true;
  const probeFromNodes = restricted<unknown>('diagnostics.probeFromNodes', false) === true;
  return { root: typeof root === 'string' && root !== '' ? root : '/', liveChecks: liveChecks !== false, upgradeCheck, probeFromNodes };
}

/** Prove It's helper images (restricted: they choose what runs on the user's hosts); undefined: the core's default. */
export function readHelperImages(): string[] | undefined {
  const value = restricted<unknown>('reachability.helperImages', undefined);
  if (!Array.isArray(value)) return undefined;
  const images = value.filter((image): image is string => typeof image === 'string' && image.trim() !== '').map((image) => image.trim());
  return images.length ? images : undefined;
}

export function affectsHosts(event: vscode.ConfigurationChangeEvent): boolean {
  return event.affectsConfiguration(`${SECTION}.hosts`) || event.affectsConfiguration(`${SECTION}.requestTimeoutSeconds`);
}

/** The Containers view's grouping by Compose project (a view preference: not restricted). */
export const COMPOSE_GROUPING_SETTING = 'containers.groupByComposeProject';

export function groupByComposeProject(): boolean {
  return vscode.workspace.getConfiguration(SECTION).get<boolean>(COMPOSE_GROUPING_SETTING, false);
}
