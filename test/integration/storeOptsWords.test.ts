/**
 * --cluster-store-opt in dockerd's words (DNE121–123), as dockerdWords.test.ts does for the other
 * rules: a private dockerd (own netns, no bridge, no iptables) is started with each row's options
 * and the finding must quote the line it gives up with, or, where it starts, the lines it logs
 * ("…without TLS", "Unable to set up TLS: …"). The TLS files are read from this machine
 * (thisMachineFile), as the scan does. Cluster stores are gone from 23 on: 20.10 only.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { diagnoseHost } from '../../src/core/diagnostics/diagnoseHost';
import { thisMachineFile } from '../../src/core/diagnostics/hostFiles/thisMachine';
import { currentEngine } from '../support/engine';
import { dockerdErrorLine, PrivateDockerd } from '../support/dockerFixture';
import { selfSigned } from '../support/pki';

const engine = currentEngine();
const STORE = '--cluster-store=etcd://10.0.0.5:2379';
const ADVERTISE = '--cluster-advertise=10.0.0.11:2376';
const opt = (key: string, value: string) => `--cluster-store-opt=${key}=${value}`;
const pki = { dir: '' };
const file = (name: string) => path.join(pki.dir, name);
/** --cluster-store-opt kv.cacertfile, kv.certfile and kv.keyfile: files in pki.dir. */
const kvTls = (ca: string, cert: string, key: string) => [
  opt('kv.cacertfile', file(ca)),
  opt('kv.certfile', file(cert)),
  opt('kv.keyfile', file(key)),
];

interface Row {
  name: string;
  code: string;
  flags: () => string[];
  /** Refused with the line the finding quotes; or started, logging each of `logs` (quoted too). */
  logs?: string[];
}

const ROWS: Row[] = [
  {
    name: 'ttl not above the heartbeat',
    code: 'DNE123',
    flags: () => [STORE, ADVERTISE, opt('discovery.heartbeat', '10'), opt('discovery.ttl', '5')],
  },
  { name: 'heartbeat zero', code: 'DNE123', flags: () => [STORE, ADVERTISE, opt('discovery.heartbeat', '0')] },
  { name: 'heartbeat with a unit', code: 'DNE123', flags: () => [STORE, ADVERTISE, opt('discovery.heartbeat', '20s')] },
  { name: 'ttl negative', code: 'DNE123', flags: () => [STORE, ADVERTISE, opt('discovery.ttl', '-60')] },
  // The three TLS files (CA, certificate, key), one of them missing or not PEM: dockerd refuses to start.
  ...(
    [
      ['CA file missing', 'none.pem', 'cert.pem', 'cert.key'],
      ['certificate missing', 'cert.pem', 'none.pem', 'cert.key'],
      ['key missing', 'cert.pem', 'cert.pem', 'none.pem'],
      ['CA without PEM', 'text.pem', 'cert.pem', 'cert.key'],
      ['certificate without PEM', 'cert.pem', 'text.pem', 'cert.key'],
      ['key without PEM', 'cert.pem', 'cert.pem', 'text.pem'],
    ] as const
  ).map(([name, ca, cert, key]) => ({ name, code: 'DNE122', flags: () => [STORE, ADVERTISE, ...kvTls(ca, cert, key)] })),
  {
    name: 'CA file missing, no advertise: starts, logs it, no TLS',
    code: 'DNE122',
    logs: ['Unable to set up TLS: could not read CA certificate'],
    flags: () => [STORE, ...kvTls('none.pem', 'cert.pem', 'cert.key')],
  },
  {
    name: 'only the CA: starts without TLS',
    code: 'DNE121',
    logs: ['Initializing discovery without TLS', 'Option Initializing KV without TLS'],
    flags: () => [STORE, ADVERTISE, opt('kv.cacertfile', file('cert.pem'))],
  },
  {
    name: 'a misspelt kv.keyfile: starts without TLS',
    code: 'DNE121',
    logs: ['Option Initializing KV without TLS'],
    flags: () => [STORE, opt('kv.cacertfile', file('cert.pem')), opt('kv.certfile', file('cert.pem')), opt('kv.keyfle', file('cert.key'))],
  },
];

const UNIT = '/etc/systemd/system/docker.service';

/** dockerd's log line's msg="…" text, unescaped as logrus wrote it. */
function logMessages(log: string): string[] {
  return [...log.matchAll(/ msg="((?:[^"\\]|\\.)*)"/g)].map((match) => JSON.parse(`"${match[1]}"`) as string);
}

describe(`dockerd ${engine} says what the doctor quotes about --cluster-store-opt`, { concurrency: 3, timeout: 300_000 }, () => {
  before(() => {
    pki.dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dne-dr-opts-'));
    selfSigned(pki.dir, 'cert', '/CN=dne');
    fs.writeFileSync(file('text.pem'), 'not a PEM file\n');
  });
  after(() => fs.rmSync(pki.dir, { recursive: true, force: true }));

  for (const row of ROWS) {
    it(
      `${row.code}: ${row.name}`,
      { skip: engine === '20.10' ? false : `cluster stores are 20.10's; this pass is ${engine}` },
      async () => {
        const daemon = new PrivateDockerd(undefined, undefined, row.flags());
        try {
          const outcome = await daemon.attempt(30_000);
          const unit = `[Service]\nExecStart=/usr/bin/dockerd ${daemon.args.join(' ')}\n`;
          const findings = diagnoseHost({ serviceUnit: { file: UNIT, text: unit }, hostFile: thisMachineFile });
          const ofCode = findings.filter((candidate) => candidate.code === row.code);
          const finding = ofCode[0];
          assert.ok(finding, `no ${row.code} among:\n${findings.map((entry) => `${entry.code}: ${entry.message}`).join('\n')}`);
          if (!row.logs) {
            assert.ok(!outcome.started, `dockerd started, the doctor says it will not: ${finding.message}`);
            const line = dockerdErrorLine(outcome.log);
            assert.ok(line && finding.message.includes(line), `dockerd said:\n  ${line}\nthe finding says:\n  ${finding.message}`);
            return;
          }
          assert.ok(outcome.started, `dockerd did not start:\n${outcome.started ? '' : outcome.log}`);
          const messages = logMessages(daemon.logTail(400));
          for (const expected of row.logs) {
            const logged = messages.find((message) => message.startsWith(expected));
            assert.ok(logged, `dockerd logged no "${expected}…":\n${messages.join('\n')}`);
            assert.ok(
              ofCode.some((candidate) => candidate.message.includes(logged)),
              `dockerd logged:\n  ${logged}\nthe findings say:\n  ${ofCode.map((candidate) => candidate.message).join('\n  ')}`,
            );
          }
        } finally {
          await daemon.dispose();
        }
      },
    );
  }
});
