// The `streamcert` command line. Each command loads and validates the configuration first, so bad
// input is reported (exit 2) before anything talks to a cluster.
import { Command, CommanderError, Option } from 'commander';
import { stringify } from 'yaml';
import { loadConfig, maskSecrets, type LoadedConfig } from '../config/load.ts';
import { ExitCode, exitCodeOf, UsageError } from '../errors.ts';
import { log } from '../log.ts';
import { catalog } from '../suite/catalog.ts';
import { availableSuites } from '../suite/available.ts';
import { labCommand } from './lab-command.ts';

interface CommonOptions {
  config?: string;
  set: string[];
  target?: string;
  kubeconfig?: string;
  context?: string;
  keep?: boolean;
}

const collect = (value: string, previous: string[]) => [...previous, value];

function percent(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new UsageError(`--threshold wants a positive number of percent, got ${value}`);
  return n;
}

function withConfigOptions(cmd: Command): Command {
  return cmd
    .option('-c, --config <file>', 'configuration file (default: ./streamcert.config.yaml, or $STREAMCERT_CONFIG)')
    .option('--set <path=value>', 'override one setting, e.g. --set flink.image=flink:1.20 (repeatable)', collect, [])
    .addOption(new Option('--target <target>', 'lab or cluster').choices(['lab', 'cluster']))
    .option('--kubeconfig <file>', 'kubeconfig for both the Flink and the Cassandra cluster (implies --target cluster)')
    .option('--context <name>', 'kubeconfig context for both clusters (implies --target cluster)');
}

/** Flag shorthands become `--set` pairs, so flags are validated and reported like every other source. */
function configFrom(opts: CommonOptions): LoadedConfig {
  const sets = [...opts.set];
  if (opts.kubeconfig || opts.context) {
    sets.push(`target=${opts.target ?? 'cluster'}`);
    if (opts.kubeconfig) sets.push(`flinkCluster.kubeconfig=${opts.kubeconfig}`);
    if (opts.context) sets.push(`flinkCluster.context=${opts.context}`);
  } else if (opts.target) {
    sets.push(`target=${opts.target}`);
  }
  if (opts.keep) sets.push('keep=true');
  return loadConfig({ file: opts.config, sets });
}

export function buildProgram(): Command {
  const program = new Command('streamcert')
    .description('Validation and chaos suites for Flink (Flink Kubernetes Operator) and Cassandra (K8ssandra) on Kubernetes')
    .exitOverride()
    .showHelpAfterError();

  withConfigOptions(
    program
      .command('run')
      .description('run the conformance suites (all by default) and write reports to reports/<run-id>/')
      .option('-s, --suite <id>', 'suite by number, name or range: 4, jobmanager-ha, 01..06 (repeatable)', collect, [])
      .option('-g, --grep <pattern>', 'only checks whose name, as the report shows it (`group: step` in a group), matches this regular expression; exit 2 when none does')
      .addOption(
        new Option('--profile <profile>', 'default; nightly (fails on a regression); certification (every suite, no retries, skips fail, writes certification-<run-id>.tar.gz)')
          .choices(['default', 'nightly', 'certification'])
          .default('default'),
      )
      .option('--partial', 'with --profile certification: allow --suite / --grep, for a rehearsal whose results.json and bundle name what it covered (not a certificate of the platform)')
      .option('--fail-on-regression', 'exit 1 when a time or rate regressed against the baseline by more than the threshold')
      .option('--baseline <run|file>', 'run id or results.json to compare with (default: the previous run)')
      .addOption(new Option('--threshold <percent>', 'regression threshold in percent (default: reports.regressionThreshold, 20)').argParser(percent))
      .option('--keep', 'leave everything the run created in place for debugging'),
  ).action(
    async (
      opts: CommonOptions & {
        suite: string[];
        grep?: string;
        profile: 'default';
        partial?: boolean;
        failOnRegression?: boolean;
        baseline?: string;
        threshold?: number;
      },
    ) => {
      const loaded = configFrom(opts);
      const { runSuites } = await import('../run/run.ts');
      process.exitCode = await runSuites(loaded, {
        suites: opts.suite,
        grep: opts.grep,
        profile: opts.profile,
        partial: opts.partial,
        failOnRegression: opts.failOnRegression,
        baseline: opts.baseline,
        threshold: opts.threshold,
      });
    },
  );

  program
    .command('list')
    .description('list the suites, what each validates and what it needs')
    .option('--json', 'machine-readable output')
    .action((opts: { json?: boolean }) => {
      const present = new Set(availableSuites().map((s) => s.id));
      if (opts.json) {
        process.stdout.write(`${JSON.stringify(catalog.map((s) => ({ ...s, available: present.has(s.id) })), null, 2)}\n`);
        return;
      }
      for (const s of catalog) {
        const status = present.has(s.id) ? '' : '  [not yet available]';
        process.stdout.write(`${s.id}  ${s.title}${status}\n    validates: ${s.validates}\n`);
        if (s.needs.length) process.stdout.write(`    needs: ${s.needs.join(', ')}\n`);
        if (s.requires.length) process.stdout.write(`    requires: ${s.requires.join(', ')}\n`);
      }
    });

  withConfigOptions(
    program
      .command('plan')
      .description('print the manifests a run would apply; validated by server-side dry run when a cluster is reachable')
      .option('-s, --suite <id>', 'suite by number, name or range (repeatable)', collect, [])
      .option('--offline', 'do not contact any cluster'),
  ).action(async (opts: CommonOptions & { suite: string[]; offline?: boolean }) => {
    const loaded = configFrom(opts);
    const { planCommand } = await import('./plan-command.ts');
    process.exitCode = await planCommand(loaded, opts);
  });

  withConfigOptions(program.command('config').description('print the effective configuration, secrets masked')).action(
    (opts: CommonOptions) => {
      const loaded = configFrom(opts);
      if (loaded.file) process.stderr.write(`# from ${loaded.file}\n`);
      process.stdout.write(stringify(maskSecrets(loaded.config)));
    },
  );

  withConfigOptions(
    program
      .command('cleanup')
      .description('delete what earlier runs left behind (found by the streamcert labels)')
      .option('--run <id>', 'only this run')
      .option('--stale', 'every run older than --older-than')
      .option('--older-than <duration>', 'with --stale: minimum age', '1h')
      .option('--dry-run', 'only list what would be deleted'),
  ).action(async (opts: CommonOptions & { run?: string; stale?: boolean; olderThan: string; dryRun?: boolean }) => {
    const loaded = configFrom(opts);
    const { cleanupCommand } = await import('./cleanup-command.ts');
    process.exitCode = await cleanupCommand(loaded, opts);
  });

  withConfigOptions(
    program
      .command('report')
      .description('rebuild the reports of a run from its results.json')
      .option('--run <id>', 'run id (default: latest)')
      .option('--allure', 'also build the Allure HTML report (needs the allure command line and Java)')
      .option('--compare <run|baseline>', 'compare with a run id, a results.json or run folder, or "previous"; writes comparison.json')
      .option('--fail-on-regression', 'exit 1 when a time or rate regressed by more than the threshold')
      .addOption(new Option('--threshold <percent>', 'regression threshold in percent (default: reports.regressionThreshold, 20)').argParser(percent)),
  ).action(
    async (opts: CommonOptions & { run?: string; allure?: boolean; compare?: string; failOnRegression?: boolean; threshold?: number }) => {
      const loaded = configFrom(opts);
      const { reportCommand } = await import('./report-command.ts');
      process.exitCode = await reportCommand(loaded, opts);
    },
  );

  program
    .command('verify')
    .description('check a certification bundle: every file against its SHA256SUMS (exit 4 naming each missing, extra or changed file)')
    .argument('<bundle>', 'certification-<run-id>.tar.gz')
    .action(async (bundle: string) => {
      const { verifyCommand } = await import('./verify-command.ts');
      process.exitCode = await verifyCommand(bundle);
    });

  withConfigOptions(
    program
      .command('bench')
      .description(
        'measure where a run goes: lab bring-up, per suite wall time and harness CPU, pod start times, detection lag; writes reports/bench/bench-<time>.json',
      )
      .option('-s, --suite <id>', 'suites to run, as `run --suite` takes them (repeatable; default: all)', collect, [])
      .option('--cold', 'take the lab down first and time its bring-up (default: warm, the lab as it is)')
      .option('--compare <bench.json>', 'print each figure beside the one of an earlier bench file'),
  ).action(async (opts: CommonOptions & { suite: string[]; cold?: boolean; compare?: string }) => {
    const loaded = configFrom(opts);
    const { benchCommand } = await import('./bench-command.ts');
    process.exitCode = await benchCommand(loaded, { suites: opts.suite, cold: opts.cold, compare: opts.compare, sets: opts.set });
  });

  program.addCommand(labCommand());
  return program;
}

export async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv, { from: 'user' });
    return typeof process.exitCode === 'number' ? process.exitCode : ExitCode.passed;
  } catch (err) {
    if (err instanceof CommanderError) {
      // Help and version are "errors" to commander; usage mistakes were already printed by it.
      return err.exitCode === 0 ? ExitCode.passed : ExitCode.usage;
    }
    const code = exitCodeOf(err);
    if (code === ExitCode.internal) {
      log.warn(`internal error: ${(err as Error).stack ?? String(err)}`);
    } else {
      process.stderr.write(`streamcert: ${(err as Error).message}\n`);
    }
    return code;
  }
}

export { UsageError };
