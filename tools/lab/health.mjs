// Does the seed work, not just exist? Every seed container pings every other one by name over
// the overlay (DNS + VXLAN across the LAN). A daemon killed hard can come back with containers
// that exist and run but reach nobody; those are the ones `up` recreates.
import { PassThrough } from 'node:stream';
import { sleep } from './proc.mjs';

/** Runs `cmd` in a container through the API; resolves with its output and exit code. */
export async function execIn(docker, container, cmd) {
  const run = await docker.getContainer(container).exec({ Cmd: cmd, AttachStdout: true, AttachStderr: true });
  const stream = await run.start({ hijack: true, stdin: false });
  const sink = new PassThrough();
  let output = '';
  sink.on('data', (chunk) => (output += chunk.toString()));
  docker.modem.demuxStream(stream, sink, sink);
  await new Promise((resolve, reject) => stream.on('end', resolve).on('error', reject));
  return { output, exitCode: (await run.inspect()).ExitCode };
}

/** `ping -W` bounds the wait (busybox's `wget -T` segfaults in Debian's static build). */
async function reaches(docker, from, to, attempts) {
  for (let i = 0; i < attempts; i++) {
    if ((await execIn(docker, from, ['ping', '-c', '1', '-W', '2', to])).exitCode === 0) return true;
    await sleep(500);
  }
  return false;
}

/**
 * Containers on `network` that reach none of their peers, while some peer pair works (or there
 * are only two). Each is `{ name, host }` from `specs`; `dockerFor(host)` gives its daemon.
 */
export async function unreachableContainers(specs, network, dockerFor, attempts = 3) {
  const members = specs.filter((spec) => spec.networks.includes(network));
  const results = await Promise.all(
    members.flatMap((from) =>
      members
        .filter((to) => to !== from)
        .map(async (to) => ({
          from,
          to,
          ok: await reaches(dockerFor(from.host), from.name, to.name, attempts),
        })),
    ),
  );
  return members.filter((member) => results.filter((r) => r.from === member).every((r) => !r.ok));
}
