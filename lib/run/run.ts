// `streamcert run`: preflight, then the selected suites through vitest (one file at a time, numeric
// order), then reports. Ctrl-C or SIGTERM cancels the run and removes what it created, by label.
import { mkdir } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import type { LoadedConfig } from '../config/load.ts';
import { ExitCode, UsageError } from '../errors.ts';
import { log } from '../log.ts';
import type { RunResult } from '../results/model.ts';
import { updateLatestLink } from '../results/store.ts';
import { enrichAllureResults } from '../reports/allure.ts';
import { renderTextSummary, writeReports } from '../reports/index.ts';
import { recordAppliedManifest } from '../certify/applied-manifests.ts';
import { createBundle } from '../certify/bundle.ts';
import { onApply } from '../k8s/objects.ts';
import { compareWithBaseline } from '../trends/baseline.ts';
import { renderComparisonText, type Comparison } from '../trends/compare.ts';
import { selectSuites } from '../suite/catalog.ts';
import { availableSuites } from '../suite/available.ts';
import { cleanupRun, foreignNamespaces } from './cleanup.ts';
import { newRunId, removeRunContext, runContextEnv, writeRunContext, type RunContext, type RunSelection } from './context.ts';
import { declaredChecks, suitesProject } from './declared-checks.ts';
import { checkSelected, grepPattern, suitesWithSelectedChecks } from './selection.ts';
import { preflight, type Targets } from './preflight.ts';
import { StreamcertReporter } from './reporter.ts';
import { RunSignals } from './signals.ts';
import { resolveTargets } from './targets.ts';


const relativeToCwd = (p: string) => relative(process.cwd(), p) || '.';

export interface RunOptions {
  suites: string[];
  grep?: string;
  profile: 'default' | 'nightly' | 'certification';
  /** With certification: allow --suite / --grep, for a rehearsal whose results and bundle name what it covered. */
  partial?: boolean;
  /** Exit 1 when a figure regressed against the baseline (also config reports.failOnRegression; on for nightly). */
  failOnRegression?: boolean;
  /** Run id or results.json to compare with (default: config reports.baseline, else the previous run). */
  baseline?: string;
  /** Regression threshold in percent (default: config reports.regressionThreshold). */
  threshold?: number;
}

export async function runSuites(loaded: LoadedConfig, opts: RunOptions): Promise<number> {
  const { config } = loaded;
  const available = availableSuites();
  const { selected: named, unknown } = selectSuites(opts.suites, available);
  if (unknown.length > 0) {
    throw new UsageError(
      `unknown suite ${unknown.join(', ')}; available: ${available.map((s) => s.id).join(', ')} (see \`streamcert list\`)`,
    );
  }
  if (named.length === 0) throw new UsageError('no suite selected');
  // A certificate covers the platform, not the part of it someone chose.
  const narrowed = opts.suites.length > 0 || opts.grep !== undefined;
  if (opts.profile === 'certification' && narrowed && !opts.partial) {
    throw new UsageError(
      'the certification profile runs every suite: drop --suite and --grep (or add --partial for a rehearsal whose results and bundle name what it covered)',
    );
  }
  if (opts.partial && opts.profile !== 'certification') throw new UsageError('--partial is only for --profile certification');
  let selected = named;
  if (opts.grep !== undefined) {
    grepPattern(opts.grep);
    // Resolved against the names the suites declare, before anything talks to a cluster.
    const declared = await declaredChecks(config, named.map((s) => s.id));
    const withMatches = suitesWithSelectedChecks(declared.checks, named.map((s) => s.id), opts.grep, declared.broken);
    selected = named.filter((s) => withMatches.includes(s.id));
    const count = declared.checks.filter((c) => checkSelected(c.name, opts.grep)).length;
    log.info(`--grep ${JSON.stringify(opts.grep)} selects ${count} of ${declared.checks.length} checks, in ${withMatches.join(', ')}`);
  }
  const selection: RunSelection | undefined = narrowed
    ? { suites: selected.map((s) => s.id), ...(opts.grep !== undefined ? { grep: opts.grep } : {}) }
    : undefined;
  if (opts.partial) log.warn(`partial certification: covers only ${selection!.suites.join(', ')}${opts.grep ? ` (checks matching ${JSON.stringify(opts.grep)})` : ''}; not a certificate of the platform`);

  const targets: Targets = await resolveTargets(config, selected);
  const runId = newRunId();
  const checked = await preflight(config, targets, selected, runId);

  const reportsRoot = resolve(config.reports.dir);
  const reportDir = join(reportsRoot, runId);
  await mkdir(join(reportDir, 'allure-results'), { recursive: true });
  const ctx: RunContext = {
    runId,
    profile: opts.profile,
    config,
    reportDir,
    flinkKubeconfig: targets.flink.kubeconfig,
    flinkContext: targets.flink.context,
    cassandraKubeconfig: targets.cassandra.kubeconfig,
    cassandraContext: targets.cassandra.context,
    environment: checked.environment,
    startedAt: new Date().toISOString(),
    strict: opts.profile === 'certification',
    ...(selection ? { selection } : {}),
  };
  const ctxFile = writeRunContext(ctx);
  process.env[runContextEnv] = ctxFile;
  // The certification bundle keeps the exact manifests the run applies (the suites' workers install the same).
  onApply(recordAppliedManifest);
  log.step(
    `run ${runId}: ${selected.map((s) => s.id).join(', ')} on ${checked.environment.details?.flinkContext} (Kubernetes ${checked.environment.kubernetesVersion})`,
  );

  let result: RunResult | undefined;
  let comparison: Comparison | undefined;
  const reporter = new StreamcertReporter(ctx, async (r) => {
    result = r;
    // Trends are a view on the results: a broken or unreadable baseline must not cost the run its reports.
    comparison = await compareWithBaseline(reportDir, reportsRoot, r, {
      thresholdPercent: opts.threshold ?? config.reports.regressionThreshold,
      thresholds: config.reports.regressionThresholds,
      minChange: config.reports.regressionMinChange,
      baseline: opts.baseline ?? config.reports.baseline,
    }).catch((err: Error) => {
      log.warn(`no trend comparison: ${err.message}`);
      return undefined;
    });
    await writeReports(reportDir, r, { ...(comparison ? { comparison } : {}) });
    await updateLatestLink(reportsRoot, reportDir);
  });

  let interrupted = false;
  // Loaded here, not at the top: vitest is heavy and only `run` needs it.
  const { createVitest } = await import('vitest/node');
  const vitest = await createVitest('test', {
    ...suitesProject,
    // Each check runs once: a retry could hide a flaky platform.
    retry: 0,
    reporters: ['default', reporter, ['allure-vitest/reporter', { resultsDir: join(reportDir, 'allure-results') }]],
  });

  // vitest's own handler exits the process at once; a run must first remove what it created.
  process.removeAllListeners('SIGINT');
  process.removeAllListeners('SIGTERM');
  const signals = new RunSignals(runId, config.keep, () => {
    interrupted = true;
    void vitest.cancelCurrentRun('keyboard-input');
    void vitest.close();
  });
  signals.install();

  try {
    try {
      await vitest.start(selected.map((s) => `suites/${s.id}.test.ts`)).catch((err: unknown) => {
        if (!interrupted) throw err;
      });
      await vitest.close();
    } finally {
      removeRunContext(ctxFile);
    }
    // What outlives a suite (the run-wide Cassandra namespace that 07, 08 and 09 share, objects in
    // namespaces the run did not create) goes with the run; suites already removed their own namespaces.
    // After an interrupt this removes everything of the run, found by label.
    if (!config.keep) {
      signals.cleaningUp = true;
      await cleanupRun(checked.flink, runId, { alsoCluster: checked.cassandra, namespaces: foreignNamespaces(config) }).catch((err: Error) =>
        log.warn(`${interrupted ? 'cleanup' : 'run cleanup'} incomplete (${err.message}); finish it with \`streamcert cleanup --run ${runId}\``),
      );
    }
  } finally {
    signals.uninstall();
  }
  if (interrupted) return ExitCode.interrupted;
  if (!result) {
    log.warn('the run ended without results (vitest did not report); see the output above');
    return ExitCode.internal;
  }
  await enrichAllureResults(reportDir, result).catch((err: Error) => log.warn(`Allure results not enriched: ${err.message}`));
  if (opts.profile === 'certification') {
    const bundle = await createBundle(reportDir, result, reportsRoot);
    log.info(`certification bundle: ${relativeToCwd(bundle.file)} (${(bundle.bytes / 1024).toFixed(0)} KiB, ${bundle.files.length} files, sha256 ${bundle.sha256}); check it with \`streamcert verify ${relativeToCwd(bundle.file)}\``);
  }
  if (comparison) process.stdout.write(`\n${renderComparisonText(comparison)}`);
  process.stdout.write(`\n${renderTextSummary(result, { runDir: relativeToCwd(reportDir) })}\n`);
  if (result.verdict === 'failed') return ExitCode.checkFailed;
  const failOnRegression = opts.failOnRegression ?? (config.reports.failOnRegression || opts.profile === 'nightly');
  if (failOnRegression && comparison && comparison.regressions > 0) {
    log.warn(`${comparison.regressions} figure(s) regressed against run ${comparison.baseline.runId} by more than the threshold: failing (fail on regression)`);
    return ExitCode.checkFailed;
  }
  return ExitCode.passed;
}
