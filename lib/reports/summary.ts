// What every report agrees on: which cases a suite has, how they are counted, how durations read.
// Kept in one place so the console line, JUnit counts and the HTML banner can never disagree.
import type { CheckResult, RunResult, SuiteResult, Verdict } from '../results/model.ts';

/** A row in any report: a check, or the suite itself when its verdict is not explained by any check. */
export interface ReportCase extends CheckResult {
  suiteId: string;
  /** True for the stand-in row of a suite-level verdict (setup failed, prerequisite failed, no checks). */
  suiteLevel: boolean;
}

export interface Counts {
  passed: number;
  failed: number;
  skipped: number;
  total: number;
}

/** Name of the stand-in case for a suite-level verdict. */
export const SUITE_LEVEL_CASE = '(suite)';

export const VERDICT_SYMBOL: Record<Verdict, string> = { passed: '✔', failed: '✘', skipped: '↷' };

/**
 * The checks of a suite, plus one suite-level case when the suite failed or was skipped but no check
 * says so (e.g. its deployment never came up, or a prerequisite failed before any check was declared).
 * Without it such a suite would vanish from JUnit (0 tests) and CI would show green.
 */
export function suiteCases(suite: SuiteResult): ReportCase[] {
  const cases: ReportCase[] = suite.checks.map((c) => ({ ...c, suiteId: suite.id, suiteLevel: false }));
  const explained = suite.verdict === 'passed' || cases.some((c) => c.verdict === suite.verdict);
  if (!explained) {
    cases.push({
      name: SUITE_LEVEL_CASE,
      verdict: suite.verdict,
      reason: suite.reason ?? (suite.verdict === 'failed' ? 'suite failed outside its checks' : 'suite skipped'),
      durationMs: suite.verdict === 'failed' ? suite.durationMs : 0,
      suiteId: suite.id,
      suiteLevel: true,
      ...(suite.startedAt ? { startedAt: suite.startedAt } : {}),
    });
  }
  return cases;
}

export function countCases(cases: readonly Pick<CheckResult, 'verdict'>[]): Counts {
  const counts: Counts = { passed: 0, failed: 0, skipped: 0, total: cases.length };
  for (const c of cases) counts[c.verdict] += 1;
  return counts;
}

export function runCounts(result: RunResult): Counts {
  return countCases(result.suites.flatMap(suiteCases));
}

/** `3 passed, 1 failed, 2 skipped`: the order and wording CI log scrapers look for. */
export function countsText(counts: Counts): string {
  return `${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped`;
}

/** Human duration: `310 ms`, `48.1 s`, `7m 54s`, `1h 02m`. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '–';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  // 59.95 s and up would print as "60.0 s"; from there on minutes read better.
  if (ms < 59_950) return `${(ms / 1000).toFixed(1)} s`;
  const totalSeconds = Math.round(ms / 1000);
  const hours = Math.floor(totalSeconds / 3600);
  const minutes = Math.floor((totalSeconds % 3600) / 60);
  const seconds = totalSeconds % 60;
  return hours > 0 ? `${hours}h ${String(minutes).padStart(2, '0')}m` : `${minutes}m ${String(seconds).padStart(2, '0')}s`;
}

/** Wall-clock duration of the run, or the sum of suite durations when the timestamps are unusable. */
export function runDurationMs(result: RunResult): number {
  const wall = Date.parse(result.finishedAt) - Date.parse(result.startedAt);
  return Number.isFinite(wall) && wall >= 0 ? wall : result.suites.reduce((sum, s) => sum + s.durationMs, 0);
}

/** `{parallelism=4,variant=session}`, keys sorted so the same labels always read the same; '' when none. */
export function formatLabels(labels: Record<string, string> | undefined): string {
  const keys = Object.keys(labels ?? {}).sort();
  return keys.length === 0 ? '' : `{${keys.map((k) => `${k}=${labels![k]}`).join(',')}}`;
}
