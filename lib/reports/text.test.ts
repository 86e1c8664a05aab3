import { describe, expect, it } from 'vitest';
import { sampleRunResult } from './sample.ts';
import { renderTextSummary } from './text.ts';

describe('renderTextSummary', () => {
  const summary = renderTextSummary(sampleRunResult(), { runDir: 'reports/20250612-101500-a1b2' });
  const lines = summary.split('\n');

  it('prints one aligned line per suite with verdict, id, duration and counts', () => {
    expect(lines.slice(0, 3)).toEqual([
      '✔ 01-platform          1m 34s  3 passed · 0 failed · 0 skipped',
      '✘ 07-k8ssandra         7m 55s  1 passed · 1 failed · 1 skipped',
      '↷ 08-cassandra-sink      0 ms  0 passed · 0 failed · 2 skipped  (needs 07-k8ssandra, which failed)',
    ]);
  });

  it('lists failed checks with reason and evidence path, then the report paths and the closing count', () => {
    expect(summary).toBe(
      [
        ...lines.slice(0, 3),
        '',
        'Failed:',
        '  ✘ 07-k8ssandra › CQL login with the superuser secret',
        '      expected a CQL session as user "demo-superuser", saw AuthenticationError: Provided username demo-superuser and/or password are incorrect (after 5 tries in 60 s)',
        '      evidence: reports/20250612-101500-a1b2/evidence/07-k8ssandra/cql-login-with-the-superuser-secret',
        '',
        'Report:  reports/20250612-101500-a1b2/report.html',
        'Results: reports/20250612-101500-a1b2/results.json',
        '',
        '4 passed, 1 failed, 3 skipped',
        '',
      ].join('\n'),
    );
  });

  it('ends with the plain count line alone, and nowhere else uses that form', () => {
    const closing = lines.filter((l) => /^\d+ passed, \d+ failed, \d+ skipped$/.test(l));
    expect(closing).toEqual(['4 passed, 1 failed, 3 skipped']);
    expect(lines.at(-2)).toBe(closing[0]);
  });

  it('indents every line of a multi-line reason and includes suite-level failures', () => {
    const result = sampleRunResult();
    result.suites[1]!.checks[1]!.reason = 'expected: 17\nreceived: 12';
    result.suites.push({
      id: '09-broken', title: 'broken', verdict: 'failed', reason: 'namespace not created', needs: [],
      durationMs: 1200, checks: [], measurements: [], series: [], events: [],
    });
    const text = renderTextSummary(result, { runDir: 'r' });
    expect(text).toContain('      expected: 17\n      received: 12\n      evidence: r/evidence/07-k8ssandra/cql-login-with-the-superuser-secret\n');
    expect(text).toContain('  ✘ 09-broken › (suite)\n      namespace not created\n');
    expect(text.trimEnd().split('\n').at(-1)).toBe('4 passed, 2 failed, 3 skipped');
  });

  it('says so when nothing ran and leaves out the Failed block when nothing failed', () => {
    const text = renderTextSummary({ ...sampleRunResult(), suites: [] }, { runDir: 'r' });
    expect(text).toBe('(no suite ran)\n\nReport:  r/report.html\nResults: r/results.json\n\n0 passed, 0 failed, 0 skipped\n');
  });
});
