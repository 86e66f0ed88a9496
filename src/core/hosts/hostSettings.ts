/**
 * Editing the `dockerNetworkExplorer.hosts` setting from the view (Add Host / Remove Host): the
 * entries as data, with the checks the input boxes run while the user types. Pure.
 */
import { isRecord } from './dockerContexts';
import { parseDockerUrl } from './dockerUrl';

export type HostSettingEntry =
  { name: string; url: string; tlsCertPath?: string; tlsVerify?: boolean } | { context: string; name?: string };

/** The name a setting entry shows under: its `name`, else (context entries) the context's. */
export function entryDisplayName(entry: unknown): string | undefined {
  if (!isRecord(entry)) return undefined;
  for (const value of [entry.name, entry.context]) {
    if (typeof value === 'string' && value.trim()) return value.trim();
  }
  return undefined;
}

export function validateHostName(name: string, taken: readonly string[]): string | undefined {
  const trimmed = name.trim();
  if (!trimmed) return 'Give the host a name to show in the tree, e.g. docker2.';
  if (taken.includes(trimmed)) return `A host named "${trimmed}" is already shown: pick another name.`;
  return undefined;
}

export function validateHostUrl(url: string): string | undefined {
  return parseDockerUrl(url).problem;
}

/** A name to offer for an address: the host part of tcp/ssh URLs, the socket file's folder for unix. */
export function suggestHostName(url: string): string {
  const endpoint = parseDockerUrl(url).endpoint;
  if (!endpoint) return '';
  if (endpoint.kind === 'unix') return endpoint.socketPath.split('/').filter(Boolean).slice(-2, -1)[0] ?? 'local';
  return endpoint.host.replace(/^\[|\]$/g, '');
}

export function withoutHost(entries: readonly unknown[], name: string): unknown[] {
  return entries.filter((entry) => entryDisplayName(entry) !== name);
}
