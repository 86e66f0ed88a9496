/**
 * Short-lived helper containers, shared by the reachability probe (in a container's network
 * namespace) and the swarm doctor's node-side probe (in a node's own, `--network host`): made
 * only from an image already on that host (nothing is ever pulled), labelled so a leftover one
 * (a killed process) is recognisable, and removed afterwards whatever happened.
 */
import { DockerCallError, type DockerClient } from './dockerClient';

export const DEFAULT_HELPER_IMAGES: readonly string[] = ['busybox:latest', 'alpine:latest'];
/** Marks helper containers; its value says what the helper was for (the probed container's ID, a node probe). */
export const HELPER_LABEL = 'dne.reachability.probe-helper';

/** The first of `images` present on the client's host; undefined when none is (none is pulled). */
export async function presentHelperImage(client: DockerClient, images: readonly string[]): Promise<string | undefined> {
  for (const image of images) {
    try {
      await client.request(`inspect image ${image}`, (api) => api.getImage(image).inspect());
      return image;
    } catch (error) {
      if (!(error instanceof DockerCallError && error.statusCode === 404)) throw error;
    }
  }
  return undefined;
}

export interface HelperSpec {
  image: string;
  /** HostConfig.NetworkMode: `container:<id>` or `host`. */
  networkMode: string;
  /** HELPER_LABEL's value. */
  label: string;
  /** How long it sleeps: it outlives the work, and removes itself (AutoRemove) should our remove never come. */
  lifetimeSeconds: number;
}

/** Creates and starts the helper, runs `work` with its ID, and always removes it. */
export async function withHelper<T>(client: DockerClient, spec: HelperSpec, work: (containerId: string) => Promise<T>): Promise<T> {
  const helper = await client.request(`create probe helper from ${spec.image}`, (api) =>
    api.createContainer({
      Image: spec.image,
      Entrypoint: ['sleep'],
      Cmd: [String(Math.ceil(spec.lifetimeSeconds))],
      Labels: { [HELPER_LABEL]: spec.label },
      HostConfig: { NetworkMode: spec.networkMode, AutoRemove: true },
    }),
  );
  try {
    await client.request(`start probe helper ${helper.id.slice(0, 12)}`, () => helper.start());
    return await work(helper.id);
  } finally {
    await client.request(`remove probe helper ${helper.id.slice(0, 12)}`, () => helper.remove({ force: true })).catch(() => undefined);
  }
}
