/**
 * The Docker client libraries (dockerode, docker-modem and, through it, ssh2), loaded on first
 * use: a plain package.json opening in the editor activates the extension, and starting these
 * costs more than all the rest of it. The extension bundle ships them as their own file
 * (dist/docker.js, tools/build.mjs), `require`d here when the first DockerClient is made.
 */
import type * as Libraries from './dockerLibrariesBundle';

let loaded: typeof Libraries | undefined;

export function dockerLibraries(): typeof Libraries {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- lazy on purpose (see above)
  return (loaded ??= require('./dockerLibrariesBundle') as typeof Libraries);
}
