import type { HostSnapshot } from '../model/snapshot';
import type { DockerEvent } from './dockerEvents';

/**
 * dockerd 20.10 sends some events (network connect/disconnect above all) before its list
 * endpoints reflect them: a reload right after the event can read the old state. These checks
 * say whether a snapshot already shows what an event announced, so the monitor can reload once
 * more instead of showing a stale tree until the next event.
 */

/** Only the latest event per subject matters: connect-then-disconnect expects "disconnected". */
export function subjectOf(event: DockerEvent): string {
  if (event.type === 'network' && (event.action === 'connect' || event.action === 'disconnect')) {
    return `endpoint|${event.id}|${event.attributes.container ?? ''}`;
  }
  return `${event.type}|${event.id}`;
}

/** True when `snapshot` shows the outcome of `event`, or when the event makes no checkable claim. */
export function isReflected(event: DockerEvent, snapshot: HostSnapshot): boolean {
  if (event.type === 'network') return networkEventReflected(event, snapshot);
  if (event.type === 'container') return containerEventReflected(event, snapshot);
  return true;
}

function networkEventReflected(event: DockerEvent, snapshot: HostSnapshot): boolean {
  const container = event.attributes.container;
  const attached = () => snapshot.endpoints.some((e) => e.networkId === event.id && e.containerId === container);
  const exists = () => snapshot.networks.some((network) => network.id === event.id);
  switch (event.action) {
    case 'connect':
      return attached();
    case 'disconnect':
      // A container removed with its endpoints also "disconnects": absent either way. A stopped
      // one keeps its network in the list with no endpoint ID (both engines): disconnected too.
      return !snapshot.endpoints.some((e) => e.networkId === event.id && e.containerId === container && e.endpointId !== '');
    case 'create':
      return exists();
    case 'destroy':
    case 'remove':
      return !exists();
    default:
      return true;
  }
}

function containerEventReflected(event: DockerEvent, snapshot: HostSnapshot): boolean {
  const container = snapshot.containers.find((entry) => entry.id === event.id);
  switch (event.action) {
    case 'create':
      return container !== undefined;
    case 'destroy':
      return container === undefined;
    case 'start':
    case 'unpause':
      return container === undefined || container.state === 'running';
    case 'die':
    case 'stop':
      return container === undefined || container.state !== 'running';
    case 'pause':
      return container === undefined || container.state === 'paused';
    case 'rename':
      return container === undefined || container.name === (event.attributes.name ?? container.name);
    default:
      return true;
  }
}
