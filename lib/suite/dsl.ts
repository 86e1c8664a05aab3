// How a suite file reads: `suite(id, s => { step('property holds', async () => {...}) })`.
// The mechanics every suite shares live here once: prerequisites, steps that stop after the first
// failure (groups, checks that only observe, independent checks), evidence on failure, the suite's
// verdict for the suites that need it, and a teardown that always runs. What a step holds is the
// SuiteHandle (./handle.ts); the verdict policy is lib/results/verdict.ts.
import { join } from 'node:path';
import * as allure from 'allure-js-commons';
import { afterAll, beforeAll, describe, test, type TestContext } from 'vitest';
import { recordAppliedManifest } from '../certify/applied-manifests.ts';
import { onApply } from '../k8s/objects.ts';
import { log } from '../log.ts';
import { decideSuite, stepBlocker, type CheckOutcome } from '../results/verdict.ts';
import { currentRunContext } from '../run/context.ts';
import { blockedBy, readVerdicts, recordVerdict } from '../run/verdicts.ts';
import { reasonOfError } from '../run/failure-reason.ts';
import { checkSelected } from '../run/selection.ts';
import { nowIso } from '../util/time.ts';
import { suiteInfo } from './catalog.ts';
import { SuiteHandle, type CheckMeta } from './handle.ts';
import { SkipSignal } from './skip.ts';

// Every object a suite applies is kept, as sent, for the run's reports and certification bundle.
onApply(recordAppliedManifest);

let current: SuiteHandle | undefined;
let failedStep: string | undefined;
/** Steps in a group depend only on earlier steps of that group (and on ungrouped ones). */
let currentGroup: string | undefined;
const failedInGroup = new Map<string, string>();
/** Set by suite(…, { independentChecks: true }): every step runs whatever the ones before it found. */
let independentChecks = false;

/** Declares independent variants of one scenario: a failure in one does not skip the others. */
export function group(name: string, body: () => void): void {
  currentGroup = name;
  try {
    body();
  } finally {
    currentGroup = undefined;
  }
}

/**
 * Declares a suite; `body` declares its steps with `step`, in order. With `independentChecks`, each
 * check observes a fact of its own (01's platform facts) and a failure holds back none of the others,
 * so one run reports every missing prerequisite, as a preflight should.
 */
export function suite(id: string, body: (s: SuiteHandle) => void, opts: { independentChecks?: boolean } = {}): void {
  const info = suiteInfo(id);
  const run = currentRunContext();
  const handle = new SuiteHandle(info, run);
  current = handle;
  failedStep = undefined;
  failedInGroup.clear();
  independentChecks = opts.independentChecks ?? false;

  describe(`${info.id} ${info.title}`, () => {
    beforeAll(async (task) => {
      task.meta.streamcertSuite = handle.meta;
      handle.meta.startedAt = nowIso();
      const blocked = blockedBy(info.needs, readVerdicts(run.reportDir));
      if (blocked) {
        handle.meta.skipReason = blocked;
        return;
      }
      log.step(`${info.id} ${info.title}`);
      await handle.setUp();
    });

    body(handle);

    afterAll(async (task) => {
      handle.meta.teardownFailures = await handle.teardown.run({ keep: run.config.keep });
      task.meta.streamcertSuite = handle.meta;
      // The same decision the reporter writes to results.json (lib/results/verdict.ts).
      const checks: CheckOutcome[] = task.tasks.map((t) => ({
        name: t.name,
        verdict: t.result?.state === 'pass' ? 'passed' : t.result?.state === 'fail' ? 'failed' : 'skipped',
        // vitest keeps a skip's reason on the result without typing it.
        reason: t.result?.errors?.[0] ? reasonOfError(t.result.errors[0]) : (t.result as { note?: string } | undefined)?.note,
        refusedSkip: t.meta.streamcertCheck?.refusedSkip,
      }));
      const decision = decideSuite({ checks, blockedBy: handle.meta.skipReason, teardownFailures: handle.meta.teardownFailures, strict: run.strict });
      recordVerdict(run.reportDir, info.id, decision.verdict, decision.reason, decision.blocksDependents);
      if (handle.meta.teardownFailures.length > 0) {
        throw new Error(`teardown incomplete:\n${handle.meta.teardownFailures.join('\n')}`);
      }
    });
  });
}

function skipOrFail(ctx: TestContext, reason: string, handle: SuiteHandle): never {
  // Certification refuses skips: a skipped check there is a failed check.
  if (handle.run.strict) {
    if (ctx.task.meta.streamcertCheck) ctx.task.meta.streamcertCheck.refusedSkip = true;
    throw new Error(`not run (certification does not allow skips): ${reason}`);
  }
  return ctx.skip(reason);
}

export interface StepOptions {
  timeoutMs?: number;
  /**
   * false for a check that only observes the scenario the earlier steps built (a version read, the
   * restart count after a failover): its failure is its own and holds back none of the later steps,
   * which stand on the scenario, not on it. Default true: later steps stand on this one.
   */
  holdsBackLater?: boolean;
}

/** Step options of a check that only observes: a failure of it holds back no later step. */
export const observesOnly: StepOptions = { holdsBackLater: false };

/** One check of the suite, named after the property it proves. Runs only if every earlier step it stands on passed (unless the suite's checks are independent). */
export function step(name: string, fn: (s: SuiteHandle) => Promise<void>, opts: StepOptions = {}): void {
  const handle = current;
  if (!handle) throw new Error('step() must be called inside suite()');
  const stepGroup = currentGroup;
  const independent = independentChecks;
  const shownName = stepGroup ? `${stepGroup}: ${name}` : name;
  // A check `--grep` does not select is not part of this run at all (lib/run/selection.ts).
  if (!checkSelected(shownName, handle.run.selection?.grep)) return;
  test(
    shownName,
    async (ctx) => {
      const meta: CheckMeta = { startedAt: nowIso() };
      ctx.task.meta.streamcertCheck = meta;
      if (handle.meta.skipReason) skipOrFail(ctx, handle.meta.skipReason, handle);
      const blocker = stepBlocker({ failedStep, failedInGroup, independent }, stepGroup);
      if (blocker) skipOrFail(ctx, blocker, handle);
      await allure.parentSuite('streamcert');
      await allure.suite(`${handle.info.id} ${handle.info.title}`);
      handle.currentCheck = name;
      log.info(`• ${name}`);
      try {
        await fn(handle);
      } catch (err) {
        if (err instanceof SkipSignal) {
          // A variant that does not apply here: the rest of its group does not apply either.
          if (stepGroup) failedInGroup.set(stepGroup, err.message);
          skipOrFail(ctx, err.message, handle);
        }
        if (opts.holdsBackLater !== false) {
          if (stepGroup) failedInGroup.set(stepGroup, `earlier step failed: ${stepGroup}: ${name}`);
          else failedStep = name;
        }
        const evidence = await handle.collectEvidence(name);
        meta.evidence = evidence;
        if (evidence) log.info(`  evidence: ${join(handle.run.reportDir, evidence)}`);
        throw err;
      } finally {
        handle.currentCheck = undefined;
      }
    },
    opts.timeoutMs,
  );
}
