/**
 * Test certificates made by openssl in a folder the test owns: P-256 keys, valid one day. One
 * place for what the TLS tests (daemon, store, dockerd's words) all need.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

/** A certificate file and its key file. */
export interface KeyPair {
  cert: string;
  key: string;
}

const openssl = (dir: string, args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
const NEW_KEY = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes'];

/** `<name>.pem` and `<name>.key` in `dir`, self-signed for `subject` (a CA, or a server its own CA); `-addext` lines after. */
export function selfSigned(dir: string, name: string, subject: string, extensions: readonly string[] = []): KeyPair {
  fs.mkdirSync(dir, { recursive: true });
  const ext = extensions.flatMap((line) => ['-addext', line]);
  openssl(dir, ['req', '-x509', ...NEW_KEY, '-days', '1', '-subj', subject, ...ext, '-keyout', `${name}.key`, '-out', `${name}.pem`]);
  return { cert: path.join(dir, `${name}.pem`), key: path.join(dir, `${name}.key`) };
}

/** `<name>.pem` and `<name>.key` in `dir` for CN=name, signed by `ca`, with an extensions file's lines. */
export function signedBy(dir: string, ca: KeyPair, name: string, extensions: string): KeyPair {
  fs.mkdirSync(dir, { recursive: true });
  openssl(dir, ['req', ...NEW_KEY, '-subj', `/CN=${name}`, '-keyout', `${name}.key`, '-out', `${name}.csr`]);
  fs.writeFileSync(path.join(dir, `${name}.ext`), extensions);
  const x509 = ['x509', '-req', '-in', `${name}.csr`, '-CA', ca.cert, '-CAkey', ca.key, '-CAcreateserial', '-days', '1'];
  openssl(dir, [...x509, '-extfile', `${name}.ext`, '-out', `${name}.pem`]);
  return { cert: path.join(dir, `${name}.pem`), key: path.join(dir, `${name}.key`) };
}
