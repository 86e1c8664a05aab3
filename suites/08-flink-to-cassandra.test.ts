// 08 Flink → Cassandra: the paper ran TopSpeedWindowing into example.topspeeds and read one Write
// Count from `nodetool tablestats`; its count(*) timed out. Here rows must appear for every car, the
// table's write count must grow steadily over a sampling window, Flink's own count of what the sink
// took in must reconcile with Cassandra's count of what it wrote, and a full paged count completes.
import { expect } from 'vitest';
import { CassandraCluster } from '../lib/cassandra/k8ssandra.ts';
import { createPaperSchema } from '../lib/cassandra/schema.ts';
import { countRowsPaged } from '../lib/cassandra/table-stats.ts';
import { toMillis } from '../lib/config/schema.ts';
import { reconcile } from '../lib/pipeline/reconcile.ts';
import { Pipeline } from '../lib/pipeline/pipeline.ts';
import { step, suite } from '../lib/suite/dsl.ts';
import { pollPause, secondsSince } from '../lib/util/time.ts';

suite('08-flink-to-cassandra', (s) => {
  const cassandra = new CassandraCluster(s);
  const pipeline = new Pipeline(s, cassandra, 'topspeeds');
  const table = () => `${pipeline.keyspace}.${pipeline.table}`;
  let sinkRecordsPerSecond = 0;

  step('the pipeline job runs against the ready Cassandra cluster', async () => {
    await cassandra.ensure();
    await cassandra.untilReady();
    await createPaperSchema(await cassandra.session(), s.config);
    const started = Date.now();
    await pipeline.start();
    s.record('timeToRunning', secondsSince(started), 's');
    await pipeline.sinkVertex();
  });

  step('rows appear in the table', async () => {
    const started = Date.now();
    await pipeline.untilWritesGrow(0, s.timeout('jobRunning'), 'first rows');
    s.record('timeToFirstWrite', secondsSince(started), 's');
  });

  step('the write count grows monotonically over the sampling window', async () => {
    const windowMs = toMillis(s.config.pipeline.samplingWindow);
    const writeCount = s.series('writeCount', 'count');
    const writeRate = s.series('writesPerSecond', '1/s');
    const samples: { at: number; count: number }[] = [];
    const end = Date.now() + windowMs;
    let p99 = 0;
    while (Date.now() < end || samples.length < 3) {
      const writes = await pipeline.tableWrites();
      const at = Date.now();
      const prev = samples.at(-1);
      samples.push({ at, count: writes.count });
      writeCount.add(writes.count, new Date(at));
      if (prev) writeRate.add(Math.round(((writes.count - prev.count) / ((at - prev.at) / 1000)) * 10) / 10, new Date(at));
      p99 = Math.max(p99, writes.p99Ms ?? 0);
      await pollPause(2000);
    }
    const decreases = samples.slice(1).filter((x, i) => x.count < samples[i]!.count);
    expect(decreases, `write count of ${table()} went down between samples: ${samples.map((x) => x.count).join(' → ')}`).toEqual([]);
    const first = samples[0]!;
    const last = samples.at(-1)!;
    expect(last.count, `write count of ${table()} over ${(last.at - first.at) / 1000} s: ${samples.map((x) => x.count).join(' → ')}`).toBeGreaterThan(first.count);
    const writesPerSecond = Math.round(((last.count - first.count) / ((last.at - first.at) / 1000)) * 10) / 10;
    sinkRecordsPerSecond = writesPerSecond / cassandra.replicationFactor;
    s.record('writesPerSecond', writesPerSecond, '1/s');
    s.record('writeCount', last.count, 'count');
    s.record('p99LocalWriteLatency', p99, 'ms');
  });

  step('every car has its partition', async () => {
    const session = await cassandra.session();
    const rs = await session.execute(`SELECT DISTINCT carid FROM ${table()}`, undefined, { fetchSize: 1000, prepare: false });
    const cars = rs.rows.map((r) => Number(r.get('carid'))).sort((a, b) => a - b);
    s.record('partitions', cars.length, 'count');
    expect(cars.length, `partitions (distinct carid) in ${table()}: ${cars.join(', ')}`).toBe(s.config.pipeline.cars);
  });

  step("Flink's sink count and Cassandra's write count reconcile", async () => {
    const rf = cassandra.replicationFactor;
    const { sinkRecords, writes } = await pipeline.countsTogether();
    const result = reconcile({
      sinkRecords,
      cassandraWrites: writes.count,
      replicationFactor: rf,
      sinkRecordsPerSecond,
      tolerancePercent: s.config.pipeline.reconcileTolerancePercent,
    });
    s.record('sinkRecords', sinkRecords, 'count');
    s.record('cassandraWrites', writes.count, 'count');
    s.record('reconcileDifference', result.differencePercent, '%');
    expect(result.ok, result.explanation).toBe(true);
  });

  step('a full-table count with paging completes without a timeout', async () => {
    const session = await cassandra.session();
    const started = Date.now();
    const { rows, pages } = await countRowsPaged(session, pipeline.keyspace, pipeline.table, 'carid');
    const seconds = secondsSince(started);
    s.record('fullCountRows', rows, 'count');
    s.record('fullCountDuration', seconds, 's');
    s.record('fullCountPages', pages, 'count');
    expect(rows, `rows counted in ${table()}`).toBeGreaterThanOrEqual(s.config.pipeline.cars);
  });
});
