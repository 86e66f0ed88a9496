/**
 * Daemon text made safe for VS Code's UI. VS Code's own link pattern (copied from the workbench
 * code-server 4.96.4 ships, `parseLinkedText`) must find nothing in neutralised text, whatever
 * the input; icons and hidden characters are shown as text.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { neutralise, neutraliseWithIcons } from '../../../src/core/util/untrustedText';

/** VS Code 1.96's notification/quick-input link pattern: a match becomes a clickable link. */
const VSCODE_LINK = /\[([^\]]+)\]\(((?:https?:\/\/|command:|file:)[^)\s]+)(?: (["'])(.+?)(\3))?\)/gi;
const links = (text: string) => [...text.matchAll(VSCODE_LINK)].map((match) => match[2]);

describe('untrusted text', () => {
  it('leaves no link VS Code would render, keeping the words readable', () => {
    const hostile =
      'network [Fix it](command:workbench.action.quit) exists; see [docs](https://evil.example/x "t") or [f](file:///etc/passwd)';
    assert.equal(links(hostile).length, 3, "the pattern is VS Code's: it finds the links before");
    const shown = neutralise(hostile);
    assert.deepEqual(links(shown), []);
    assert.equal(
      shown,
      'network [Fix it] (command:workbench.action.quit) exists; see [docs] (https://evil.example/x "t") or [f] (file:///etc/passwd)',
    );
  });

  it('no input rebuilds a link (seeded random mixes of the link syntax)', () => {
    const pieces = ['[', ']', '(', ')', ']]', '[[', 'command:x', 'https://a', 'file:/b', ' ', 'a', '\\', '\u200b', '"t"'];
    let seed = 14;
    const next = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed);
    for (let round = 0; round < 5000; round++) {
      const text = Array.from({ length: 1 + (next() % 12) }, () => pieces[next() % pieces.length]).join('');
      assert.deepEqual(links(neutralise(text)), [], JSON.stringify(text));
      assert.deepEqual(links(neutraliseWithIcons(text)), [], JSON.stringify(text));
    }
  });

  it('shows control, bidi and zero-width characters instead of acting on them; keeps tabs and newlines', () => {
    assert.equal(neutralise('a\u001b]0;title\u0007b'), 'a\\u{1b}]0;title\\u{7}b');
    assert.equal(neutralise('evil\u202egnp.exe'), 'evil\\u{202e}gnp.exe');
    assert.equal(neutralise('we\u200bb1\ufeff'), 'we\\u{200b}b1\\u{feff}');
    assert.equal(neutralise('line 1\n\tline 2'), 'line 1\n\tline 2');
    assert.equal(neutralise('héllo wörld 網路'), 'héllo wörld 網路');
  });

  it('escapes icons where VS Code draws them, as VS Code itself does (\\$(…))', () => {
    assert.equal(neutraliseWithIcons('$(zap) web1'), '\\$(zap) web1');
    assert.equal(neutralise('$(zap) web1'), '$(zap) web1', 'notifications draw no icons: left as written');
  });
});

describe('the VS Code layer shows daemon text only through src/vscode/untrusted.ts', () => {
  const root = path.resolve(__dirname, '../../../../src/vscode');
  const files = fs
    .readdirSync(root, { recursive: true })
    .map(String)
    .filter((file) => file.endsWith('.ts') && file !== 'untrusted.ts');

  it('no show*Message, status bar text with raw icons, or quick pick elsewhere', () => {
    const raw: string[] = [];
    for (const file of files) {
      const text = fs.readFileSync(path.join(root, file), 'utf8');
      text.split('\n').forEach((line, index) => {
        const where = `src/vscode/${file}:${index + 1}: ${line.trim()}`;
        if (/window\.show(Error|Warning|Information)Message\(/.test(line)) raw.push(where);
        if (/setStatusBarMessage\(`/.test(line)) raw.push(where);
        if (
          /window\.(createQuickPick|showQuickPick|createInputBox|showInputBox)\(/.test(line) &&
          file !== path.join('commands', 'vscodePrompter.ts')
        )
          raw.push(where);
      });
    }
    assert.deepEqual(raw, []);
  });
});
