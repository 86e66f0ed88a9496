/**
 * known_hosts read as OpenSSH reads it. The keys, fingerprints and hashed lines below were made by
 * OpenSSH 9.2 itself (ssh-keygen -t …, ssh-keygen -lf, ssh-keygen -H), so a match here is a match
 * with what `ssh` would decide, not with our own idea of the format.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { HostKeyTrust, type UnknownHostKey } from '../../../src/core/ssh/hostKeyTrust';
import {
  checkHostKey,
  entryMatches,
  fingerprint,
  keyBlobType,
  knownHostsLine,
  lookupName,
  parseKnownHosts,
  preferredHostKeyAlgorithms,
} from '../../../src/core/ssh/knownHosts';

const ED_A = 'AAAAC3NzaC1lZDI1NTE5AAAAIMOV+xoLE8Yk07X5A5QCjXHZA6XOBUZAS1N/XYKYqDS4';
const ED_B = 'AAAAC3NzaC1lZDI1NTE5AAAAIKUlD/sXVHDZ7mx49IRkY2/JfeMAaiM6SxDwgExINS0k';
const ECDSA_C =
  'AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABBBK+Z61JkndWlmzy8Z1L9Tw9xTnIpFMvHHLR84DzYEJp52P4nIiqq+hM6Z9aRnxQnDI+9gDZT6nIobCHLJu8tKX4=';
/** `ssh-keygen -lf` of each. */
const FP_A = 'SHA256:NOmc8xe7fcNA0x47bikqPhFr0jRJMuRWB7St+N3aWag';
const FP_B = 'SHA256:UC7BA4VWqRLZgSgvg5ohxWU1x/GINYXD96Ejen11Nu0';
const FP_C = 'SHA256:qxCWH3+IPclAMEKh20qYnGrQDAkw6PhYgi4thj60Oo4';
/** `ssh-keygen -H` of "docker-host.example ED_A" and "[127.0.0.1]:2222 ECDSA_C". */
const HASHED = [
  `|1|Hbh6E7nExM071DATFTZnSerNjHY=|W+m+LWwBAfjG5qM8xlMDwhF8cA4= ssh-ed25519 ${ED_A}`,
  `|1|GMc4no9HPT7cMWGoDuvi+Szi/sg=|u8c1pT2S1OcsvEftQo4H07GW97o= ecdsa-sha2-nistp256 ${ECDSA_C}`,
].join('\n');

const key = (base64: string) => Buffer.from(base64, 'base64');

describe('known_hosts: parsing and matching', () => {
  it('reads plain, hashed and marked lines, skipping comments, blanks and corrupt lines', () => {
    const entries = parseKnownHosts(
      [
        '# a comment',
        '',
        `host1,10.0.0.1 ssh-ed25519 ${ED_A} a comment`,
        HASHED,
        `@revoked * ssh-ed25519 ${ED_B}`,
        `@cert-authority *.example.com ssh-ed25519 ${ED_A}`,
        `@weird host2 ssh-ed25519 ${ED_A}`,
        `host3 ssh-rsa ${ED_A}`, // the type on the line is not the key's
        'host4 ssh-ed25519 not*base64',
        '|1|short|hash ssh-ed25519 ' + ED_A,
        'host5 ssh-ed25519',
      ].join('\n'),
      'kh',
    );
    assert.deepEqual(
      entries.map((entry) => [entry.line, entry.marker ?? '', entry.hosts.kind, entry.keyType]),
      [
        [3, '', 'patterns', 'ssh-ed25519'],
        [4, '', 'hashed', 'ssh-ed25519'],
        [5, '', 'hashed', 'ecdsa-sha2-nistp256'],
        [6, 'revoked', 'patterns', 'ssh-ed25519'],
        [7, 'cert-authority', 'patterns', 'ssh-ed25519'],
      ],
    );
  });

  it('matches hashed entries made by ssh-keygen -H, by name and by [host]:port', () => {
    const [plainHost, bracketed] = parseKnownHosts(HASHED, 'kh');
    assert.ok(entryMatches(plainHost, lookupName('Docker-Host.example', 22)));
    assert.ok(!entryMatches(plainHost, lookupName('docker-host.example', 2222)));
    assert.ok(entryMatches(bracketed, lookupName('127.0.0.1', 2222)));
    assert.ok(!entryMatches(bracketed, lookupName('127.0.0.1', 22)));
  });

  it('matches patterns with wildcards and negation as ssh does', () => {
    const [entry] = parseKnownHosts(`*.lan,!secret.lan,[build-?]:2200 ssh-ed25519 ${ED_A}`, 'kh');
    assert.ok(entryMatches(entry, 'box.lan'));
    assert.ok(!entryMatches(entry, 'secret.lan'), 'a matching negation rules the line out');
    assert.ok(entryMatches(entry, '[build-1]:2200'));
    assert.ok(!entryMatches(entry, '[build-10]:2200'));
    assert.ok(!entryMatches(entry, 'lan'));
    // No exponential backtracking on a hostile pattern.
    const [slow] = parseKnownHosts(`${'*a'.repeat(40)}b ssh-ed25519 ${ED_A}`, 'kh');
    const began = Date.now();
    assert.ok(!entryMatches(slow, 'a'.repeat(5000)));
    assert.ok(Date.now() - began < 1000);
  });

  it('prints fingerprints as ssh-keygen -lf does and names the key type inside the blob', () => {
    assert.equal(fingerprint(key(ED_A)), FP_A);
    assert.equal(fingerprint(key(ED_B)), FP_B);
    assert.equal(fingerprint(key(ECDSA_C)), FP_C);
    assert.equal(keyBlobType(key(ECDSA_C)), 'ecdsa-sha2-nistp256');
    assert.equal(keyBlobType(Buffer.from([0, 0, 0, 200, 1])), undefined);
    assert.equal(knownHostsLine('[h]:2', key(ED_A)), `[h]:2 ssh-ed25519 ${ED_A}`);
  });

  it('decides known, changed, revoked, CA-only and unknown in OpenSSH order', () => {
    const entries = parseKnownHosts(
      [
        HASHED,
        `changed.lan ssh-ed25519 ${ED_B}`,
        `@revoked revoked.lan ssh-ed25519 ${ED_A}`,
        `revoked.lan ssh-ed25519 ${ED_A}`,
        `@cert-authority *.corp ssh-ed25519 ${ED_B}`,
        `ecdsa-only.lan ecdsa-sha2-nistp256 ${ECDSA_C}`,
      ].join('\n'),
      'kh',
    );
    assert.equal(checkHostKey(entries, 'docker-host.example', key(ED_A)).kind, 'known');
    const changed = checkHostKey(entries, 'changed.lan', key(ED_A));
    assert.equal(changed.kind, 'changed');
    assert.equal(changed.kind === 'changed' && changed.entries[0].line, 3);
    assert.equal(checkHostKey(entries, 'revoked.lan', key(ED_A)).kind, 'revoked', '@revoked wins over a plain line with the same key');
    assert.equal(checkHostKey(entries, 'box.corp', key(ED_A)).kind, 'cert-authority');
    assert.deepEqual(checkHostKey(entries, 'ecdsa-only.lan', key(ED_A)), { kind: 'unknown', otherTypes: ['ecdsa-sha2-nistp256'] });
    assert.deepEqual(checkHostKey(entries, 'elsewhere', key(ED_A)), { kind: 'unknown', otherTypes: [] });
  });

  it('asks ssh2 for known key types first', () => {
    assert.deepEqual(preferredHostKeyAlgorithms(['ssh-rsa']), {
      remove: ['rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa'],
      prepend: ['rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa'],
    });
    assert.equal(preferredHostKeyAlgorithms([]), undefined);
    assert.equal(preferredHostKeyAlgorithms(['sk-ssh-ed25519@openssh.com']), undefined, 'a type ssh2 cannot verify would make it throw');
  });
});

describe('host key trust: the decision and the question', () => {
  let dir = '';
  let userFile = '';
  const target = { host: '127.0.0.1', port: 2222, username: 'me' };
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dne-kh-'));
    userFile = path.join(dir, '.ssh', 'known_hosts');
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('refuses an unknown key without a way to ask, naming the fingerprint and how to add it', async () => {
    const decision = await new HostKeyTrust().decide(target, key(ED_A), [userFile, path.join(dir, 'missing')]);
    assert.equal(decision.accept, false);
    assert.match(
      !decision.accept ? decision.reason : '',
      new RegExp(
        `\\[127\\.0\\.0\\.1\\]:2222 is not known: ED25519 key ${FP_A.replace(/[+/]/g, '\\$&')}\\. Refused.*ssh -p 2222 me@127\\.0\\.0\\.1`,
      ),
    );
    assert.equal(fs.existsSync(userFile), false, 'nothing is recorded');
  });

  it('refuses a changed key with both fingerprints and the ssh-keygen -R to run', async () => {
    fs.mkdirSync(path.dirname(userFile));
    fs.writeFileSync(userFile, `[127.0.0.1]:2222 ssh-ed25519 ${ED_B}\n`);
    const decision = await new HostKeyTrust({ askUnknown: async () => true }).decide(target, key(ED_A), [userFile]);
    assert.equal(decision.accept, false, 'a changed key is never asked about');
    const reason = !decision.accept ? decision.reason : '';
    assert.ok(reason.includes(`${userFile}:1 has ED25519 key ${FP_B}`), reason);
    assert.ok(reason.includes(`now presents ED25519 key ${FP_A}`), reason);
    assert.ok(reason.includes('ssh-keygen -R "[127.0.0.1]:2222"'), reason);
  });

  it('refuses @revoked and @cert-authority cleanly', async () => {
    const global = path.join(dir, 'ssh_known_hosts');
    fs.writeFileSync(global, `@revoked * ssh-ed25519 ${ED_A}\n@cert-authority [127.0.0.1]:* ssh-ed25519 ${ED_B}\n`);
    const trust = new HostKeyTrust({ askUnknown: async () => assert.fail('not to be asked') });
    const revoked = await trust.decide(target, key(ED_A), [userFile, global]);
    assert.match(!revoked.accept ? revoked.reason : '', /marked @revoked in .*ssh_known_hosts:1: refused/);
    const authority = await trust.decide(target, key(ECDSA_C), [userFile, global]);
    assert.match(
      !authority.accept ? authority.reason : '',
      /@cert-authority, .*ssh_known_hosts:2\) for \[127\.0\.0\.1\]:2222, and host certificates are not supported here: refused/,
    );
  });

  it('asks once for concurrent connections, records the trusted key where ssh finds it, then knows it', async () => {
    const questions: UnknownHostKey[] = [];
    let answer: (trusted: boolean) => void = () => undefined;
    const trust = new HostKeyTrust({ askUnknown: (question) => (questions.push(question), new Promise((resolve) => (answer = resolve))) });
    const pending = [1, 2, 3].map(() => trust.decide(target, key(ED_A), [userFile]));
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(questions.length, 1);
    assert.ok(trust.isAsking('127.0.0.1', 2222));
    assert.deepEqual(
      { ...questions[0] },
      { ...target, name: '[127.0.0.1]:2222', keyType: 'ED25519', fingerprint: FP_A, otherTypes: [], recordIn: userFile },
    );
    answer(true);
    assert.deepEqual(await Promise.all(pending), [{ accept: true }, { accept: true }, { accept: true }]);
    assert.equal(fs.readFileSync(userFile, 'utf8'), `[127.0.0.1]:2222 ssh-ed25519 ${ED_A}\n`);
    assert.equal(fs.statSync(path.dirname(userFile)).mode & 0o777, 0o700);
    assert.deepEqual(await trust.decide(target, key(ED_A), [userFile]), { accept: true });
    assert.equal(questions.length, 1, 'a recorded key is not asked about again');
  });

  it('remembers a decline until an explicit retry, and never writes it down', async () => {
    let asked = 0;
    const trust = new HostKeyTrust({ askUnknown: async () => (asked++, false) });
    for (let i = 0; i < 3; i++) {
      const decision = await trust.decide(target, key(ED_A), [userFile]);
      assert.match(!decision.accept ? decision.reason : '', /You chose not to trust it; Retry to be asked again/);
    }
    assert.equal(asked, 1);
    trust.forgetDeclined('127.0.0.1', 2222);
    await trust.decide(target, key(ED_A), [userFile]);
    assert.equal(asked, 2);
    assert.equal(fs.existsSync(userFile), false);
  });

  it('appends on a line of its own to a file without a final newline', async () => {
    fs.mkdirSync(path.dirname(userFile));
    fs.writeFileSync(userFile, `other ssh-ed25519 ${ED_B}`);
    await new HostKeyTrust({ askUnknown: async () => true }).decide(target, key(ED_A), [userFile]);
    assert.equal(fs.readFileSync(userFile, 'utf8'), `other ssh-ed25519 ${ED_B}\n[127.0.0.1]:2222 ssh-ed25519 ${ED_A}\n`);
  });
});
