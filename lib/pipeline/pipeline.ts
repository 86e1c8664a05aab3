// The running pipeline as 08 and 09 see it: start it against the run's Cassandra, find its sink, and
// read the two counters that must agree: what Flink's sink took in, and what Cassandra wrote.
import type { CassandraCluster } from '../cassandra/k8ssandra.ts';
import type { CqlSession } from '../cassandra/cql.ts';
import { readRowKeys, sampleRowKeys, tableWrites, type RowKey, type TableWrites } from '../cassandra/table-stats.ts';
import { FlinkDeploymentHandle } from '../flink/deployment.ts';
import type { CheckpointStats, FlinkRest, Vertex } from '../flink/rest.ts';
import { apply } from '../k8s/objects.ts';
import { rwxStorageClass } from '../platform/checks.ts';
import type { PlanContext } from '../suite/handle.ts';
import { pollPause } from '../util/time.ts';
import { metricRefreshMs } from './manifests.ts';
import { chaosPlan, flinkToCassandraPlan } from '../suite/plans.ts';
import type { FirstRowsObservation } from './first-rows.ts';
import type { TopSpeedsParams } from './topspeeds-model.ts';
import type { WrittenSetObservation } from './written-set.ts';
import { type Condition, Deadline, observed, polled, until } from '../util/until.ts';

/** Records the source had emitted before checkpoint `checkpointId` was triggered, which then completed. */
export interface FlushedPoint {
  sourceRecords: number;
  checkpointId: number;
}

export class Pipeline {
  fd!: FlinkDeploymentHandle;
  jobId = '';
  /** Event time of the generator's tick 0, given to the job at start. */
  startTimeMs = 0;
  private sink?: Vertex;
  private nodes?: CqlSession[];

  constructor(
    private readonly s: PlanContext,
    readonly cassandra: CassandraCluster,
    readonly name: string,
    private readonly opts: { ha?: boolean } = {},
  ) {}

  get keyspace(): string {
    return this.s.config.pipeline.keyspace;
  }

  /** The table the checks read (the job writes `jobTable` when a negative control sets it). */
  get table(): string {
    return this.s.config.pipeline.table;
  }

  /** Where the Flink pods reach CQL: the datacenter Service in the same cluster, else the configured address. */
  private cassandraEndpoint(): string {
    const { address } = this.s.config.cassandra;
    const sameCluster = this.s.run.cassandraKubeconfig === undefined || (this.s.run.cassandraKubeconfig === this.s.run.flinkKubeconfig && this.s.run.cassandraContext === this.s.run.flinkContext);
    if (sameCluster) return `${this.cassandra.names.service}.${this.cassandra.namespace}.svc.cluster.local:9042`;
    if (!address) throw new Error('Cassandra runs on another cluster than Flink: set cassandra.address (a LoadBalancer host:port the Flink pods can reach)');
    return address;
  }

  /** Applies the suite's plan (08's or 09's) and waits until the operator reports the job RUNNING; returns the job id. */
  async start(): Promise<string> {
    const s = this.s;
    const storage = this.opts.ha ? await rwxStorageClass(s.flink, s.config.flink.rwxStorageClass) : undefined;
    if (storage && !storage.name) throw new Error(storage.problem);
    this.startTimeMs = Date.now();
    const plan = (this.opts.ha ? chaosPlan : flinkToCassandraPlan)(s.config, s.namespace, s.labels(), {
      cassandraLogin: await this.cassandra.credentials(),
      cassandraEndpoint: this.cassandraEndpoint(),
      pipelineStartMs: this.startTimeMs,
      rwxStorageClass: storage?.name,
    });
    for (const obj of [plan.serviceAccount, plan.credentials, plan.haClaim].flat()) await apply(s.flink, obj);
    this.fd = new FlinkDeploymentHandle(s, plan.pipeline);
    await this.fd.apply();
    const st = await until(this.fd.status({ lifecycleState: 'STABLE', jobManager: 'READY', job: 'RUNNING' }), this.s.deadline('jobRunning'));
    this.jobId = st.jobStatus!.jobId!;
    return this.jobId;
  }

  /** What the job generates, for the model of the rows it writes. */
  params(): TopSpeedsParams {
    const { cars, recordsPerSecond } = this.s.config.pipeline;
    return { cars, recordsPerSecond, startTimeMs: this.startTimeMs };
  }

  /** The job has completed checkpoint `id` or a later one. */
  checkpointCompleted(id: number): Condition<CheckpointStats> {
    let last: CheckpointStats | undefined;
    return polled({
      description: `checkpoint #${id} of job ${this.jobId} completed`,
      check: async () => {
        last = await (await this.rest()).checkpoints(this.jobId);
        return (last.latestCompleted?.id ?? 0) >= id ? last : undefined;
      },
      observe: () => `latest completed #${last?.latestCompleted?.id ?? '-'}`,
    });
  }

  rest(): Promise<FlinkRest> {
    return this.fd.rest();
  }

  /** The Cassandra sink vertex (named `Cassandra Sink: <keyspace>.<table>` by the job). */
  async sinkVertex(): Promise<Vertex> {
    if (this.sink) return this.sink;
    const job = await (await this.rest()).job(this.jobId);
    const sink = job.vertices.find((v) => /cassandra sink/i.test(v.name));
    if (!sink) throw new Error(`job ${this.jobId} has no Cassandra sink vertex (vertices: ${job.vertices.map((v) => v.name).join('; ')})`);
    this.sink = sink;
    return sink;
  }

  /** Records the sink took in (summed over its subtasks), as Flink's REST metrics report them. */
  async sinkRecords(): Promise<number> {
    const sink = await this.sinkVertex();
    const m = await (await this.rest()).vertexMetrics(this.jobId, sink.id, ['numRecordsIn']);
    return m['numRecordsIn'] ?? 0;
  }

  /**
   * Flink's sink count and Cassandra's write count, taken at (nearly) the same moment. Flink's REST
   * handlers answer from a metric store that the request itself refreshes in the background, so an
   * answer holds the values of the previous refresh, however long ago that was (31 s in a run where
   * nothing had asked since the job started). Hence: one request to start a refresh, Cassandra read
   * right then, and the refreshed value read once it has landed.
   */
  async countsTogether(): Promise<{ sinkRecords: number; writes: TableWrites }> {
    await this.sinkRecords();
    const writes = await this.tableWrites();
    await pollPause(metricRefreshMs + 500);
    return { sinkRecords: await this.sinkRecords(), writes };
  }

  /** Local writes of the checked table, summed over every Cassandra node. */
  async tableWrites(): Promise<TableWrites> {
    this.nodes ??= await this.cassandra.nodeSessions();
    return tableWrites(this.nodes, this.keyspace, this.table);
  }

  /** Re-opens the per-node sessions (after a Cassandra pod was replaced). */
  resetNodeSessions(): void {
    this.nodes = undefined;
  }

  /** Waits until the table's write count exceeds `after`; returns the new count. */
  async untilWritesGrow(after: number, timeoutMs: number, what = 'writes'): Promise<number> {
    let seen = after;
    const value = await until(
      polled({
        description: `${what}: the write count of ${this.keyspace}.${this.table} to grow beyond ${after}`,
        check: async () => {
          seen = (await this.tableWrites()).count;
          return seen > after ? seen : undefined;
        },
        observe: () => `write count ${seen}`,
        intervalMs: 1000,
      }),
      Deadline.in(timeoutMs),
    );
    return value;
  }

  /**
   * Reads a sample of this job's rows until some are there or the deadline passes; the judge decides.
   * Meanwhile it watches Flink: once the sink has taken in records and a checkpoint triggered after
   * that has completed (no restore between), Cassandra acknowledged their INSERTs, so from then on an
   * empty quorum read is decisive and ends the wait.
   */
  async firstRows(timeoutMs: number): Promise<FirstRowsObservation> {
    const table = `${this.keyspace}.${this.table}`;
    const started = Date.now();
    let lastError: string | undefined;
    let pending: { sinkRecords: number; afterCheckpoint: number; restored: number } | undefined;
    let flushed: FirstRowsObservation['flushed'];
    const seen = (rows: RowKey[]): FirstRowsObservation => ({
      table,
      sinceMs: this.startTimeMs,
      rows,
      waitedMs: Date.now() - started,
      ...(lastError ? { lastError } : {}),
      ...(flushed ? { flushed } : {}),
    });
    // Once the sink has records and a checkpoint triggered after them completed, Cassandra has them.
    const noteFlush = async (): Promise<void> => {
      try {
        const rest = await this.rest();
        if (!pending) {
          const sinkRecords = await this.sinkRecords();
          const cp = await rest.checkpoints(this.jobId);
          if (sinkRecords > 0) pending = { sinkRecords, afterCheckpoint: latestTriggeredId(cp), restored: cp.counts.restored };
        } else {
          const cp = await rest.checkpoints(this.jobId);
          if (cp.counts.restored !== pending.restored) pending = undefined;
          else if ((cp.latestCompleted?.id ?? 0) > pending.afterCheckpoint) flushed = { sinkRecords: pending.sinkRecords, checkpointId: cp.latestCompleted!.id };
        }
      } catch {
        // Flink's REST not answering only means the wait cannot end early; the rows are still read.
      }
    };
    const last = await until(
      observed<{ rows?: RowKey[]; decisive: boolean }>({
        description: `rows of ${table}`,
        intervalMs: 1000,
        observe: async () => {
          const decisive = flushed !== undefined;
          let rows: RowKey[] | undefined;
          try {
            rows = await sampleRowKeys(await this.cassandra.session(), this.keyspace, this.table, { cars: this.s.config.pipeline.cars, sinceMs: this.startTimeMs });
            lastError = undefined;
          } catch (err) {
            lastError = (err as Error).message.split('\n')[0];
          }
          if (!rows?.length && !flushed) await noteFlush();
          return { rows, decisive };
        },
        // A read that failed is no answer, decisive or not.
        done: (o) => o.rows !== undefined && (o.rows.length > 0 || o.decisive),
        describe: (o) => (o?.rows ? `${o.rows.length} row(s)` : (lastError ?? '')),
      }),
      Deadline.in(timeoutMs),
    );
    return seen(last.rows ?? []);
  }

  /** Records the source emitted (its numRecordsOut); 0 again after each restart of its task. */
  async sourceRecords(): Promise<number> {
    const job = await (await this.rest()).job(this.jobId);
    const source = job.vertices.find((v) => /^source: car data/i.test(v.name));
    if (!source) throw new Error(`job ${this.jobId} has no car data source vertex (vertices: ${job.vertices.map((v) => v.name).join('; ')})`);
    const m = await (await this.rest()).vertexMetrics(this.jobId, source.id, ['numRecordsOut']);
    return m['numRecordsOut'] ?? 0;
  }

  /**
   * A point up to which every row must be in Cassandra: the source's record count, then a checkpoint
   * triggered after it was read, completed. The sink flushes all pending INSERTs before it acknowledges
   * a checkpoint, so the rows of those records were acknowledged. A restore in between (the source
   * replays from an older index, its counter restarts) voids the point, and a new one is taken.
   */
  async flushedPoint(timeoutMs: number): Promise<FlushedPoint> {
    const rest = await this.rest();
    const value = await until(
      polled({
        description: `a checkpoint of job ${this.jobId} to complete after the source's record count was read, with no restore in between`,
        intervalMs: 500,
        check: async () => {
          const before = await rest.checkpoints(this.jobId);
          // One request starts the JobManager's metric refresh; the value read after it is current.
          await this.sourceRecords();
          await pollPause(metricRefreshMs + 500);
          const sourceRecords = await this.sourceRecords();
          const latestTriggered = latestTriggeredId(await rest.checkpoints(this.jobId));
          const done = await until(
            polled({
              description: `checkpoint #${latestTriggered + 1} or later of job ${this.jobId} to complete`,
              intervalMs: 500,
              check: async () => {
                const cp = await rest.checkpoints(this.jobId);
                return (cp.latestCompleted?.id ?? 0) > latestTriggered ? cp : undefined;
              },
            }),
            Deadline.in(60_000),
          );
          const restored = done.counts.restored !== before.counts.restored;
          return restored ? undefined : { sourceRecords, checkpointId: done.latestCompleted!.id };
        },
      }),
      Deadline.in(timeoutMs),
    );
    return value;
  }

  /** The set check's observation: every row's key, read at LOCAL_QUORUM after the flushed point. */
  async writtenSet(point: FlushedPoint): Promise<WrittenSetObservation> {
    const written: RowKey[] = await readRowKeys(await this.cassandra.session(), this.keyspace, this.table);
    return { table: `${this.keyspace}.${this.table}`, params: this.params(), ...point, written, readAt: Date.now() };
  }
}

/** The newest checkpoint the JobManager has triggered (completed, failed or in progress). */
function latestTriggeredId(cp: CheckpointStats): number {
  return Math.max(0, cp.latestCompleted?.id ?? 0, ...cp.history.map((h) => h.id));
}
