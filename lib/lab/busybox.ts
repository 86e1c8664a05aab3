// A tiny general-purpose image for lab tests and chaos helpers: Debian's static busybox with its
// applets (sh, httpd, nc, wget, nslookup, ...). Built locally because the lab has no registry.
import { mkdir, rm, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { run } from './exec.ts';
import { ensureAptPackages } from './install.ts';
import { importImageArchive, labImages } from './node.ts';
import { buildImageArchive } from './oci.ts';
import { labPaths } from './paths.ts';

export const busyboxImage = 'streamcert.local/busybox:lab';

/** Builds and imports the busybox image unless the lab's containerd already has it. */
export async function ensureBusyboxImage(): Promise<string> {
  if ((await labImages()).includes(busyboxImage)) return busyboxImage;
  await ensureAptPackages(['busybox-static']);
  const root = join(labPaths.images, 'busybox', 'rootfs');
  await rm(root, { recursive: true, force: true });
  for (const d of ['bin', 'etc', 'tmp', 'www']) await mkdir(join(root, d), { recursive: true });
  await run('cp', ['/bin/busybox', join(root, 'bin', 'busybox')]);
  // A relative symlink per applet, as the busybox image has (`--install` would link host paths).
  const applets = (await run('/bin/busybox', ['--list'])).stdout.split('\n').filter((a) => a && a !== 'busybox');
  await Promise.all(applets.map((a) => symlink('busybox', join(root, 'bin', a))));
  await run('chmod', ['1777', join(root, 'tmp')]);
  await writeFile(join(root, 'etc', 'passwd'), 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\n');
  await writeFile(join(root, 'etc', 'group'), 'root:x:0:\nnogroup:x:65534:\n');
  const archive = join(labPaths.images, 'busybox', 'busybox.tar');
  await buildImageArchive({ tags: [busyboxImage], layers: [root], config: { Cmd: ['sh'], Env: ['PATH=/bin'] } }, archive);
  await importImageArchive(archive);
  return busyboxImage;
}
