/**
 * What the doctor reads, at most: real configuration files are a few KB. A hostile or mistaken
 * input (a 1 MB daemon.json of `[,,,…]` once gave a million findings, 2.4 GB and 10 s) gets a
 * finding that says what was left out, never a stalled editor or CLI.
 */
import { wholeFileFinding, type Finding } from './finding';
import { Codes } from './codes';

/** The same cap for the scan, the CLI and the editor. */
export const MAX_CHECKED_BYTES = 1024 * 1024;

/** Syntax problems listed per file; the rest are summed up in one finding. */
export const MAX_PROBLEMS_PER_FILE = 100;

export function tooLargeFinding(file: string, bytes: number): Finding {
  return wholeFileFinding(
    file,
    'warning',
    Codes.fileTooLarge,
    `Not checked: ${bytes} bytes, over the ${MAX_CHECKED_BYTES / 1024 / 1024} MiB this tool reads of a configuration file (real ones are a few KB).`,
  );
}

/**
 * Findings listed per file, whatever rule made them (30 000 `--cluster-store` flags gave 30 000
 * DNE113): above the 100 syntax problems of daemon.json, so that cap and its count still show.
 */
export const MAX_FINDINGS_PER_FILE = 200;

/**
 * At most MAX_FINDINGS_PER_FILE findings of each file, in their order, then one information
 * finding (DNE137) per file that had more, counting the rest. Linear in the number of findings.
 */
export function capFindingsPerFile(findings: readonly Finding[]): Finding[] {
  const counts = new Map<string, number>();
  const kept: Finding[] = [];
  for (const finding of findings) {
    // A count made by an earlier pass stays, and is not counted: capping twice changes nothing.
    if (finding.code === Codes.findingsOmitted) {
      kept.push(finding);
      continue;
    }
    const count = (counts.get(finding.file) ?? 0) + 1;
    counts.set(finding.file, count);
    if (count <= MAX_FINDINGS_PER_FILE) kept.push(finding);
  }
  for (const [file, count] of counts) {
    if (count <= MAX_FINDINGS_PER_FILE) continue;
    kept.push(
      wholeFileFinding(
        file,
        'information',
        Codes.findingsOmitted,
        `${count - MAX_FINDINGS_PER_FILE} more findings in this file are not listed; only the first ${MAX_FINDINGS_PER_FILE} are. Fix those and check again.`,
      ),
    );
  }
  return kept;
}

/**
 * The doctor failed on a host's files (a bug, never the files' fault): said on each of them, so
 * the user sees that they were not checked instead of their findings silently vanishing.
 */
export function checkFailedFindings(files: readonly string[], error: unknown): Finding[] {
  const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return files.map((file) =>
    wholeFileFinding(
      file,
      'warning',
      Codes.checkFailed,
      `Not checked: the doctor failed on this host's files (${reason}). This is a bug of Docker Network Explorer; the log has the details.`,
    ),
  );
}
