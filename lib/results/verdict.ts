// The one definition of a verdict. The suite worker (to hold back dependents), the reporter (for
// results.json) and every report read back from disk decide with these functions, so a suite can never
// be "failed" in one place and "passed" in another. Pure: each rule is unit-tested in verdict.test.ts.
import type { Verdict } from './model.ts';

export interface CheckOutcome {
  name: string;
  verdict: Verdict;
  reason?: string;
  /** Failed only because certification refuses skips: the check did not find a fault. */
  refusedSkip?: boolean;
}

export interface SuiteOutcome {
  checks: CheckOutcome[];
  /** Why the suite did not start: a prerequisite that did not pass (from `blockedBy`). */
  blockedBy?: string;
  /** What teardown could not remove; a suite that leaves things behind has failed. */
  teardownFailures?: string[];
  /** Certification: a skip is a failure (that finds no fault, so it does not hold back dependents). */
  strict?: boolean;
}

export interface SuiteDecision {
  verdict: Verdict;
  /** The first thing that decided it: `check: reason`, the prerequisite, or why nothing ran. */
  reason?: string;
  /** Whether suites that need this one must be skipped: true unless it passed or failed only by refused skips. */
  blocksDependents: boolean;
}

const refusal = 'not run (certification does not allow skips)';

/** The first line of a reason; a line that only introduces a list ("teardown incomplete:") takes the next one with it. */
function firstLine(text: string | undefined): string | undefined {
  const lines = (text ?? '').split('\n').map((l) => l.trim()).filter((l) => l.length > 0);
  if (lines.length === 0) return undefined;
  return lines[0]!.endsWith(':') && lines[1] ? `${lines[0]} ${lines[1]}` : lines[0];
}

const named = (c: CheckOutcome) => `${c.name}: ${firstLine(c.reason) ?? c.verdict}`;

export function decideSuite(o: SuiteOutcome): SuiteDecision {
  const teardownFailures = o.teardownFailures ?? [];
  // Under certification a check still marked skipped (whatever skipped it) counts as refused.
  const refused = (c: CheckOutcome) => c.refusedSkip === true || (o.strict === true && c.verdict === 'skipped');
  const realFailure = o.checks.find((c) => c.verdict === 'failed' && !refused(c));
  if (realFailure) return { verdict: 'failed', reason: named(realFailure), blocksDependents: true };
  if (teardownFailures.length > 0) return { verdict: 'failed', reason: `teardown: ${firstLine(teardownFailures[0])}`, blocksDependents: true };
  // A suite that did not start proves nothing its dependents could stand on, whatever the profile.
  if (o.blockedBy) {
    return o.strict
      ? { verdict: 'failed', reason: `${refusal}: ${o.blockedBy}`, blocksDependents: true }
      : { verdict: 'skipped', reason: o.blockedBy, blocksDependents: true };
  }
  const refusedCheck = o.checks.find(refused);
  if (refusedCheck) {
    const reason = refusedCheck.verdict === 'skipped' ? `${refusedCheck.name}: ${refusal}: ${firstLine(refusedCheck.reason)}` : named(refusedCheck);
    return { verdict: 'failed', reason, blocksDependents: false };
  }
  // An empty observation never passes: no check ran, so nothing was shown.
  if (o.checks.length === 0) {
    return o.strict
      ? { verdict: 'failed', reason: `${refusal}: no check ran`, blocksDependents: true }
      : { verdict: 'skipped', reason: 'no check ran', blocksDependents: true };
  }
  if (o.checks.every((c) => c.verdict === 'skipped')) {
    return { verdict: 'skipped', reason: firstLine(o.checks[0]!.reason) ?? 'skipped', blocksDependents: true };
  }
  return { verdict: 'passed', blocksDependents: false };
}

/** A suite's verdict from its checks alone (a results.json read back keeps no more than that). */
export function suiteVerdict(checks: Pick<CheckOutcome, 'verdict'>[]): Verdict {
  return decideSuite({ checks: checks.map((c, i) => ({ name: `check ${i + 1}`, verdict: c.verdict })) }).verdict;
}

/** A run failed if any suite failed; it passed if at least one suite passed and none failed. */
export function overallVerdict(suites: { verdict: Verdict }[]): Verdict {
  if (suites.some((s) => s.verdict === 'failed')) return 'failed';
  if (suites.some((s) => s.verdict === 'passed')) return 'passed';
  return 'skipped';
}

/** `blocks`: whether the suite's dependents must be held back (absent: any verdict but passed blocks). */
export type VerdictMap = Record<string, { verdict: Verdict; reason?: string; blocks?: boolean }>;

/** Why a suite must be skipped, or undefined when every prerequisite that ran passed (or failed only by refused skips). */
export function blockedBy(needs: string[], verdicts: VerdictMap): string | undefined {
  const failed = needs.filter((n) => verdicts[n] && (verdicts[n].blocks ?? verdicts[n].verdict !== 'passed'));
  if (failed.length === 0) return undefined;
  return `prerequisite ${failed.map((n) => `${n} ${verdicts[n]!.verdict}`).join(', ')}`;
}

/** What the steps of a suite have met so far: the first ungrouped failure, and each group's first failure or skip. */
export interface StepProgress {
  failedStep?: string;
  failedInGroup: ReadonlyMap<string, string>;
  /** The suite's checks each observe a fact of their own (01's platform facts): none stands on another. */
  independent?: boolean;
}

/**
 * Why a step must not run, or undefined. Steps stop after the first failure; a group is one variant of
 * the scenario, so a failure in it skips only the rest of that group, never another group. An ungrouped
 * step after the groups stands on all of them. In a suite of independent checks every step runs.
 */
export function stepBlocker(p: StepProgress, group?: string): string | undefined {
  if (p.independent) return undefined;
  if (p.failedStep) return `earlier step failed: ${p.failedStep}`;
  return group ? p.failedInGroup.get(group) : [...p.failedInGroup.values()][0];
}
