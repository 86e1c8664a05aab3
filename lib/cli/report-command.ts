// `streamcert report`: rebuilds a run's reports from its results.json; `--allure` renders the
// Allure results with the Allure command line when it is installed.
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { $ } from 'zx';
import type { LoadedConfig } from '../config/load.ts';
import { ExitCode, UsageError } from '../errors.ts';
import { log } from '../log.ts';
import { writeReports } from '../reports/index.ts';
import { readRunResult } from '../results/store.ts';

export async function reportCommand(loaded: LoadedConfig, opts: { run?: string; allure?: boolean }): Promise<number> {
  const root = resolve(loaded.config.reports.dir);
  const runDir = join(root, opts.run ?? 'latest');
  if (!existsSync(join(runDir, 'results.json'))) {
    throw new UsageError(`no results.json in ${runDir}${opts.run ? '' : ' (no run yet? use --run <id>)'}`);
  }
  const result = await readRunResult(runDir);
  const paths = await writeReports(runDir, result);
  log.info(`reports rebuilt: ${paths.html}, ${paths.junit}`);
  if (opts.allure) {
    const allure = await $({ nothrow: true, quiet: true })`command -v allure`;
    if (allure.exitCode !== 0) {
      log.warn(
        'the allure command line is not installed; install it with `npm install -g allure-commandline` (it runs on this machine\'s Java), then run `streamcert report --allure` again',
      );
      return ExitCode.usage;
    }
    await $`allure generate ${join(runDir, 'allure-results')} -o ${join(runDir, 'allure-report')} --clean`;
    log.info(`Allure report: ${join(runDir, 'allure-report', 'index.html')}`);
  }
  return ExitCode.passed;
}
