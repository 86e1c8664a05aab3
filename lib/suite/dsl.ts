// How a suite file reads: `suite(id, s => { step('property holds', async () => {...}) })`.
// The mechanics every suite shares live here once: connecting to the clusters, a namespace of its
// own labelled with the run id, prerequisites, steps that stop after the first failure, evidence on
// failure, figures with units, and a teardown that always runs.
import { relative, join } from 'node:path';
import * as allure from 'allure-js-commons';
import { afterAll, beforeAll, describe, test, type TestContext } from 'vitest';
import type { StreamcertConfig } from '../config/schema.ts';
import { toMillis } from '../config/schema.ts';
import { collectEvidence, slug } from '../evidence/collect.ts';
import { connect, type Cluster } from '../k8s/cluster.ts';
import { deleteNamespace } from '../k8s/namespace.ts';
import { apply, onApply } from '../k8s/objects.ts';
import { recordAppliedManifest } from '../certify/applied-manifests.ts';
import { log } from '../log.ts';
import type { ChaosExperiment, ForcedRemoval, Measurement, Series, TimelineEvent } from '../results/model.ts';
import { decideSuite, stepBlocker, type CheckOutcome } from '../results/verdict.ts';
import { currentRunContext, runLabels, type RunContext } from '../run/context.ts';
import { TeardownRegistry } from '../run/teardown.ts';
import { blockedBy, readVerdicts, recordVerdict } from '../run/verdicts.ts';
import { reasonOfError } from '../run/failure-reason.ts';
import { checkSelected } from '../run/selection.ts';
import { nowIso } from '../util/time.ts';
import { suiteInfo, type SuiteInfo } from './catalog.ts';
import { SkipSignal } from './skip.ts';

/** What the reporter reads back from a suite's task meta. */
export interface SuiteMeta {
  id: string;
  title: string;
  needs: string[];
  namespace?: string;
  skipReason?: string;
  startedAt?: string;
  measurements: Measurement[];
  series: Series[];
  events: TimelineEvent[];
  experiments: ChaosExperiment[];
  teardownFailures: string[];
  /** Finalizers teardown removed by force (lib/run/teardown.ts). */
  forcedRemovals: ForcedRemoval[];
}

export interface CheckMeta {
  evidence?: string;
  startedAt?: string;
  /** Failed only because certification refuses skips: it did not find a fault. */
  refusedSkip?: boolean;
}

declare module 'vitest' {
  interface TaskMeta {
    streamcertSuite?: SuiteMeta;
    streamcertCheck?: CheckMeta;
  }
}

export interface SeriesHandle {
  add(value: number, at?: Date): void;
}

export class SuiteHandle {
  readonly teardown = new TeardownRegistry();
  readonly meta: SuiteMeta;
  /** Namespaces the evidence collector dumps on failure, besides the suite's own. */
  readonly evidenceNamespaces = new Set<string>();
  currentCheck?: string;
  private clusters: { flink?: Cluster; cassandra?: Cluster } = {};
  private ns?: string;

  constructor(
    readonly info: SuiteInfo,
    readonly run: RunContext,
  ) {
    this.meta = {
      id: info.id,
      title: info.title,
      needs: info.needs,
      measurements: [],
      series: [],
      events: [],
      experiments: [],
      teardownFailures: [],
      forcedRemovals: this.teardown.forcedRemovals,
    };
  }

  get config(): StreamcertConfig {
    return this.run.config;
  }

  /** A timeout from the config, in milliseconds. */
  timeout(name: keyof StreamcertConfig['timeouts']): number {
    return toMillis(this.config.timeouts[name]);
  }

  get flink(): Cluster {
    if (!this.clusters.flink) throw new Error(`${this.info.id} did not declare the flink cluster`);
    return this.clusters.flink;
  }

  get cassandra(): Cluster {
    if (!this.clusters.cassandra) throw new Error(`${this.info.id} did not declare the cassandra cluster`);
    return this.clusters.cassandra;
  }

  /** The suite's own namespace, created before the first step and deleted after the last. */
  get namespace(): string {
    if (!this.ns) throw new Error('the suite namespace exists only once the suite has started');
    return this.ns;
  }

  labels(extra: Record<string, string> = {}): Record<string, string> {
    return { ...runLabels(this.run.runId, this.info.id), ...extra };
  }

  record(name: string, value: number, unit: string, labels?: Record<string, string>): Measurement {
    const m: Measurement = { name, value, unit, at: nowIso(), check: this.currentCheck, labels };
    this.meta.measurements.push(m);
    log.info(`  ⏱ ${name}${labels ? ` ${JSON.stringify(labels)}` : ''} = ${value} ${unit}`);
    return m;
  }

  series(name: string, unit: string, labels?: Record<string, string>): SeriesHandle {
    const s: Series = { name, unit, labels, points: [] };
    this.meta.series.push(s);
    return { add: (value, at = new Date()) => s.points.push({ at: at.toISOString(), value }) };
  }

  mark(name: string, labels?: Record<string, string>, at = new Date()): Date {
    this.meta.events.push({ name, at: at.toISOString(), labels });
    return at;
  }

  async setUp(): Promise<void> {
    const access = {
      flink: { kubeconfig: this.run.flinkKubeconfig, context: this.run.flinkContext },
      cassandra: {
        kubeconfig: this.run.cassandraKubeconfig ?? this.run.flinkKubeconfig,
        context: this.run.cassandraContext ?? this.run.flinkContext,
      },
    };
    for (const which of this.info.clusters) {
      const { cluster } = await connect(access[which], `${which} cluster`, this.timeout('clusterReachable'));
      this.clusters[which] = cluster;
    }
    const home = this.clusters.flink ?? this.clusters.cassandra!;
    const ns = this.config.namespaces.suites ?? `sc-${this.run.runId}-${this.info.id.slice(0, 2)}`;
    if (!this.config.namespaces.suites) {
      await apply(home, {
        apiVersion: 'v1',
        kind: 'Namespace',
        metadata: { name: ns, labels: this.labels() },
      });
      this.teardown.add(`namespace ${ns}`, () =>
        deleteNamespace(home, ns, this.timeout('teardown'), {
          onForcedRemoval: this.teardown.recordForcedRemoval,
          forceFinalizersAfterMs: this.timeout('deletion'),
        }),
      );
    }
    this.ns = ns;
    this.meta.namespace = ns;
    this.evidenceNamespaces.add(ns);
  }

  async collectEvidence(check: string): Promise<string | undefined> {
    const home = this.clusters.flink ?? this.clusters.cassandra;
    if (!home) return undefined;
    const dir = join(this.run.reportDir, 'evidence', this.info.id, slug(check));
    const files = await collectEvidence(
      { cluster: home, namespaces: [...this.evidenceNamespaces], operatorNamespace: this.clusters.flink ? this.config.namespaces.operator : undefined },
      dir,
    );
    if (this.clusters.cassandra && this.clusters.cassandra !== home) {
      files.push(...(await collectEvidence({ cluster: this.clusters.cassandra, namespaces: [...this.evidenceNamespaces] }, join(dir, 'cassandra-cluster'))));
    }
    for (const f of files) {
      await allure.attachmentPath(relative(dir, f), f, f.endsWith('.yaml') ? 'application/yaml' : 'text/plain');
    }
    return relative(this.run.reportDir, dir);
  }
}

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
