// Installs what the lab needs from the machine's package manager and the Go module proxy, so that a
// fresh machine can run `lab up` without manual setup steps.
import { mkdir, rename, rm, access } from 'node:fs/promises';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { plog as log } from './progress.ts';
import { run, commandExists } from './exec.ts';
import { labPaths } from './paths.ts';
import { labVersions } from './versions.ts';

/** Installs the Debian packages that are not installed yet (one apt-get call for all of them). */
export async function ensureAptPackages(pkgs: readonly string[] = labVersions.aptPackages): Promise<void> {
  const missing: string[] = [];
  for (const p of pkgs) {
    const r = await run('dpkg-query', ['-W', '-f=${Status}', p], { allowFail: true });
    if (!r.stdout.includes('install ok installed')) missing.push(p);
  }
  if (missing.length === 0) return;
  if (!(await commandExists('apt-get'))) throw new Error(`missing packages ${missing.join(', ')} and no apt-get to install them`);
  log.step(`installing Debian packages: ${missing.join(' ')}`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const started = Date.now();
  await run('apt-get', ['update', '-q'], { env });
  await run('apt-get', ['install', '-y', '-q', '--no-install-recommends', ...missing], { env });
  log.info(`  installed in ${((Date.now() - started) / 1000).toFixed(0)}s`);
}

function parseGoVersion(out: string): [number, number] | undefined {
  const m = /go(\d+)\.(\d+)/.exec(out);
  return m ? [Number(m[1]), Number(m[2])] : undefined;
}

async function exists(p: string): Promise<boolean> {
  return access(p).then(() => true, () => false);
}

/**
 * Returns the path of a `go` command recent enough for the wrapper modules. Go >= 1.21 switches to
 * the toolchain a go.mod asks for by itself (GOTOOLCHAIN=auto); anything older or missing gets the
 * pinned toolchain module from the Go module proxy (golang.org/toolchain), unpacked under the cache.
 */
export async function ensureGo(): Promise<string> {
  for (const cand of ['go', '/usr/local/go/bin/go']) {
    const r = await run(cand, ['version'], { allowFail: true }).catch(() => undefined);
    const v = r && r.code === 0 ? parseGoVersion(r.stdout) : undefined;
    if (v && (v[0] > 1 || v[1] >= 21)) return cand;
  }
  return downloadGoToolchain();
}

/** Fetches the pinned Go toolchain module from the Go module proxy and unpacks it under the cache. */
export async function downloadGoToolchain(): Promise<string> {
  const ver = labVersions.goToolchain;
  const root = join(labPaths.home, 'go', ver);
  const goBin = join(root, 'bin', 'go');
  if (await exists(goBin)) return goBin;
  const url = `https://proxy.golang.org/golang.org/toolchain/@v/v0.0.1-${ver}.linux-amd64.zip`;
  log.step(`downloading the Go toolchain ${ver} from the Go module proxy`);
  const res = await fetch(url);
  if (!res.ok) throw new Error(`GET ${url}: ${res.status}`);
  const tmp = `${root}.download`;
  await rm(tmp, { recursive: true, force: true });
  await mkdir(tmp, { recursive: true });
  await writeFile(join(tmp, 'toolchain.zip'), Buffer.from(await res.arrayBuffer()));
  await ensureAptPackages(['unzip']);
  await run('unzip', ['-q', join(tmp, 'toolchain.zip'), '-d', tmp]);
  // The module zip holds golang.org/toolchain@v0.0.1-<ver>.linux-amd64/{bin,pkg,src}.
  await rename(join(tmp, `golang.org/toolchain@v0.0.1-${ver}.linux-amd64`), root);
  await rm(tmp, { recursive: true, force: true });
  await run('chmod', ['-R', 'u+x', join(root, 'bin'), join(root, 'pkg', 'tool')]);
  return goBin;
}
