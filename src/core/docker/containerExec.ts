/**
 * `docker exec` through the API: runs a command in a running container and collects what it
 * printed (stdout and stderr, interleaved as they came) and its exit code. Each daemon request
 * goes through the DockerClient (its timeout, call counter and DockerCallError); the output is
 * read under a deadline of its own, since a command may run longer than one request.
 */
import { PassThrough } from 'node:stream';
import type Modem from 'docker-modem';
import type { DockerClient } from './dockerClient';
import { timerMs } from '../util/timeouts';

export interface ExecResult {
  /** stdout and stderr together, in the order the daemon sent them. */
  output: string;
  /** Null when the daemon did not report one (the command was still running at the deadline). */
  exitCode: number | null;
}

/** Far more than a probe prints: a runaway command must not fill memory. */
const MAX_OUTPUT = 64 * 1024;

/** Runs `cmd` (argv, no shell) in `container`; gives up reading after `deadlineMs`. */
export async function execInContainer(
  client: DockerClient,
  container: string,
  cmd: readonly string[],
  deadlineMs: number,
): Promise<ExecResult> {
  const short = container.slice(0, 12);
  const exec = await client.request(`exec in ${short}`, (api) =>
    api.getContainer(container).exec({ Cmd: [...cmd], AttachStdout: true, AttachStderr: true, AttachStdin: false, Tty: false }),
  );
  const stream = await client.request(`start exec in ${short}`, () => exec.start({ hijack: true, stdin: false }));
  let output = '';
  const sink = new PassThrough();
  sink.on('data', (chunk: Buffer) => {
    if (output.length < MAX_OUTPUT) output += chunk.toString('utf8');
  });
  // Without a TTY the daemon multiplexes stdout and stderr into frames; the modem splits them.
  (exec.modem as Modem).demuxStream(stream, sink, sink);
  let timer: NodeJS.Timeout | undefined;
  const finished = await Promise.race([
    new Promise<boolean>((resolve) => {
      stream.once('end', () => resolve(true));
      stream.once('close', () => resolve(true));
      stream.once('error', () => resolve(true));
    }),
    new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), timerMs(deadlineMs)))),
  ]);
  clearTimeout(timer);
  if (!finished) stream.destroy();
  const inspected = await client.request(`inspect exec in ${short}`, () => exec.inspect());
  return { output: output.slice(0, MAX_OUTPUT), exitCode: inspected.Running ? null : inspected.ExitCode };
}
