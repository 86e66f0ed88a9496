// Breaking the swarm lab's network on purpose: iptables rules INSIDE one host's namespace (never
// the root namespace's), in a chain of the lab's own that INPUT jumps to first, so mending is
// flushing that chain. `npm run lab -- firewall docker2 drop tcp 7946 | drop esp | clear`.
import { hostLayout } from './config.mjs';
import { sh } from './proc.mjs';

export const BREAK_CHAIN = 'DNELAB-BREAK';

const iptables = (name, args, options) => sh('ip', ['netns', 'exec', hostLayout(name).netns, 'iptables', '-w', ...args], options);

function ensureChain(name) {
  if (iptables(name, ['-nL', BREAK_CHAIN], { allowFail: true }).status !== 0) iptables(name, ['-N', BREAK_CHAIN]);
  if (iptables(name, ['-C', 'INPUT', '-j', BREAK_CHAIN], { allowFail: true }).status !== 0)
    iptables(name, ['-I', 'INPUT', '1', '-j', BREAK_CHAIN]);
}

/**
 * Drops what reaches the host: `{ protocol: 'tcp'|'udp', port }` or `{ protocol: 'esp' }` (IP
 * protocol 50). Inbound only, which is what a firewall on that host does.
 */
export function firewallDrop(name, { protocol, port }) {
  ensureChain(name);
  iptables(name, ['-A', BREAK_CHAIN, '-p', protocol, ...(port ? ['--dport', String(port)] : []), '-j', 'DROP']);
  return rules(name);
}

/** Every rule the lab added to the host, gone (the chain too). */
export function firewallClear(name) {
  if (iptables(name, ['-nL', BREAK_CHAIN], { allowFail: true }).status !== 0) return;
  iptables(name, ['-D', 'INPUT', '-j', BREAK_CHAIN], { allowFail: true });
  iptables(name, ['-F', BREAK_CHAIN]);
  iptables(name, ['-X', BREAK_CHAIN]);
}

/** The lab's rules on that host, as `iptables -S` prints them. */
export function rules(name) {
  const listed = iptables(name, ['-S', BREAK_CHAIN], { allowFail: true });
  return listed.status === 0 ? listed.stdout.split('\n').filter((line) => line.startsWith('-A ')) : [];
}
