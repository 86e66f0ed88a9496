/** The option words both commands share: `--flag value` or `--flag=value`, --host, --timeout. */

export type Stop = { kind: 'help' } | { kind: 'usage'; problem: string };

/** Calls `visit` per word with its flag and a way to take its value; stops at the first Stop returned. */
export function walkOptions(
  argv: readonly string[],
  visit: (flag: string, word: string, take: () => string | undefined) => Stop | undefined,
): Stop | undefined {
  for (let index = 0; index < argv.length; index++) {
    const word = argv[index];
    const equals = word.startsWith('--') ? word.indexOf('=') : -1;
    const [flag, inline] = equals > 0 ? [word.slice(0, equals), word.slice(equals + 1)] : [word, undefined];
    const stop = visit(flag, word, () => inline ?? argv[++index]);
    if (stop) return stop;
  }
  return undefined;
}

/** --host URL, added to `hosts`. */
export function hostOption(url: string | undefined, hosts: string[]): Stop | undefined {
  if (!url) return { kind: 'usage', problem: '--host needs a daemon URL, e.g. --host unix:///var/run/docker.sock' };
  hosts.push(url);
  return undefined;
}

/** --timeout MS: a positive whole number of milliseconds. */
export function timeoutOption(value: string | undefined, set: (ms: number) => void): Stop | undefined {
  const timeout = Number(value);
  if (!value || !Number.isInteger(timeout) || timeout <= 0)
    return { kind: 'usage', problem: `--timeout needs a positive number of milliseconds, got ${value ?? 'nothing'}` };
  set(timeout);
  return undefined;
}
