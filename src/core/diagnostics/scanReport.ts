/**
 * What Scan Host Configuration tells the user when it is done: how many problems, and which
 * files it read, so a file it did not find (another path, no permission) is noticed.
 */

export interface ScanOutcome {
  /** The files checked, as the user should read them (absolute, or relative to the workspace). */
  files: readonly string[];
  /** "<file>: <reason>" for files that exist but could not be read. */
  unreadable: readonly string[];
  problems: number;
  /** The folder read as the machine's root (the hostConfigRoot setting). */
  root: string;
  /** Why the live checks failed as a whole (a bug): said, not silently left out. */
  liveFailure?: string;
}

/** Files named in the message; the rest are counted (the log has them all). */
export const LISTED_FILES = 6;

export function scanMessage(outcome: ScanOutcome): { text: string; severity: 'info' | 'warning' } {
  const said = scanFilesMessage(outcome);
  if (outcome.liveFailure === undefined) return said;
  return {
    text: `${said.text} The live checks failed: ${outcome.liveFailure} (Docker Networks: Show Log has the details).`,
    severity: 'warning',
  };
}

function scanFilesMessage({ files, unreadable, problems, root }: ScanOutcome): { text: string; severity: 'info' | 'warning' } {
  const cannotRead = unreadable.length ? ` Could not read: ${unreadable.join('; ')}.` : '';
  if (files.length === 0) {
    return { text: `No Docker configuration files found under ${root} or in the workspace.${cannotRead}`, severity: 'info' };
  }
  const read = `Read ${files.length} file${files.length === 1 ? '' : 's'}: ${listFiles(files)}.`;
  if (problems === 0) return { text: `Docker host configuration: no problems found. ${read}${cannotRead}`, severity: 'info' };
  return {
    text: `Docker host configuration: ${problems} problem${problems === 1 ? '' : 's'} found. ${read}${cannotRead}`,
    severity: 'warning',
  };
}

function listFiles(files: readonly string[]): string {
  if (files.length <= LISTED_FILES) return files.join(', ');
  const more = files.length - (LISTED_FILES - 1);
  return `${files.slice(0, LISTED_FILES - 1).join(', ')} and ${more} more (Docker Networks: Show Log lists them)`;
}
