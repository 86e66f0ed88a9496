/** `docker-network-explorer reach …` arguments, parsed without side effects (unit-tested). */
import { MAX_TIMER_MS } from '../core/util/timeouts';
import { hostOptions, textOption, timeoutOption, walkOptions } from './options';

export interface ReachArgs {
  hosts: string[];
  from: string;
  target: string;
  port?: number;
  probe: boolean;
  json: boolean;
  /** `ip -4 route` output of the first host, for addresses outside Docker. */
  routesFile?: string;
  timeoutMs: number;
  /** The image the probe's helper container is made from (present on FROM's host; never pulled). */
  helperImage?: string;
  /** What was adjusted and should be said on stderr (a --timeout clamped). */
  notes: string[];
}

export type ParsedReachArgs = { kind: 'reach'; args: ReachArgs } | { kind: 'help' } | { kind: 'usage'; problem: string };

export const REACH_USAGE = `Usage: docker-network-explorer reach [options] FROM TARGET

Can FROM reach TARGET — and if not, why? Explains from the daemons' answers, changing nothing
(no container is started, nothing is sent) unless --probe is given.

FROM    a container (name, ID or unique ID prefix); a Docker host itself ("host" with one
        --host, else its name); or "lan" (a machine on the hosts' LAN)
TARGET  a container or a name as FROM would type it (container name, network alias, link
        alias, short ID), an IPv4 address (a container's or one outside Docker), or a host
        ("host": FROM's own, or a host's name) — with --port, that host's published port

Options:
  -H, --host URL    a daemon to read (unix://…, tcp://…, ssh://…); repeat for several hosts
                    (overlays across hosts); default: the daemon the docker CLI would use
  --port N          ask whether a TCP connection to port N gets through (a listener assumed);
                    without it: whether FROM reaches TARGET at all (what ping would show)
  --probe           also check live, inside FROM's network namespace (DNS, ping, TCP connect)
  --helper-image I  the image for the probe's helper container when FROM lacks the tools
  --routes FILE     the first host's "ip -4 route" output (default: this machine's routes when
                    the host is the local socket, else unknown)
  --timeout MS      per daemon call and per probe check (default 5000; at most ${MAX_TIMER_MS}, a larger
                    value is clamped)
  --json            {"from","target","port","verdict","names","networks","reasons":[{"code","message"}],"path","probe"};
                    on bad usage or an internal failure {"error":{"kind","message"}}
  -h, --help        this text
  --                the words after it are FROM and TARGET, even those starting with -

Flags without a value take one after "=" too: --json=false, --probe=0 (true/false, 1/0, t/f).

Exit status: 0 reachable, 1 unreachable, 2 bad usage (an unknown FROM included), 3 the tool
itself failed (a daemon that does not answer included).`;

export function parseReachArgs(argv: readonly string[]): ParsedReachArgs {
  const args: Omit<ReachArgs, 'from' | 'target'> = { hosts: [], probe: false, json: false, timeoutMs: 5000, notes: [] };
  const walked = walkOptions(argv, {
    switches: ['--json', '--probe'],
    values: {
      ...hostOptions(args.hosts),
      '--port': (value) => {
        const port = Number(value);
        if (!value || !/^\d+$/.test(value) || port < 1 || port > 65535)
          return `--port needs a TCP port from 1 to 65535, got ${value ?? 'nothing'}`;
        args.port = port;
        return undefined;
      },
      '--routes': textOption(
        (file) => (args.routesFile = file),
        () => '--routes needs a file holding "ip -4 route" output',
      ),
      '--helper-image': textOption(
        (image) => (args.helperImage = image),
        () => '--helper-image needs an image name',
      ),
      '--timeout': timeoutOption((ms) => (args.timeoutMs = ms), args.notes),
    },
  });
  if (walked.kind !== 'options') return walked;
  args.json = walked.switches.get('--json') ?? false;
  args.probe = walked.switches.get('--probe') ?? false;
  const positional = walked.words;
  if (positional.length !== 2) {
    return {
      kind: 'usage',
      problem:
        positional.length < 2
          ? 'give FROM and TARGET, e.g. reach web1 web2 --port 80'
          : `one FROM and one TARGET, got ${positional.length} words: ${positional.join(' ')}`,
    };
  }
  return { kind: 'reach', args: { ...args, from: positional[0], target: positional[1] } };
}
