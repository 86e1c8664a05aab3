// Trends: every figure of a run against the same figure of a baseline run (the previous run, or a
// stored one), keyed by suite id + figure name + labels, so `rto{variant=session}` is only ever compared
// with itself. Whether a change is a regression depends on the unit: a time that grows is worse, a rate
// that falls is worse; counts and ids are shown but never flagged (5 TaskManagers instead of 4 is not
// "worse"). A change is flagged when it exceeds the threshold in percent AND a minimum absolute change
// for its unit, so 4 ms → 6 ms of API latency (+50%) does not fail a nightly build.
import { z } from 'zod';
import type { RunResult } from '../results/model.ts';
import { formatLabels } from '../reports/summary.ts';

export type Direction = 'higher-is-worse' | 'lower-is-worse' | 'informational';
export type FigureStatus = 'regressed' | 'improved' | 'unchanged' | 'new' | 'missing' | 'informational';

export interface FigureComparison {
  /** `04-jobmanager-ha/rto{variant=session}`; series means end in ` (mean)`. */
  key: string;
  suite: string;
  name: string;
  labels?: Record<string, string>;
  unit: string;
  /** `mean` for a series reduced to its mean; absent for a measurement. */
  aggregate?: 'mean';
  baseline?: number;
  current?: number;
  /** (current - baseline) / |baseline| in percent; absent when either side is missing or the baseline is 0. */
  changePercent?: number;
  direction: Direction;
  thresholdPercent: number;
  status: FigureStatus;
}

export interface Comparison {
  schemaVersion: 1;
  runId: string;
  baseline: {
    runId: string;
    startedAt: string;
    profile: string;
    /** `previous`: the newest earlier run in the reports folder; `baseline`: named by the user or config. */
    source: 'previous' | 'baseline';
    /** What the user named (a run id or a path), or the previous run's folder. */
    ref: string;
  };
  comparedAt: string;
  thresholdPercent: number;
  /** Fingerprint fields that differ: a regression across different platforms may be the platform. */
  environmentDifferences: string[];
  regressions: number;
  improvements: number;
  figures: FigureComparison[];
}

export interface CompareOptions {
  /** Default threshold in percent (config `reports.regressionThreshold`). */
  thresholdPercent: number;
  /** Per figure: `rto` or `04-jobmanager-ha/rto` → percent (config `reports.regressionThresholds`). */
  thresholds?: Record<string, number>;
  /** Per unit: the smallest absolute change that can count (config `reports.regressionMinChange`). */
  minChange?: Record<string, number>;
  source: Comparison['baseline']['source'];
  ref: string;
  now?: Date;
}

export const DEFAULT_MIN_CHANGE: Record<string, number> = { s: 1, ms: 10, '1/s': 1 };

const TIME_UNITS = new Set(['ms', 's', 'min', 'h']);

/** Times (s, ms) are worse higher; rates (`1/s`, `MB/s`) worse lower; everything else is informational. */
export function directionOf(unit: string): Direction {
  if (TIME_UNITS.has(unit)) return 'higher-is-worse';
  if (/\/s$/.test(unit)) return 'lower-is-worse';
  return 'informational';
}

type Figure = Pick<FigureComparison, 'key' | 'suite' | 'name' | 'labels' | 'unit' | 'aggregate'> & { value: number };

/**
 * The comparable figures of a run: each measurement (several with the same key are averaged, e.g. a
 * step that records twice), and the mean of each rate series (a time series of a rate has no single
 * value; its mean is what a regression in throughput moves).
 */
export function figuresOf(result: RunResult): Map<string, Figure> {
  const sums = new Map<string, Figure & { n: number }>();
  const add = (f: Figure) => {
    const prev = sums.get(f.key);
    if (prev) {
      prev.value += f.value;
      prev.n += 1;
    } else sums.set(f.key, { ...f, n: 1 });
  };
  for (const suite of result.suites) {
    for (const m of suite.measurements) {
      add({ key: `${suite.id}/${m.name}${formatLabels(m.labels)}`, suite: suite.id, name: m.name, ...(m.labels ? { labels: m.labels } : {}), unit: m.unit, value: m.value });
    }
    for (const s of suite.series) {
      if (directionOf(s.unit) !== 'lower-is-worse' || s.points.length === 0) continue;
      // A suite that also records the rate as one figure (08's writesPerSecond) is compared by that figure.
      if (suite.measurements.some((m) => m.name === s.name && formatLabels(m.labels) === formatLabels(s.labels))) continue;
      const mean = s.points.reduce((sum, p) => sum + p.value, 0) / s.points.length;
      add({ key: `${suite.id}/${s.name}${formatLabels(s.labels)} (mean)`, suite: suite.id, name: s.name, ...(s.labels ? { labels: s.labels } : {}), unit: s.unit, aggregate: 'mean', value: mean });
    }
  }
  const figures = new Map<string, Figure>();
  for (const [key, { n, ...f }] of sums) figures.set(key, { ...f, value: f.value / n });
  return figures;
}

export function compareRuns(current: RunResult, baseline: RunResult, opts: CompareOptions): Comparison {
  const now = figuresOf(current);
  const before = figuresOf(baseline);
  const minChange = { ...DEFAULT_MIN_CHANGE, ...opts.minChange };
  const figures: FigureComparison[] = [];
  for (const key of new Set([...now.keys(), ...before.keys()])) {
    const cur = now.get(key);
    const base = before.get(key);
    const f = (cur ?? base)!;
    const direction = directionOf(f.unit);
    const thresholdPercent = opts.thresholds?.[`${f.suite}/${f.name}`] ?? opts.thresholds?.[f.name] ?? opts.thresholdPercent;
    const row: FigureComparison = {
      key,
      suite: f.suite,
      name: f.name,
      ...(f.labels ? { labels: f.labels } : {}),
      unit: f.unit,
      ...(f.aggregate ? { aggregate: f.aggregate } : {}),
      ...(base ? { baseline: round(base.value) } : {}),
      ...(cur ? { current: round(cur.value) } : {}),
      direction,
      thresholdPercent,
      status: 'unchanged',
    };
    if (cur && base) {
      const change = cur.value - base.value;
      if (base.value !== 0) row.changePercent = round((change / Math.abs(base.value)) * 100);
      if (direction === 'informational') row.status = 'informational';
      else {
        // A baseline of 0 (e.g. 0 ms) has no percentage; any change beyond the unit's floor counts.
        const overThreshold = row.changePercent === undefined ? change !== 0 : Math.abs(row.changePercent) > thresholdPercent;
        const big = Math.abs(change) >= (minChange[f.unit] ?? 0);
        if (overThreshold && big) {
          const worse = direction === 'higher-is-worse' ? change > 0 : change < 0;
          row.status = worse ? 'regressed' : 'improved';
        }
      }
    } else {
      row.status = cur ? 'new' : 'missing';
    }
    figures.push(row);
  }
  figures.sort((a, b) => STATUS_ORDER[a.status] - STATUS_ORDER[b.status] || a.key.localeCompare(b.key, 'en', { numeric: true }));
  return {
    schemaVersion: 1,
    runId: current.runId,
    baseline: { runId: baseline.runId, startedAt: baseline.startedAt, profile: baseline.profile, source: opts.source, ref: opts.ref },
    comparedAt: (opts.now ?? new Date()).toISOString(),
    thresholdPercent: opts.thresholdPercent,
    environmentDifferences: environmentDifferences(baseline, current),
    regressions: figures.filter((f) => f.status === 'regressed').length,
    improvements: figures.filter((f) => f.status === 'improved').length,
    figures,
  };
}

const STATUS_ORDER: Record<FigureStatus, number> = { regressed: 0, improved: 1, unchanged: 2, new: 3, missing: 4, informational: 5 };

function environmentDifferences(before: RunResult, now: RunResult): string[] {
  const a = before.environment;
  const b = now.environment;
  const fields: [string, unknown, unknown][] = [
    ['target', a.target, b.target],
    ['Kubernetes', a.kubernetesVersion, b.kubernetesVersion],
    ['nodes', a.nodeCount, b.nodeCount],
    ['operator', a.operatorVersion, b.operatorVersion],
    ['Flink', a.flinkVersion, b.flinkVersion],
    ['Cassandra', a.cassandraVersion, b.cassandraVersion],
  ];
  return fields.filter(([, x, y]) => x !== undefined && y !== undefined && x !== y).map(([name, x, y]) => `${name}: ${String(x)} → ${String(y)}`);
}

function round(n: number): number {
  return Number(n.toPrecision(6));
}

/** `rto{variant=session}` or `writesPerSecond (mean)`: how a figure reads in the reports. */
export function figureLabel(f: Pick<FigureComparison, 'name' | 'labels' | 'aggregate'>): string {
  return `${f.name}${formatLabels(f.labels)}${f.aggregate ? ` (${f.aggregate})` : ''}`;
}

export function formatChange(f: Pick<FigureComparison, 'changePercent'>): string {
  if (f.changePercent === undefined) return '–';
  return `${f.changePercent > 0 ? '+' : ''}${f.changePercent.toFixed(1)}%`;
}

/** The comparison as text for the console: regressions and improvements first, one line each. */
export function renderComparisonText(c: Comparison): string {
  const lines = [
    `Compared with run ${c.baseline.runId} (${c.baseline.source === 'previous' ? 'the previous run' : `baseline ${c.baseline.ref}`}), threshold ${c.thresholdPercent}%:`,
  ];
  if (c.environmentDifferences.length) lines.push(`  environment differs: ${c.environmentDifferences.join('; ')}`);
  const shown = c.figures.filter((f) => f.status === 'regressed' || f.status === 'improved' || f.status === 'unchanged');
  const width = Math.max(0, ...shown.map((f) => `${f.suite} ${figureLabel(f)}`.length));
  for (const f of shown) {
    const mark = f.status === 'regressed' ? '✘ REGRESSED' : f.status === 'improved' ? '✔ improved' : '  unchanged';
    lines.push(`  ${mark.padEnd(11)} ${`${f.suite} ${figureLabel(f)}`.padEnd(width)}  ${f.baseline} → ${f.current} ${f.unit}  (${formatChange(f)}${f.status === 'regressed' ? `, over ${f.thresholdPercent}%` : ''})`);
  }
  const newCount = c.figures.filter((f) => f.status === 'new').length;
  const missing = c.figures.filter((f) => f.status === 'missing').length;
  if (newCount || missing) lines.push(`  ${newCount} figure(s) only in this run, ${missing} only in the baseline`);
  lines.push(`${c.regressions} regression(s), ${c.improvements} improvement(s)`);
  return lines.join('\n') + '\n';
}

const figureSchema = z.object({
  key: z.string(),
  suite: z.string(),
  name: z.string(),
  labels: z.record(z.string(), z.string()).optional(),
  unit: z.string(),
  aggregate: z.literal('mean').optional(),
  baseline: z.number().optional(),
  current: z.number().optional(),
  changePercent: z.number().optional(),
  direction: z.enum(['higher-is-worse', 'lower-is-worse', 'informational']),
  thresholdPercent: z.number(),
  status: z.enum(['regressed', 'improved', 'unchanged', 'new', 'missing', 'informational']),
});

/** comparison.json as read back by `streamcert report` (a file from an older streamcert is ignored, not trusted). */
export const comparisonSchema = z.object({
  schemaVersion: z.literal(1),
  runId: z.string(),
  baseline: z.object({
    runId: z.string(),
    startedAt: z.string(),
    profile: z.string(),
    source: z.enum(['previous', 'baseline']),
    ref: z.string(),
  }),
  comparedAt: z.string(),
  thresholdPercent: z.number(),
  environmentDifferences: z.array(z.string()),
  regressions: z.number(),
  improvements: z.number(),
  figures: z.array(figureSchema),
});
