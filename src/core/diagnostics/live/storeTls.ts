/**
 * The client TLS a host's files give its store (--cluster-store-opt kv.cacertfile, kv.certfile,
 * kv.keyfile, all three or none, as dockerd reads them: rules/storeOpts.ts), read from THIS
 * machine's disk: the probe runs here. Files that cannot be read here leave the store unprobed,
 * with a word saying so, rather than probed without TLS (which would only report the missing TLS).
 */
import * as fs from 'node:fs';
import { Codes } from '../codes';
import { buildDockerdConfig, type DockerdFiles } from '../dockerdConfig';
import { storeOpts, storeOptValues, TLS_OPTS } from '../rules/storeOpts';
import type { Draft } from './draft';
import type { StoreTls } from './types';
import { errorMessage } from '../../util/errors';

/** TLS files are a few KB; anything larger is not one. */
const MAX_TLS_FILE = 256 * 1024;

export type StoreTlsSetting = { kind: 'ok'; tls: StoreTls } | { kind: 'unreadable'; draft: Draft };

export function storeTls(files: DockerdFiles): StoreTlsSetting | undefined {
  const values = storeOptValues(storeOpts(buildDockerdConfig(files)));
  const [ca, cert, key] = TLS_OPTS.map((name) => values.get(name)?.value ?? '');
  if (!ca || !cert || !key) return undefined;
  const read: Buffer[] = [];
  for (const file of [ca, cert, key]) {
    try {
      const stat = fs.statSync(file);
      if (!stat.isFile() || stat.size > MAX_TLS_FILE)
        throw new Error(stat.isFile() ? `${stat.size} bytes, too large for a TLS file` : 'not a regular file');
      read.push(fs.readFileSync(file));
    } catch (error) {
      return {
        kind: 'unreadable',
        draft: {
          severity: 'information',
          code: Codes.storeTlsRefused,
          message:
            `The store's TLS file ${file} cannot be read on this machine (${errorMessage(error)}), so the store was not probed over TLS. ` +
            'Run the scan on the Docker host itself, or make the files readable here.',
        },
      };
    }
  }
  return { kind: 'ok', tls: { ca: read[0], cert: read[1], key: read[2], files: { ca, cert, key } } };
}
