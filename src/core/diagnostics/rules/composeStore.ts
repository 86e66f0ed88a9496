/**
 * Compose files that run the cluster store itself: the mistakes that leave Docker's overlays
 * without a working store — a lone Consul server that never elects a leader, etcd 3.4+ without
 * the v2 API Docker's store client speaks, a store only reachable from its own host.
 */
import type { Finding, QuickFix, Severity } from '../finding';
import { parseComposeFile, type ComposeService, type Located } from '../parsers/composeFile';
import { LineIndex, type ConfigFile } from '../text';
import { isLocalUrl } from '../../net/addresses';
import { Codes } from '../codes';
import { composeDockerdFindings, dockerdWords } from './composeDockerd';
import { appendAll } from '../../util/arrays';

type StoreKind = 'consul' | 'etcd' | 'zookeeper';
const STORE_PORTS: Record<StoreKind, string> = { consul: '8500', etcd: '2379', zookeeper: '2181' };

export function composeFindings(file: ConfigFile): Finding[] {
  const lines = new LineIndex(file.text);
  const finding = (at: { start: number; end: number }, severity: Severity, code: string, message: string, fix?: QuickFix): Finding => ({
    file: file.file,
    range: lines.range(at.start, at.end),
    severity,
    code,
    message,
    ...(fix ? { fix } : {}),
  });
  const parsed = parseComposeFile(file.text);
  const findings = parsed.errors.map((error) =>
    error.limit
      ? finding(
          error,
          'warning',
          Codes.composeSyntax,
          `Not checked: ${error.message}, more than this tool reads (real compose files nest a few levels).`,
        )
      : finding(error, 'error', Codes.composeSyntax, `Not valid YAML: ${error.message}. docker compose refuses the file.`),
  );
  const stores = parsed.services.flatMap((service) => {
    const kind = storeKind(service);
    return kind ? [{ service, kind }] : [];
  });
  findings.push(...composeDockerdFindings(file.file, file.text, lines, parsed.services));
  const consulServers = stores.filter(({ kind, service }) => kind === 'consul' && word(service, '-server'));
  for (const { service } of consulServers) appendAll(findings, consulRules(service, consulServers.length, finding, lines));
  for (const { service, kind } of stores) if (kind === 'consul') appendAll(findings, consulClientRules(service, finding));
  for (const { service, kind } of stores) {
    if (kind === 'etcd') appendAll(findings, etcdRules(service, finding, lines));
    if (kind === 'zookeeper') appendAll(findings, zookeeperRules(service, finding));
    if (service.ports.length === 0 && service.networkMode !== 'host') {
      findings.push(
        finding(
          service.name,
          'information',
          Codes.composeStorePortNotPublished,
          `The ${kind} store "${service.name.value}" publishes no port: daemons on other hosts cannot reach it. Publish ${STORE_PORTS[kind]} (ports: ["${STORE_PORTS[kind]}:${STORE_PORTS[kind]}"]) or use network_mode: host.`,
        ),
      );
    }
  }
  return findings;
}

type MakeFinding = (at: { start: number; end: number }, severity: Severity, code: string, message: string, fix?: QuickFix) => Finding;

function storeKind(service: ComposeService): StoreKind | undefined {
  // A Docker daemon pointed at a store (its flags name etcd://…) is not the store.
  if (dockerdWords(service)) return undefined;
  const text = [service.image?.value ?? '', service.command?.words[0]?.value ?? ''].join(' ').toLowerCase();
  if (/consul/.test(text)) return 'consul';
  if (/etcd/.test(text)) return 'etcd';
  if (/zookeeper|\bzk\b/.test(text)) return 'zookeeper';
  return undefined;
}

function word(service: ComposeService, name: string): Located | undefined {
  return service.command?.words.find((entry) => entry.value === name || entry.value.startsWith(`${name}=`));
}

function consulRules(service: ComposeService, servers: number, finding: MakeFinding, lines: LineIndex): Finding[] {
  const server = word(service, '-server')!;
  const expect = word(service, '-bootstrap-expect');
  if (word(service, '-bootstrap')) return [];
  if (!expect) {
    return [
      finding(
        server,
        'error',
        Codes.composeConsulNoBootstrap,
        `${servers === 1 ? 'A lone Consul server' : 'Consul servers'} started without -bootstrap or -bootstrap-expect never elect a leader: Consul answers every KV call with status 500 (no leader), so Docker's overlay operations fail with that status code. Add -bootstrap${servers === 1 ? '' : ` to one server, or -bootstrap-expect=${servers} to each`}.`,
        servers === 1 ? insertWord(service, server, '-bootstrap', lines) : undefined,
      ),
    ];
  }
  const words = service.command!.words;
  const inline = expect.value.split('=')[1];
  const expected = Number(inline ?? words[words.indexOf(expect) + 1]?.value);
  if (Number.isInteger(expected) && expected > servers) {
    return [
      finding(
        expect,
        'warning',
        Codes.composeConsulBootstrapExpect,
        `-bootstrap-expect=${expected} waits for ${expected} servers, but this file starts ${servers}: until the others join, Consul has no leader and Docker's store calls fail with 500. Lower it to ${servers} or start the other servers.`,
      ),
    ];
  }
  return [];
}

function etcdRules(service: ComposeService, finding: MakeFinding, lines: LineIndex): Finding[] {
  const findings: Finding[] = [];
  const anchor = service.image ?? service.name;
  const enableWord = word(service, '--enable-v2');
  const enableEnv = service.environment.get('ETCD_ENABLE_V2');
  const enabled = enableWord ? !/=false$/i.test(enableWord.value) : enableEnv?.value.toLowerCase() === 'true';
  if (!enabled && !olderThan34(service.image?.value)) {
    findings.push(
      finding(
        enableWord ?? enableEnv ?? anchor,
        'error',
        Codes.composeEtcdNoV2,
        `etcd 3.4 and later serve no v2 API unless started with --enable-v2=true, and Docker's store client speaks only v2: daemons fail with "response is invalid json. The endpoint is probably not valid etcd cluster endpoint". Add --enable-v2=true to the command (or ETCD_ENABLE_V2=true).`,
        !enableWord && !enableEnv ? appendWord(service, '--enable-v2=true', lines) : undefined,
      ),
    );
  }
  // Go's flag package takes -name and --name alike (etcd 2's own docs use one dash).
  const advertised =
    flagValue(service, '--advertise-client-urls') ??
    flagValue(service, '-advertise-client-urls') ??
    envValue(service, 'ETCD_ADVERTISE_CLIENT_URLS');
  if (advertised && advertised.value.split(',').every(isLocalUrl)) {
    // Docker 20.10's etcd client (vendored libkv store/etcd AutoSync, every 5 minutes) replaces the store
    // address it was given by the URLs etcd advertises. https://github.com/etcd-io/etcd/issues/7588,
    // https://github.com/etcd-io/etcd/issues/3886.
    findings.push(
      finding(
        advertised.at,
        'warning',
        Codes.composeEtcdAdvertiseLoopback,
        `etcd advertises its clients ${advertised.value}: Docker's etcd client syncs its endpoints from etcd's member list (at start and every 5 minutes) and then dials that address, which on each Docker host is the host itself, so overlay calls start failing a few minutes after the daemon starts. Advertise an address every Docker host reaches, e.g. --advertise-client-urls=http://<this host's IP>:2379.`,
      ),
    );
  }
  const { at: listen, value: listenValue } =
    flagValue(service, '--listen-client-urls') ?? envValue(service, 'ETCD_LISTEN_CLIENT_URLS') ?? {};
  if (listen && listenValue && listenValue.split(',').every((url) => /\/\/(127\.|localhost|\[::1\])/.test(url))) {
    findings.push(
      finding(
        listen,
        'warning',
        Codes.composeEtcdLoopback,
        `etcd listens for clients only on loopback (${listenValue}): Docker daemons on other hosts cannot reach it, and even a daemon on this host reaches it only with network_mode: host. Listen on http://0.0.0.0:2379 and advertise an address the hosts reach.`,
      ),
    );
  }
  return findings;
}

/**
 * A Consul agent answers HTTP (Docker's KV calls) on its client address, 127.0.0.1 unless -client
 * says otherwise (the official image adds nothing when a command is given; CONSUL_CLIENT_INTERFACE
 * makes its entrypoint add one): inside a container that is the container itself, so a published
 * 8500 reaches nothing. https://github.com/hashicorp/docker-consul/issues/16,
 * https://github.com/hashicorp/docker-consul/issues/134, https://github.com/hashicorp/consul/issues/8046.
 */
function consulClientRules(service: ComposeService, finding: MakeFinding): Finding[] {
  const agent = service.command?.words.find((entry) => entry.value === 'agent');
  if (!agent || service.environment.has('CONSUL_CLIENT_INTERFACE') || service.networkMode === 'host') return [];
  if (/client_addr/.test(service.environment.get('CONSUL_LOCAL_CONFIG')?.value ?? '')) return [];
  const client = flagValue(service, '-client');
  if (client && !/^(127\.[\d.]+|localhost|::1)$/.test(client.value)) return [];
  return [
    finding(
      client?.at ?? agent,
      'warning',
      Codes.composeConsulClientLoopback,
      `Consul answers HTTP only on ${client ? client.value : '127.0.0.1 (no -client given)'}, which inside the container is the container itself: the published port reaches nothing, so Docker's daemons get "connection refused" from the store. Add -client=0.0.0.0 (or set CONSUL_CLIENT_INTERFACE=eth0).`,
    ),
  ];
}

/**
 * ZooKeeper 3.5+ answers only whitelisted four-letter words; our live probe asks `srvr` and,
 * refused, falls back to a slower session handshake — worth knowing, not a fault.
 */
function zookeeperRules(service: ComposeService, finding: MakeFinding): Finding[] {
  const whitelist = whitelistSetting(service);
  if (!whitelist) return [];
  const words = whitelist.value.split(',').map((entry) => entry.trim());
  if (words.includes('*') || words.includes('srvr')) return [];
  return [
    finding(
      whitelist.at,
      'information',
      Codes.composeZookeeperNoSrvr,
      `ZooKeeper's 4lw.commands.whitelist (${whitelist.value || 'empty'}) leaves out srvr: it answers "srvr is not executed because it is not in the whitelist.", so the store probe falls back to a session handshake and cannot report the server's mode. Add srvr (and ruok) to the list.`,
    ),
  ];
}

/** ZOO_4LW_COMMANDS_WHITELIST (official and bitnami images), or -Dzookeeper.4lw.commands.whitelist= in JVM flags or the command. */
function whitelistSetting(service: ComposeService): { at: Located; value: string } | undefined {
  const direct = envValue(service, 'ZOO_4LW_COMMANDS_WHITELIST');
  if (direct) return direct;
  const candidates = [...service.environment.values(), ...(service.command?.words ?? [])];
  for (const at of candidates) {
    const match = /4lw\.commands\.whitelist=([^\s]*)/.exec(at.value);
    if (match) return { at, value: match[1] };
  }
  return undefined;
}

/** `--flag=value` or `--flag value` in the command. */
function flagValue(service: ComposeService, flag: string): { at: Located; value: string } | undefined {
  const at = word(service, flag);
  if (!at) return undefined;
  const words = service.command!.words;
  const value = at.value.includes('=') ? at.value.slice(at.value.indexOf('=') + 1) : words[words.indexOf(at) + 1]?.value;
  return value === undefined ? undefined : { at, value };
}

function envValue(service: ComposeService, name: string): { at: Located; value: string } | undefined {
  const at = service.environment.get(name);
  return at ? { at, value: at.value } : undefined;
}

/** etcd images tagged below 3.4 (v3.3.x, 2.x) still serve v2 by default. */
function olderThan34(image: string | undefined): boolean {
  const tag = image?.split(':')[1]?.replace(/^v/, '');
  const [major, minor] = (tag ?? '').split('.').map(Number);
  return Number.isInteger(major) && Number.isInteger(minor) && (major < 3 || (major === 3 && minor < 4));
}

function insertWord(service: ComposeService, after: Located, newWord: string, lines: LineIndex): QuickFix {
  const form = service.command!.form;
  const { line, column } = lines.position(after.end);
  const at = { startLine: line, startColumn: column, endLine: line, endColumn: column };
  if (form === 'blockList') {
    const itemStart = lines.position(after.start);
    const indent = ' '.repeat(Math.max(0, itemStart.column - 2));
    return { title: `Add ${newWord}`, edits: [{ range: at, newText: `\n${indent}- ${newWord}` }] };
  }
  // A list item's range already ends after its closing quote.
  if (form === 'flowList') return { title: `Add ${newWord}`, edits: [{ range: at, newText: `, "${newWord}"` }] };
  return { title: `Add ${newWord}`, edits: [{ range: at, newText: ` ${newWord}` }] };
}

function appendWord(service: ComposeService, newWord: string, lines: LineIndex): QuickFix | undefined {
  const last = service.command?.words.at(-1);
  return last ? insertWord(service, last, newWord, lines) : undefined;
}
