import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { diagnoseHost } from '../../../src/core/diagnostics/diagnoseHost';
import { prng } from '../../support/prng';

const SEEDS = [
  '{\n  // c\n  "cluster-store": "consul://10.0.0.5:8500",\n  "hosts": ["tcp://0.0.0.0:2375",],\n  "tlsverify": true, "x": [1, {"y": null}]\n}\n',
  '[Service]\nEnvironmentFile=-/etc/sysconfig/docker\nExecStart=/usr/bin/dockerd \\\n  -H fd:// "--label=a b" \\\n  $OPTIONS ${X}\nExecStart=\n',
  'DOCKER_OPTS="-H tcp://0.0.0.0:2375 --cluster-store=consul://c:8500"\nexport OPTIONS=\'--tls\' # c\n',
  '[Service]\r\nExecStart=/usr/bin/dockerd -D \\\r--tls \\\r\n  -H tcp://0.0.0.0:2375\r\n',
  '[Socket]\nListenStream=/var/run/docker.sock\nListenStream=[::1]:2375\nListenStream=\n',
];
const ALPHABET = '{}[]",:\\\'$#/*=-\n\r\t ab\u0000\ufeff\u00e9\ud83d';

function mutate(text: string, random: () => number): string {
  let result = text;
  const operations = 1 + Math.floor(random() * 8);
  for (let i = 0; i < operations; i++) {
    const at = Math.floor(random() * (result.length + 1));
    const choice = random();
    if (choice < 0.4) result = result.slice(0, at) + ALPHABET[Math.floor(random() * ALPHABET.length)] + result.slice(at);
    else if (choice < 0.7) result = result.slice(0, at) + result.slice(at + 1 + Math.floor(random() * 5));
    else if (choice < 0.85) result = result.slice(0, at) + result.slice(Math.floor(random() * result.length));
    else result = result.slice(0, at) + result.slice(0, at);
  }
  return result;
}

function randomBinary(random: () => number): string {
  const length = Math.floor(random() * 300);
  let text = '';
  for (let i = 0; i < length; i++) text += String.fromCharCode(Math.floor(random() * (random() < 0.8 ? 128 : 65536)));
  return text;
}

export function inputs(count: number): string[] {
  const random = prng(20261128);
  const result: string[] = ['', '{', '"', '\\', '[Service]\nExecStart=\\', '{'.repeat(5000), '['.repeat(5000), 'A="'];
  for (let i = 0; i < count; i++) {
    result.push(random() < 0.75 ? mutate(SEEDS[i % SEEDS.length], random) : randomBinary(random));
  }
  return result;
}

describe('fuzz: parsers and rules never throw', () => {
  it('3000 mutated, random and binary inputs through every parser and rule, none of them throwing or hanging', () => {
    const all = inputs(3000);
    const started = performance.now();
    for (const text of all) {
      const file = { file: 'f', text };
      try {
        // diagnoseHost runs every parser (daemon.json, unit + drop-in, env file, socket) and every rule.
        diagnoseHost({
          daemonJson: file,
          serviceUnit: file,
          serviceDropIns: [file],
          envFiles: [{ ...file, hostPath: '/etc/sysconfig/docker' }],
          socketUnit: file,
        });
      } catch (error) {
        // The input is named only on failure: stringifying every input would dominate the timing.
        assert.fail(`threw on ${JSON.stringify(text)}: ${String(error)}`);
      }
    }
    const elapsed = performance.now() - started;
    console.log(`fuzz: ${all.length} inputs in ${elapsed.toFixed(0)} ms`);
    // A hang guard, not a speed claim (speed lives in `npm run bench`): ~0.5 s on a quiet machine;
    // a quadratic path on some input would take minutes. Generous, so a loaded machine never flakes.
    assert.ok(elapsed < 15_000, `took ${elapsed.toFixed(0)} ms`);
  });

  it('every finding range lies inside its file', () => {
    for (const text of inputs(500)) {
      const lines = text.split('\n');
      for (const finding of diagnoseHost({ daemonJson: { file: 'f', text } })) {
        const { startLine, startColumn, endLine, endColumn } = finding.range;
        assert.ok(startLine <= endLine && endLine < lines.length, JSON.stringify({ text, finding }));
        assert.ok(startColumn <= lines[startLine].length && endColumn <= lines[endLine].length, JSON.stringify({ text, finding }));
        assert.ok(startLine < endLine || startColumn <= endColumn, JSON.stringify({ text, finding }));
      }
    }
  });
});
