/**
 * Node's timers hold at most 2^31-1 ms (~24.8 days): a longer delay, NaN or a negative number
 * fires after 1 ms instead (with only a TimeoutOverflowWarning), so a huge timeout setting would
 * make every call time out at once. Every timeout we set from user input goes through here.
 */
export const MAX_TIMER_MS = 2 ** 31 - 1;

/** A delay Node will honour: at least 1 ms, at most MAX_TIMER_MS; NaN becomes `fallbackMs`. */
export function timerMs(ms: number, fallbackMs = MAX_TIMER_MS): number {
  if (Number.isNaN(ms)) return fallbackMs;
  return Math.min(MAX_TIMER_MS, Math.max(1, Math.round(ms)));
}

/**
 * The `requestTimeoutSeconds` setting as milliseconds, with what was wrong with it, if anything,
 * for the log: not a number, below 1 s, or above what a timer can hold.
 */
export function requestTimeoutMs(seconds: unknown, defaultSeconds = 10): { ms: number; note?: string } {
  const setting = 'dockerNetworkExplorer.requestTimeoutSeconds';
  if (typeof seconds !== 'number' || !Number.isFinite(seconds)) {
    return {
      ms: defaultSeconds * 1000,
      note: `${setting} is ${JSON.stringify(seconds) ?? String(seconds)}, not a number of seconds: using ${defaultSeconds} s.`,
    };
  }
  if (seconds < 1) return { ms: 1000, note: `${setting} is ${seconds}: using the minimum, 1 s.` };
  if (seconds * 1000 > MAX_TIMER_MS) {
    return {
      ms: MAX_TIMER_MS,
      note: `${setting} is ${seconds} s, longer than a timer can wait (${MAX_TIMER_MS} ms, about 24.8 days): using that.`,
    };
  }
  return { ms: Math.round(seconds * 1000) };
}
