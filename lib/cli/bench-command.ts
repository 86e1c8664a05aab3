// `streamcert bench`: where a run's time goes, measured the same way every time so that a change can
// be judged before and after. It brings the lab up (cold: from a stopped lab, timed; warm by default),
// runs the chosen suites as `streamcert run` does, and records per suite the wall time and the CPU
// seconds of the harness's own process tree (the kernel's accounting, sampled every second), pod start
// times from the cluster's timestamps, and the recovery figures' detection lag; written to
// reports/bench/bench-<time>.json and printed, beside a previous bench file when given.
import { spawn } from 'node:child_process';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { cpus, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { watchPodTimings, type PodTiming } from '../bench/pod-timings.ts';
import { readProcStats, reapedChildrenSeconds, treeCpuSeconds } from '../bench/process-tree.ts';
import { detectionLags, figureRows, formatRows, podFigures, suiteFigures, type BenchFile, type CpuSample } from '../bench/summary.ts';
import type { LoadedConfig } from '../config/load.ts';
import { UsageError } from '../errors.ts';
import { connect } from '../k8s/cluster.ts';
import { log } from '../log.ts';
import { readRunResult } from '../results/store.ts';
import { resolveTargets } from '../run/targets.ts';
import { availableSuites, repoRoot } from '../suite/available.ts';
import { selectSuites } from '../suite/catalog.ts';

export interface BenchOptions {
  suites: string[];
  cold?: boolean;
  compare?: string;
  /** The same `--set` pairs `run` takes, passed on to it. */
  sets: string[];
}

const round = (n: number, digits = 2) => Math.round(n * 10 ** digits) / 10 ** digits;

export async function benchCommand(loaded: LoadedConfig, o: BenchOptions): Promise<number> {
  const config = loaded.config;
  if (config.target !== 'lab') throw new UsageError('bench runs on the lab only: its figures are comparable from one run to the next only on the same test bed');
  const { selected, unknown } = selectSuites(o.suites, availableSuites());
  if (unknown.length) throw new UsageError(`--suite ${unknown.join(', ')} selects no suite`);
  const before = o.compare ? await readBench(o.compare) : undefined;
  const dir = resolve(config.reports.dir, 'bench');
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const runsDir = join(dir, `runs-${stamp}`);
  await mkdir(runsDir, { recursive: true });

  const { labDown, labMemory } = await import('../lab/index.ts');
  if (o.cold) {
    log.step('bench: taking the lab down for a cold bring-up');
    await labDown();
  }
  const upStarted = Date.now();
  const targets = await resolveTargets(config, selected);
  const upSeconds = round((Date.now() - upStarted) / 1000, 1);
  const { cluster } = await connect(targets.flink, 'lab', 30_000);

  const pods = watchPodTimings(cluster);
  let peakRssMiB = 0;
  const memory = setInterval(() => void labMemory().then((m) => (peakRssMiB = Math.max(peakRssMiB, m.totalMiB))), 10_000);
  log.step(`bench: ${selected.map((s) => s.id).join(', ')}`);
  const started = Date.now();
  const { exitCode, samples } = await runSampled(
    [join(repoRoot, 'bin/streamcert.mjs'), 'run', ...selected.flatMap((s) => ['--suite', s.id]), ...o.sets.flatMap((p) => ['--set', p])],
    { ...process.env, STREAMCERT_REPORTS__DIR: runsDir },
  );
  const wallSeconds = (Date.now() - started) / 1000;
  clearInterval(memory);
  peakRssMiB = Math.max(peakRssMiB, (await labMemory()).totalMiB);
  const timings: PodTiming[] = await pods.stop();

  const runDir = (await readdir(runsDir, { withFileTypes: true })).find((e) => e.isDirectory() && /^\d{8}-/.test(e.name));
  const results = runDir ? await readRunResult(join(runsDir, runDir.name)).catch(() => undefined) : undefined;
  const cpuSeconds = samples.at(-1)?.cpuSeconds ?? 0;
  const bench: BenchFile = {
    version: 1,
    at: new Date(started).toISOString(),
    machine: { cpus: cpus().length, memoryGiB: round(totalmem() / 2 ** 30, 1), node: process.version },
    lab: { mode: o.cold ? 'cold' : 'warm', ...(o.cold ? { upSeconds } : {}), peakRssMiB },
    run: {
      suites: selected.map((s) => s.id),
      exitCode,
      wallSeconds: round(wallSeconds, 1),
      cpuSeconds: round(cpuSeconds),
      cpuPercentOfCore: round((cpuSeconds / wallSeconds) * 100, 1),
      results: runDir ? join(runsDir, runDir.name, 'results.json') : undefined,
    },
    suites: results ? suiteFigures(results, samples) : [],
    pods: podFigures(timings),
    detectionLag: results ? detectionLags(results) : [],
  };
  const file = join(dir, `bench-${stamp}.json`);
  await writeFile(file, `${JSON.stringify(bench, null, 2)}\n`);
  process.stdout.write(`\n${formatRows(figureRows(bench, before))}\n\nbench: ${file}${before ? ` (compared with ${o.compare})` : ''}\n`);
  if (!results) log.warn(`bench: the run wrote no results.json under ${runsDir}: suite figures are missing`);
  return exitCode;
}

/** Runs `streamcert run` as a child, its output passed through, sampling its process tree's CPU every second. */
function runSampled(args: string[], env: NodeJS.ProcessEnv): Promise<{ exitCode: number; samples: CpuSample[] }> {
  const child = spawn(process.execPath, args, { env, stdio: 'inherit' });
  const samples: CpuSample[] = [{ at: Date.now(), cpuSeconds: 0 }];
  // While the child lives its tree is read from /proc; once it is reaped its whole time is in our
  // cutime/cstime (nothing else of ours exits meanwhile), counted from before it started.
  const base = reapedChildrenSeconds();
  let exited = false;
  const sample = () =>
    samples.push({ at: Date.now(), cpuSeconds: exited ? reapedChildrenSeconds() - base : treeCpuSeconds(readProcStats(), child.pid!) });
  const timer = setInterval(sample, 1000);
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      clearInterval(timer);
      exited = true;
      sample();
      resolve({ exitCode: code ?? (signal ? 130 : 1), samples });
    });
  });
}

async function readBench(file: string): Promise<BenchFile> {
  const text = await readFile(file, 'utf8').catch((err: Error) => {
    throw new UsageError(`--compare ${file}: ${err.message}`);
  });
  try {
    const bench = JSON.parse(text) as BenchFile;
    if (bench.version !== 1 || !bench.run) throw new Error('not a bench file (version 1 with a run)');
    return bench;
  } catch (err) {
    throw new UsageError(`--compare ${file}: ${(err as Error).message}`);
  }
}
