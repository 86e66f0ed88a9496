/**
 * The tolerant daemon.json reader (jsonc-parser's scanner under our recovery): what daemonJson
 * tests do not pin down — each bad escape at its offset, comment ends, line endings, and inputs
 * that must stay linear and shallow (a 1 MiB bare word, a 1 MiB `[[[…`).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TolerantJsonParser } from '../../../src/core/diagnostics/parsers/tolerantJson';

function parse(text: string) {
  const parser = new TolerantJsonParser(text);
  const root = parser.parseDocument();
  return { root, problems: parser.problems.map(({ kind, start, end, message }) => [kind, start, end, message]), omitted: parser.omitted };
}

describe('tolerant JSON reader', () => {
  it('names each bad escape of a string at its offset, and keeps the good ones', () => {
    const { root, problems } = parse('{"a": "x\\qy\\u12zz\\n"}');
    assert.deepEqual(problems, [
      ['syntax', 8, 10, 'invalid escape in string'],
      ['syntax', 11, 13, 'invalid escape in string'],
    ]);
    assert.equal(root?.kind, 'object');
  });

  it('a line comment ends before CRLF; an unterminated block comment says so', () => {
    assert.deepEqual(parse('{\r\n// note\r\n"a": 1}').problems, [['comment', 3, 10, 'comment']]);
    assert.deepEqual(parse('{"a": 1} /* open').problems, [['comment', 9, 16, 'unterminated comment']]);
  });

  it('a string left open at CRLF ends at the LF', () => {
    assert.deepEqual(parse('["abc\r\n]').problems, [['syntax', 1, 6, 'unterminated string']]);
  });

  it('a byte-order mark is skipped, a # comment runs to the end of its line', () => {
    assert.deepEqual(parse('\ufeff{"a": 1}').problems, []);
    assert.deepEqual(parse('{ # shell style\n"a": 1}').problems, [['comment', 2, 15, 'comment']]);
  });

  it('stays linear on a 1 MiB bare word and shallow on 1 MiB of "["', () => {
    for (const text of ['a'.repeat(1 << 20), `{"a": ${'b'.repeat(1 << 20)}}`, '['.repeat(1 << 20)]) {
      const began = Date.now();
      const { problems, omitted } = parse(text);
      assert.ok(problems.length > 0);
      assert.ok(problems.length + omitted < 1 << 20);
      assert.ok(Date.now() - began < 5000, `${Date.now() - began} ms`);
    }
    assert.deepEqual(parse('['.repeat(1 << 20)).problems[0], ['syntax', 201, 1 << 20, 'nesting too deep']);
  });
});
