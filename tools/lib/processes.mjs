// "Is this process alive?", one rule for every tool and test that asks: /proc/<pid>/stat exists
// and its state is not Z. A zombie has ended (only its exit status is left for its parent), and
// `kill(pid, 0)` would call it alive; it also needs no permission to signal the process.
import * as fs from 'node:fs';

/** Alive and not a zombie; false for anything that is not a positive whole number. */
export function alive(pid) {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  let stat;
  try {
    stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return false;
  }
  // The state follows the command name, which is in parentheses and may hold spaces.
  const close = stat.lastIndexOf(')');
  return stat.slice(close + 2, close + 3) !== 'Z';
}
