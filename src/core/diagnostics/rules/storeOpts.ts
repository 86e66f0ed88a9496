/**
 * DNE121–123: --cluster-store-opt (daemon.json "cluster-store-opts"), as dockerd 20.10 reads it.
 *
 * - TLS to the store is all or nothing: libnetwork's OptionKVOpts and the discovery backend
 *   (moby v20.10.24 vendor/github.com/docker/libnetwork/config/config.go, pkg/discovery/kv/kv.go)
 *   use TLS only when kv.cacertfile, kv.certfile AND kv.keyfile are all set; otherwise they log
 *   "…without TLS" and speak plain HTTP. Reported: https://github.com/moby/moby/issues/19344 (a
 *   TLS etcd, daemons talking HTTP to it), https://github.com/moby/libnetwork/issues/847.
 * - The files must be readable PEM: with --cluster-advertise the daemon refuses to start, without
 *   it libnetwork logs "Unable to set up TLS: …" and runs without TLS (both seen on dockerd 20.10).
 * - discovery.heartbeat / discovery.ttl (added in https://github.com/moby/moby/pull/18204, tuned
 *   in https://github.com/docker-archive/classicswarm/issues/1485): whole seconds, ttl > heartbeat,
 *   checked by daemon/discovery/discovery.go discoveryOpts when discovery starts (with advertise).
 * - A zk:// store gets no TLS at all: libkv's ZooKeeper store ignores the TLS config it is given
 *   (moby v20.10.27 vendor/github.com/docker/libkv/store/zookeeper/zookeeper.go: New() reads
 *   only ConnectionTimeout, then zk.Connect(endpoints, timeout) over plain TCP), unlike its
 *   Consul and etcd stores, which switch to https with it.
 * Every quoted line is checked against a real dockerd 20.10 (test/integration/dockerdWords.test.ts).
 */
import type { Finding, Range } from '../finding';
import { daemonJsonEntry } from '../parsers/daemonJson';
import { LineIndex } from '../text';
import { FAILED } from './clusterStore';
import { Codes } from '../codes';
import { settingSources, type DockerdConfig } from '../dockerdConfig';

export const TLS_OPTS = ['kv.cacertfile', 'kv.certfile', 'kv.keyfile'] as const;
const KNOWN_OPTS = [...TLS_OPTS, 'kv.path', 'discovery.heartbeat', 'discovery.ttl'];

export interface StoreOpt {
  key: string;
  value: string;
  file: string;
  range: Range;
}

/** Every --cluster-store-opt given (flags first, then daemon.json), as key and value. */
export function storeOpts(config: DockerdConfig): StoreOpt[] {
  const fromFlags = settingSources(config, 'cluster-store-opts')
    .filter((source) => source.origin === 'flag')
    .map((source) => {
      const separator = source.value.indexOf('=');
      return separator < 0
        ? { key: source.value, value: '', file: source.file, range: source.range }
        : { key: source.value.slice(0, separator), value: source.value.slice(separator + 1), file: source.file, range: source.range };
    });
  const json = config.daemonJson;
  const entry = json ? daemonJsonEntry(json, 'cluster-store-opts') : undefined;
  if (!json || entry?.node.kind !== 'object') return fromFlags;
  const index = new LineIndex(json.text);
  const fromJson = entry.node.members.flatMap((member) =>
    member.value.kind === 'string'
      ? [{ key: member.key, value: member.value.value, file: json.file, range: index.range(member.value.start, member.value.end) }]
      : [],
  );
  return [...fromFlags, ...fromJson];
}

/** The value dockerd ends up with for each key: the last one given (a Go map). */
export function storeOptValues(opts: readonly StoreOpt[]): Map<string, StoreOpt> {
  return new Map(opts.map((opt) => [opt.key, opt]));
}

export function storeOptsFindings(config: DockerdConfig): Finding[] {
  if (!settingSources(config, 'cluster-store').some((store) => store.value.trim() !== '')) return [];
  const opts = storeOpts(config);
  if (opts.length === 0) return [];
  const withAdvertise = settingSources(config, 'cluster-advertise').some((advertise) => advertise.value !== '');
  const values = storeOptValues(opts);
  return [
    ...unknownOpts(opts),
    ...tlsIncomplete(values, withAdvertise),
    ...tlsIgnoredForZookeeper(values, config),
    ...tlsFiles(values, withAdvertise, config),
    ...(withAdvertise ? timers(values) : []),
  ];
}

const at = (opt: StoreOpt, severity: Finding['severity'], code: string, message: string): Finding => ({
  file: opt.file,
  range: opt.range,
  severity,
  code,
  message,
});

function unknownOpts(opts: readonly StoreOpt[]): Finding[] {
  return opts
    .filter((opt) => /^(kv|discovery)\./.test(opt.key) && !KNOWN_OPTS.includes(opt.key))
    .map((opt) =>
      at(
        opt,
        'warning',
        opt.key.startsWith('kv.') ? Codes.storeTlsIncomplete : Codes.discoveryTimersInvalid,
        `"${opt.key}" is no option dockerd reads: it starts and ignores it${opt.key.startsWith('kv.') ? ', so the store is reached without the TLS setting meant here' : ''}. ` +
          `The options are ${KNOWN_OPTS.join(', ')}.`,
      ),
    );
}

function tlsIncomplete(values: Map<string, StoreOpt>, withAdvertise: boolean): Finding[] {
  const given = TLS_OPTS.filter((key) => (values.get(key)?.value ?? '') !== '');
  if (given.length === 0 || given.length === TLS_OPTS.length) return [];
  const missing = TLS_OPTS.filter((key) => !given.includes(key));
  const logs = withAdvertise
    ? '"Initializing discovery without TLS" and "Option Initializing KV without TLS"'
    : '"Option Initializing KV without TLS"';
  return given.map((key) =>
    at(
      values.get(key)!,
      'warning',
      Codes.storeTlsIncomplete,
      `${given.join(' and ')} without ${missing.join(' and ')}: dockerd uses TLS for the cluster store only when kv.cacertfile, kv.certfile and kv.keyfile are all set, ` +
        `so it speaks plain HTTP to the store (its log says ${logs}); a store that requires TLS refuses every call. Add ${missing.join(' and ')}.`,
    ),
  );
}

/** All three TLS options with a zk:// store: Docker's ZooKeeper client never uses them. */
function tlsIgnoredForZookeeper(values: Map<string, StoreOpt>, config: DockerdConfig): Finding[] {
  const stores = settingSources(config, 'cluster-store').map((store) => store.value.trim().toLowerCase());
  if (!stores.some((store) => store.startsWith('zk://'))) return [];
  const given = TLS_OPTS.map((key) => values.get(key)).filter((opt): opt is StoreOpt => (opt?.value ?? '') !== '');
  if (given.length !== TLS_OPTS.length) return [];
  return given.map((opt) =>
    at(
      opt,
      'warning',
      Codes.storeTlsIncomplete,
      `${opt.key} does nothing for a zk:// store: Docker's ZooKeeper client (libkv store/zookeeper) speaks plain TCP only and ignores the TLS files. ` +
        "A ZooKeeper that serves clients only on a secureClientPort cannot be Docker's store: give it a plain clientPort on a trusted network, and drop the kv.* TLS options.",
    ),
  );
}

/** What Go's os.ReadFile says for Node's error code, when we know its words. */
function goOpenError(path: string, code: string): string | undefined {
  const words: Record<string, string> = { ENOENT: 'no such file or directory', EACCES: 'permission denied', ENOTDIR: 'not a directory' };
  if (code === 'EISDIR') return `read ${path}: is a directory`;
  return words[code] ? `open ${path}: ${words[code]}` : undefined;
}

/**
 * In dockerd's order (go-connections tlsconfig.Client): the CA is read and parsed, then
 * getCert reads the certificate and the key, decodes the key's PEM block, then parses the pair.
 */
function tlsFiles(values: Map<string, StoreOpt>, withAdvertise: boolean, config: DockerdConfig): Finding[] {
  const read = config.hostFile;
  const [ca, cert, key] = TLS_OPTS.map((name) => values.get(name));
  if (!read || !ca?.value || !cert?.value || !key?.value) return [];
  const problems: Array<{ opt: StoreOpt; error?: string; what: string }> = [];
  const check = (opt: StoreOpt, wrap: (error: string) => string, pem: RegExp, pemError: string) => {
    const file = read(opt.value);
    if (!file.ok) {
      const error = goOpenError(opt.value, file.code);
      problems.push({ opt, error: error && wrap(error), what: `cannot be read (${file.message})` });
    } else if (!pem.test(file.text)) {
      problems.push({ opt, error: pemError, what: 'holds no PEM block of the right kind' });
    }
  };
  check(
    ca,
    (error) => `could not read CA certificate ${JSON.stringify(ca.value)}: ${error}`,
    /-----BEGIN CERTIFICATE-----/,
    `failed to append certificates from PEM file: ${JSON.stringify(ca.value)}`,
  );
  const pair = (error: string) => `Could not load X509 key pair: ${error}`;
  // Both files are read, then the key's PEM is decoded (any block will do), then the certificate's parsed.
  const before = problems.length;
  check(cert, pair, /[\s\S]*/, '');
  check(key, pair, /-----BEGIN [^-]+-----/, pair('no valid private key found'));
  if (problems.length === before)
    check(cert, pair, /-----BEGIN CERTIFICATE-----/, pair('tls: failed to find any PEM data in certificate input'));
  return problems.map((problem, index) => {
    const first = index === 0 ? '' : ' (dockerd names the first problem it meets; fix the ones before this too)';
    const outcome = !problem.error
      ? 'dockerd cannot set up TLS for the store'
      : withAdvertise
        ? `the daemon will not start: "${FAILED}discovery initialization failed (${problem.error})"${first}`
        : `dockerd starts but logs "Unable to set up TLS: ${problem.error}"${first} and speaks plain HTTP to the store`;
    return at(
      problem.opt,
      withAdvertise ? 'error' : 'warning',
      Codes.storeTlsFileUnusable,
      `${problem.opt.key} ${problem.opt.value} ${problem.what}: ${outcome}. Point it at a readable PEM file.`,
    );
  });
}

/** Go's strconv.Atoi, as the error text it gives. */
function goAtoi(text: string): { value: number } | { error: string } {
  const quoted = JSON.stringify(text);
  if (!/^[+-]?\d+$/.test(text)) return { error: `strconv.Atoi: parsing ${quoted}: invalid syntax` };
  const value = BigInt(text);
  if (value > 9223372036854775807n || value < -9223372036854775808n)
    return { error: `strconv.Atoi: parsing ${quoted}: value out of range` };
  return { value: Number(value) };
}

/** moby v20.10.24 daemon/discovery/discovery.go discoveryOpts, step by step. */
function timers(values: Map<string, StoreOpt>): Finding[] {
  const heartbeatOpt = values.get('discovery.heartbeat');
  const ttlOpt = values.get('discovery.ttl');
  const refuse = (opt: StoreOpt, error: string, hint: string) => [
    at(
      opt,
      'error',
      Codes.discoveryTimersInvalid,
      `The daemon will not start: "${FAILED}discovery initialization failed (${error})". ${hint}`,
    ),
  ];
  let heartbeat = 20;
  if (heartbeatOpt) {
    const parsed = goAtoi(heartbeatOpt.value);
    if ('error' in parsed) return refuse(heartbeatOpt, parsed.error, 'Give whole seconds without a unit, e.g. discovery.heartbeat=20.');
    if (parsed.value <= 0)
      return refuse(heartbeatOpt, 'discovery.heartbeat must be positive', 'Give a number of seconds above 0 (default 20).');
    heartbeat = parsed.value;
  }
  if (!ttlOpt) return [];
  const parsed = goAtoi(ttlOpt.value);
  if ('error' in parsed) return refuse(ttlOpt, parsed.error, 'Give whole seconds without a unit, e.g. discovery.ttl=60.');
  if (parsed.value <= 0)
    return refuse(ttlOpt, 'discovery.ttl must be positive', 'Give a number of seconds above 0 (default 3 × the heartbeat).');
  // Without a heartbeat option dockerd derives it from the ttl (ttl / 3), which is always below it.
  if (heartbeatOpt && parsed.value <= heartbeat) {
    return refuse(
      ttlOpt,
      'discovery.ttl timer must be greater than discovery.heartbeat',
      `discovery.ttl (${parsed.value} s) must exceed discovery.heartbeat (${heartbeat} s), or a node expires between two heartbeats; e.g. discovery.ttl=${heartbeat * 3}.`,
    );
  }
  return [];
}
