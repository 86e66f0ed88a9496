/**
 * What the doctor reads, at most: real configuration files are a few KB. A hostile or mistaken
 * input (a 1 MB daemon.json of `[,,,…]` once gave a million findings, 2.4 GB and 10 s) gets a
 * finding that says what was left out, never a stalled editor or CLI.
 */
import type { Finding } from './finding';
import { Codes } from './codes';

/** The same cap for the scan, the CLI and the editor. */
export const MAX_CHECKED_BYTES = 1024 * 1024;

/** Syntax problems listed per file; the rest are summed up in one finding. */
export const MAX_PROBLEMS_PER_FILE = 100;

export function tooLargeFinding(file: string, bytes: number): Finding {
  return {
    file,
    range: { startLine: 0, startColumn: 0, endLine: 0, endColumn: 0 },
    severity: 'warning',
    code: Codes.fileTooLarge,
    message: `Not checked: ${bytes} bytes, over the ${MAX_CHECKED_BYTES / 1024 / 1024} MiB this tool reads of a configuration file (real ones are a few KB).`,
  };
}
