import { describe, expect, it } from 'vitest';
import { overallVerdict, suiteVerdict } from '../results/model.ts';
import { sampleRunResult } from '../testing/sample-results.ts';
import { countCases, formatDuration, formatLabels, runCounts, runDurationMs, suiteCases } from './summary.ts';

describe('sample run', () => {
  it('is consistent with the verdict rules of model.ts', () => {
    const result = sampleRunResult();
    for (const suite of result.suites) expect(suite.verdict).toBe(suiteVerdict(suite.checks));
    expect(result.verdict).toBe(overallVerdict(result.suites));
    expect(result.suites.map((s) => s.verdict)).toEqual(['passed', 'passed', 'passed', 'passed', 'passed', 'passed', 'failed', 'skipped']);
  });
});

describe('suiteCases', () => {
  it('is the checks when they explain the suite verdict', () => {
    for (const suite of sampleRunResult().suites) {
      expect(suiteCases(suite).map((c) => c.name)).toEqual(suite.checks.map((c) => c.name));
    }
  });

  it('adds a suite-level case when a suite failed or was skipped without a check saying so', () => {
    const suite = { ...sampleRunResult().suites[7]!, checks: [] };
    expect(suiteCases(suite)).toEqual([
      { name: '(suite)', verdict: 'skipped', reason: 'no Prometheus answered at monitoring/prometheus:9090 (Service not found)', durationMs: 0, suiteId: '10-monitoring', suiteLevel: true },
    ]);
    const failed = { ...sampleRunResult().suites[0]!, verdict: 'failed' as const, reason: undefined };
    expect(suiteCases(failed).at(-1)).toMatchObject({ verdict: 'failed', reason: 'suite failed outside its checks', durationMs: 94_310 });
  });
});

describe('counts and formatting', () => {
  it('counts checks across the run', () => {
    expect(runCounts(sampleRunResult())).toEqual({ passed: 26, failed: 1, skipped: 4, total: 31 });
    expect(countCases([])).toEqual({ passed: 0, failed: 0, skipped: 0, total: 0 });
  });

  it('formats durations for people', () => {
    expect([0, 310, 999, 1000, 48_120, 59_949, 59_960, 474_500, 3_600_000, 3_725_000].map(formatDuration)).toEqual([
      '0 ms', '310 ms', '999 ms', '1.0 s', '48.1 s', '59.9 s', '1m 00s', '7m 55s', '1h 00m', '1h 02m',
    ]);
    expect(formatDuration(Number.NaN)).toBe('–');
  });

  it('measures the run by its clock, or by its suites when the clock is unusable', () => {
    expect(runDurationMs(sampleRunResult())).toBe(2_611_500);
    expect(runDurationMs({ ...sampleRunResult(), finishedAt: 'garbage' })).toBe(2_528_810);
  });

  it('formats labels in a stable order', () => {
    expect(formatLabels({ variant: 'session', parallelism: '4' })).toBe('{parallelism=4,variant=session}');
    expect(formatLabels(undefined)).toBe('');
    expect(formatLabels({})).toBe('');
  });
});
