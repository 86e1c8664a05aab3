import type { V1Pod } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import type { RunResult } from '../results/model.ts';
import { componentOf, loggedAt, timingOf } from './pod-timings.ts';
import { parseProcStat, treeCpuSeconds } from './process-tree.ts';
import { cpuAt, detectionLags, figureRows, formatRows, podFigures, spread, suiteFigures, type BenchFile } from './summary.ts';

describe('process tree CPU', () => {
  it('reads a stat line whose command holds spaces and parentheses', () => {
    const line = '4242 (node (vitest 1)) S 4200 4242 4242 0 -1 4194304 100 0 0 0 250 50 7 3 20 0 11 0 1000 0 0';
    expect(parseProcStat(line)).toEqual({ pid: 4242, ppid: 4200, ticks: 310, childTicks: 10 });
  });

  it('sums the root and every descendant once, and nothing outside the tree', () => {
    const stats = [
      { pid: 1, ppid: 0, ticks: 9999, childTicks: 0 },
      { pid: 10, ppid: 1, ticks: 100, childTicks: 20 },
      { pid: 11, ppid: 10, ticks: 50, childTicks: 0 },
      { pid: 12, ppid: 11, ticks: 25, childTicks: 0 },
      { pid: 20, ppid: 1, ticks: 5000, childTicks: 0 },
    ];
    expect(treeCpuSeconds(stats, 10)).toBe(1.75);
    expect(treeCpuSeconds(stats, 99)).toBe(0);
  });
});

describe('pod timings', () => {
  it('tells the timed components by the labels their operators set', () => {
    expect(componentOf({ type: 'flink-native-kubernetes', component: 'jobmanager', app: 'ha' })).toBe('jobmanager');
    expect(componentOf({ type: 'flink-native-kubernetes', component: 'taskmanager' })).toBe('taskmanager');
    expect(componentOf({ type: 'flink-standalone-kubernetes', component: 'taskmanager' })).toBe('taskmanager');
    expect(componentOf({ 'cassandra.datastax.com/cluster': 'demo' })).toBe('cassandra');
    expect(componentOf({ 'app.kubernetes.io/name': 'flink-kubernetes-operator' })).toBe('operator');
    expect(componentOf({ app: 'jar-server' })).toBeUndefined();
  });

  it("takes the serving time from the component's own log line, as UTC", () => {
    const log = [
      '2026-12-07 21:40:00,100 INFO  org.apache.flink.runtime.entrypoint.ClusterEntrypoint - Starting',
      '2026-12-07 21:40:03,250 INFO  org.apache.flink.runtime.jobmaster.MiniDispatcherRestEndpoint - Rest endpoint listening at 10.0.0.5:8081',
    ].join('\n');
    expect(loggedAt(log, /Rest endpoint listening at/)).toBe(Date.parse('2026-12-07T21:40:03.250Z'));
    expect(loggedAt('INFO  [main] 2026-12-07 21:41:00,007 Server.java:158 - Starting listening for CQL clients on /10.0.0.6:9042', /Starting listening for CQL clients/)).toBe(
      Date.parse('2026-12-07T21:41:00.007Z'),
    );
    expect(loggedAt(log, /never logged/)).toBeUndefined();
  });

  it('keeps the first start and Ready it saw of a pod', () => {
    const pod = (ready?: string, started?: string) =>
      ({
        metadata: { namespace: 'ns', name: 'jm', labels: { type: 'flink-native-kubernetes', component: 'jobmanager' }, creationTimestamp: new Date('2026-12-07T21:40:00Z') },
        status: {
          containerStatuses: started ? [{ name: 'flink-main-container', state: { running: { startedAt: new Date(started) } } }] : [],
          conditions: ready ? [{ type: 'Ready', status: 'True', lastTransitionTime: new Date(ready) }] : [],
        },
      }) as unknown as V1Pod;
    const first = timingOf(pod(), undefined)!;
    expect(first.startedAt).toBeUndefined();
    const later = timingOf(pod('2026-12-07T21:40:09Z', '2026-12-07T21:40:04Z'), first)!;
    expect([later.startedAt, later.readyAt].map((t) => (t! - later.createdAt) / 1000)).toEqual([4, 9]);
    expect(timingOf(pod('2026-12-07T21:45:00Z', '2026-12-07T21:44:00Z'), later)!.readyAt).toBe(later.readyAt);
  });
});

describe('bench figures', () => {
  const at = (s: string) => Date.parse(`2026-12-07T21:${s}Z`);
  const samples = [
    { at: at('00:00'), cpuSeconds: 0 },
    { at: at('00:10'), cpuSeconds: 2 },
    { at: at('00:20'), cpuSeconds: 3 },
  ];
  const results = {
    suites: [
      { id: '02-application-mode', verdict: 'passed', startedAt: new Date(at('00:05')).toISOString(), durationMs: 10_000, measurements: [] },
      {
        id: '04-jobmanager-ha',
        verdict: 'failed',
        startedAt: new Date(at('00:15')).toISOString(),
        durationMs: 5000,
        measurements: [
          { name: 'rto', value: 12, unit: 's' },
          { name: 'rtoDetectionLag', value: 0.4, unit: 's', labels: { variant: 'session' } },
        ],
      },
    ],
  } as unknown as RunResult;

  it("gives each suite the harness CPU of its own window, interpolated between the samples", () => {
    expect(cpuAt(samples, at('00:05'))).toBe(1);
    expect(cpuAt(samples, at('01:00'))).toBe(3);
    expect(suiteFigures(results, samples)).toEqual([
      { id: '02-application-mode', verdict: 'passed', wallSeconds: 10, cpuSeconds: 1.5, cpuPercentOfCore: 15 },
      { id: '04-jobmanager-ha', verdict: 'failed', wallSeconds: 5, cpuSeconds: 0.5, cpuPercentOfCore: 10 },
    ]);
  });

  it('keeps only detection lags, in seconds, with their labels', () => {
    expect(detectionLags(results)).toEqual([{ suite: '04-jobmanager-ha', name: 'rtoDetectionLag', labels: { variant: 'session' }, seconds: 0.4 }]);
  });

  it('spreads pod start times per component, leaving out what was never seen', () => {
    const t0 = at('00:00');
    const figures = podFigures([
      { namespace: 'a', name: 'jm1', component: 'jobmanager', createdAt: t0, startedAt: t0 + 2000, readyAt: t0 + 3000, servingAt: t0 + 9000 },
      { namespace: 'a', name: 'jm2', component: 'jobmanager', createdAt: t0, startedAt: t0 + 4000 },
    ]);
    expect(figures.jobmanager).toEqual({
      createdToStarted: { count: 2, medianSeconds: 3, maxSeconds: 4 },
      createdToReady: { count: 1, medianSeconds: 3, maxSeconds: 3 },
      createdToServing: { count: 1, medianSeconds: 9, maxSeconds: 9 },
    });
    expect(spread([])).toBeUndefined();
  });

  it('prints each figure beside the earlier bench, with the change', () => {
    const bench = (wall: number): BenchFile => ({
      version: 1,
      at: '',
      machine: { cpus: 2, memoryGiB: 24, node: 'v20' },
      lab: { mode: 'warm', peakRssMiB: 3000 },
      run: { suites: ['02'], exitCode: 0, wallSeconds: wall, cpuSeconds: 1, cpuPercentOfCore: 5 },
      suites: [],
      pods: {},
      detectionLag: [],
    });
    const rows = figureRows(bench(80), bench(100));
    expect(rows[0]).toEqual({ figure: 'run: wall time', unit: 's', value: 80, before: 100 });
    expect(formatRows(rows)).toMatch(/run: wall time\s+100 →\s+80 s {2}-20%/);
  });
});
