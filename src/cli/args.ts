/** `docker-network-explorer diagnose …` arguments, parsed without side effects (unit-tested). */

export interface DiagnoseArgs {
  json: boolean;
  offline: boolean;
  /** The files are this machine's: check --cluster-advertise against its interfaces too. */
  thisMachine: boolean;
  hosts: string[];
  timeoutMs: number;
  files: string[];
  /** --engine: the Docker Engine version the FILEs are for; else the first --host's, else unknown. */
  engine?: string;
  upgradeCheck: boolean;
}

export type ParsedArgs = { kind: 'diagnose'; args: DiagnoseArgs } | { kind: 'help' } | { kind: 'usage'; problem: string };

export const USAGE = `Usage: docker-network-explorer diagnose [options] [FILE...]
       docker-network-explorer reach [options] FROM TARGET   (reach --help: can FROM reach TARGET, and why)

Checks Docker's cluster-store configuration (--cluster-store / --cluster-advertise) for one host:
daemon.json, docker.service and its drop-ins, /etc/sysconfig/docker, /etc/default/docker,
docker.socket and compose files that run the store. All FILEs are one host's configuration;
their kind is told from the name and the content.

Options:
  --host URL        also ask this daemon (unix:///var/run/docker.sock, tcp://…, ssh://…) and the
                    store it uses; repeat for several hosts (the FILEs belong to the first)
  --offline         no live checks, even with --host
  --this-machine    the FILEs are this machine's: check the advertise interface against its own
  --engine VERSION  the Docker Engine the FILEs are for (26, 23.0.6, 20.10): its rules and words;
                    default: what the first --host runs, else an engine that has the cluster store
  --upgrade-check   also say what moving each --host to Docker 28/29 breaks (inspects its containers)
  --timeout MS      per live probe (default 3000)
  --json            {"findings":[{"file","line","column","endLine","endColumn","severity","code","message"}]}, 1-based;
                    on bad usage or an internal failure {"error":{"kind":"usage"|"internal","message"}}
  -h, --help        this text

Files of other kinds are skipped with an information finding (DNE139), so a glob may match more.

Exit status: 0 no error found, 1 an error found, 2 bad usage (a FILE that cannot be read
included), 3 the tool itself failed.`;

export function parseArgs(argv: readonly string[]): ParsedArgs {
  const [command, ...rest] = argv;
  if (command === undefined || command === '-h' || command === '--help' || command === 'help') return { kind: 'help' };
  if (command !== 'diagnose') return { kind: 'usage', problem: `unknown command "${command}" (the commands are "diagnose" and "reach")` };
  const args: DiagnoseArgs = { json: false, offline: false, thisMachine: false, hosts: [], timeoutMs: 3000, files: [], upgradeCheck: false };
  for (let index = 0; index < rest.length; index++) {
    const word = rest[index];
    const [flag, inline] = word.startsWith('--') && word.includes('=') ? [word.slice(0, word.indexOf('=')), word.slice(word.indexOf('=') + 1)] : [word, undefined];
    const takeValue = (): string | undefined => inline ?? rest[++index];
    switch (flag) {
      case '-h':
      case '--help':
        return { kind: 'help' };
      case '--json':
        args.json = true;
        break;
      case '--offline':
        args.offline = true;
        break;
      case '--this-machine':
        args.thisMachine = true;
        break;
      case '--host': {
        const url = takeValue();
        if (!url) return { kind: 'usage', problem: '--host needs a daemon URL, e.g. --host unix:///var/run/docker.sock' };
        args.hosts.push(url);
        break;
      }
      case '--upgrade-check':
        args.upgradeCheck = true;
        break;
      case '--engine': {
        const value = takeValue();
        if (!value || !/^v?\d+(\.\d+){0,2}([-+~][\w.+~-]*)?$/.test(value)) return { kind: 'usage', problem: `--engine needs a Docker Engine version such as 26 or 20.10.24, got ${value ?? 'nothing'}` };
        args.engine = value.replace(/^v/, '');
        break;
      }
      case '--timeout': {
        const value = takeValue();
        const timeout = Number(value);
        if (!value || !Number.isInteger(timeout) || timeout <= 0) return { kind: 'usage', problem: `--timeout needs a positive number of milliseconds, got ${value ?? 'nothing'}` };
        args.timeoutMs = timeout;
        break;
      }
      default:
        if (word.startsWith('-') && word !== '-') return { kind: 'usage', problem: `unknown option ${word}` };
        args.files.push(word);
    }
  }
  if (args.files.length === 0 && args.hosts.length === 0) return { kind: 'usage', problem: 'give configuration files to check, --host URL, or both' };
  return { kind: 'diagnose', args };
}
