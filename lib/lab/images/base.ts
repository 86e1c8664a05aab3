// The base layer every lab image shares: a Debian bookworm root file system built with debootstrap
// from Debian's archive (the only registry of operating-system packages the lab may use), with the
// JRE and the few tools the entry scripts need. Built once per package list and reused.
import { readFile, writeFile, mkdir, rm, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { run } from '../exec.ts';
import { ensureAptPackages } from '../install.ts';
import { labPaths } from '../paths.ts';
import { buildAtomically, exists, hashInputs, imageFixtures, pruneStale, runStreaming, seconds, type Progress } from './util.ts';

export const baseImage = {
  suite: 'bookworm',
  mirror: 'http://deb.debian.org/debian',
  /** The user Flink and the operator run as, as in the official images. */
  user: { name: 'flink', uid: 9999, gid: 9999, home: '/opt/flink' },
  javaHome: '/usr/lib/jvm/java-17-openjdk-amd64',
} as const;

/** Bumped when the way the base layer is made changes (beyond the package list). */
const BASE_RECIPE = '1';

export interface BaseRootfs {
  /** Directory that is the base layer's `/`. */
  dir: string;
  hash: string;
  packages: string[];
}

export async function basePackages(): Promise<string[]> {
  const text = await readFile(join(imageFixtures, 'base', 'packages.txt'), 'utf8');
  return text
    .split('\n')
    .map((l) => l.replace(/#.*/, '').trim())
    .filter(Boolean);
}

async function emptyDir(dir: string): Promise<void> {
  if (!(await exists(dir))) return;
  for (const name of await readdir(dir)) await rm(join(dir, name), { recursive: true, force: true });
}

/** Returns the base root file system, building it with debootstrap when it is missing or stale. */
export async function ensureBaseRootfs(progress: Progress): Promise<BaseRootfs> {
  const packages = await basePackages();
  const hash = await hashInputs({
    strings: [BASE_RECIPE, baseImage.suite, baseImage.mirror, JSON.stringify(baseImage.user), ...packages],
    dirs: [join(imageFixtures, 'base')],
  });
  const dir = join(labPaths.images, 'rootfs', `base-${hash}`);
  const manifest = `${dir}.packages.txt`;
  if ((await exists(dir)) && (await exists(manifest))) return { dir, hash, packages };

  await ensureAptPackages(['debootstrap', 'debian-archive-keyring']);
  const debs = join(labPaths.images, 'debs');
  await mkdir(debs, { recursive: true });
  progress(`▶ base layer: debootstrap ${baseImage.suite} (minbase + ${packages.join(', ')})`);
  const started = Date.now();
  await buildAtomically(dir, async (target) => {
    let configured = 0;
    await runStreaming(
      'debootstrap',
      [
        '--variant=minbase',
        `--include=${packages.join(',')}`,
        `--cache-dir=${debs}`,
        baseImage.suite,
        target,
        baseImage.mirror,
      ],
      {
        progress,
        label: 'debootstrap',
        interesting: (line) => {
          if (/^I: Configuring /.test(line)) configured++;
          const m = /^I: (Retrieving|Validating|Extracting|Unpacking|Configuring|Installing|Checking|Resolving)\b(.*)$/.exec(line);
          return m ? `${m[1]}${m[2]} (${configured} packages configured)` : undefined;
        },
      },
    );
    const { name, uid, gid, home } = baseImage.user;
    await run('chroot', [target, 'groupadd', '--system', '--gid', String(gid), name]);
    await run('chroot', [target, 'useradd', '--system', '--uid', String(uid), '--gid', name, '--home-dir', home, '--no-create-home', '--shell', '/bin/bash', name]);
    const versions = await run('chroot', [target, 'dpkg-query', '-W', '-f=${Package} ${Version}\n']);
    await writeFile(`${target}.packages.txt`, versions.stdout);
    // What a container image does not carry: package caches and indexes, docs, the build host's
    // name and resolver (the runtime mounts its own), device nodes (the runtime creates /dev).
    for (const sub of ['var/cache/apt/archives', 'var/lib/apt/lists', 'usr/share/doc', 'usr/share/man', 'usr/share/info', 'usr/share/locale', 'var/log', 'tmp', 'dev', 'run']) {
      await emptyDir(join(target, sub));
    }
    await rm(join(target, 'var/cache/apt/pkgcache.bin'), { force: true });
    await rm(join(target, 'var/cache/apt/srcpkgcache.bin'), { force: true });
    await writeFile(join(target, 'etc/hostname'), '');
    await writeFile(join(target, 'etc/resolv.conf'), '');
    await writeFile(join(target, 'etc/hosts'), '127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n');
  });
  // buildAtomically renamed the directory; the package list was written beside the partial one.
  await run('mv', [`${dir}.partial.packages.txt`, manifest]);
  await pruneStale(join(labPaths.images, 'rootfs'), 'base-', [`base-${hash}`]);
  const du = await run('du', ['-sm', dir]);
  progress(`  base layer ready in ${seconds(started)}: ${du.stdout.split('\t')[0]} MiB at ${dir}`);
  return { dir, hash, packages };
}
