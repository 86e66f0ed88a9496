/**
 * Where live findings go: at the cluster-store (or advertise) setting in the host's files when
 * they were given, so they sit beside the file-based findings; else at the host URL, line 0.
 */
import type { Finding, Severity } from '../finding';
import { buildDockerdConfig, settingSources, type SettingSource } from '../dockerdConfig';
import type { Anchor, LiveHost } from './types';

/** One host's cluster-store and advertise settings as its files give them, and where findings about them go. */
export interface ClusterSettings {
  /** Undefined when no files were given: then nothing is known about what the files say. */
  configured?: { store?: SettingSource; advertise?: SettingSource };
  storeAnchor: Anchor;
  advertiseAnchor: Anchor;
}

export function clusterSettings(host: LiveHost): ClusterSettings {
  const urlAnchor: Anchor = { file: host.url, range: { startLine: 0, startColumn: 0, endLine: 0, endColumn: 0 } };
  if (!host.files) return { storeAnchor: urlAnchor, advertiseAnchor: urlAnchor };
  const config = buildDockerdConfig(host.files);
  // A flag and a daemon.json key together stop dockerd (DNE120 says so); the flag is shown first.
  const store = preferFlag(settingSources(config, 'cluster-store'));
  const advertise = preferFlag(settingSources(config, 'cluster-advertise'));
  const storeAnchor = store ? anchorOf(store) : advertise ? anchorOf(advertise) : urlAnchor;
  return { configured: { store, advertise }, storeAnchor, advertiseAnchor: advertise ? anchorOf(advertise) : storeAnchor };
}

function preferFlag(sources: SettingSource[]): SettingSource | undefined {
  return sources.find((source) => source.origin === 'flag') ?? sources[0];
}

function anchorOf(source: SettingSource): Anchor {
  return { file: source.file, range: source.range };
}

export function findingAt(anchor: Anchor, severity: Severity, code: string, message: string): Finding {
  return { file: anchor.file, range: anchor.range, severity, code, message };
}
