// Turns what vitest saw into the run's results.json (and from it JUnit and HTML). Each suite file is
// one suite; each step is one check. Figures travel from the suite workers in the suite task's meta.
import { basename } from 'node:path';
import type { Reporter, TestCase, TestModule, TestSuite } from 'vitest/node';
import { maskSecrets } from '../config/load.ts';
import type { CheckResult, RunResult, SuiteResult, Verdict } from '../results/model.ts';
import { decideSuite, overallVerdict } from '../results/verdict.ts';
import { suiteInfo } from '../suite/catalog.ts';
import type { SuiteMeta } from '../suite/handle.ts';
import type { RunContext } from './context.ts';
import { reasonOfError } from './failure-reason.ts';

function checkOf(test: TestCase): CheckResult & { refusedSkip?: boolean } {
  const result = test.result();
  const diag = test.diagnostic();
  const meta = test.meta().streamcertCheck;
  const verdict: Verdict = result.state === 'passed' ? 'passed' : result.state === 'failed' ? 'failed' : 'skipped';
  let reason: string | undefined;
  if (result.state === 'failed') reason = result.errors.map(reasonOfError).join('\n');
  if (result.state === 'skipped') reason = result.note ?? 'skipped';
  return {
    name: test.name,
    verdict,
    reason,
    startedAt: meta?.startedAt,
    durationMs: Math.round(diag?.duration ?? 0),
    evidence: meta?.evidence,
    ...(meta?.refusedSkip ? { refusedSkip: true } : {}),
  };
}

export function suiteResultOf(module: TestModule, run?: Pick<RunContext, 'strict'>): SuiteResult {
  const id = basename(module.moduleId).replace(/\.test\.ts$/, '');
  const topSuite: TestSuite | undefined = [...module.children.suites()][0];
  const meta: SuiteMeta | undefined = topSuite?.meta().streamcertSuite;
  const outcomes = [...module.children.allTests()].map(checkOf);
  const checks: CheckResult[] = outcomes.map(({ refusedSkip: _, ...check }) => check);
  const hookErrors = [...module.errors(), ...(topSuite?.errors() ?? [])];
  if (hookErrors.length > 0) {
    // Errors outside steps (namespace creation, teardown, a syntax error in the file) are checks too:
    // a run must never look green because the part that failed was not a step.
    checks.push({
      name: meta?.teardownFailures.length ? 'teardown' : 'suite setup',
      verdict: 'failed',
      reason: hookErrors.map(reasonOfError).join('\n'),
      durationMs: 0,
    });
  }
  let info: { title: string; needs: string[] } = { title: id, needs: [] };
  try {
    info = suiteInfo(id);
  } catch {
    // a suite file not in the catalog still reports under its file name
  }
  // The same decision the suite worker made for its dependents (lib/results/verdict.ts).
  const { verdict, reason } = decideSuite({
    checks: [...outcomes, ...checks.slice(outcomes.length)],
    blockedBy: meta?.skipReason,
    teardownFailures: meta?.teardownFailures,
    strict: run?.strict,
  });
  return {
    id,
    title: meta?.title ?? info.title,
    verdict,
    reason,
    needs: meta?.needs ?? info.needs,
    namespace: meta?.namespace,
    startedAt: meta?.startedAt,
    durationMs: Math.round(module.diagnostic().duration),
    checks,
    measurements: meta?.measurements ?? [],
    series: meta?.series ?? [],
    events: meta?.events ?? [],
    ...(meta?.experiments.length ? { experiments: meta.experiments } : {}),
    ...(meta?.forcedRemovals?.length ? { forcedRemovals: meta.forcedRemovals } : {}),
  };
}

export class StreamcertReporter implements Reporter {
  result?: RunResult;

  constructor(
    private readonly run: RunContext,
    private readonly onResult: (result: RunResult) => Promise<void>,
  ) {}

  async onTestRunEnd(modules: ReadonlyArray<TestModule>): Promise<void> {
    const suites = modules.map((m) => suiteResultOf(m, this.run)).sort((a, b) => a.id.localeCompare(b.id, 'en', { numeric: true }));
    this.result = {
      schemaVersion: 1,
      runId: this.run.runId,
      profile: this.run.profile,
      ...(this.run.selection ? { selection: this.run.selection } : {}),
      startedAt: this.run.startedAt,
      finishedAt: new Date().toISOString(),
      verdict: overallVerdict(suites),
      environment: this.run.environment ?? { capturedAt: this.run.startedAt, target: this.run.config.target },
      config: maskSecrets(this.run.config),
      suites,
    };
    await this.onResult(this.result);
  }
}
