// The failed tests of a node:test TAP file, each with where it is and the first lines of its error:
// what CI's tail shows, so a red run says why without the whole log.

/** @returns {{ name: string, location: string, error: string }[]} */
export function tapFailures(tap, maxErrorLines = 8) {
  const lines = tap.split('\n');
  const failures = [];
  for (let i = 0; i < lines.length; i++) {
    const head = /^(\s*)not ok \d+ - (.*)$/.exec(lines[i]);
    if (!head) continue;
    const fields = yamlBlock(lines, i + 1, head[1].length + 2);
    // A suite that failed because its tests did is not a failure of its own.
    if (fields.failureType === 'subtestsFailed') continue;
    const error = (fields.error ?? '').split('\n').filter((line) => line.trim() !== '');
    failures.push({
      name: head[2].replace(/ # (SKIP|TODO).*$/, ''),
      location: fields.location ?? '',
      error: error.slice(0, maxErrorLines).join('\n') + (error.length > maxErrorLines ? '\n…' : ''),
    });
  }
  return failures;
}

/** The YAML block after a test point: top-level `key: 'value'` and `key: |-` fields only. */
function yamlBlock(lines, start, indent) {
  const fields = {};
  if (lines[start]?.trim() !== '---') return fields;
  const pad = ' '.repeat(indent);
  for (let i = start + 1; i < lines.length && lines[i].trim() !== '...'; i++) {
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
  return fields;
}
