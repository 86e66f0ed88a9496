/**
 * What a live probe runs inside FROM's network namespace, and how its output is read. Pure: the
 * script is one `sh -c` with the target as positional parameters (never spliced into the text),
 * and each check prints between markers, so one exec answers DNS, ICMP and TCP at once.
 */

export type ProbeCheck = 'hosts' | 'dns' | 'icmp' | 'tcp';

export interface ProbeStep {
  check: ProbeCheck;
  /** What ran, as the user would type it (`ping -c 1 -W 2 web2`). */
  command: string;
  /** What it printed (stdout and stderr), trimmed to a few KiB. */
  output: string;
  /** Null when the tool is absent (`outcome: 'missing'`) or was cut off. */
  exitCode: number | null;
  /** passed: resolved / answered / connected; failed: it did not; missing: no tool for it; error: the tool could not run (no permission). */
  outcome: 'passed' | 'failed' | 'missing' | 'error';
  /** One line: what the step shows. */
  summary: string;
  /** Addresses the name resolved to in this step (hosts, dns, icmp). */
  addresses?: string[];
  /** How long it ran, measured inside the container. */
  durationMs: number;
}

export interface ProbeQuestion {
  /** As FROM types it: a name, alias or IPv4 address. */
  target: string;
  port?: number;
  /** Seconds each check waits (ping -W, nc -w, nslookup under `timeout`). */
  waitSeconds: number;
}

/** A name or IPv4 address a check may be run against: no option-looking or shell-special text. */
export function checkProbeTarget(target: string): string | undefined {
  if (!/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,252}$/.test(target)) {
    return `"${target.slice(0, 80)}" is not a container name, alias or IPv4 address the probe can check (letters, digits, '.', '_' and '-' only, not starting with '-')`;
  }
  return undefined;
}

export function isIpv4(text: string): boolean {
  return /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.test(text) && text.split('.').every((part) => Number(part) <= 255);
}

const MARK = '@@dne';

/**
 * Shell functions for a script that runs in an image we did not make: `pick TOOL` prints how to
 * run TOOL (on PATH, else as an applet of a `busybox` on PATH; nothing when neither), and `now`
 * the centiseconds since boot (/proc/uptime), for durations measured where the check ran.
 */
export const SHELL_TOOLS: readonly string[] = [
  'have() { command -v "$1" >/dev/null 2>&1; }',
  'inbb() { have busybox || return 1; for a in $(busybox --list 2>/dev/null); do [ "$a" = "$1" ] && return 0; done; return 1; }',
  'pick() { if have "$1"; then echo "$1"; elif inbb "$1"; then echo "busybox $1"; fi; }',
  'now() { read up _ </proc/uptime 2>/dev/null && echo "${up%.*}${up#*.}" || echo 0; }',
];

/**
 * Each check first looks for its tool: on PATH, else as an applet of a `busybox` on PATH (images
 * often have busybox without every applet linked). A missing tool reads as "missing", not as a
 * failed check. `timeout` bounds each check (name resolution included) where there is one. The
 * markers carry the check, centiseconds since boot (/proc/uptime) and the tool as run. Several
 * targets are checked at once, each in a background subshell whose every line is prefixed with
 * the target's index (one `echo` per line: whole lines, never torn), so a matrix row is one exec.
 */
const SCRIPT = [
  'w=$1; shift',
  ...SHELL_TOOLS,
  'TO=$(pick timeout); NSL=$(pick nslookup); PING=$(pick ping); NC=$(pick nc); WGET=$(pick wget)',
  'bounded() { if [ -n "$TO" ]; then $TO "$((w + 1))" "$@"; else "$@"; fi; }',
  `begin() { echo "${MARK} begin $1 $(now) $2"; }`,
  `end() { echo "${MARK} end $1 $(now)"; }`,
  'checks() {',
  '  begin hosts cat; cat /etc/hosts 2>&1; end $?',
  `  if [ -n "$name" ]; then if [ -n "$NSL" ]; then begin dns "$NSL"; bounded $NSL "$t" 2>&1; end $?; else echo "${MARK} missing dns"; fi; fi`,
  `  if [ -n "$PING" ]; then begin icmp "$PING"; bounded $PING -c 1 -W "$w" "$t" 2>&1; end $?; else echo "${MARK} missing icmp"; fi`,
  '  if [ -n "$p" ]; then',
  `    if [ -n "$NC" ]; then begin tcp "$NC"; bounded $NC -w "$w" "$t" "$p" </dev/null 2>&1; end $?;`,
  `    elif [ -n "$WGET" ]; then begin tcp "$WGET"; bounded $WGET -q -O /dev/null "http://$t:$p/" 2>&1; end $?;`,
  `    else echo "${MARK} missing tcp"; fi`,
  '  fi',
  '}',
  'i=0',
  'while [ $# -ge 3 ]; do',
  '  t=$1; p=$2; name=$3; shift 3',
  '  (checks 2>&1 | while IFS= read -r line; do echo "$i $line"; done) &',
  '  i=$((i + 1))',
  'done',
  'wait',
].join('\n');

/** The argv to exec: `sh -c SCRIPT sh WAIT (TARGET PORT NAME?)…`; all share one wait. */
export function probeCommand(questions: readonly ProbeQuestion[]): string[] {
  const waitSeconds = questions[0]?.waitSeconds ?? 2;
  const targets = questions.flatMap((question) => [
    question.target,
    question.port === undefined ? '' : String(question.port),
    isIpv4(question.target) ? '' : '1',
  ]);
  return ['sh', '-c', SCRIPT, 'sh', String(waitSeconds), ...targets];
}

/** Splits the batch's output by target index and reads each target's steps. */
export function readBatchOutput(output: string, questions: readonly ProbeQuestion[]): ProbeStep[][] {
  const lines = questions.map((): string[] => []);
  for (const line of output.split('\n')) {
    const match = /^(\d+) (.*)$/.exec(line);
    const index = match ? Number(match[1]) : -1;
    if (match && index < lines.length) lines[index].push(match[2]);
  }
  return questions.map((question, i) => readProbeOutput(lines[i].join('\n'), question));
}

/** The command line each check stands for, as a user would type it inside FROM (`tool`: as the script found it). */
export function stepCommand(check: ProbeCheck, question: ProbeQuestion, tool?: string): string {
  const { target, port, waitSeconds: w } = question;
  switch (check) {
    case 'hosts':
      return 'cat /etc/hosts';
    case 'dns':
      return `${tool ?? 'nslookup'} ${target}`;
    case 'icmp':
      return `${tool ?? 'ping'} -c 1 -W ${w} ${target}`;
    case 'tcp':
      // No `wget -T`: Debian's static busybox 1.35 wget dies of SIGSEGV with it (seen here); `timeout` bounds it.
      return tool?.endsWith('wget')
        ? `${tool} -q -O /dev/null http://${target}:${port}/`
        : `${tool ?? 'nc'} -w ${w} ${target} ${port} </dev/null`;
  }
}

const MAX_STEP_OUTPUT = 4000;

/** Reads the script's output into steps; text outside the markers is ignored. */
export function readProbeOutput(output: string, question: ProbeQuestion): ProbeStep[] {
  const steps: ProbeStep[] = [];
  let open: { check: ProbeCheck; tool?: string; startCs: number; lines: string[] } | undefined;
  for (const line of output.split('\n')) {
    const marker = line.startsWith(MARK) ? line.slice(MARK.length + 1).split(' ') : undefined;
    if (!marker) {
      open?.lines.push(line);
      continue;
    }
    const [what, check, time, ...tool] = marker;
    if (what === 'begin' && isCheck(check)) open = { check, tool: tool.join(' ') || undefined, startCs: Number(time) || 0, lines: [] };
    else if (what === 'missing' && isCheck(check)) steps.push(missingStep(check, question));
    else if (what === 'end' && open) {
      const text = open.lines.join('\n').trim().slice(0, MAX_STEP_OUTPUT);
      const exitCode = Number.parseInt(check ?? '', 10);
      const durationMs = Math.max(0, ((Number(time) || 0) - open.startCs) * 10);
      const step = judgeStep(
        open.check,
        stepCommand(open.check, question, open.tool),
        text,
        Number.isNaN(exitCode) ? null : exitCode,
        question,
      );
      steps.push({ ...step, durationMs });
      open = undefined;
    }
  }
  return steps.map((step) => (step.check === 'tcp' ? unresolvedTcp(step, steps, question) : step));
}

/**
 * A TCP check of a name nothing resolved failed to resolve, whatever nc said: cut off by
 * `timeout` it would otherwise read as "connected, the listener kept it open", and busybox's
 * `nc -w` says "timed out" for a lookup that ran out of time too.
 */
function unresolvedTcp(step: ProbeStep, steps: readonly ProbeStep[], question: ProbeQuestion): ProbeStep {
  const resolved = isIpv4(question.target) || steps.some((other) => other.addresses?.length);
  // Only where a lookup really ran and failed (nslookup, ping), and only a check that ran.
  const lookupFailed = steps.some((other) => (other.check === 'dns' || other.check === 'icmp') && other.outcome === 'failed');
  if (resolved || !lookupFailed || step.outcome === 'missing' || step.outcome === 'error') return step;
  const said = step.output
    .split('\n')
    .find((line) => line.trim())
    ?.trim();
  return { ...step, outcome: 'failed', summary: `cannot resolve ${question.target}${said ? ` (${said})` : ''}` };
}

function isCheck(value: string | undefined): value is ProbeCheck {
  return value === 'hosts' || value === 'dns' || value === 'icmp' || value === 'tcp';
}

function missingStep(check: ProbeCheck, question: ProbeQuestion): ProbeStep {
  const tool = { hosts: 'cat', dns: 'nslookup', icmp: 'ping', tcp: 'nc or wget' }[check];
  return {
    check,
    command: stepCommand(check, question),
    output: '',
    exitCode: null,
    outcome: 'missing',
    summary: `no ${tool} here`,
    durationMs: 0,
  };
}

/** `timeout` kills with SIGTERM: 143 (busybox, coreutils 124). */
const KILLED = new Set([124, 143]);

type JudgedStep = Omit<ProbeStep, 'durationMs'>;

function judgeStep(check: ProbeCheck, command: string, output: string, exitCode: number | null, question: ProbeQuestion): JudgedStep {
  const step = { check, command, output, exitCode };
  const { target, port, waitSeconds } = question;
  switch (check) {
    case 'hosts': {
      const addresses = hostsAddresses(output, target);
      return {
        ...step,
        outcome: addresses.length ? 'passed' : 'failed',
        addresses,
        summary: addresses.length ? `/etc/hosts maps ${target} to ${addresses.join(', ')}` : `/etc/hosts has no ${target}`,
      };
    }
    case 'dns': {
      const addresses = exitCode === 0 ? nslookupAddresses(output) : [];
      if (addresses.length) return { ...step, outcome: 'passed', addresses, summary: `DNS answers ${target} → ${addresses.join(', ')}` };
      if (exitCode !== null && KILLED.has(exitCode))
        return { ...step, outcome: 'failed', addresses, summary: `no DNS answer for ${target} within ${waitSeconds + 1} s` };
      return { ...step, outcome: 'failed', addresses, summary: `DNS does not resolve ${target}` };
    }
    case 'icmp': {
      const resolved = /^PING \S+ \(([0-9a-fA-F.:]+)\)/m.exec(output)?.[1];
      const addresses = resolved ? [resolved] : [];
      if (/permission denied|operation not permitted|are you root/i.test(output))
        return { ...step, outcome: 'error', addresses, summary: `ping may not run here: ${firstLine(output)}` };
      if (exitCode === 0)
        return {
          ...step,
          outcome: 'passed',
          addresses,
          summary: `${target}${resolved && resolved !== target ? ` (${resolved})` : ''} answers ping`,
        };
      if (!resolved && !isIpv4(target) && exitCode !== null && KILLED.has(exitCode))
        return { ...step, outcome: 'failed', addresses, summary: `ping could not resolve ${target} within ${waitSeconds + 1} s` };
      if (!resolved && !isIpv4(target))
        return { ...step, outcome: 'failed', addresses, summary: `ping cannot resolve ${target}: ${firstLine(output)}` };
      return {
        ...step,
        outcome: 'failed',
        addresses,
        summary: `no ping reply from ${target}${resolved && resolved !== target ? ` (${resolved})` : ''} within ${waitSeconds} s`,
      };
    }
    case 'tcp':
      return judgeTcp(step, target, port ?? 0, waitSeconds);
  }
}

function judgeTcp(
  step: Pick<ProbeStep, 'check' | 'command' | 'output' | 'exitCode'>,
  target: string,
  port: number,
  waitSeconds: number,
): JudgedStep {
  const { output, exitCode } = step;
  const where = `${target}:${port}`;
  // wget: any HTTP answer, even an error status, means the connection was made.
  if (exitCode === 0 || /server returned error|HTTP\/\d/.test(output))
    return { ...step, outcome: 'passed', summary: `TCP connection to ${where} made` };
  // nc stays connected while the listener keeps the connection open: cut off by `timeout`.
  if (exitCode !== null && KILLED.has(exitCode) && !/timed out|timeout/i.test(output))
    return { ...step, outcome: 'passed', summary: `TCP connection to ${where} made (the listener kept it open)` };
  if (/refused/i.test(output))
    return {
      ...step,
      outcome: 'failed',
      summary: `TCP connection to ${where} refused: the way there is open, but nothing listens on ${port} (or a firewall rejects it)`,
    };
  if (/bad address|not known|resolve|no address/i.test(output))
    return { ...step, outcome: 'failed', summary: `cannot resolve ${target}: ${firstLine(output)}` };
  if (/unreachable/i.test(output)) return { ...step, outcome: 'failed', summary: `${where}: ${firstLine(output)}` };
  return {
    ...step,
    outcome: 'failed',
    summary: `no TCP answer from ${where} within ${waitSeconds} s${output ? ` (${firstLine(output)})` : ''}`,
  };
}

/** Addresses /etc/hosts gives `name` (any of a line's names, case-insensitive). */
export function hostsAddresses(hosts: string, name: string): string[] {
  const wanted = name.toLowerCase();
  const found: string[] = [];
  for (const line of hosts.split('\n')) {
    const [address, ...names] = line.replace(/#.*/, '').trim().split(/\s+/);
    if (address && names.some((entry) => entry.toLowerCase() === wanted) && !found.includes(address)) found.push(address);
  }
  return found;
}

/** The answer's addresses: those after a `Name:` line (the ones before it are the server's). */
export function nslookupAddresses(output: string): string[] {
  const found: string[] = [];
  let inAnswer = false;
  for (const line of output.split('\n')) {
    if (/^Name:/i.test(line.trim())) inAnswer = true;
    const address = inAnswer ? /^Address(?:es)?(?:\s+\d+)?:\s*([0-9a-fA-F.:]+)\s*$/i.exec(line.trim())?.[1] : undefined;
    if (address && !found.includes(address)) found.push(address);
  }
  return found;
}

function firstLine(text: string): string {
  return (
    text
      .split('\n')
      .find((line) => line.trim())
      ?.trim()
      .slice(0, 200) ?? '(nothing printed)'
  );
}
