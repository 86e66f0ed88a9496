/**
 * One host's configuration files, parsed, plus what the daemon will actually see: the flags of
 * the effective ExecStart= and of the environment variables it expands from files it reads.
 */
import type { Range } from './finding';
import { parseDaemonJson, type DaemonJson } from './parsers/daemonJson';
import { parseDockerdWords, type DockerdFlag } from './parsers/dockerdFlags';
import type { Word } from './parsers/shellWords';
import { expandExecWords } from './parsers/systemdExpand';
import { DOCKER_OPTION_VARIABLES, parseShellEnvFile, type EnvAssignment, type EnvFile } from './parsers/shellEnvFile';
import { parseSocketUnit, type ListenStream } from './parsers/socketUnit';
import { resolveService, type ServiceConfig, type UnitEnvironmentAssignment } from './parsers/systemdUnit';
import type { ConfigFile } from './text';

export interface DockerdFiles {
  daemonJson?: ConfigFile;
  /** docker.service and its drop-ins, in the order systemd applies them. */
  serviceUnit?: ConfigFile;
  serviceDropIns?: ConfigFile[];
  /** /etc/sysconfig/docker, /etc/default/docker: set `hostPath` if `file` is not that path. */
  envFiles?: ConfigFile[];
  socketUnit?: ConfigFile;
  socketDropIns?: ConfigFile[];
  /** The host's network interfaces, when known (scanning this machine, the lab): checks --cluster-advertise. */
  interfaces?: HostInterface[];
  /** Reads a file of that host by its path, when the files are known to be this machine's (the TLS files of --cluster-store-opt). */
  hostFile?: HostFileReader;
}

/** A file of the host, read as dockerd would: its text, or Node's error code (ENOENT, EACCES…). */
export type HostFileReader = (hostPath: string) => { ok: true; text: string } | { ok: false; code: string; message: string };

export interface HostInterface {
  name: string;
  ipv4: string[];
  ipv6: string[];
  /** The link's MTU, when known (/sys/class/net/NAME/mtu). */
  mtu?: number;
}

export interface DockerdConfig {
  daemonJson?: DaemonJson;
  /** Undefined when no service unit was given: then we cannot tell what the daemon reads. */
  service?: ServiceConfig;
  envFiles: EnvFile[];
  listens: ListenStream[];
  /** Flags dockerd receives: ExecStart= words and expanded env-file variables. */
  flags: DockerdFlag[];
  interfaces?: HostInterface[];
  hostFile?: HostFileReader;
  /** Each given file's text by its name, for fixes that edit around a parsed range. */
  sources: Record<string, string>;
}

/** A setting as given in one place: a flag, or a daemon.json key. */
export interface SettingSource {
  value: string;
  file: string;
  range: Range;
  origin: 'flag' | 'daemon.json';
}

export function buildDockerdConfig(files: DockerdFiles): DockerdConfig {
  const daemonJson = files.daemonJson ? parseDaemonJson(files.daemonJson) : undefined;
  const service = files.serviceUnit || files.serviceDropIns?.length ? resolveService(files.serviceUnit, files.serviceDropIns) : undefined;
  const envFiles = (files.envFiles ?? []).map(parseShellEnvFile);
  const listens = files.socketUnit ? parseSocketUnit(files.socketUnit, files.socketDropIns) : [];
  const given = [
    files.daemonJson,
    files.serviceUnit,
    ...(files.serviceDropIns ?? []),
    ...(files.envFiles ?? []),
    files.socketUnit,
    ...(files.socketDropIns ?? []),
  ];
  const sources = Object.fromEntries(given.filter((file): file is ConfigFile => file !== undefined).map((file) => [file.file, file.text]));
  const config: DockerdConfig = {
    daemonJson,
    service,
    envFiles,
    listens,
    flags: [],
    interfaces: files.interfaces,
    hostFile: files.hostFile,
    sources,
  };
  config.flags = effectiveFlags(config);
  return config;
}

function effectiveFlags(config: DockerdConfig): DockerdFlag[] {
  // With no unit we cannot tell what is read; an env file opened alone is checked as if it were.
  if (!config.service) {
    return config.envFiles
      .flatMap((envFile) => envFile.assignments)
      .filter((assignment) => DOCKER_OPTION_VARIABLES.includes(assignment.name))
      .flatMap((assignment) => assignment.command.flags);
  }
  return config.service.execStarts.flatMap((exec) => {
    // Nothing to expand (the usual case): the flags as parsed with the unit.
    if (!exec.words.some((word) => word.value.includes('$'))) return exec.command.flags;
    const words = expandExecWords(exec.words, (name) => variableSeenByService(config, name)?.words);
    return parseDockerdWords(words, exec.index, exec.file).flags;
  });
}

/** Where the value systemd gives a variable comes from, and its words (with their files). */
export type VariableSource =
  | { kind: 'environmentFile'; assignment: EnvAssignment; words: Word[] }
  | { kind: 'environment'; assignment: UnitEnvironmentAssignment; words: Word[] };

/**
 * The value systemd would give `name` in ExecStart=: EnvironmentFile= overrides Environment=
 * (systemd.exec(5)); within each, the last assignment wins.
 */
export function variableSeenByService(config: DockerdConfig, name: string): VariableSource | undefined {
  const fromFile = assignmentSeenByService(config, name);
  if (fromFile) return { kind: 'environmentFile', assignment: fromFile, words: fromFile.words };
  const fromUnit = [...(config.service?.environment ?? [])].reverse().find((assignment) => assignment.name === name);
  return fromUnit ? { kind: 'environment', assignment: fromUnit, words: [fromUnit.value] } : undefined;
}

/** The assignment systemd would use: from the last EnvironmentFile= that defines it. */
export function assignmentSeenByService(config: DockerdConfig, name: string): EnvAssignment | undefined {
  let found: EnvAssignment | undefined;
  for (const reference of config.service?.environmentFiles ?? []) {
    const envFile = config.envFiles.find((candidate) => candidate.hostPath === reference.path);
    const assignments = envFile?.assignments.filter((assignment) => assignment.name === name) ?? [];
    if (assignments.length > 0) found = assignments[assignments.length - 1];
  }
  return found;
}

/** Every place `key` is set: as flags dockerd receives and as the daemon.json key. */
export function settingSources(config: DockerdConfig, key: string): SettingSource[] {
  const sources: SettingSource[] = config.flags
    .filter((flag) => flag.key === key)
    .map((flag) => ({
      value: flag.value ?? '',
      file: flag.valueRange ? (flag.valueFile ?? flag.file) : flag.file,
      range: flag.valueRange ?? flag.range,
      origin: 'flag' as const,
    }));
  const json = config.daemonJson;
  const entry = json ? [...json.entries].reverse().find((candidate) => candidate.key === key) : undefined;
  if (json && entry) {
    for (const item of entry.strings) sources.push({ value: item.value, file: json.file, range: item.range, origin: 'daemon.json' });
  }
  return sources;
}
