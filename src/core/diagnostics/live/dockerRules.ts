/** Pure rules on one daemon's live facts, compared with what its files say. */
import type { Finding } from '../finding';
import { splitHostPort } from '../../net/addresses';
import { Codes } from '../codes';
import { parseIp } from '../../net/cidr';
import { findingAt, type ClusterSettings } from './anchor';
import { versionBelow, type DockerResult } from './docker';
import { sameStore } from './storeUrl';
import type { LiveHost } from './types';

const SWARM_MESSAGE = '--cluster-store and --cluster-advertise daemon configurations are incompatible with swarm mode';
const SWARM_STATES = ['active', 'pending', 'locked'];

export function dockerFindings(host: LiveHost, settings: ClusterSettings, result: DockerResult): Finding[] {
  const configured = settings.configured;
  if (result.kind === 'unreachable' && host.implicit) {
    // diagnoseLive drops this one while other hosts exist.
    return [
      findingAt(
        settings.storeAnchor,
        'information',
        Codes.daemonUnreachable,
        `No Docker daemon answers at ${host.url}, the default (${sentence(result.reason)}) No DOCKER_HOST, Docker context or hosts setting ` +
          'names a daemon. If one should run here, start it (systemctl start docker); if it stops right after start, its log says why (journalctl -u docker).',
      ),
    ];
  }
  if (result.kind === 'unreachable' && result.failedLayer === 'ssh') {
    return [
      findingAt(
        settings.storeAnchor,
        'error',
        Codes.daemonUnreachable,
        `Docker host "${host.name}" (${host.url}) cannot be reached over ssh: ${sentence(result.reason)} ` +
          'Fix the ssh connection first: `ssh` to that address with the same user and key must log in.',
      ),
    ];
  }
  if (result.kind === 'unreachable') {
    return [
      findingAt(
        settings.storeAnchor,
        'error',
        Codes.daemonUnreachable,
        `Docker daemon "${host.name}" (${host.url}) does not answer: ${sentence(result.reason)} Start it (systemctl start docker) and read its log ` +
          '(journalctl -u docker): a daemon refusing its configuration stops right after start.',
      ),
    ];
  }
  const unexpected = (reason: string) =>
    findingAt(
      settings.storeAnchor,
      'warning',
      Codes.daemonUnexpectedAnswer,
      `Docker daemon "${host.name}" (${host.url}): ${sentence(reason)} The checks that need that answer were skipped. ` +
        'Is it a Docker daemon (and not a proxy or another service on that port)? Compare with `docker version` and `docker info` against it.',
    );
  if (result.kind === 'unexpected') return [unexpected(result.reason)];
  const findings: Finding[] = (result.unexpected ?? []).map(unexpected);
  const at =
    (anchor = settings.storeAnchor) =>
    (severity: Finding['severity'], code: string, message: string) =>
      findings.push(findingAt(anchor, severity, code, message));
  // From 23 on the files' store settings only stop the daemon: that is the file rules' DNE161, given this engine (index.ts).
  const fromDocker23 = !versionBelow(result.serverVersion, [23]);
  const configuredStore = configured?.store?.value ?? '';
  const store = result.clusterStore || configuredStore;
  if (SWARM_STATES.includes(result.swarmState) && store !== '') {
    at()(
      'error',
      Codes.swarmWithClusterStore,
      `"${host.name}" is in swarm mode (${result.swarmState}) and has cluster store ${store}: "${SWARM_MESSAGE}". ` +
        'Use one or the other: remove cluster-store / cluster-advertise, or leave the swarm (docker swarm leave).',
    );
  }
  if (configured && !fromDocker23) {
    if (!sameStore(configuredStore, result.clusterStore)) {
      at()(
        'warning',
        Codes.runningStoreDiffers,
        `The files set cluster-store ${quoted(configuredStore)} but the running daemon "${host.name}" uses ${quoted(result.clusterStore)}: ` +
          'edited but not restarted (or the daemon reads other files). Restart dockerd (systemctl restart docker) to apply the files.',
      );
    }
    const advertise = configured.advertise?.value ?? '';
    if (!sameAdvertise(advertise, result.clusterAdvertise)) {
      at(settings.advertiseAnchor)(
        'warning',
        Codes.runningStoreDiffers,
        `The files set cluster-advertise ${quoted(advertise)} but the running daemon "${host.name}" advertises ${quoted(result.clusterAdvertise)}: ` +
          'edited but not restarted. Restart dockerd (systemctl restart docker) to apply the files.',
      );
    }
  }
  if (store !== '' || SWARM_STATES.includes(result.swarmState)) {
    if (versionBelow(result.kernelVersion, [3, 16])) {
      at()(
        'warning',
        Codes.kernelTooOldForOverlay,
        `Kernel ${result.kernelVersion} on "${host.name}" is older than 3.16, which overlay networks need. Upgrade the kernel of this host.`,
      );
    }
  }
  return findings;
}

function quoted(value: string): string {
  return value === '' ? '(none)' : `"${value}"`;
}

/**
 * The daemon reports the advertise address resolved (an interface name becomes its IP), so a
 * configured interface name can only be compared by port.
 */
export function sameAdvertise(configured: string, running: string): boolean {
  if (configured.trim() === '' || running.trim() === '') return configured.trim() === running.trim();
  const want = splitHostPort(configured.trim());
  const have = splitHostPort(running.trim());
  if (!want || !have) return configured.trim() === running.trim();
  if (want.port !== have.port) return false;
  return parseIp(want.host) === undefined || want.host === have.host;
}

/** A reason as a sentence: one full stop, none after a reason that ends with "?" ("is dockerd running?"). */
function sentence(reason: string): string {
  const trimmed = reason.trim();
  return /[.?!]$/.test(trimmed) ? trimmed : `${trimmed}.`;
}
