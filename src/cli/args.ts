/** `docker-network-explorer diagnose …` arguments, parsed without side effects (unit-tested). */
import type { TlsFlags } from '../core/hosts/resolveHosts';
import { MAX_TIMER_MS } from '../core/util/timeouts';

export interface DiagnoseArgs {
  json: boolean;
  offline: boolean;
  /** The files are this machine's: check --cluster-advertise against its interfaces too. */
  thisMachine: boolean;
  hosts: string[];
  /** --context NAME: the daemon of that Docker context (instead of --host). */
  context?: string;
  /** --tls, --tlsverify, --tlscacert, --tlscert, --tlskey, as the docker CLI spells them. */
  tls: TlsFlags;
  /** --accept-new-host-key: trust and record an ssh host key not in known_hosts (refused otherwise). */
  acceptNewHostKey: boolean;
  timeoutMs: number;
  files: string[];
  /** --engine: the Docker Engine version the FILEs are for; else the first --host's, else unknown. */
  engine?: string;
  upgradeCheck: boolean;
  /** What was adjusted and should be said on stderr (a --timeout clamped). */
  notes: string[];
}

export type ParsedArgs = { kind: 'diagnose'; args: DiagnoseArgs } | { kind: 'help' } | { kind: 'usage'; problem: string };

export const USAGE = `Usage: docker-network-explorer diagnose [options] [--] [FILE...]
       docker-network-explorer reach [options] FROM TARGET   (reach --help: can FROM reach TARGET, and why)

Checks Docker's cluster-store configuration (--cluster-store / --cluster-advertise) for one host:
daemon.json, docker.service and its drop-ins, /etc/sysconfig/docker, /etc/default/docker,
docker.socket and compose files that run the store. All FILEs are one host's configuration;
their kind is told from the name and the content.

Options:
  --host URL        also ask this daemon (unix:///var/run/docker.sock, tcp://…, ssh://…) and the
                    store it uses; repeat for several hosts (the FILEs belong to the first)
  -c, --context NAME
                    ask the daemon of this Docker context, with its TLS or ssh settings (not with --host)
  --tls             tcp hosts: use TLS, without verifying the daemon's certificate
  --tlsverify       tcp hosts: use TLS and verify the daemon's certificate (also DOCKER_TLS_VERIFY)
  --tlscacert FILE  CA the daemon's certificate is signed by (default: ca.pem in DOCKER_CERT_PATH, else ~/.docker)
  --tlscert FILE    client certificate (default: cert.pem there, when present)
  --tlskey FILE     client key (default: key.pem there, when present)
  --accept-new-host-key
                    ssh hosts: trust a host key not in ~/.ssh/known_hosts and record it there
                    (as ssh -o StrictHostKeyChecking=accept-new); without it such a key is refused
  --offline         no live checks, even with --host
  --this-machine    the FILEs are this machine's: check the advertise interface against its own
  --engine VERSION  the Docker Engine the FILEs are for (26, 23.0.6, 20.10): its rules and words;
                    default: what the first --host runs, else an engine that has the cluster store
  --upgrade-check   also say what moving each --host to Docker 28/29 breaks (inspects its containers)
  --timeout MS      per live probe (default 3000; at most ${MAX_TIMER_MS}, a larger value is clamped)
  --json            {"findings":[{"file","line","column","endLine","endColumn","severity","code","message"}]}, 1-based;
                    on bad usage or an internal failure {"error":{"kind":"usage"|"internal","message"}}
  -h, --help        this text
  --                the words after it are FILEs, even those starting with -

Flags without a value take one after "=" too: --json=false, --tlsverify=0 (true/false, 1/0, t/f).
Files of other kinds are skipped with an information finding (DNE139), so a glob may match more.
Text output shows control characters in names and answers escaped (\\u{1b}).

Exit status: 0 no error found, 1 an error found, 2 bad usage (a FILE that cannot be read
included), 3 the tool itself failed (a bug: the message says where).`;

/** pflag's boolean spellings (the docker CLI's): --json=false turns it off. */
const BOOLEANS: Record<string, boolean> = {
  '1': true,
  t: true,
  T: true,
  true: true,
  TRUE: true,
  True: true,
  '0': false,
  f: false,
  F: false,
  false: false,
  FALSE: false,
  False: false,
};

const SWITCHES = ['--json', '--offline', '--this-machine', '--upgrade-check', '--tls', '--tlsverify', '--accept-new-host-key'] as const;
type Switch = (typeof SWITCHES)[number];

export function parseArgs(argv: readonly string[]): ParsedArgs {
  const [command, ...rest] = argv;
  if (command === undefined || command === '-h' || command === '--help' || command === 'help') return { kind: 'help' };
  if (command !== 'diagnose') return { kind: 'usage', problem: `unknown command "${command}" (the commands are "diagnose" and "reach")` };
  const args: DiagnoseArgs = {
    json: false,
    offline: false,
    thisMachine: false,
    hosts: [],
    tls: {},
    acceptNewHostKey: false,
    timeoutMs: 3000,
    files: [],
    upgradeCheck: false,
    notes: [],
  };
  const switches = new Map<Switch, boolean>();
  let optionsEnded = false;
  for (let index = 0; index < rest.length; index++) {
    const word = rest[index];
    if (optionsEnded) {
      args.files.push(word);
      continue;
    }
    const [flag, inline] =
      word.startsWith('--') && word.includes('=')
        ? [word.slice(0, word.indexOf('=')), word.slice(word.indexOf('=') + 1)]
        : [word, undefined];
    // A value: the rest after "=", else the next word; blank is no value (--host ' ').
    const takeValue = (): string | undefined => {
      const value = inline ?? rest[++index];
      return value === undefined || value.trim() === '' ? undefined : value;
    };
    if ((SWITCHES as readonly string[]).includes(flag)) {
      const value = inline === undefined ? true : BOOLEANS[inline];
      if (value === undefined) return { kind: 'usage', problem: `${flag} takes true or false, got "${inline}"` };
      switches.set(flag as Switch, value);
      continue;
    }
    switch (flag) {
      case '--':
        optionsEnded = true;
        break;
      case '-h':
      case '--help':
        return { kind: 'help' };
      case '--host':
      case '-H': {
        const url = takeValue();
        if (!url) return { kind: 'usage', problem: `${flag} needs a daemon URL, e.g. --host unix:///var/run/docker.sock` };
        args.hosts.push(url.trim());
        break;
      }
      case '-c':
      case '--context': {
        const name = takeValue();
        if (!name) return { kind: 'usage', problem: `${flag} needs a Docker context name (docker context ls lists them)` };
        args.context = name.trim();
        break;
      }
      case '--tlscacert':
      case '--tlscert':
      case '--tlskey': {
        const file = takeValue();
        if (!file) return { kind: 'usage', problem: `${flag} needs a file` };
        args.tls[flag === '--tlscacert' ? 'ca' : flag === '--tlscert' ? 'cert' : 'key'] = file;
        break;
      }
      case '--engine': {
        const value = takeValue();
        if (!value || !/^v?\d+(\.\d+){0,2}([-+~][\w.+~-]*)?$/.test(value))
          return { kind: 'usage', problem: `--engine needs a Docker Engine version such as 26 or 20.10.24, got ${value ?? 'nothing'}` };
        args.engine = value.replace(/^v/, '');
        break;
      }
      case '--timeout': {
        const value = takeValue();
        const timeout = Number(value);
        if (!value || !Number.isInteger(timeout) || timeout <= 0)
          return { kind: 'usage', problem: `--timeout needs a positive number of milliseconds, got ${value ?? 'nothing'}` };
        if (timeout > MAX_TIMER_MS)
          args.notes.push(`--timeout ${value} is longer than a timer can wait: using ${MAX_TIMER_MS} ms (about 24.8 days).`);
        args.timeoutMs = Math.min(timeout, MAX_TIMER_MS);
        break;
      }
      default:
        if (word.startsWith('-') && word !== '-') return { kind: 'usage', problem: `unknown option ${word}` };
        args.files.push(word);
    }
  }
  args.json = switches.get('--json') ?? false;
  args.offline = switches.get('--offline') ?? false;
  args.thisMachine = switches.get('--this-machine') ?? false;
  args.upgradeCheck = switches.get('--upgrade-check') ?? false;
  args.acceptNewHostKey = switches.get('--accept-new-host-key') ?? false;
  if (switches.has('--tls')) args.tls.tls = switches.get('--tls');
  if (switches.has('--tlsverify')) args.tls.tlsVerify = switches.get('--tlsverify');
  if (args.context !== undefined && args.hosts.length > 0)
    return { kind: 'usage', problem: 'conflicting options: either specify --host or --context, not both' };
  const tlsGiven = Object.keys(args.tls).length > 0;
  if (args.context !== undefined && tlsGiven)
    return { kind: 'usage', problem: 'the --tls options go with --host: a context has its own TLS settings' };
  if (args.files.length === 0 && args.hosts.length === 0 && args.context === undefined)
    return { kind: 'usage', problem: 'give configuration files to check, --host URL, or both' };
  return { kind: 'diagnose', args };
}

/** What --json says in argv, for answering even bad usage in JSON: the last spelling before "--" wins. */
export function wantsJson(argv: readonly string[]): boolean {
  let json = false;
  for (const word of argv) {
    if (word === '--') break;
    if (word === '--json') json = true;
    else if (word.startsWith('--json=')) json = BOOLEANS[word.slice('--json='.length)] ?? json;
  }
  return json;
}
