import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sampleRunResult, sampleSuite } from '../testing/sample-results.ts';
import type { RunResult } from '../results/model.ts';
import { writeRunResult } from '../results/store.ts';
import { compareWithBaseline, readComparison, resolveBaseline } from './baseline.ts';
import { compareRuns, directionOf, figuresOf, renderComparisonText, type CompareOptions } from './compare.ts';

const opts: CompareOptions = { thresholdPercent: 20, source: 'previous', ref: 'reports/earlier', now: new Date('2025-06-13T00:00:00Z') };

/** The sample run a day later, with its session RTO up by `factor`. */
function laterRun(factor: number, runId = '20250613-101500-c3d4'): RunResult {
  const r = sampleRunResult();
  r.runId = runId;
  r.startedAt = '2025-06-13T10:15:00.000Z';
  r.finishedAt = '2025-06-13T10:58:31.500Z';
  const rto = sampleSuite(r, '04-jobmanager-ha').measurements.find((m) => m.name === 'rto' && m.labels?.variant === 'session')!;
  rto.value = Number((rto.value * factor).toFixed(3));
  return r;
}

describe('compareRuns', () => {
  it('flags a time that grew over the threshold, by suite + name + labels', () => {
    const c = compareRuns(laterRun(1.3), sampleRunResult(), opts);
    expect(c.regressions).toBe(1);
    expect(c.figures[0]).toMatchObject({
      key: '04-jobmanager-ha/rto{variant=session}',
      baseline: 41.3,
      current: 53.69,
      changePercent: 30,
      direction: 'higher-is-worse',
      status: 'regressed',
      thresholdPercent: 20,
    });
    // The application variant's RTO did not move.
    expect(c.figures.find((f) => f.key === '04-jobmanager-ha/rto{variant=application}')).toMatchObject({ status: 'unchanged', changePercent: 0 });
    expect(renderComparisonText(c)).toContain('  ✘ REGRESSED 04-jobmanager-ha rto{variant=session}');
    expect(renderComparisonText(c).trimEnd().split('\n').at(-1)).toBe('1 regression(s), 0 improvement(s)');
  });

  it('does not flag a change within the threshold, and calls a faster time an improvement', () => {
    expect(compareRuns(laterRun(1.15), sampleRunResult(), opts).regressions).toBe(0);
    const faster = compareRuns(laterRun(0.5), sampleRunResult(), opts);
    expect(faster).toMatchObject({ regressions: 0, improvements: 1 });
    expect(faster.figures[0]).toMatchObject({ status: 'improved', changePercent: -50 });
  });

  it('takes per-figure thresholds by name or suite/name', () => {
    expect(compareRuns(laterRun(1.3), sampleRunResult(), { ...opts, thresholds: { rto: 40 } }).regressions).toBe(0);
    expect(compareRuns(laterRun(1.15), sampleRunResult(), { ...opts, thresholds: { '04-jobmanager-ha/rto': 10 } }).regressions).toBe(1);
  });

  it('flags a rate that fell, compares the mean of rate series, and never flags counts or ids', () => {
    const now = sampleRunResult();
    const writes = sampleSuite(now, '08-flink-to-cassandra').series.find((s) => s.name === 'writesPerSecond')!;
    for (const p of writes.points) p.value = p.value * 0.6;
    for (const m of sampleSuite(now, '05-reactive-scaling').measurements) if (m.unit === 'count') m.value *= 3;
    const c = compareRuns(now, sampleRunResult(), opts);
    expect(c.figures.filter((f) => f.status === 'regressed').map((f) => f.key)).toEqual(['08-flink-to-cassandra/writesPerSecond (mean)']);
    expect(c.figures.find((f) => f.key === '05-reactive-scaling/hpaReplicas')).toMatchObject({ status: 'informational', baseline: 5, current: 15 });
    expect(c.figures.find((f) => f.key === '04-jobmanager-ha/restoredCheckpoint{variant=session}')).toMatchObject({ direction: 'informational' });
  });

  it('ignores changes below the unit’s noise floor however large in percent', () => {
    const now = sampleRunResult();
    sampleSuite(now, '01-platform').measurements.find((m) => m.name === 'apiLatency')!.value = 9; // 4 ms → 9 ms: +125%
    expect(compareRuns(now, sampleRunResult(), opts).figures.find((f) => f.name === 'apiLatency')).toMatchObject({ status: 'unchanged', changePercent: 125 });
    expect(compareRuns(now, sampleRunResult(), { ...opts, minChange: { ms: 1 } }).regressions).toBe(1);
  });

  it('lists figures only one run has, and environment differences', () => {
    const now = laterRun(1);
    now.environment.flinkVersion = '1.20.2';
    sampleSuite(now, '06-wordcount-sweep').measurements.push({ name: 'duration', value: 12, unit: 's', at: now.startedAt, labels: { parallelism: '8' } });
    const before = sampleRunResult();
    sampleSuite(before, '08-flink-to-cassandra').measurements = [];
    const c = compareRuns(now, before, opts);
    expect(c.figures.find((f) => f.key === '06-wordcount-sweep/duration{parallelism=8}')).toMatchObject({ status: 'new', current: 12 });
    expect(c.figures.find((f) => f.key === '08-flink-to-cassandra/p99LocalWriteLatency')).toMatchObject({ status: 'new' });
    expect(compareRuns(before, now, opts).figures.find((f) => f.key === '06-wordcount-sweep/duration{parallelism=8}')).toMatchObject({ status: 'missing', baseline: 12 });
    expect(c.environmentDifferences).toEqual(['Flink: 1.20.1 → 1.20.2']);
  });

  it('knows which way each unit is worse', () => {
    expect(['s', 'ms', '1/s', 'MB/s', 'count', 'id', '%'].map(directionOf)).toEqual([
      'higher-is-worse', 'higher-is-worse', 'lower-is-worse', 'lower-is-worse', 'informational', 'informational', 'informational',
    ]);
    // 05 records rescaleTime twice with different labels: two figures, not one average.
    expect([...figuresOf(sampleRunResult()).keys()].filter((k) => k.includes('rescaleTime'))).toEqual([
      '05-reactive-scaling/rescaleTime{to=3}',
      '05-reactive-scaling/rescaleTime{to=1}',
    ]);
  });
});

describe('baselines in the reports folder', () => {
  let root: string;
  beforeEach(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'streamcert-trends-'));
  });
  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('compares with the newest earlier run by default, or a named run or file, and keeps comparison.json', async () => {
    const first = sampleRunResult();
    await writeRunResult(path.join(root, first.runId), first);
    const second = laterRun(1.1, '20250613-101500-b2b2');
    await writeRunResult(path.join(root, second.runId), second);
    const third = laterRun(1.3, '20250614-101500-c3c3');
    third.startedAt = '2025-06-14T10:15:00.000Z';
    const thirdDir = path.join(root, third.runId);
    await writeRunResult(thirdDir, third);

    expect((await resolveBaseline(root, first))).toBeUndefined();
    expect((await resolveBaseline(root, third))!).toMatchObject({ source: 'previous', result: { runId: second.runId } });
    expect((await resolveBaseline(root, third, first.runId))!).toMatchObject({ source: 'baseline', ref: first.runId, result: { runId: first.runId } });
    const byFile = path.join(root, first.runId, 'results.json');
    expect((await resolveBaseline(root, third, byFile))!.result.runId).toBe(first.runId);
    await expect(resolveBaseline(root, third, 'no-such-run')).rejects.toThrow(/baseline no-such-run is neither/);

    const c = await compareWithBaseline(thirdDir, root, third, { thresholdPercent: 20, baseline: first.runId });
    expect(c!.regressions).toBe(1);
    expect(await readComparison(thirdDir, third.runId)).toEqual(c);
    // A comparison stored for another run is not shown as this run's.
    expect(await readComparison(thirdDir, 'other')).toBeUndefined();
  });
});
