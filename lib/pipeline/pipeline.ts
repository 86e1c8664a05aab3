// The running pipeline as 08 and 09 see it: start it against the run's Cassandra, find its sink, and
// read the two counters that must agree: what Flink's sink took in, and what Cassandra wrote.
import type { CassandraCluster } from '../cassandra/k8ssandra.ts';
import type { CqlSession } from '../cassandra/cql.ts';
import { tableWrites, type TableWrites } from '../cassandra/table-stats.ts';
import { FlinkDeploymentHandle } from '../flink/deployment.ts';
import { flinkServiceAccount, rwxClaim } from '../flink/manifests.ts';
import type { FlinkRest, Vertex } from '../flink/rest.ts';
import { apply } from '../k8s/objects.ts';
import { rwxStorageClass } from '../platform/checks.ts';
import type { SuiteHandle } from '../suite/dsl.ts';
import { pollUntil } from '../util/poll.ts';
import { pollPause } from '../util/time.ts';
import { credentialsSecretObject, metricRefreshMs, pipelineDeployment } from './manifests.ts';

export class Pipeline {
  fd!: FlinkDeploymentHandle;
  jobId = '';
  private sink?: Vertex;
  private nodes?: CqlSession[];

  constructor(
    private readonly s: SuiteHandle,
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

  /** Starts the job and waits until the operator reports it RUNNING; returns the job id. */
  async start(): Promise<string> {
    const s = this.s;
    const { username, password } = await this.cassandra.credentials();
    const objects = [...flinkServiceAccount(s.config, s.namespace, s.labels()), credentialsSecretObject(s.namespace, s.labels(), username, password)];
    let haClaim: string | undefined;
    if (this.opts.ha) {
      const storage = await rwxStorageClass(s.flink, s.config.flink.rwxStorageClass);
      if (!storage.name) throw new Error(storage.problem);
      haClaim = `${this.name}-data`;
      objects.push(rwxClaim(haClaim, s.namespace, s.labels(), storage.name));
    }
    for (const obj of objects) await apply(s.flink, obj);
    this.fd = new FlinkDeploymentHandle(
      s,
      pipelineDeployment({ name: this.name, namespace: s.namespace, labels: s.labels(), config: s.config, cassandraEndpoint: this.cassandraEndpoint(), haClaim }),
    );
    await this.fd.apply();
    const st = await this.fd.untilStatus({ lifecycleState: 'STABLE', jobManager: 'READY', job: 'RUNNING' });
    this.jobId = st.jobStatus!.jobId!;
    return this.jobId;
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
    const { value } = await pollUntil({
      description: `${what}: the write count of ${this.keyspace}.${this.table} to grow beyond ${after}`,
      check: async () => {
        seen = (await this.tableWrites()).count;
        return seen > after ? seen : undefined;
      },
      observe: () => `write count ${seen}`,
      timeoutMs,
      intervalMs: 1000,
    });
    return value;
  }
}
