/**
 * Array helpers for input-sized arrays. `target.push(...items)` and `Math.max(...items)` pass
 * every element as a call argument, on the stack: from about 120k elements (a 150k-flag
 * ExecStart= in an env file did it) they throw "Maximum call stack size exceeded". These loop.
 * Pure and dependency-free: the webview bundles it too.
 */

/** Appends every item of `items` to `target` (one push each, no spread); returns `target`. */
export function appendAll<T>(target: T[], items: Iterable<T>): T[] {
  for (const item of items) target.push(item);
  return target;
}

/** The largest of `values`; `empty` when there is none (Math.max() would say -Infinity). */
export function maxOf(values: Iterable<number>, empty = -Infinity): number {
  let max = -Infinity;
  let any = false;
  for (const value of values) {
    any = true;
    if (value > max || Number.isNaN(value)) max = value;
  }
  return any ? max : empty;
}

/** Code-unit order: locale collation ignores punctuation, which would make IPs sort oddly. */
export function ordinal(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
