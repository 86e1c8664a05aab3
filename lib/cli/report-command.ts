// `streamcert report`: rebuilds a run's reports from its results.json; `--compare` sets it against
// another run (trends, comparison.json, `--fail-on-regression` for CI); `--allure` renders the Allure
// results with the Allure command line (node_modules/.bin/allure or PATH; it runs on Java).
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { LoadedConfig } from '../config/load.ts';
import { ExitCode, UsageError } from '../errors.ts';
import { log } from '../log.ts';
import { AllureUnavailableError, enrichAllureResults, generateAllureReport } from '../reports/allure.ts';
import { writeReports } from '../reports/index.ts';
import { readRunResult } from '../results/store.ts';
import { compareWithBaseline, readComparison } from '../trends/baseline.ts';
import { renderComparisonText, type Comparison } from '../trends/compare.ts';

export interface ReportOptions {
  run?: string;
  allure?: boolean;
  /** A run id, a results.json or run folder, or `previous`. */
  compare?: string;
  failOnRegression?: boolean;
  threshold?: number;
}

export async function reportCommand(loaded: LoadedConfig, opts: ReportOptions): Promise<number> {
  const { reports } = loaded.config;
  const root = resolve(reports.dir);
  const runDir = opts.run && existsSync(join(opts.run, 'results.json')) ? resolve(opts.run) : join(root, opts.run ?? 'latest');
  if (!existsSync(join(runDir, 'results.json'))) {
    throw new UsageError(`no results.json in ${runDir}${opts.run ? '' : ' (no run yet? use --run <id>)'}`);
  }
  const result = await readRunResult(runDir);

  let comparison: Comparison | undefined;
  if (opts.compare) {
    comparison = await compareWithBaseline(runDir, root, result, {
      thresholdPercent: opts.threshold ?? reports.regressionThreshold,
      thresholds: reports.regressionThresholds,
      minChange: reports.regressionMinChange,
      baseline: opts.compare,
    });
    if (!comparison) log.warn(`no run before ${result.runId} in ${root} to compare with`);
    else process.stdout.write(renderComparisonText(comparison));
  } else {
    // A comparison made when the run ended (or by an earlier --compare) stays in the rebuilt report.
    comparison = await readComparison(runDir, result.runId);
  }

  const paths = await writeReports(runDir, result, { ...(comparison ? { comparison } : {}) });
  log.info(`reports rebuilt: ${paths.html}, ${paths.junit}`);
  await enrichAllureResults(runDir, result);

  let code: number = ExitCode.passed;
  if (opts.allure) {
    try {
      log.info(`Allure report: ${await generateAllureReport(runDir)}`);
    } catch (err) {
      if (!(err instanceof AllureUnavailableError)) throw err;
      log.warn(`${err.message}; then run \`streamcert report --allure\` again`);
      code = ExitCode.usage;
    }
  }
  if ((opts.failOnRegression ?? reports.failOnRegression) && comparison && comparison.regressions > 0) {
    log.warn(`${comparison.regressions} figure(s) regressed against run ${comparison.baseline.runId}: failing (--fail-on-regression)`);
    return ExitCode.checkFailed;
  }
  return code;
}
