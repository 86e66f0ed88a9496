/** DNE110–115: --cluster-store / --cluster-advertise, as flags or in daemon.json. */
import { parseIp } from '../../net/cidr';
import type { Finding, QuickFix } from '../finding';
import { goSplitHostPort, isLoopback, isPort, isTcpHost, splitHostPort, tcpAddressPort } from '../../net/addresses';
import { Codes } from '../codes';
import { settingSources, type DockerdConfig, type SettingSource } from '../dockerdConfig';
import { appendAll } from '../../util/arrays';

const SUPPORTED_SCHEMES = ['consul', 'etcd', 'zk'];

export function clusterStoreFindings(config: DockerdConfig): Finding[] {
  const stores = settingSources(config, 'cluster-store');
  const advertises = settingSources(config, 'cluster-advertise');
  const findings: Finding[] = [];
  for (const store of stores)
    appendAll(
      findings,
      checkStoreUrl(
        store,
        advertises.some((advertise) => advertise.value !== ''),
      ),
    );
  const tcpPorts = daemonTcpPorts(config);
  for (const advertise of advertises) appendAll(findings, checkAdvertise(advertise, tcpPorts));
  if (advertises.length > 0 && stores.length === 0) {
    for (const advertise of advertises) {
      findings.push(
        finding(
          advertise,
          'error',
          Codes.advertiseWithoutStore,
          `The daemon will not start: "${FAILED}invalid cluster configuration. --cluster-advertise must be accompanied by ` +
            '--cluster-store configuration". Add --cluster-store=consul://…, etcd://… or zk://… (or remove the advertise setting).',
        ),
      );
    }
  }
  if (stores.length > 0 && advertises.length === 0) {
    for (const store of stores) {
      findings.push(
        finding(
          store,
          'warning',
          Codes.storeWithoutAdvertise,
          'A cluster store without --cluster-advertise: the daemon starts but never joins the other hosts (no ' +
            'cross-host overlay). Add --cluster-advertise=<interface or IP>:2376.',
        ),
      );
    }
  }
  return findings;
}

/** How dockerd's fatal start-up errors begin (cmd/dockerd: `failed to start daemon: %v`). */
export const FAILED = 'failed to start daemon: ';

function finding(source: SettingSource, severity: Finding['severity'], code: string, message: string, fix?: QuickFix): Finding {
  return { file: source.file, range: source.range, severity, code, message, ...(fix ? { fix } : {}) };
}

interface StoreUrl {
  scheme: string;
  addresses: string[];
}

/** `scheme://host[:port][,host[:port]…][/prefix]`, as libkv reads it. */
export function parseStoreUrl(value: string): StoreUrl | undefined {
  const match = /^([A-Za-z][A-Za-z0-9+.-]*):\/\/([^/]*)(\/.*)?$/.exec(value.trim());
  if (!match) return undefined;
  return { scheme: match[1], addresses: match[2].split(',') };
}

/**
 * dockerd checks the store in two places, and which one speaks first depends on the advertise
 * setting: with one, discovery ("discovery service not supported"); without, libnetwork.
 */
function checkStoreUrl(store: SettingSource, withAdvertise: boolean): Finding[] {
  const url = parseStoreUrl(store.value);
  const refused = (error: string) => `the daemon will not start: "${FAILED}${error}"`;
  const notSupported = 'discovery initialization failed (discovery service not supported)';
  if (!url) {
    const error = withAdvertise
      ? notSupported
      : 'Error initializing network controller: kv store daemon config must be of the form KV-PROVIDER://KV-URL';
    return [
      finding(
        store,
        'error',
        Codes.storeUrlInvalid,
        `Cluster store "${store.value}" has no scheme: ${refused(error)}. ` +
          'Write it as consul://host:8500, etcd://host:2379 or zk://host:2181.',
      ),
    ];
  }
  if (!SUPPORTED_SCHEMES.includes(url.scheme)) {
    // The trailing blank is dockerd's: its list of backends is empty in this message.
    const error = withAdvertise
      ? notSupported
      : 'Error initializing network controller: error obtaining controller instance: Backend storage not supported yet, please choose one of ';
    return [
      finding(
        store,
        'error',
        Codes.storeUrlInvalid,
        `Cluster store scheme "${url.scheme}://" is not supported: ${refused(error)}. ` + 'Use consul://, etcd:// or zk://.',
      ),
    ];
  }
  if (url.addresses.length === 1 && url.addresses[0] === '') {
    return [
      finding(
        store,
        'error',
        Codes.storeUrlInvalid,
        `Cluster store "${store.value}" names no address: ${refused('Error initializing network controller: error obtaining controller instance: unexpected scope global without configuration passed')}. ` +
          `Add the store's address, e.g. ${url.scheme}://10.0.0.5:${defaultPort(url.scheme)}.`,
      ),
    ];
  }
  const badAddress = url.addresses.find((address) => !isHostPort(address));
  if (badAddress !== undefined) {
    // What dockerd says then depends on the store client (a DNS lookup, a dial): nothing to quote.
    return [
      finding(
        store,
        'error',
        Codes.storeUrlInvalid,
        `Cluster store address "${badAddress}" in "${store.value}" is malformed: the daemon cannot reach the store. Give host[:port] ` +
          `(several separated by commas), e.g. ${url.scheme}://10.0.0.5:${defaultPort(url.scheme)}.`,
      ),
    ];
  }
  if (url.addresses.some((address) => isLoopback(hostOf(address)))) {
    return [
      finding(
        store,
        'warning',
        Codes.storeOnLoopback,
        `Cluster store "${store.value}" is on loopback: the other hosts cannot reach it, so they cannot share ` +
          'overlay networks with this one. Use an address of the store that every host can reach.',
      ),
    ];
  }
  return [];
}

function defaultPort(scheme: string): number {
  return scheme === 'consul' ? 8500 : scheme === 'etcd' ? 2379 : 2181;
}

/** The TCP ports the daemon listens on, from -H flags, daemon.json hosts and docker.socket. */
function daemonTcpPorts(config: DockerdConfig): number[] {
  const fromHosts = settingSources(config, 'hosts')
    .filter((source) => isTcpHost(source.value))
    .map((source) => tcpAddressPort(source.value));
  const fromSocket = config.listens.filter((listen) => listen.kind === 'tcp').map((listen) => listen.port);
  return [...fromHosts, ...fromSocket].filter((port): port is number => port !== undefined);
}

/**
 * dockerd splits the advertise value with Go's net.SplitHostPort and quotes its error; an empty
 * host is an empty interface name; the port it never checks (so a bad port starts, and breaks
 * later). Interfaces and addresses are advertiseInterface.ts's.
 */
function checkAdvertise(advertise: SettingSource, tcpPorts: number[]): Finding[] {
  const value = advertise.value;
  const split = goSplitHostPort(value);
  const refused = (error: string) => `The daemon will not start: "${FAILED}discovery advertise parsing failed: ${error}".`;
  const onlyPort = [...new Set(tcpPorts)].length === 1 ? tcpPorts[0] : undefined;
  if ('error' in split) {
    const fixed = fixedAdvertise(value, onlyPort);
    return [
      finding(
        advertise,
        'error',
        Codes.advertiseWithoutPort,
        `${refused(`invalid --cluster-advertise configuration: ${value}: ${split.error}`)} Write <interface or IP>:<port>` +
          `${fixed ? `: ${fixed}` : `, e.g. eth0:${onlyPort ?? 2376} (the daemon's TCP port)`}.`,
        fixed ? replaceValue(advertise, fixed) : undefined,
      ),
    ];
  }
  if (split.host === '') {
    return [
      finding(
        advertise,
        'error',
        Codes.advertiseWithoutPort,
        `${refused(`invalid cluster advertise IP address or interface name (${value}) : route ip+net: invalid network interface name`)} ` +
          `Put the interface or IP before the port, e.g. eth0:${split.port}.`,
      ),
    ];
  }
  if (!isPort(split.port)) {
    const fixed = onlyPort !== undefined ? `${hostForPort(split.host)}:${onlyPort}` : undefined;
    return [
      finding(
        advertise,
        'error',
        Codes.advertiseWithoutPort,
        `--cluster-advertise "${value}" has no valid port (1 to 65535): dockerd does not check it and starts, but advertises ` +
          `an address the other hosts cannot use. Give the daemon's TCP port${fixed ? `: ${fixed}` : ', e.g. eth0:2376'}.`,
        fixed ? replaceValue(advertise, fixed) : undefined,
      ),
    ];
  }
  // The advertised address is what other hosts are told to use for this daemon; it should be
  // one the daemon listens on. Only checked when the files name TCP listeners at all.
  if (tcpPorts.length > 0 && !tcpPorts.includes(Number(split.port))) {
    return [
      finding(
        advertise,
        'warning',
        Codes.advertisePortNotListening,
        `--cluster-advertise port ${split.port} is not a port this daemon listens on (TCP: ${[...new Set(tcpPorts)].join(', ')}). ` +
          `Advertise the daemon's TCP port, e.g. ${split.host}:${tcpPorts[0]}.`,
      ),
    ];
  }
  return [];
}

/**
 * A certain repair of a value SplitHostPort refuses: a URL scheme dropped (`tcp://10.0.0.11:2376`
 * → `10.0.0.11:2376`), or the port added when the daemon listens on exactly one TCP port.
 */
function fixedAdvertise(value: string, onlyPort: number | undefined): string | undefined {
  const withoutScheme = /^[A-Za-z][A-Za-z0-9+.-]*:\/\/([^/]*)\/?$/.exec(value)?.[1];
  const candidate = withoutScheme ?? value;
  const split = goSplitHostPort(candidate);
  if (!('error' in split)) return split.host !== '' && isPort(split.port) ? candidate : undefined;
  if (onlyPort === undefined || candidate === '' || /[\s/[\]]/.test(candidate)) return undefined;
  const ip = parseIp(candidate);
  if (ip?.family === 6) return `[${candidate}]:${onlyPort}`;
  return candidate.includes(':') ? undefined : `${candidate}:${onlyPort}`;
}

function hostForPort(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}

function replaceValue(advertise: SettingSource, value: string): QuickFix {
  // daemon.json ranges include the string's quotes; flag value ranges do not.
  const newText = advertise.origin === 'daemon.json' ? JSON.stringify(value) : value;
  return { title: `Advertise ${value}`, edits: [{ range: advertise.range, newText }] };
}

function isHostPort(address: string): boolean {
  if (address === '') return false;
  const split = splitHostPort(address);
  if (!split) return /^[A-Za-z0-9.-]+$/.test(address);
  return split.host !== '' && isPort(split.port);
}

function hostOf(address: string): string {
  return splitHostPort(address)?.host ?? address;
}
