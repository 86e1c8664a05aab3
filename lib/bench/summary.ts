// What a bench run found, as figures with units, and how two bench runs compare. Pure functions over
// what bench-command.ts observed: CPU samples of the harness's process tree, pod timings, results.json.
import type { RunResult } from '../results/model.ts';
import type { PodComponent, PodTiming } from './pod-timings.ts';

export interface CpuSample {
  /** Epoch ms. */
  at: number;
  /** CPU seconds of the harness's process tree so far. */
  cpuSeconds: number;
}

export interface Spread {
  count: number;
  medianSeconds: number;
  maxSeconds: number;
}

export interface SuiteBench {
  id: string;
  verdict: string;
  wallSeconds: number;
  cpuSeconds: number;
  /** Harness CPU over wall time: 100 = one core busy for the whole suite. */
  cpuPercentOfCore: number;
}

export interface BenchFile {
  version: 1;
  at: string;
  machine: { cpus: number; memoryGiB: number; node: string };
  lab: { mode: 'warm' | 'cold'; upSeconds?: number; peakRssMiB?: number };
  run: { suites: string[]; exitCode: number; wallSeconds: number; cpuSeconds: number; cpuPercentOfCore: number; results?: string };
  suites: SuiteBench[];
  pods: Partial<Record<PodComponent, { createdToStarted?: Spread; createdToReady?: Spread; createdToServing?: Spread }>>;
  detectionLag: { suite: string; name: string; labels?: Record<string, string>; seconds: number }[];
}

const round = (n: number, digits = 2) => Math.round(n * 10 ** digits) / 10 ** digits;

export function spread(seconds: number[]): Spread | undefined {
  if (seconds.length === 0) return undefined;
  const sorted = [...seconds].sort((a, b) => a - b);
  const mid = sorted.length / 2;
  const median = sorted.length % 2 ? sorted[Math.floor(mid)]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  return { count: sorted.length, medianSeconds: round(median), maxSeconds: round(sorted.at(-1)!) };
}

/** CPU seconds at `at`, interpolated between the two samples around it (clamped to the first and last). */
export function cpuAt(samples: CpuSample[], at: number): number {
  if (samples.length === 0) return 0;
  if (at <= samples[0]!.at) return samples[0]!.cpuSeconds;
  for (let i = 1; i < samples.length; i++) {
    const [a, b] = [samples[i - 1]!, samples[i]!];
    if (at <= b.at) return a.cpuSeconds + ((b.cpuSeconds - a.cpuSeconds) * (at - a.at)) / Math.max(1, b.at - a.at);
  }
  return samples.at(-1)!.cpuSeconds;
}

/** Each suite's wall time (results.json) and the harness CPU spent in that window. */
export function suiteFigures(results: RunResult, samples: CpuSample[]): SuiteBench[] {
  return results.suites
    .filter((s) => s.startedAt)
    .map((s) => {
      const start = Date.parse(s.startedAt!);
      const cpu = cpuAt(samples, start + s.durationMs) - cpuAt(samples, start);
      const wall = s.durationMs / 1000;
      return { id: s.id, verdict: s.verdict, wallSeconds: round(wall, 1), cpuSeconds: round(cpu), cpuPercentOfCore: wall > 0 ? round((cpu / wall) * 100, 1) : 0 };
    });
}

/** Start times per component: created → started, → Ready, → serving (its own log line). */
export function podFigures(timings: PodTiming[]): BenchFile['pods'] {
  const out: BenchFile['pods'] = {};
  const since = (ts: PodTiming[], f: (t: PodTiming) => number | undefined) =>
    spread(ts.flatMap((t) => (f(t) === undefined ? [] : [(f(t)! - t.createdAt) / 1000])));
  for (const component of ['operator', 'jobmanager', 'taskmanager', 'cassandra'] as const) {
    const ts = timings.filter((t) => t.component === component);
    if (ts.length === 0) continue;
    out[component] = {
      createdToStarted: since(ts, (t) => t.startedAt),
      createdToReady: since(ts, (t) => t.readyAt),
      createdToServing: since(ts, (t) => t.servingAt),
    };
  }
  return out;
}

/** The harness's event-detection lag beside each recovery figure (04 records `<figure>DetectionLag`). */
export function detectionLags(results: RunResult): BenchFile['detectionLag'] {
  return results.suites.flatMap((s) =>
    s.measurements.filter((m) => m.name.endsWith('DetectionLag') && m.unit === 's').map((m) => ({ suite: s.id, name: m.name, labels: m.labels, seconds: m.value })),
  );
}

export interface FigureRow {
  figure: string;
  unit: string;
  value?: number;
  before?: number;
}

/** The bench's headline figures, one row each, beside a previous bench's when given. */
export function figureRows(b: BenchFile, before?: BenchFile): FigureRow[] {
  const rows = (f: BenchFile): FigureRow[] => [
    { figure: 'run: wall time', unit: 's', value: f.run.wallSeconds },
    { figure: 'run: harness CPU', unit: '% of a core', value: f.run.cpuPercentOfCore },
    ...(f.lab.upSeconds !== undefined ? [{ figure: 'lab up', unit: 's', value: f.lab.upSeconds }] : []),
    ...(f.lab.peakRssMiB !== undefined ? [{ figure: 'lab RSS, peak', unit: 'MiB', value: f.lab.peakRssMiB }] : []),
    ...f.suites.flatMap((s) => [
      { figure: `${s.id}: wall time`, unit: 's', value: s.wallSeconds },
      { figure: `${s.id}: harness CPU`, unit: '% of a core', value: s.cpuPercentOfCore },
    ]),
    ...Object.entries(f.pods).flatMap(([component, p]) =>
      (['createdToStarted', 'createdToReady', 'createdToServing'] as const).flatMap((k) =>
        p?.[k] ? [{ figure: `${component} pod ${k.replace('createdTo', 'created → ').toLowerCase()} (median of ${p[k]!.count})`, unit: 's', value: p[k]!.medianSeconds }] : [],
      ),
    ),
    ...f.detectionLag.map((d) => ({ figure: `${d.suite} ${d.name}${d.labels ? ` ${Object.values(d.labels).join(',')}` : ''}`, unit: 's', value: d.seconds })),
  ];
  const now = rows(b);
  if (!before) return now;
  const key = (r: FigureRow) => r.figure.replace(/ \(median of \d+\)$/, '');
  const then = new Map(rows(before).map((r) => [key(r), r.value]));
  const merged = now.map((r) => ({ ...r, before: then.get(key(r)) }));
  for (const r of rows(before)) if (!now.some((n) => key(n) === key(r))) merged.push({ figure: r.figure, unit: r.unit, before: r.value });
  return merged;
}

/** The rows as a fixed-width table (with before, after and change when compared). */
export function formatRows(rows: FigureRow[]): string {
  const compared = rows.some((r) => r.before !== undefined);
  const width = Math.max(...rows.map((r) => r.figure.length), 6);
  const num = (n: number | undefined) => (n === undefined ? '–' : String(n)).padStart(9);
  const lines = rows.map((r) => {
    const change = r.before && r.value !== undefined ? `${r.value >= r.before ? '+' : ''}${round(((r.value - r.before) / r.before) * 100, 1)}%` : '';
    return `${r.figure.padEnd(width)}  ${compared ? `${num(r.before)} → ` : ''}${num(r.value)} ${r.unit}${change ? `  ${change}` : ''}`;
  });
  return [`${'figure'.padEnd(width)}  ${compared ? `${'before'.padStart(9)}   ` : ''}${'value'.padStart(9)}`, ...lines].join('\n');
}
