import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import type { ForcedRemoval } from '../results/model.ts';
import { sampleRunResult } from '../testing/sample-results.ts';
import { renderTextSummary } from './text.ts';

// Hand-written in the shape of a ForcedRemoval (not yet recorded from the lab, see the fixture README).
const forcedRemoval = JSON.parse(
  readFileSync(new URL('../k8s/__fixtures__/deletion/forced-removal.json', import.meta.url), 'utf8'),
) as ForcedRemoval;

describe('renderTextSummary', () => {
  const summary = renderTextSummary(sampleRunResult(), { runDir: 'reports/20250612-101500-a1b2' });
  const lines = summary.split('\n');

  it('prints one aligned line per suite with verdict, id, duration and counts', () => {
    expect(lines.slice(0, 8)).toEqual([
      '✔ 01-platform              1m 34s  3 passed · 0 failed · 0 skipped',
      '✔ 04-jobmanager-ha         6m 02s  8 passed · 0 failed · 0 skipped',
      '✔ 05-reactive-scaling      5m 38s  4 passed · 0 failed · 0 skipped',
      '✔ 06-wordcount-sweep       4m 30s  4 passed · 0 failed · 1 skipped',
      '✔ 07-k8ssandra             7m 55s  2 passed · 0 failed · 1 skipped',
      '✔ 08-flink-to-cassandra    5m 00s  3 passed · 0 failed · 0 skipped',
      '✘ 09-chaos                11m 30s  2 passed · 1 failed · 0 skipped',
      '↷ 10-monitoring              0 ms  0 passed · 0 failed · 2 skipped  (no Prometheus answered at monitoring/prometheus:9090 (Service not found))',
    ]);
  });

  it('lists failed checks with reason and evidence path, then the report paths and the closing count', () => {
    expect(summary).toBe(
      [
        ...lines.slice(0, 8),
        '',
        'Failed:',
        '  ✘ 09-chaos › writes continue while a Cassandra pod is deleted',
        '      expected writes within 30 s of the fault, saw none for 42.0 s (probe "writes continue", phase during); 1 of 3 probes failed',
        '      evidence: reports/20250612-101500-a1b2/evidence/09-chaos/writes-continue-while-a-cassandra-pod-is-deleted',
        '',
        'Report:  reports/20250612-101500-a1b2/report.html',
        'Results: reports/20250612-101500-a1b2/results.json',
        '',
        '26 passed, 1 failed, 4 skipped',
        '',
      ].join('\n'),
    );
  });

  it('ends with the plain count line alone, and nowhere else uses that form', () => {
    const closing = lines.filter((l) => /^\d+ passed, \d+ failed, \d+ skipped$/.test(l));
    expect(closing).toEqual(['26 passed, 1 failed, 4 skipped']);
    expect(lines.at(-2)).toBe(closing[0]);
  });

  it('indents every line of a multi-line reason and includes suite-level failures', () => {
    const result = sampleRunResult();
    result.suites[6]!.checks[2]!.reason = 'expected: 17\nreceived: 12';
    result.suites.push({
      id: '11-broken', title: 'broken', verdict: 'failed', reason: 'namespace not created', needs: [],
      durationMs: 1200, checks: [], measurements: [], series: [], events: [],
    });
    const text = renderTextSummary(result, { runDir: 'r' });
    expect(text).toContain('      expected: 17\n      received: 12\n      evidence: r/evidence/09-chaos/writes-continue-while-a-cassandra-pod-is-deleted\n');
    expect(text).toContain('  ✘ 11-broken › (suite)\n      namespace not created\n');
    expect(text.trimEnd().split('\n').at(-1)).toBe('26 passed, 2 failed, 4 skipped');
  });

  it('lists the finalizers teardown removed by force, suite by suite, and says nothing of them when there were none', () => {
    expect(renderTextSummary(sampleRunResult(), { runDir: 'r' })).not.toContain('Forced removals');
    const result = sampleRunResult();
    result.suites[0]!.forcedRemovals = [forcedRemoval];
    const text = renderTextSummary(result, { runDir: 'r' });
    expect(text).toContain(
      '\nForced removals (teardown removed finalizers their owner had not):\n' +
        `  01-platform › ${forcedRemoval.object}: ${forcedRemoval.finalizers.join(', ')} removed ${forcedRemoval.afterSeconds} s after its deletion was requested\n` +
        '\nReport:  r/report.html\n',
    );
  });

  it('says so when nothing ran and leaves out the Failed block when nothing failed', () => {
    const text = renderTextSummary({ ...sampleRunResult(), suites: [] }, { runDir: 'r' });
    expect(text).toBe('(no suite ran)\n\nReport:  r/report.html\nResults: r/results.json\n\n0 passed, 0 failed, 0 skipped\n');
  });
});
