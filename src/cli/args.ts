/** `docker-network-explorer diagnose …` arguments, parsed without side effects (unit-tested). */
import type { TlsFlags } from '../core/hosts/resolveHosts';
import { MAX_TIMER_MS } from '../core/util/timeouts';
import { hostOptions, textOption, timeoutOption, walkOptions } from './options';

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
  /** --probe-from-nodes: dial each swarm node's ports from the other nodes (a helper container on each). */
  probeFromNodes: boolean;
  /** --helper-image (repeatable): images that helper may be made from; default busybox:latest, alpine:latest. */
  helperImages: string[];
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
  --probe-from-nodes
                    swarm: also dial each node's 2377/tcp and 7946/tcp from every other --host node,
                    in a short-lived helper container on that node (--network host, removed after)
  --helper-image I  an image that helper may be made from, if present there (never pulled);
                    repeat for several, first present wins (default busybox:latest, alpine:latest)
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

const SWITCHES = [
  '--json',
  '--offline',
  '--this-machine',
  '--upgrade-check',
  '--probe-from-nodes',
  '--tls',
  '--tlsverify',
  '--accept-new-host-key',
];

/** What `diagnose` with no options means. */
export function diagnoseDefaults(): DiagnoseArgs {
  return {
    json: false,
    offline: false,
    thisMachine: false,
    hosts: [],
    tls: {},
    acceptNewHostKey: false,
    timeoutMs: 3000,
    files: [],
    upgradeCheck: false,
    probeFromNodes: false,
    helperImages: [],
    notes: [],
  };
}

export function parseArgs(argv: readonly string[]): ParsedArgs {
  const [command, ...rest] = argv;
  if (command === undefined || command === '-h' || command === '--help' || command === 'help') return { kind: 'help' };
  if (command !== 'diagnose') return { kind: 'usage', problem: `unknown command "${command}" (the commands are "diagnose" and "reach")` };
  const args = diagnoseDefaults();
  const tlsFile = (key: 'ca' | 'cert' | 'key') =>
    textOption(
      (file) => (args.tls[key] = file),
      (flag) => `${flag} needs a file`,
    );
  const context = textOption(
    (name) => (args.context = name.trim()),
    (flag) => `${flag} needs a Docker context name (docker context ls lists them)`,
  );
  const walked = walkOptions(rest, {
    switches: SWITCHES,
    values: {
      ...hostOptions(args.hosts),
      '-c': context,
      '--context': context,
      '--tlscacert': tlsFile('ca'),
      '--tlscert': tlsFile('cert'),
      '--tlskey': tlsFile('key'),
      '--engine': (value) => {
        if (!value || !/^v?\d+(\.\d+){0,2}([-+~][\w.+~-]*)?$/.test(value))
          return `--engine needs a Docker Engine version such as 26 or 20.10.24, got ${value ?? 'nothing'}`;
        args.engine = value.replace(/^v/, '');
        return undefined;
      },
      '--helper-image': textOption(
        (image) => {
          args.helperImages.push(image.trim());
        },
        () => '--helper-image needs an image name',
      ),
      '--timeout': timeoutOption((ms) => (args.timeoutMs = ms), args.notes),
    },
  });
  if (walked.kind !== 'options') return walked;
  const { switches } = walked;
  args.files = walked.words;
  args.json = switches.get('--json') ?? false;
  args.offline = switches.get('--offline') ?? false;
  args.thisMachine = switches.get('--this-machine') ?? false;
  args.upgradeCheck = switches.get('--upgrade-check') ?? false;
  args.probeFromNodes = switches.get('--probe-from-nodes') ?? false;
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
