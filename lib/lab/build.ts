// Builds the lab's pinned binaries from source (Go module proxy) into bin/<k8s-version>/, once.
// A stamp file records what each binary was built from (version, wrapper go.mod/go.sum, flags), so a
// change of pin rebuilds exactly the affected binaries and an unchanged machine skips the build.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { access, mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { plog as log } from './progress.ts';
import { run } from './exec.ts';
import { ensureAptPackages, ensureGo } from './install.ts';
import { labPaths } from './paths.ts';
import { binSubdir, labVersions } from './versions.ts';

export const fixturesDir = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'fixtures', 'lab');

/** Directory holding the built binaries of the pinned versions. */
export function labBinDir(): string {
  return join(labPaths.bin, binSubdir());
}

export function labBin(name: string): string {
  return join(labBinDir(), name);
}

interface GoTarget {
  /** Name used in progress output and the stamp file. */
  name: string;
  /** Wrapper module directory under fixtures/lab. */
  module: string;
  /** Binaries this target produces (file names in the bin dir). */
  outputs: string[];
  /** Packages to build; with more than one, `go build -o dir/` names binaries after the package. */
  packages: string[];
  ldflags: string;
  /** Go build tags (`-tags`), e.g. to leave out optional plugins. */
  tags?: string[];
  /** Version the wrapper go.mod must mention, to catch drift between versions.ts and go.mod. */
  requires: string;
}

const k8sVersion = labVersions.kubernetes;
const [k8sMajor, k8sMinor] = k8sVersion.replace(/^v/, '').split('.');

function targets(): GoTarget[] {
  // The published module has no git metadata; these are the variables hack/lib/version.sh sets, so
  // `/version` and `kubectl version` report the real release instead of v0.0.0-master.
  const k8sLd = [
    '-s',
    `-X k8s.io/component-base/version.gitVersion=${k8sVersion}`,
    `-X k8s.io/component-base/version.gitMajor=${k8sMajor}`,
    `-X k8s.io/component-base/version.gitMinor=${k8sMinor}`,
    '-X k8s.io/component-base/version.gitTreeState=clean',
    `-X k8s.io/client-go/pkg/version.gitVersion=${k8sVersion}`,
  ].join(' ');
  // kubectl is not needed by the lab itself; it is there for debugging a running lab by hand.
  const k8sCmds = ['kube-apiserver', 'kube-controller-manager', 'kube-scheduler', 'kubelet', 'kube-proxy', 'kubectl'];
  return [
    {
      name: 'kubernetes',
      module: 'k8s',
      outputs: k8sCmds,
      packages: k8sCmds.map((c) => `k8s.io/kubernetes/cmd/${c}`),
      ldflags: k8sLd,
      requires: `k8s.io/kubernetes ${k8sVersion}`,
    },
    {
      name: 'etcd',
      module: 'etcd',
      outputs: ['etcd'],
      packages: ['go.etcd.io/etcd/server/v3'],
      ldflags: '-s',
      requires: `go.etcd.io/etcd/server/v3 ${labVersions.etcd}`,
    },
    {
      name: 'coredns',
      module: 'coredns',
      outputs: ['coredns'],
      packages: ['.'],
      ldflags: `-s -X github.com/coredns/coredns/coremain.GitCommit=${labVersions.coredns}`,
      requires: `github.com/coredns/coredns ${labVersions.coredns}`,
    },
    {
      name: 'metrics-server',
      module: 'metrics-server',
      outputs: ['metrics-server'],
      packages: ['sigs.k8s.io/metrics-server/cmd/metrics-server'],
      ldflags: `-s -X sigs.k8s.io/metrics-server/pkg/version.gitVersion=${labVersions.metricsServer}`,
      requires: `sigs.k8s.io/metrics-server ${labVersions.metricsServer}`,
    },
    {
      name: 'prometheus',
      module: 'prometheus',
      outputs: ['prometheus'],
      packages: ['github.com/prometheus/prometheus/cmd/prometheus'],
      ldflags: [
        '-s',
        `-X github.com/prometheus/common/version.Version=${labVersions.prometheus.replace(/^v/, '')}`,
        `-X github.com/prometheus/common/version.Branch=${labVersions.prometheusModule}`,
      ].join(' '),
      // Only the Kubernetes service discovery (plus file/http, always in): the cloud SD plugins are
      // most of the build. No `builtinassets`: the web UI is not embedded; the HTTP API is all we use.
      tags: ['remove_all_sd', 'enable_kubernetes_sd'],
      requires: `github.com/prometheus/prometheus ${labVersions.prometheusModule}`,
    },
  ];
}

async function exists(p: string): Promise<boolean> {
  return access(p).then(() => true, () => false);
}

async function targetKey(t: GoTarget): Promise<string> {
  const dir = join(fixturesDir, t.module);
  const h = createHash('sha256');
  h.update(JSON.stringify({ packages: t.packages, ldflags: t.ldflags, tags: t.tags }));
  for (const f of ['go.mod', 'go.sum', 'main.go']) {
    if (await exists(join(dir, f))) h.update(await readFile(join(dir, f)));
  }
  return h.digest('hex').slice(0, 16);
}

type Stamp = Record<string, string>;

async function readStamp(file: string): Promise<Stamp> {
  try {
    return JSON.parse(await readFile(file, 'utf8')) as Stamp;
  } catch {
    return {};
  }
}

export function goEnv(): NodeJS.ProcessEnv {
  return {
    ...process.env,
    GOMODCACHE: labPaths.goModCache,
    GOCACHE: labPaths.goBuildCache,
    GOPATH: labPaths.goPath,
    // The wrapper go.sum files may lack hashes for modules only a newer toolchain touches.
    GOFLAGS: '-mod=mod',
    CGO_ENABLED: '0',
  };
}

/** Runs `go build -v`, reporting the number of packages compiled every ~10 s instead of each line. */
async function goBuild(goCmd: string, t: GoTarget, outDir: string): Promise<void> {
  const cwd = join(fixturesDir, t.module);
  const gomod = await readFile(join(cwd, 'go.mod'), 'utf8');
  if (!gomod.includes(t.requires)) {
    throw new Error(`${cwd}/go.mod does not pin ${t.requires} (versions.ts and the wrapper module disagree)`);
  }
  await mkdir(labPaths.logs, { recursive: true });
  const logFile = join(labPaths.logs, `build-${t.name}.log`);
  const out = t.outputs.length === 1 ? join(outDir, t.outputs[0]!) : `${outDir}/`;
  const args = ['build', '-v', ...(t.tags?.length ? ['-tags', t.tags.join(',')] : []), '-ldflags', t.ldflags, '-o', out, ...t.packages];
  log.step(`building ${t.name} (${t.outputs.join(', ')}); log: ${logFile}`);
  const started = Date.now();
  const logStream = createWriteStream(logFile);
  logStream.write(`$ ${goCmd} ${args.join(' ')}\n`);
  let packages = 0;
  const tail: string[] = [];
  const child = spawn(goCmd, args, { cwd, env: goEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
  const onData = (d: Buffer): void => {
    logStream.write(d);
    for (const line of d.toString().split('\n')) {
      if (!line) continue;
      if (!line.startsWith('go: ') && !line.startsWith('#') && !line.includes(' ')) packages++;
      tail.push(line);
      if (tail.length > 40) tail.shift();
    }
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);
  const timer = setInterval(() => {
    log.info(`  ${t.name}: ${packages} packages compiled, ${((Date.now() - started) / 1000).toFixed(0)}s`);
  }, 10_000);
  const code = await new Promise<number>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (c) => resolve(c ?? 1));
  }).finally(() => {
    clearInterval(timer);
    logStream.end();
  });
  if (code !== 0) throw new Error(`go build of ${t.name} failed (exit ${code}); last lines:\n${tail.join('\n')}`);
  log.info(`  ${t.name}: built in ${((Date.now() - started) / 1000).toFixed(0)}s (${packages} packages compiled)`);
}

/** Compiles the pause binary (a static C program) that the lab's sandbox image runs. */
async function buildPause(outDir: string): Promise<void> {
  const src = join(fixturesDir, 'pause', 'pause.c');
  log.step('building pause (gcc -static)');
  await run('gcc', ['-Os', '-static', '-Wall', '-Werror', '-o', join(outDir, 'pause'), src]);
  await run('strip', [join(outDir, 'pause')], { allowFail: true });
}

export interface BuildResult {
  binDir: string;
  built: string[];
  seconds: number;
}

/** Builds whichever pinned binaries are missing or stale. Fast (no go invocation) when all are current. */
export async function ensureLabBinaries(): Promise<BuildResult> {
  const started = Date.now();
  const outDir = labBinDir();
  await mkdir(outDir, { recursive: true });
  const stampFile = join(outDir, '.stamp.json');
  const stamp = await readStamp(stampFile);
  const built: string[] = [];

  const pauseKey = createHash('sha256').update(await readFile(join(fixturesDir, 'pause', 'pause.c'))).digest('hex').slice(0, 16);
  if (stamp.pause !== pauseKey || !(await exists(join(outDir, 'pause')))) {
    await ensureAptPackages(['gcc', 'libc6-dev']);
    await buildPause(outDir);
    stamp.pause = pauseKey;
    await writeFile(stampFile, JSON.stringify(stamp, null, 2));
    built.push('pause');
  }

  let goCmd: string | undefined;
  for (const t of targets()) {
    const key = await targetKey(t);
    const present = await Promise.all(t.outputs.map((o) => exists(join(outDir, o))));
    if (stamp[t.name] === key && present.every(Boolean)) continue;
    goCmd ??= await ensureGo();
    await goBuild(goCmd, t, outDir);
    // Keyed after the build: with -mod=mod the build itself may add go.sum lines.
    stamp[t.name] = await targetKey(t);
    // Written after each target so an interrupted run keeps what it finished.
    await writeFile(stampFile, JSON.stringify(stamp, null, 2));
    built.push(...t.outputs);
  }
  const seconds = (Date.now() - started) / 1000;
  if (built.length > 0) log.info(`lab binaries ready in ${outDir} (built ${built.join(', ')} in ${seconds.toFixed(0)}s)`);
  return { binDir: outDir, built, seconds };
}
