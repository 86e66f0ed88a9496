// A busybox image made without a registry (nothing can be pulled here): a rootfs holding the
// host's static busybox (Debian's busybox-static) and its applets as symlinks, sent to the
// daemon's import endpoint as a tar stream. Shared by the test fixture (test/support/
// dockerFixture.ts) and the three-host lab (tools/lab/), which imports it on each lab daemon.
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export const APPLETS = ['sh', 'ping', 'wget', 'httpd', 'nslookup', 'ip', 'sleep', 'cat', 'hostname', 'ls'];

/**
 * Imports `image` ("repo:tag") into the daemon behind `docker` (a dockerode instance) unless it
 * exists; /www/index.html holds `indexHtml`. Returns the image name.
 */
export async function ensureBusyboxImage(docker, { image, indexHtml }) {
  if (await imageExists(docker, image)) return image;
  const busybox = ['/bin/busybox', '/usr/bin/busybox'].find((file) => fs.existsSync(file));
  if (!busybox) throw new Error('no /bin/busybox: install busybox-static to build the test image');
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'dne-rootfs-'));
  try {
    fs.mkdirSync(path.join(root, 'bin'));
    fs.mkdirSync(path.join(root, 'www'));
    fs.copyFileSync(busybox, path.join(root, 'bin', 'busybox'));
    fs.chmodSync(path.join(root, 'bin', 'busybox'), 0o755);
    for (const applet of APPLETS) fs.symlinkSync('busybox', path.join(root, 'bin', applet));
    fs.writeFileSync(path.join(root, 'www', 'index.html'), indexHtml);
    // tar keeps the symlinks as symlinks; the API takes the archive as the request body.
    const tar = spawn('tar', ['-C', root, '-c', '.'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let tarErrors = '';
    tar.stderr.on('data', (chunk) => (tarErrors += chunk.toString()));
    const [repo, tag] = image.split(':');
    const progress = await docker.importImage(tar.stdout, { repo, tag });
    await followProgress(docker, progress);
    const tarStatus = await new Promise((resolve) => {
      if (tar.exitCode !== null) resolve(tar.exitCode);
      else tar.on('close', resolve);
    });
    if (tarStatus !== 0) throw new Error(`tar of the test rootfs failed (${tarStatus}): ${tarErrors}`);
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
  if (!(await imageExists(docker, image))) throw new Error(`docker import did not produce ${image}`);
  return image;
}

async function imageExists(docker, name) {
  try {
    await docker.getImage(name).inspect();
    return true;
  } catch (error) {
    if (error?.statusCode === 404) return false;
    throw error;
  }
}

/** Import answers 200 and reports failure inside the progress stream: read it to the end. */
function followProgress(docker, stream) {
  return new Promise((resolve, reject) => {
    docker.modem.followProgress(stream, (error, output) => {
      const failed = error ?? output.find((entry) => entry.error);
      if (failed) reject(failed instanceof Error ? failed : new Error(`docker import: ${failed.error}`));
      else resolve();
    });
  });
}
