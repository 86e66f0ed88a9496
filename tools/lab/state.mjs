// lab.json: what `up` built (store kind and URL) and which hosts run with overrides (`restart
// --store/--advertise`), so `status`, `down`, a second `up` and `restart` know.
import * as fs from 'node:fs';
import { STATE_FILE } from './config.mjs';

export function readState() {
  try {
    return JSON.parse(fs.readFileSync(STATE_FILE, 'utf8'));
  } catch {
    return undefined;
  }
}

export function writeState(state) {
  fs.writeFileSync(STATE_FILE, `${JSON.stringify(state)}\n`);
}

/** Records (or, with no overrides, forgets) the overrides one host was last started with. */
export function recordOverrides(name, overrides) {
  const state = readState();
  if (!state) return;
  const all = { ...state.overrides };
  if (overrides.store || overrides.advertise) all[name] = overrides;
  else delete all[name];
  writeState({ ...state, overrides: all });
}
