/** DNE110–115: --cluster-store / --cluster-advertise, as flags or in daemon.json. */
import type { Finding } from '../finding';
import { isLoopback, isPort, isTcpHost, splitHostPort, tcpAddressPort } from './addresses';
import { Codes } from './codes';
import { settingSources, type HostConfig, type SettingSource } from './hostConfig';

const SUPPORTED_SCHEMES = ['consul', 'etcd', 'zk'];

export function clusterStoreFindings(config: HostConfig): Finding[] {
  const stores = settingSources(config, 'cluster-store');
  const advertises = settingSources(config, 'cluster-advertise');
  const findings: Finding[] = [];
  for (const store of stores) findings.push(...checkStoreUrl(store));
  const tcpPorts = daemonTcpPorts(config);
  for (const advertise of advertises) findings.push(...checkAdvertise(advertise, tcpPorts));
  if (advertises.length > 0 && stores.length === 0) {
    for (const advertise of advertises) {
      findings.push(finding(advertise, 'error', Codes.advertiseWithoutStore,
        'The daemon will not start: "invalid cluster configuration. --cluster-advertise must be accompanied by ' +
        '--cluster-store configuration". Add --cluster-store=consul://…, etcd://… or zk://… (or remove the advertise setting).'));
    }
  }
  if (stores.length > 0 && advertises.length === 0) {
    for (const store of stores) {
      findings.push(finding(store, 'warning', Codes.storeWithoutAdvertise,
        'A cluster store without --cluster-advertise: the daemon starts but never joins the other hosts (no ' +
        'cross-host overlay). Add --cluster-advertise=<interface or IP>:2376.'));
    }
  }
  return findings;
}

function finding(source: SettingSource, severity: Finding['severity'], code: string, message: string): Finding {
  return { file: source.file, range: source.range, severity, code, message };
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

function checkStoreUrl(store: SettingSource): Finding[] {
  const url = parseStoreUrl(store.value);
  const notSupported = '"discovery initialization failed (discovery service not supported)"';
  if (!url) {
    return [finding(store, 'error', Codes.storeUrlInvalid,
      `Cluster store "${store.value}" has no scheme: the daemon will not start: ${notSupported}. ` +
      'Write it as consul://host:8500, etcd://host:2379 or zk://host:2181.')];
  }
  if (!SUPPORTED_SCHEMES.includes(url.scheme)) {
    return [finding(store, 'error', Codes.storeUrlInvalid,
      `Cluster store scheme "${url.scheme}://" is not supported: the daemon will not start: ${notSupported}. ` +
      'Use consul://, etcd:// or zk://.')];
  }
  const badAddress = url.addresses.find((address) => !isHostPort(address));
  if (badAddress !== undefined) {
    return [finding(store, 'error', Codes.storeUrlInvalid,
      `Cluster store address "${badAddress}" in "${store.value}" is malformed: give host[:port] ` +
      `(several separated by commas), e.g. ${url.scheme}://10.0.0.5:${defaultPort(url.scheme)}.`)];
  }
  if (url.addresses.some((address) => isLoopback(hostOf(address)))) {
    return [finding(store, 'warning', Codes.storeOnLoopback,
      `Cluster store "${store.value}" is on loopback: the other hosts cannot reach it, so they cannot share ` +
      'overlay networks with this one. Use an address of the store that every host can reach.')];
  }
  return [];
}

function defaultPort(scheme: string): number {
  return scheme === 'consul' ? 8500 : scheme === 'etcd' ? 2379 : 2181;
}

/** The TCP ports the daemon listens on, from -H flags, daemon.json hosts and docker.socket. */
function daemonTcpPorts(config: HostConfig): number[] {
  const fromHosts = settingSources(config, 'hosts')
    .filter((source) => isTcpHost(source.value))
    .map((source) => tcpAddressPort(source.value));
  const fromSocket = config.listens.filter((listen) => listen.kind === 'tcp').map((listen) => listen.port);
  return [...fromHosts, ...fromSocket].filter((port): port is number => port !== undefined);
}

function checkAdvertise(advertise: SettingSource, tcpPorts: number[]): Finding[] {
  const value = advertise.value.trim();
  const split = splitHostPort(value);
  if (!split) {
    return [finding(advertise, 'error', Codes.advertiseWithoutPort,
      `The daemon will not start: "discovery advertise parsing failed: invalid --cluster-advertise configuration: ` +
      `${value}: address ${value}: missing port in address". Add the daemon's port, e.g. ${value || 'eth0'}:2376.`)];
  }
  if (!isPort(split.port) || split.host === '') {
    return [finding(advertise, 'error', Codes.advertiseWithoutPort,
      `--cluster-advertise "${value}" must be <interface or IP>:<port> with a port from 1 to 65535, e.g. eth0:2376.`)];
  }
  // The advertised address is what other hosts are told to use for this daemon; it should be
  // one the daemon listens on. Only checked when the files name TCP listeners at all.
  if (tcpPorts.length > 0 && !tcpPorts.includes(Number(split.port))) {
    return [finding(advertise, 'warning', Codes.advertisePortNotListening,
      `--cluster-advertise port ${split.port} is not a port this daemon listens on (TCP: ${[...new Set(tcpPorts)].join(', ')}). ` +
      `Advertise the daemon's TCP port, e.g. ${split.host}:${tcpPorts[0]}.`)];
  }
  return [];
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
