/** Control characters from names, paths and daemon texts never reach a terminal raw (#14.6). */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { jsonLine, toJson, toText } from '../../../src/cli/format';
import type { Finding } from '../../../src/core/diagnostics/finding';
import { escapeForTerminal, terminalSafeJson } from '../../../src/core/util/untrustedText';

const RETITLE = '\u001b]0;pwned\u0007';
const CSI = '\u009b2J';

describe('CLI text output', () => {
  const finding: Finding = {
    file: `/tmp/${RETITLE}/daemon.json`,
    range: { startLine: 0, startColumn: 0, endLine: 0, endColumn: 1 },
    severity: 'error',
    code: 'DNE170',
    message: `etcd answered "${RETITLE}${CSI}\nfake: line\r"`,
    related: [{ file: `x${RETITLE}`, range: { startLine: 0, startColumn: 0, endLine: 0, endColumn: 0 }, message: `m${CSI}` }],
    fix: { title: `t\u202e`, edits: [] },
  };

  it('escapes ESC, BEL, C1, CR/LF and bidi overrides in paths, messages, related places and fixes', () => {
    const text = toText([finding]);
    assert.doesNotMatch(text, /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202e]/);
    assert.equal(text.split('\n').length, 6, text); // finding, see, fix, blank, summary, and after the last newline
    assert.match(
      text,
      /^\/tmp\/\\u\{1b\}\]0;pwned\\u\{7\}\/daemon\.json:1:1: error DNE170 etcd answered "\\u\{1b\}\]0;pwned\\u\{7\}\\u\{9b\}2J\\u\{a\}fake: line\\u\{d\}"$/m,
    );
    assert.match(text, /^ {4}fix: t\\u\{202e\}$/m);
  });

  it('keeps tabs, backslashes and ordinary text as they are', () => {
    assert.equal(escapeForTerminal('C:\\a\tb é 🐳'), 'C:\\a\tb é 🐳');
  });
});

describe('CLI JSON output', () => {
  it('is valid JSON with the same values, and with no raw C0, C1, bidi or line separators', () => {
    const value = toJson([
      {
        file: `f${CSI}`,
        range: { startLine: 0, startColumn: 0, endLine: 0, endColumn: 0 },
        severity: 'error',
        code: 'DNE170',
        message: `${RETITLE}\u2028\u202e`,
      },
    ]);
    const line = jsonLine(value);
    assert.ok(line.endsWith('\n'));
    assert.doesNotMatch(line.slice(0, -1), /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e]/);
    assert.deepEqual(JSON.parse(line), value);
    // JSON.stringify alone leaves the C1 CSI raw.
    assert.match(JSON.stringify(value), /\u009b/);
    assert.equal(terminalSafeJson('\u009b'), '"\\u009b"');
  });
});
