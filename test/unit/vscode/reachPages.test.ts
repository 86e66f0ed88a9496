/** The answer and matrix pages: strict CSP, no script, every Docker string escaped. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { explain } from '../../../src/core/reachability/explain';
import { explainAllPairs } from '../../../src/core/reachability/matrix';
import { ReachIndex } from '../../../src/core/reachability/reachIndex';
import { answerPage, matrixPage } from '../../../src/vscode/reachability/reachPages';
import { host } from '../reachWorld';

const hostile = '<img src=x onerror=alert(1)>';
const world = host(
  '26',
  'h',
  [{ name: hostile, subnet: '10.30.0.0/24' }],
  [
    { name: 'a', networks: { [hostile]: { ip: '10.30.0.2' } } },
    { name: 'b"x', networks: { [hostile]: { ip: '10.30.0.3', aliases: ['<b>api</b>'] } } },
  ],
);

describe('reachability pages', () => {
  it('the answer page: CSP default-src none, no script, names and messages escaped', () => {
    const html = answerPage(explain([world], { from: 'a', target: '<b>api</b>', port: 80 }), 'NONCE');
    assert.match(html, /content="default-src 'none'; style-src 'nonce-NONCE';"/);
    assert.ok(!/<script/i.test(html));
    assert.ok(!html.includes(hostile) && !html.includes('<b>api</b>'));
    assert.ok(html.includes('&lt;img src=x onerror=alert(1)&gt;'));
    assert.match(html, /<span class="verdict reachable">reachable<\/span>/);
  });
  it('the matrix page: a cell per ordered pair, the reason in an escaped title', () => {
    const index = new ReachIndex([world]);
    const cells = explainAllPairs(index, index.containers);
    const html = matrixPage(
      `Reachability matrix: ${hostile}`,
      index.containers.map((node) => node.container.name),
      cells,
      'N',
    );
    assert.equal((html.match(/<td class="ok"/g) ?? []).length, 2);
    assert.ok(html.includes('title="a → b&quot;x: reachable.'));
    assert.ok(!html.includes(hostile) && !/<script/i.test(html));
  });
});
