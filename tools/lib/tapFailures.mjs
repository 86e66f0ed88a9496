// The failed tests of a node:test TAP file, each with where it is, the first lines of its error
// (a deep-equal's changed lines before its context), where in our code it was thrown, and the
// test's own diagnostics (a storm's seed): what CI's tail shows, so a red run says why without
// the whole log.

/** @returns {{ name: string, location: string, error: string, thrownAt: string[], diagnostics: string[] }[]} */
export function tapFailures(tap, maxErrorLines = 16) {
  const lines = tap.split('\n');
  const failures = [];
  for (let i = 0; i < lines.length; i++) {
    const head = /^(\s*)not ok \d+ - (.*)$/.exec(lines[i]);
    if (!head) continue;
    const { fields, end } = yamlBlock(lines, i + 1, head[1].length + 2);
    // A suite that failed because its tests did is not a failure of its own.
    if (fields.failureType === 'subtestsFailed') continue;
    failures.push({
      name: head[2].replace(/ # (SKIP|TODO).*$/, ''),
      location: fields.location ?? '',
      error: errorLines(fields.error ?? '', maxErrorLines),
      thrownAt: ownFrames(fields.stack ?? ''),
      diagnostics: diagnosticsAfter(lines, end, head[1]),
    });
  }
  return failures;
}

/**
 * The error's head, then (for an assertion's diff, whose context can run to hundreds of lines)
 * the changed lines first, so the few that say what differs are never cut off.
 */
function errorLines(error, max) {
  const lines = error.split('\n').filter((line) => line.trim() !== '');
  if (lines.length <= max) return lines.join('\n');
  const diff = lines.findIndex((line) => /^\+ actual - expected/.test(line));
  if (diff < 0) return [...lines.slice(0, max), '…'].join('\n');
  const head = lines.slice(0, diff + 1);
  const changed = lines.slice(diff + 1).filter((line) => /^[+-] /.test(line));
  const room = Math.max(max - head.length, 4);
  return [...head, ...changed.slice(0, room), changed.length > room ? `… (${changed.length - room} more changed lines)` : '…'].join('\n');
}

/** Up to two stack frames in the project's own code (not Node's, not node_modules'). */
function ownFrames(stack) {
  return stack
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !/node:|node_modules|\(native\)/.test(line))
    .slice(0, 2);
}

/** The `# …` lines a test printed (t.diagnostic), which node:test writes right after its block. */
function diagnosticsAfter(lines, start, indent) {
  const found = [];
  for (let i = start; i < lines.length; i++) {
    const match = new RegExp(`^${indent}# (?!Subtest: )(.*)$`).exec(lines[i]);
    if (!match) break;
    found.push(match[1]);
  }
  return found.slice(0, 6);
}

/** The YAML block after a test point: top-level `key: 'value'` and `key: |-` fields only; `end` is the line after it. */
function yamlBlock(lines, start, indent) {
  const fields = {};
  if (lines[start]?.trim() !== '---') return { fields, end: start };
  const pad = ' '.repeat(indent);
  let i = start + 1;
  for (; i < lines.length && lines[i].trim() !== '...'; i++) {
    const field = new RegExp(`^${pad}(\\w+): (.*)$`).exec(lines[i]);
    if (!field) continue;
    const [, key, value] = field;
    if (value === '|-' || value === '|') {
      const body = [];
      while (i + 1 < lines.length && (lines[i + 1].startsWith(pad + '  ') || lines[i + 1].trim() === '')) {
        if (lines[i + 1].trim() === '...') break;
        body.push(lines[++i].slice(indent + 2));
      }
      fields[key] = body.join('\n');
    } else {
      fields[key] = value.replace(/^'(.*)'$/, '$1').replace(/''/g, "'");
    }
  }
  return { fields, end: i + 1 };
}
