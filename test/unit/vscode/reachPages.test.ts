/** The answer and matrix pages: strict CSP, no script, every Docker string escaped. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { explain } from '../../../src/core/reachability/explain';
import { explainAllPairs, matrixLabels } from '../../../src/core/reachability/matrix';
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
    const html = matrixPage(`Reachability matrix: ${hostile}`, matrixLabels(index.containers), cells, 'N');
    assert.equal((html.match(/<td class="ok"/g) ?? []).length, 2);
    assert.ok(html.includes('title="a → b&quot;x: reachable.'));
    assert.ok(!html.includes(hostile) && !/<script/i.test(html));
  });
});

describe('the matrix across hosts', () => {
  // Two web1, one on each host of one overlay: names alone collide (issue #12).
  const overlay = { name: 'multihost', subnet: '10.10.10.0/24', driver: 'overlay', scope: 'global', id: 'e'.repeat(64) };
  const hosts = [
    host('20.10', 'docker1', [overlay], [{ name: 'web1', networks: { multihost: { ip: '10.10.10.2' } } }]),
    host(
      '20.10',
      'docker2',
      [overlay],
      [
        { name: 'web1', networks: { multihost: { ip: '10.10.10.3' } } },
        { name: 'client', networks: { multihost: { ip: '10.10.10.4' } } },
      ],
    ),
  ];
  const index = new ReachIndex(hosts);

  it('keys cells by host and container id, and labels a clashing name with its host', () => {
    const members = matrixLabels(index.containers);
    assert.deepEqual(members.map((member) => member.label).sort(), ['client', 'web1 (docker1)', 'web1 (docker2)']);
    const cells = explainAllPairs(index, index.containers);
    assert.equal(new Set(cells.map((cell) => `${cell.fromKey}>${cell.targetKey}`)).size, 6);
    const html = matrixPage('m', members, cells, 'N');
    // Every ordered pair of distinct containers has its cell; only the diagonal is "self".
    assert.equal((html.match(/<td class="ok"/g) ?? []).length, 6);
    assert.equal((html.match(/<td class="self"/g) ?? []).length, 3);
    assert.ok(html.includes('title="web1 (docker1) → web1 (docker2): reachable.'));
  });
});

describe('the answer page with a probe', () => {
  const answer = explain([world], { from: 'a', target: 'b"x', port: 80 });
  const evidence = [
    { check: 'tcp' as const, command: "docker exec a sh -c 'nc -z -w2 b\"x 80'", ok: false, output: '<refused>', durationMs: 3 },
  ];

  it('says plainly when the probe and the explanation disagree, and escapes the evidence', () => {
    const html = answerPage({ ...answer, probe: { verdict: 'unreachable', evidence } }, 'N');
    assert.match(html, /Probe: unreachable — disagrees with the explanation/);
    assert.match(html, /The probe and the explanation disagree: the explanation says reachable, the checks inside a say unreachable\./);
    assert.ok(html.includes('&lt;refused&gt;') && !html.includes('<refused>'));
  });

  it('says so when they agree, and when the probe decided nothing', () => {
    assert.match(answerPage({ ...answer, probe: { verdict: 'reachable', evidence } }, 'N'), /The probe agrees with the explanation\./);
    assert.match(answerPage({ ...answer, probe: { verdict: 'inconclusive', evidence } }, 'N'), /The probe decided nothing/);
  });
});
