import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { DockerHost, HostEndpoint, TlsFiles } from '../../../src/core/hosts/dockerHost';
import { parseDockerUrl, resolveHosts } from '../../../src/core/hosts/resolveHosts';
import { DEFAULT_HOST } from '../../support/models';

type Env = Record<string, string | undefined>;
type Settings = readonly unknown[];

/** A fresh home directory per test, removed afterwards, so nothing depends on the machine. */
function useTempHome(): () => string {
  let home = '';
  beforeEach(() => {
    home = fs.mkdtempSync(path.join(os.tmpdir(), 'dne-hosts-'));
  });
  afterEach(() => {
    fs.rmSync(home, { recursive: true, force: true });
  });
  return () => home;
}

function resolve(home: string, env: Env = {}, settings: Settings = []): DockerHost[] {
  return resolveHosts({ env, homeDir: home, settingHosts: settings });
}

function only(hosts: DockerHost[]): DockerHost {
  assert.equal(hosts.length, 1, `expected one host, got ${JSON.stringify(hosts)}`);
  return hosts[0];
}

/** ssh endpoints are checked against the home's known_hosts, then the machine's. */
function knownHostsOf(home: string): string[] {
  return [path.join(home, '.ssh', 'known_hosts'), '/etc/ssh/ssh_known_hosts'];
}

function write(file: string, text: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
}

function writeCerts(dir: string, names: string[]): void {
  for (const name of names) write(path.join(dir, name), `fake ${name}`);
}

function sha(name: string): string {
  return createHash('sha256').update(name).digest('hex');
}

interface ContextSpec {
  host: string;
  skipTlsVerify?: boolean;
  tlsFiles?: string[];
}

/** Lays out a context exactly where `docker context create` puts it; returns its TLS dir. */
function writeContext(configDir: string, name: string, spec: ContextSpec): string {
  const meta = { Name: name, Metadata: {}, Endpoints: { docker: { Host: spec.host, SkipTLSVerify: spec.skipTlsVerify ?? false } } };
  write(path.join(configDir, 'contexts', 'meta', sha(name), 'meta.json'), JSON.stringify(meta));
  const tlsDir = path.join(configDir, 'contexts', 'tls', sha(name), 'docker');
  writeCerts(tlsDir, spec.tlsFiles ?? []);
  return tlsDir;
}

function tlsIn(dir: string, verify: boolean): TlsFiles {
  return { verify, ca: path.join(dir, 'ca.pem'), cert: path.join(dir, 'cert.pem'), key: path.join(dir, 'key.pem') };
}

const ALL_CERTS = ['ca.pem', 'cert.pem', 'key.pem'];
/** The same socket when nothing chose it: shown quietly until it answers (HostMonitor's "absent"). */
const IMPLICIT_DEFAULT_HOST: DockerHost = { ...DEFAULT_HOST, implicit: true };

describe('parseDockerUrl', () => {
  const tls: TlsFiles = { verify: true, ca: '/c/ca.pem' };
  const valid: Array<{ url: string; tls?: TlsFiles; endpoint: HostEndpoint }> = [
    { url: 'unix:///var/run/docker.sock', endpoint: { kind: 'unix', socketPath: '/var/run/docker.sock' } },
    { url: 'unix:///run/user/1000/docker.sock', endpoint: { kind: 'unix', socketPath: '/run/user/1000/docker.sock' } },
    { url: 'unix://', endpoint: { kind: 'unix', socketPath: '/var/run/docker.sock' } },
    { url: 'tcp://10.0.0.5:2380', endpoint: { kind: 'tcp', host: '10.0.0.5', port: 2380 } },
    { url: 'tcp://docker.example.com', endpoint: { kind: 'tcp', host: 'docker.example.com', port: 2375 } },
    { url: 'tcp://docker.example.com/', endpoint: { kind: 'tcp', host: 'docker.example.com', port: 2375 } },
    { url: 'tcp://docker.example.com', tls, endpoint: { kind: 'tcp', host: 'docker.example.com', port: 2376, tls } },
    { url: 'tcp://[::1]:2377', endpoint: { kind: 'tcp', host: '::1', port: 2377 } },
    { url: '  tcp://10.0.0.5:2375  ', endpoint: { kind: 'tcp', host: '10.0.0.5', port: 2375 } },
    { url: '10.0.0.5:2375', endpoint: { kind: 'tcp', host: '10.0.0.5', port: 2375 } },
    { url: 'localhost', endpoint: { kind: 'tcp', host: 'localhost', port: 2375 } },
    { url: 'ssh://me@build-box:2222', endpoint: { kind: 'ssh', host: 'build-box', port: 2222, username: 'me' } },
    { url: 'ssh://build-box', endpoint: { kind: 'ssh', host: 'build-box', port: 22 } },
    { url: 'unix:///var/run/docker.sock', tls, endpoint: { kind: 'unix', socketPath: '/var/run/docker.sock' } },
  ];
  for (const c of valid) {
    it(`parses ${JSON.stringify(c.url)}${c.tls ? ' with TLS' : ''}`, () => {
      assert.deepEqual(parseDockerUrl(c.url, c.tls), { endpoint: c.endpoint });
    });
  }

  // Each malformed value must give a message quoting it, explaining why, and showing a good one.
  const invalid: Array<{ url: string; says: string[] }> = [
    { url: 'tcp//x', says: ['"tcp//x"', 'path', 'tcp://192.168.1.10:2376'] },
    { url: 'http://x', says: ['"http://x"', 'unsupported scheme "http://"', 'tcp://host:2376'] },
    { url: 'tcp://:99999', says: ['"tcp://:99999"', 'no host name', 'Example'] },
    { url: 'tcp://', says: ['"tcp://"', 'no host name'] },
    { url: 'tcp://host:99999', says: ['"tcp://host:99999"', 'port "99999"', '1 to 65535'] },
    { url: 'tcp://host:0', says: ['port "0"'] },
    { url: 'tcp://host:', says: ['port ""'] },
    { url: 'tcp://host:2375/v1.40', says: ['must not contain a path ("/v1.40")'] },
    { url: 'tcp://me@host:2375', says: ['cannot carry a user name'] },
    { url: 'tcp://bad_host!:2375', says: ['"bad_host!" is not a valid host name'] },
    { url: 'unix://relative/docker.sock', says: ['"unix://relative/docker.sock"', 'must be absolute', 'unix:///var/run/docker.sock'] },
    { url: 'npipe:////./pipe/docker_engine', says: ['not supported on this platform'] },
    { url: 'fd://', says: ['unsupported scheme "fd://"'] },
    { url: 'TCP://host:2375', says: ['unsupported scheme "TCP://"'] },
    { url: '', says: ['empty', 'unix:///var/run/docker.sock'] },
    { url: '/var/run/docker.sock', says: ['no scheme', 'unix:///var/run/docker.sock'] },
    { url: 'not a host', says: ['"not a host"', 'without a scheme is read as tcp://'] },
    { url: 'ssh://me:secret@host', says: ['password'] },
    { url: 'ssh://@host', says: ['user is empty'] },
    { url: 'ssh://host/var/run/docker.sock', says: ['path after the ssh host'] },
    { url: 'ssh://me@host:70000', says: ['port "70000"'] },
  ];
  for (const c of invalid) {
    it(`reports ${JSON.stringify(c.url)} as a problem`, () => {
      const result = parseDockerUrl(c.url);
      assert.equal(result.endpoint, undefined);
      assert.ok(result.problem, 'expected a problem');
      for (const part of c.says) assert.ok(result.problem.includes(part), `${JSON.stringify(result.problem)} lacks ${part}`);
    });
  }
});

describe('resolveHosts: DOCKER_HOST and TLS variables', () => {
  const home = useTempHome();

  it('uses the default socket when nothing is configured, marked as chosen by nobody', () => {
    assert.deepEqual(resolve(home()), [IMPLICIT_DEFAULT_HOST]);
  });

  it('treats an empty or blank DOCKER_HOST as unset, like the CLI', () => {
    assert.deepEqual(resolve(home(), { DOCKER_HOST: '' }), [IMPLICIT_DEFAULT_HOST]);
    assert.deepEqual(resolve(home(), { DOCKER_HOST: '   ' }), [IMPLICIT_DEFAULT_HOST]);
  });

  const hosts: Array<{ value: string; endpoint: HostEndpoint; warning?: string }> = [
    { value: 'unix:///run/docker-alt.sock', endpoint: { kind: 'unix', socketPath: '/run/docker-alt.sock' } },
    { value: 'tcp://10.1.2.3:2375', endpoint: { kind: 'tcp', host: '10.1.2.3', port: 2375 }, warning: 'unencrypted and unauthenticated' },
    { value: 'ssh://ops@10.1.2.3', endpoint: { kind: 'ssh', host: '10.1.2.3', port: 22, username: 'ops' }, warning: 'No ssh agent' },
    { value: '10.1.2.3:2380', endpoint: { kind: 'tcp', host: '10.1.2.3', port: 2380 }, warning: 'root on that host' },
  ];
  for (const c of hosts) {
    it(`resolves DOCKER_HOST=${c.value}`, () => {
      const host = only(resolve(home(), { DOCKER_HOST: c.value }));
      assert.equal(host.id, 'env');
      assert.equal(host.name, 'DOCKER_HOST');
      assert.equal(host.source, 'DOCKER_HOST');
      assert.equal(host.url, c.value);
      assert.equal(host.problem, undefined);
      assert.deepEqual(host.endpoint, c.endpoint.kind === 'ssh' ? { ...c.endpoint, knownHostsFiles: knownHostsOf(home()) } : c.endpoint);
      assert.equal(host.warnings.length, c.warning ? 1 : 0, JSON.stringify(host.warnings));
      if (c.warning) assert.match(host.warnings[0], new RegExp(c.warning));
    });
  }

  for (const value of ['tcp//x', 'http://x', 'tcp://:99999', 'unix://relative', 'npipe://']) {
    it(`gives a problem, not an exception, for DOCKER_HOST=${value}`, () => {
      const host = only(resolve(home(), { DOCKER_HOST: value }));
      assert.equal(host.id, 'env');
      assert.equal(host.endpoint, undefined);
      assert.ok(host.problem?.startsWith(`DOCKER_HOST "${value}"`), host.problem);
    });
  }

  it('uses TLS with verification for DOCKER_TLS_VERIFY=1 and the certs in DOCKER_CERT_PATH', () => {
    const certs = path.join(home(), 'certs');
    writeCerts(certs, ALL_CERTS);
    const env = { DOCKER_HOST: 'tcp://10.1.2.3', DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: certs };
    const host = only(resolve(home(), env));
    assert.equal(host.problem, undefined);
    assert.deepEqual(host.endpoint, { kind: 'tcp', host: '10.1.2.3', port: 2376, tls: tlsIn(certs, true) });
    assert.deepEqual(host.warnings, []);
  });

  it('looks for the certs in <home>/.docker when DOCKER_CERT_PATH is unset', () => {
    writeCerts(path.join(home(), '.docker'), ALL_CERTS);
    const host = only(resolve(home(), { DOCKER_HOST: 'tcp://10.1.2.3:2376', DOCKER_TLS_VERIFY: '1' }));
    assert.deepEqual(host.endpoint, { kind: 'tcp', host: '10.1.2.3', port: 2376, tls: tlsIn(path.join(home(), '.docker'), true) });
  });

  for (const value of ['true', '0', 'false']) {
    it(`reads DOCKER_TLS_VERIFY=${value} as "verify on" (as the CLI does) and warns`, () => {
      writeCerts(path.join(home(), 'certs'), ALL_CERTS);
      const env = { DOCKER_HOST: 'tcp://10.1.2.3:2376', DOCKER_TLS_VERIFY: value, DOCKER_CERT_PATH: path.join(home(), 'certs') };
      const host = only(resolve(home(), env));
      assert.equal(host.endpoint?.kind === 'tcp' && host.endpoint.tls?.verify, true);
      assert.equal(host.warnings.length, 1);
      assert.ok(host.warnings[0].includes(`DOCKER_TLS_VERIFY="${value}" is read as on`), host.warnings[0]);
      assert.ok(host.warnings[0].includes('as the docker CLI does'));
      assert.ok(host.warnings[0].includes('may read it as off'));
    });
  }

  it('names the missing key.pem when verification is on', () => {
    const certs = path.join(home(), 'certs');
    writeCerts(certs, ['ca.pem', 'cert.pem']);
    const env = { DOCKER_HOST: 'tcp://10.1.2.3:2376', DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: certs };
    const host = only(resolve(home(), env));
    assert.equal(host.endpoint, undefined);
    assert.equal(host.problem, `DOCKER_TLS_VERIFY is set but key.pem is missing from ${certs} (DOCKER_CERT_PATH).`);
  });

  it('lists every missing file, and says the config directory was searched', () => {
    const host = only(resolve(home(), { DOCKER_HOST: 'tcp://10.1.2.3', DOCKER_TLS_VERIFY: '1' }));
    assert.ok(host.problem?.includes(`ca.pem, cert.pem, key.pem are missing from ${path.join(home(), '.docker')}`), host.problem);
    assert.ok(host.problem?.includes('DOCKER_CERT_PATH is unset'), host.problem);
  });

  it('uses TLS without verification, and says so, when only DOCKER_CERT_PATH is set', () => {
    const certs = path.join(home(), 'certs');
    writeCerts(certs, ALL_CERTS);
    const host = only(resolve(home(), { DOCKER_HOST: 'tcp://10.1.2.3:2376', DOCKER_CERT_PATH: certs }));
    assert.deepEqual(host.endpoint, { kind: 'tcp', host: '10.1.2.3', port: 2376, tls: tlsIn(certs, false) });
    assert.equal(host.warnings.length, 2);
    assert.match(host.warnings[0], /DOCKER_CERT_PATH is set but DOCKER_TLS_VERIFY is not/);
    assert.match(host.warnings[1], /does not verify the daemon certificate/);
  });

  it('ignores TLS variables for a unix DOCKER_HOST (no cert files needed)', () => {
    const host = only(resolve(home(), { DOCKER_HOST: 'unix:///var/run/docker.sock', DOCKER_TLS_VERIFY: '1' }));
    assert.equal(host.problem, undefined);
    assert.deepEqual(host.endpoint, { kind: 'unix', socketPath: '/var/run/docker.sock' });
  });

  it('prefers DOCKER_HOST over DOCKER_CONTEXT and says the context is ignored', () => {
    writeContext(path.join(home(), '.docker'), 'remote', { host: 'ssh://me@remote' });
    const host = only(resolve(home(), { DOCKER_HOST: 'unix:///tmp/d.sock', DOCKER_CONTEXT: 'remote' }));
    assert.equal(host.id, 'env');
    assert.deepEqual(host.endpoint, { kind: 'unix', socketPath: '/tmp/d.sock' });
    assert.deepEqual(host.warnings, ['DOCKER_CONTEXT="remote" is ignored because DOCKER_HOST is set (the docker CLI does the same).']);
  });
});

describe('resolveHosts: docker contexts', () => {
  const home = useTempHome();
  const configDir = (): string => path.join(home(), '.docker');

  it('follows DOCKER_CONTEXT to its meta.json and TLS directory', () => {
    const tlsDir = writeContext(configDir(), 'prod', { host: 'tcp://203.0.113.7:2376', tlsFiles: ALL_CERTS });
    const host = only(resolve(home(), { DOCKER_CONTEXT: 'prod' }));
    assert.deepEqual(host, {
      id: 'context:prod',
      name: 'prod',
      source: 'context',
      url: 'tcp://203.0.113.7:2376',
      endpoint: { kind: 'tcp', host: '203.0.113.7', port: 2376, tls: tlsIn(tlsDir, true) },
      warnings: [],
    });
  });

  it('honours SkipTLSVerify and warns about it', () => {
    const tlsDir = writeContext(configDir(), 'lab', { host: 'tcp://lab:2376', skipTlsVerify: true, tlsFiles: ALL_CERTS });
    const host = only(resolve(home(), { DOCKER_CONTEXT: 'lab' }));
    assert.deepEqual(host.endpoint, { kind: 'tcp', host: 'lab', port: 2376, tls: tlsIn(tlsDir, false) });
    assert.equal(host.warnings.length, 1);
    assert.match(host.warnings[0], /does not verify the daemon certificate/);
  });

  it('warns that a tcp context without TLS files is plaintext', () => {
    writeContext(configDir(), 'plain', { host: 'tcp://lab:2375' });
    const host = only(resolve(home(), { DOCKER_CONTEXT: 'plain' }));
    assert.deepEqual(host.endpoint, { kind: 'tcp', host: 'lab', port: 2375 });
    assert.match(host.warnings[0], /Plain tcp to lab:2375: the connection is unencrypted/);
  });

  it('uses currentContext from config.json', () => {
    writeContext(configDir(), 'builder', { host: 'ssh://ci@builder:2200' });
    write(path.join(configDir(), 'config.json'), JSON.stringify({ auths: {}, currentContext: 'builder' }));
    const host = only(resolve(home()));
    assert.equal(host.id, 'context:builder');
    assert.deepEqual(host.endpoint, { kind: 'ssh', host: 'builder', port: 2200, username: 'ci', knownHostsFiles: knownHostsOf(home()) });
  });

  it('lets DOCKER_CONTEXT override currentContext', () => {
    writeContext(configDir(), 'a', { host: 'unix:///run/a.sock' });
    writeContext(configDir(), 'b', { host: 'unix:///run/b.sock' });
    write(path.join(configDir(), 'config.json'), JSON.stringify({ currentContext: 'a' }));
    assert.equal(only(resolve(home(), { DOCKER_CONTEXT: 'b' })).id, 'context:b');
  });

  it('reads the "default" context as the default socket, from either place (chosen, so not implicit)', () => {
    assert.deepEqual(resolve(home(), { DOCKER_CONTEXT: 'default' }), [DEFAULT_HOST]);
    write(path.join(configDir(), 'config.json'), JSON.stringify({ currentContext: 'default' }));
    assert.deepEqual(resolve(home()), [DEFAULT_HOST]);
  });

  it('uses the default socket when config.json has no currentContext', () => {
    write(path.join(configDir(), 'config.json'), JSON.stringify({ auths: {} }));
    assert.deepEqual(resolve(home()), [IMPLICIT_DEFAULT_HOST]);
  });

  it('reports a DOCKER_CONTEXT that does not exist, naming it and the file looked for', () => {
    const host = only(resolve(home(), { DOCKER_CONTEXT: 'ghost' }));
    const metaFile = path.join(configDir(), 'contexts', 'meta', sha('ghost'), 'meta.json');
    assert.equal(host.id, 'context:ghost');
    assert.equal(host.endpoint, undefined);
    assert.ok(
      host.problem?.startsWith(`Docker context "ghost" (from DOCKER_CONTEXT) does not exist: ${metaFile} not found.`),
      host.problem,
    );
  });

  it('reports a missing currentContext with config.json as its origin', () => {
    write(path.join(configDir(), 'config.json'), JSON.stringify({ currentContext: 'gone' }));
    const host = only(resolve(home()));
    assert.ok(
      host.problem?.includes(`"gone" (from "currentContext" in ${path.join(configDir(), 'config.json')}) does not exist`),
      host.problem,
    );
  });

  const brokenConfigs: Array<{ what: string; content: string; says: string }> = [
    { what: 'corrupt JSON', content: '{"currentContext": ', says: 'is not valid JSON' },
    { what: 'a JSON array', content: '[]', says: 'does not contain a JSON object' },
    { what: 'a non-string currentContext', content: '{"currentContext": 7}', says: '"currentContext" in' },
  ];
  for (const c of brokenConfigs) {
    it(`reports config.json with ${c.what}, naming the file`, () => {
      const file = path.join(configDir(), 'config.json');
      write(file, c.content);
      const host = only(resolve(home()));
      assert.equal(host.id, 'default');
      assert.equal(host.endpoint, undefined);
      assert.ok(host.problem?.includes(file), host.problem);
      assert.ok(host.problem?.includes(c.says), host.problem);
    });
  }

  it('reports an unreadable config.json (here: a directory)', () => {
    fs.mkdirSync(path.join(configDir(), 'config.json'), { recursive: true });
    const host = only(resolve(home()));
    assert.match(host.problem ?? '', /^cannot read .*config\.json: EISDIR/);
  });

  it('reports a corrupt meta.json, naming the context and the file', () => {
    const metaFile = path.join(configDir(), 'contexts', 'meta', sha('bad'), 'meta.json');
    write(metaFile, 'not json');
    const host = only(resolve(home(), { DOCKER_CONTEXT: 'bad' }));
    assert.ok(host.problem?.startsWith(`Docker context "bad" (from DOCKER_CONTEXT): ${metaFile} is not valid JSON`), host.problem);
  });

  it('reports a meta.json without a docker endpoint', () => {
    write(path.join(configDir(), 'contexts', 'meta', sha('k8s'), 'meta.json'), JSON.stringify({ Name: 'k8s', Endpoints: {} }));
    const host = only(resolve(home(), { DOCKER_CONTEXT: 'k8s' }));
    assert.match(host.problem ?? '', /"k8s".*has no Endpoints\.docker\.Host string/);
  });

  it('reports a malformed Host inside a context', () => {
    writeContext(configDir(), 'typo', { host: 'tcp//oops' });
    const host = only(resolve(home(), { DOCKER_CONTEXT: 'typo' }));
    assert.equal(host.url, 'tcp//oops');
    assert.match(host.problem ?? '', /^Docker context "typo" .*"tcp\/\/oops"/);
  });

  it('reports a context certificate stored without its key', () => {
    const tlsDir = writeContext(configDir(), 'half', { host: 'tcp://h:2376', tlsFiles: ['ca.pem', 'cert.pem'] });
    const host = only(resolve(home(), { DOCKER_CONTEXT: 'half' }));
    assert.equal(host.problem, `Docker context "half" (from DOCKER_CONTEXT): ${tlsDir} holds cert.pem without key.pem.`);
  });

  it('reads config and contexts from DOCKER_CONFIG instead of <home>/.docker', () => {
    const other = path.join(home(), 'elsewhere');
    write(path.join(configDir(), 'config.json'), JSON.stringify({ currentContext: 'home-ctx' }));
    writeContext(configDir(), 'home-ctx', { host: 'unix:///run/home.sock' });
    write(path.join(other, 'config.json'), JSON.stringify({ currentContext: 'other-ctx' }));
    writeContext(other, 'other-ctx', { host: 'unix:///run/other.sock' });
    const host = only(resolve(home(), { DOCKER_CONFIG: other }));
    assert.equal(host.id, 'context:other-ctx');
    assert.deepEqual(host.endpoint, { kind: 'unix', socketPath: '/run/other.sock' });
  });

  it('looks for DOCKER_TLS_VERIFY certificates in DOCKER_CONFIG when DOCKER_CERT_PATH is unset', () => {
    const other = path.join(home(), 'elsewhere');
    writeCerts(other, ALL_CERTS);
    const host = only(resolve(home(), { DOCKER_CONFIG: other, DOCKER_HOST: 'tcp://h', DOCKER_TLS_VERIFY: '1' }));
    assert.deepEqual(host.endpoint, { kind: 'tcp', host: 'h', port: 2376, tls: tlsIn(other, true) });
  });
});

describe('resolveHosts: hosts from settings', () => {
  const home = useTempHome();

  it('appends valid settings after the primary host, in order', () => {
    const hosts = resolve(home(), {}, [
      { name: 'b-box', url: 'unix:///run/b.sock' },
      { name: ' a-box ', url: 'ssh://me@a-box' },
    ]);
    assert.deepEqual(
      hosts.map((h) => [h.id, h.name, h.source]),
      [
        ['default', 'local', 'default'],
        ['setting:b-box', 'b-box', 'setting'],
        ['setting:a-box', 'a-box', 'setting'],
      ],
    );
    assert.deepEqual(hosts[2].endpoint, { kind: 'ssh', host: 'a-box', port: 22, username: 'me', knownHostsFiles: knownHostsOf(home()) });
    assert.equal(hosts[2].url, 'ssh://me@a-box');
  });

  it('warns about a plaintext tcp setting and ignores the TLS environment for it', () => {
    const hosts = resolve(home(), { DOCKER_TLS_VERIFY: '1' }, [{ name: 'lab', url: 'tcp://lab:2375' }]);
    assert.equal(hosts[1].problem, undefined);
    assert.deepEqual(hosts[1].endpoint, { kind: 'tcp', host: 'lab', port: 2375 });
    assert.match(hosts[1].warnings[0], /unencrypted and unauthenticated/);
  });

  const malformed: Array<{ entry: unknown; says: string }> = [
    { entry: null, says: 'expected an object' },
    { entry: 'tcp://x:2375', says: 'expected an object' },
    { entry: { url: 'unix:///run/x.sock' }, says: '"name" must be a non-empty string, got undefined' },
    { entry: { name: 42, url: 'unix:///run/x.sock' }, says: '"name" must be a non-empty string, got number' },
    { entry: { name: '  ', url: 'unix:///run/x.sock' }, says: '"name" must be a non-empty string' },
    { entry: { name: 'x' }, says: '"url" must be a string' },
    { entry: { name: 'x', url: ['tcp://x'] }, says: '"url" must be a string like "tcp://192.168.1.10:2376", got an array' },
  ];
  for (const c of malformed) {
    it(`reports the malformed setting ${JSON.stringify(c.entry)} as "setting #2"`, () => {
      const settings = [{ name: 'ok', url: 'unix:///run/ok.sock' }, c.entry] as Settings;
      const host = resolve(home(), {}, settings)[2];
      assert.equal(host.id, 'setting:#2');
      assert.equal(host.name, 'setting #2');
      assert.equal(host.source, 'setting');
      assert.equal(host.endpoint, undefined);
      assert.ok(host.problem?.startsWith('Hosts setting #2: '), host.problem);
      assert.ok(host.problem?.includes(c.says), host.problem);
    });
  }

  it('reports a setting with a malformed url under its own name', () => {
    const host = resolve(home(), {}, [{ name: 'web', url: 'http://web:2375' }])[1];
    assert.equal(host.id, 'setting:web');
    assert.equal(host.url, 'http://web:2375');
    assert.ok(host.problem?.startsWith('Host "web": "http://web:2375": unsupported scheme'), host.problem);
  });

  it('suffixes duplicate names so ids and labels stay unique', () => {
    const hosts = resolve(home(), {}, [
      { name: 'dup', url: 'unix:///run/1.sock' },
      { name: 'dup', url: 'unix:///run/2.sock' },
      { name: 'dup', url: 'unix:///run/3.sock' },
      { name: 'local', url: 'unix:///run/4.sock' },
    ]);
    assert.deepEqual(
      hosts.map((h) => [h.id, h.name]),
      [
        ['default', 'local'],
        ['setting:dup', 'dup'],
        ['setting:dup#2', 'dup (2)'],
        ['setting:dup#3', 'dup (3)'],
        ['setting:local', 'local (2)'],
      ],
    );
  });

  it('keeps only the first of two entries for the same socket, and says why', () => {
    const hosts = resolve(home(), {}, [{ name: 'again', url: 'unix:///var/run//docker.sock' }]);
    assert.equal(hosts.length, 1);
    assert.equal(hosts[0].id, 'default');
    assert.deepEqual(hosts[0].warnings, ['"again" (unix:///var/run//docker.sock) reaches the same daemon and is not listed separately.']);
  });

  it('dedupes the same host:port across DOCKER_HOST and settings, ignoring host case and scheme-less form', () => {
    const hosts = resolve(home(), { DOCKER_HOST: 'tcp://Box.lan:2375' }, [
      { name: 'box', url: 'box.lan:2375' },
      { name: 'box-other-port', url: 'tcp://box.lan:2380' },
      { name: 'box-ssh', url: 'ssh://a@box.lan' },
      { name: 'box-ssh-2', url: 'ssh://b@box.lan:22' },
    ]);
    assert.deepEqual(
      hosts.map((h) => h.id),
      ['env', 'setting:box-other-port', 'setting:box-ssh'],
    );
    assert.ok(hosts[0].warnings.some((w) => w.startsWith('"box" (box.lan:2375) reaches the same daemon')));
    assert.ok(hosts[2].warnings.some((w) => w.startsWith('"box-ssh-2"')));
  });

  it('never dedupes entries that have no endpoint', () => {
    const hosts = resolve(home(), {}, [
      { name: 'x', url: 'bogus://' },
      { name: 'y', url: 'bogus://' },
    ]);
    assert.deepEqual(
      hosts.map((h) => h.id),
      ['default', 'setting:x', 'setting:y'],
    );
  });
});
