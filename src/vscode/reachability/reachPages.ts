/**
 * The answer and matrix pages shown in a webview. Static HTML, no script at all: the CSP is
 * `default-src 'none'` plus one nonce'd style, every Docker string is escaped (it may hold
 * markup), and the matrix's reasons are native `title` tooltips. No `vscode` import: unit-tested.
 */
import type { MatrixCell, MatrixMember } from '../../core/reachability/matrix';
import { probeAgrees } from '../../core/reachability/probeRequest';
import type { ReachAnswer } from '../../core/reachability/types';

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[char] as string);
}

const STYLE = `
body { font-family: var(--vscode-font-family); font-size: var(--vscode-font-size); color: var(--vscode-foreground); padding: 0 16px 16px; }
h1 { font-size: 1.3em; font-weight: 600; }
.verdict { padding: 1px 8px; border-radius: 3px; color: var(--vscode-editor-background); }
.reachable { background: var(--vscode-testing-iconPassed, #3c9c3c); }
.unreachable { background: var(--vscode-testing-iconFailed, #d04040); }
table { border-collapse: collapse; margin: 4px 0 12px; }
th, td { border: 1px solid var(--vscode-panel-border, #8884); padding: 2px 8px; text-align: left; }
code { font-family: var(--vscode-editor-font-family); }
.code { color: var(--vscode-descriptionForeground); font-family: var(--vscode-editor-font-family); }
.blocked { font-weight: 600; color: var(--vscode-errorForeground); }
.path span + span::before { content: ' → '; color: var(--vscode-descriptionForeground); font-weight: normal; }
.matrix td { text-align: center; min-width: 1.6em; cursor: default; }
.matrix td.ok { color: var(--vscode-testing-iconPassed, #3c9c3c); }
.matrix td.no { color: var(--vscode-testing-iconFailed, #d04040); }
.matrix th.row { text-align: right; }
.matrix th.col { writing-mode: vertical-rl; transform: rotate(180deg); text-align: left; }
.note { color: var(--vscode-descriptionForeground); }`;

function page(title: string, body: string, nonce: string): string {
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'nonce-${nonce}';">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>${escapeHtml(title)}</title><style nonce="${nonce}">${STYLE}</style></head>
<body>${body}</body></html>`;
}

export function answerPage(answer: ReachAnswer, nonce: string): string {
  const e = escapeHtml;
  const port = answer.port === null ? '' : ` port ${answer.port}`;
  const parts: string[] = [
    `<h1>${e(answer.from)} → ${e(answer.target)}${port} <span class="verdict ${answer.verdict}">${answer.verdict}</span></h1>`,
  ];
  parts.push(
    `<h2>${answer.verdict === 'reachable' ? 'Why' : 'Why not'}</h2><ul>${answer.reasons.map((reason) => `<li><span class="code">${e(reason.code)}</span> ${e(reason.message)}</li>`).join('')}</ul>`,
  );
  if (answer.path) {
    const blocked = answer.path.blockedAt;
    parts.push(
      `<h2>Path</h2><p class="path">${answer.path.steps
        .map((step) => {
          const isBlocked = blocked && blocked.kind === step.kind && blocked.id === step.id;
          return `<span class="${isBlocked ? 'blocked' : ''}" title="${e(step.kind)}">${e(step.name)}${isBlocked ? ' ✗' : ''}</span>`;
        })
        .join('')}</p>`,
    );
  }
  if (answer.names.length > 0) {
    parts.push(
      `<h2>Names</h2><table><tr><th>name</th><th>kind</th><th>network</th><th>resolves to</th></tr>${answer.names
        .map(
          (name) =>
            `<tr><td><code>${e(name.name)}</code></td><td>${e(name.kind)}</td><td>${e(name.network ?? '')}</td><td>${name.resolves ? e(name.addresses.join(', ')) : `does not resolve${name.because ? ` (${e(name.because)})` : ''}`}</td></tr>`,
        )
        .join('')}</table>`,
    );
  }
  if (answer.networks.length > 0) {
    parts.push(
      `<h2>Networks shared</h2><table><tr><th>network</th><th>driver</th><th>from</th><th>target</th><th>passes</th></tr>${answer.networks
        .map(
          (net) =>
            `<tr><td>${e(net.name)}${net.internal ? ' (internal)' : ''}${net.icc ? '' : ' (ICC off)'}</td><td>${e(net.driver)}</td><td>${e(net.fromAddress ?? '')}</td><td>${e(net.targetAddress ?? '')}</td><td>${net.passes ? 'yes' : 'no'}${net.ports === 'all' ? '' : ` (ports ${net.ports.join(', ') || 'none'})`}</td></tr>`,
        )
        .join('')}</table>`,
    );
  }
  if (answer.probe) {
    const agrees = probeAgrees(answer, answer.probe);
    parts.push(
      `<h2>Probe: ${e(answer.probe.verdict)}${agrees === false ? ' — disagrees with the explanation' : ''}</h2>${
        agrees === false
          ? `<p class="blocked disagrees">The probe and the explanation disagree: the explanation says ${e(answer.verdict)}, the checks inside ${e(answer.from)} say ${e(answer.probe.verdict)}. Something the daemons do not report decides here (a firewall, iptables rules, a daemon bug).</p>`
          : agrees
            ? '<p class="note agrees">The probe agrees with the explanation.</p>'
            : '<p class="note">The probe decided nothing: see why below.</p>'
      }<ul>${answer.probe.evidence
        .map(
          (item) =>
            `<li>${item.ok ? '✓' : '✗'} ${e(item.check)} <code>${e(item.command)}</code> (${item.durationMs} ms)<pre>${e(item.output)}</pre></li>`,
        )
        .join('')}</ul>`,
    );
  } else {
    parts.push('<p class="note">Explained from what the daemons report; nothing was sent.</p>');
  }
  return page(`Reachability: ${answer.from} → ${answer.target}`, parts.join('\n'), nonce);
}

export function matrixPage(title: string, members: readonly MatrixMember[], cells: readonly MatrixCell[], nonce: string): string {
  const e = escapeHtml;
  // By host + container id: two hosts of one overlay may each run a `web1`.
  const byPair = new Map(cells.map((cell) => [`${cell.fromKey}\u0000${cell.targetKey}`, cell]));
  const reachable = cells.filter((cell) => cell.verdict === 'reachable').length;
  const header = `<tr><th></th>${members.map((member) => `<th class="col">${e(member.label)}</th>`).join('')}</tr>`;
  const rows = members
    .map(
      (from) =>
        `<tr><th class="row">${e(from.label)}</th>${members
          .map((target) => {
            if (from.key === target.key) return '<td class="self">·</td>';
            const cell = byPair.get(`${from.key}\u0000${target.key}`);
            if (!cell) return '<td></td>';
            const tip = `${from.label} → ${target.label}: ${cell.verdict}. ${cell.reason?.message ?? ''}`;
            return `<td class="${cell.verdict === 'reachable' ? 'ok' : 'no'}" title="${e(tip)}" data-code="${e(cell.reason?.code ?? '')}">${cell.verdict === 'reachable' ? '✓' : '✗'}</td>`;
          })
          .join('')}</tr>`,
    )
    .join('\n');
  const body = `<h1>${e(title)}</h1><p class="note">Rows reach columns: ${reachable} of ${cells.length} ordered pairs reachable (any traffic, names as each row's container resolves them). Hover a cell for the reason.</p><table class="matrix">${header}\n${rows}</table>`;
  return page(title, body, nonce);
}
