/**
 * docker.socket: the `ListenStream=` addresses systemd opens for dockerd (`-H fd://`).
 * A bare port or `address:port` is TCP; a path or `@name` is a Unix socket.
 */
import type { Range } from '../finding';
import type { ConfigFile } from '../text';
import { parseUnitFile } from './systemdUnit';

export interface ListenStream {
  file: string;
  range: Range;
  value: string;
  kind: 'tcp' | 'unix' | 'other';
  /** For TCP: the address part ('' when only a port is given, meaning every address). */
  host?: string;
  port?: number;
}

/** The ListenStream= values in effect (an empty assignment resets the list). */
export function parseSocketUnit(unit: ConfigFile, dropIns: ConfigFile[] = []): ListenStream[] {
  let listens: ListenStream[] = [];
  for (const parsed of [unit, ...dropIns].map(parseUnitFile)) {
    for (const directive of parsed.directives) {
      if (directive.section !== 'Socket' || directive.key !== 'ListenStream') continue;
      if (directive.value.trim() === '') {
        listens = [];
        continue;
      }
      listens.push({ file: directive.file, range: directive.range, ...classifyListen(directive.value.trim()) });
    }
  }
  return listens;
}

export function classifyListen(value: string): Pick<ListenStream, 'value' | 'kind' | 'host' | 'port'> {
  if (value.startsWith('/') || value.startsWith('@')) return { value, kind: 'unix' };
  const match = /^(?:(\[[^\]]*\]|[^:\s]+):)?(\d{1,5})$/.exec(value);
  if (match) {
    const port = Number(match[2]);
    if (port > 0 && port <= 65535) return { value, kind: 'tcp', host: (match[1] ?? '').replace(/^\[|\]$/g, ''), port };
  }
  return { value, kind: 'other' };
}
