import { describe, expect, it } from 'vitest';
import type { SuiteResult } from '../results/model.ts';
import { compareRuns } from '../trends/compare.ts';
import { chartsOf, haMilestones, SUITES } from './charts.ts';
import { sampleRunResult, sampleSuite } from '../testing/sample-results.ts';

type Data = { labels?: string[]; datasets: { label?: string; data: unknown[]; yAxisID?: string }[] };
const dataOf = (suite: SuiteResult) => chartsOf({ suite }).map((c) => ({ id: c.id, data: c.config.data as Data, caption: c.caption }));

describe('charts from a run', () => {
  const result = sampleRunResult();

  it('draws 06 as duration per parallelism, in numeric order', () => {
    const [chart] = dataOf(sampleSuite(result, SUITES.wordCount));
    expect(chart!.id).toBe('06-wordcount-sweep-duration-by-parallelism');
    expect(chart!.data.labels).toEqual(['1', '2', '4']);
    expect(chart!.data.datasets).toMatchObject([{ label: 'this run', data: [48.2, 27.9, 17.6] }]);
    expect(chart!.caption).toBe('Fastest at parallelism 4: 17.6 s.');
  });

  it('adds the baseline durations to 06 when the run was compared', () => {
    const baseline = sampleRunResult();
    for (const m of sampleSuite(baseline, SUITES.wordCount).measurements) if (m.name === 'duration') m.value = m.value / 2;
    const comparison = compareRuns(result, baseline, { thresholdPercent: 20, source: 'previous', ref: 'x' });
    const [chart] = chartsOf({ suite: sampleSuite(result, SUITES.wordCount), comparison });
    expect((chart!.config.data as Data).datasets[1]).toMatchObject({ label: `baseline ${baseline.runId}`, data: [24.1, 13.95, 8.8] });
  });

  it('draws 04 as one bar per variant split at JobManager Ready, RUNNING and the first new checkpoint', () => {
    const suite = sampleSuite(result, SUITES.ha);
    expect(haMilestones(suite, 'application')).toEqual([21.4, 35.9, 47.2]);
    const [chart] = dataOf(suite);
    expect(chart!.data.labels).toEqual(['application', 'session']);
    expect(chart!.data.datasets.map((d) => [d.label, d.data])).toEqual([
      ['kill → new JobManager Ready', [21.4, 19.8]],
      ['Ready → job RUNNING', [14.5, 21.5]],
      ['RUNNING → first new checkpoint', [11.3, 11.3]],
    ]);
    expect(chart!.caption).toContain('session: JobManager Ready 19.8 s, RUNNING (RTO) 41.3 s, first new checkpoint 52.6 s');
  });

  it('falls back to 04 measurements without events, and stops a variant at its last milestone', () => {
    const suite = { ...sampleSuite(result, SUITES.ha), events: [] };
    suite.measurements = suite.measurements.filter((m) => !(m.labels?.variant === 'session' && m.name === 'timeToFirstNewCheckpoint'));
    expect(haMilestones(suite, 'application')).toEqual([21.4, 35.9, 47.2]);
    expect(haMilestones(suite, 'session')).toEqual([19.8, 41.3, undefined]);
    const [chart] = dataOf(suite);
    expect(chart!.data.datasets[2]!.data).toEqual([11.3, null]);
  });

  it('draws 05 per scenario with replicas and parallelism (and CPU on a second axis)', () => {
    const charts = dataOf(sampleSuite(result, SUITES.scaling));
    expect(charts.map((c) => c.id)).toEqual(['05-reactive-scaling-scaling-kubectl-scale', '05-reactive-scaling-scaling-hpa']);
    expect(charts[0]!.data.datasets.map((d) => d.label)).toEqual(['TaskManager replicas', 'job parallelism']);
    expect(charts[0]!.data.datasets[0]!.data).toEqual([{ x: 0, y: 1 }, { x: 30, y: 3 }, { x: 100, y: 1 }]);
    expect(charts[1]!.data.datasets.map((d) => [d.label, d.yAxisID])).toEqual([
      ['TaskManager replicas', 'y'],
      ['job parallelism', 'y'],
      ['CPU utilisation (%)', 'y1'],
    ]);
  });

  it('draws 08 write count and rate, 09 resiliency per experiment, and any other series by name', () => {
    const [writes] = dataOf(sampleSuite(result, SUITES.writes));
    expect(writes!.data.datasets.map((d) => [d.label, d.yAxisID, d.data.length])).toEqual([
      ['write count', 'y', 37],
      ['writes per second', 'y1', 37],
    ]);
    const [chaos] = dataOf(sampleSuite(result, '09-chaos'));
    expect(chaos!.data.labels).toEqual(['taskmanager-pod-delete', 'jobmanager-pod-delete', 'cassandra-pod-delete']);
    expect(chaos!.data.datasets[0]!.data).toEqual([100, 100, 66.67]);
    expect(dataOf(sampleSuite(result, '01-platform')).map((c) => c.id)).toEqual(['01-platform-series-readyreplicas']);
  });

  it('draws nothing for a suite without the figures (no empty chart)', () => {
    for (const id of [SUITES.ha, SUITES.scaling, SUITES.wordCount, SUITES.writes, '09-chaos', '01-platform']) {
      const suite = { ...sampleSuite(result, id), measurements: [], series: [], events: [], experiments: [] };
      expect(chartsOf({ suite })).toEqual([]);
    }
    const emptySeries = { ...sampleSuite(result, SUITES.writes), series: [{ name: 'writeCount', unit: 'count', points: [] }] };
    expect(chartsOf({ suite: emptySeries })).toEqual([]);
    expect(dataOf(sampleSuite(result, '07-k8ssandra'))).toEqual([]);
  });
});
