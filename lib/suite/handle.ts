// What a suite's steps hold: the run's configuration and clusters, the suite's own namespace
// (created before the first step, deleted after the last), figures with units, series and events
// for the reports, evidence on failure, and the teardown registry. lib/suite/dsl.ts declares the
// suite and its steps around one of these.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, relative, join } from 'node:path';
import * as allure from 'allure-js-commons';
import type { StreamcertConfig } from '../config/schema.ts';
import { toMillis } from '../config/schema.ts';
import { collectEvidence, slug } from '../evidence/collect.ts';
import { connect, type Cluster } from '../k8s/cluster.ts';
import { deleteNamespace } from '../k8s/namespace.ts';
import { apply } from '../k8s/objects.ts';
import { log } from '../log.ts';
import type { ChaosExperiment, ForcedRemoval, Measurement, Series, TimelineEvent } from '../results/model.ts';
import { runLabels, type RunContext } from '../run/context.ts';
import { TeardownRegistry } from '../run/teardown.ts';
import { nowIso } from '../util/time.ts';
import type { SuiteInfo } from './catalog.ts';
import { Deadline } from '../util/until.ts';
import { checkSelected } from '../run/selection.ts';

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

/** What a suite needs, declared at its top: `await session()` sets it up on first use and hands the same value after. */
export type Fixture<T> = () => Promise<T>;

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

  /** Whether this run includes the check named `name` (as reports show it: `group: step`); `--grep` may leave it out. */
  selects(name: string): boolean {
    return checkSelected(name, this.run.selection?.grep);
  }

  /** A timeout from the config, in milliseconds. */
  timeout(name: keyof StreamcertConfig['timeouts']): number {
    return toMillis(this.config.timeouts[name]);
  }

  /** A deadline that many milliseconds from now, for `until`. */
  deadline(name: keyof StreamcertConfig['timeouts']): Deadline {
    return Deadline.in(this.timeout(name));
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

  /**
   * Declares what the suite needs (a session cluster, a ready Cassandra, a pipeline) with its teardown
   * beside its set-up, at the top of the suite. The first step that asks sets it up, once for the suite;
   * the teardown joins the suite's own registry, so it runs after the last step, newest first, is kept
   * by --keep and reports its failures in the verdict (vitest's file-scoped `test.extend` fixtures would
   * do neither). A set-up that failed is not tried again: every step that asks gets the same failure.
   */
  fixture<T>(name: string, setUp: () => Promise<T>, tearDown?: (value: T) => Promise<unknown>): Fixture<T> {
    let value: Promise<T> | undefined;
    return () =>
      (value ??= setUp().then((v) => {
        if (tearDown) this.teardown.add(name, () => tearDown(v));
        return v;
      }));
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

  /** Writes `data` as JSON beside this suite's other evidence (a full observation too large for a message); returns its path. */
  writeEvidence(file: string, data: unknown): string {
    const path = join(this.run.reportDir, 'evidence', this.info.id, file);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, JSON.stringify(data));
    return path;
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

// What a helper receives of its suite: the parts it works with, not the whole handle (it cannot record
// figures or verdicts on the suite's behalf unless its context says so).

/** A handle on objects in the Flink cluster (a FlinkDeployment, a FlinkSessionJob, a recovery watch). */
export type FlinkContext = Pick<SuiteHandle, 'config' | 'flink' | 'teardown' | 'timeout' | 'deadline'>;

/** A helper that creates the suite's objects from its plan, in the suite's namespace under its labels. */
export type PlanContext = FlinkContext & Pick<SuiteHandle, 'namespace' | 'labels' | 'run'>;

/** The run's Cassandra: it may live on another cluster and outlive the suite that created it. */
export type CassandraContext = Pick<SuiteHandle, 'config' | 'cassandra' | 'teardown' | 'deadline' | 'labels' | 'run' | 'evidenceNamespaces'>;
