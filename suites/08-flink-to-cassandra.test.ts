// 08 Flink → Cassandra: the paper ran TopSpeedWindowing into example.topspeeds and read one Write
// Count from `nodetool tablestats`; its count(*) timed out. Here the job's rows must be read back for
// every car, the table's write count must grow steadily over a sampling window, Flink's own count of
// what the sink took in must reconcile with Cassandra's count of what it wrote, every row the
// deterministic job must have written up to a completed checkpoint is there and no other (a set
// check), and a full paged count completes.
import { CassandraCluster } from '../lib/cassandra/k8ssandra.ts';
import { createPaperSchema } from '../lib/cassandra/schema.ts';
import { countRowsPaged } from '../lib/cassandra/table-stats.ts';
import { toMillis } from '../lib/config/schema.ts';
import { reconcile } from '../lib/pipeline/reconcile.ts';
import { judgeWriteGrowth } from '../lib/pipeline/write-growth.ts';
import { sampleWriteCount } from '../lib/pipeline/write-sampling.ts';
import { Pipeline } from '../lib/pipeline/pipeline.ts';
import { judgeRowsAppeared } from '../lib/pipeline/first-rows.ts';
import { judgeFullCount, judgePartitions } from '../lib/pipeline/table-judges.ts';
import { recordObservation } from '../lib/flink/record-observation.ts';
import { deleteRows, rewriteRows, untilFinalKeys, withForeignPartition } from '../lib/pipeline/sabotage.ts';
import { judgeWrittenSet } from '../lib/pipeline/written-set.ts';
import { whileFrozen } from '../lib/lab/index.ts';
import { observesOnly, step, suite } from '../lib/suite/dsl.ts';
import { faultActive } from '../lib/suite/selftest-faults.ts';
import { holds } from '../lib/util/judgement.ts';
import { secondsSince } from '../lib/util/time.ts';

suite('08-flink-to-cassandra', (s) => {
  const cassandra = s.fixture('a ready Cassandra with the paper schema', async () => {
    const c = new CassandraCluster(s);
    await c.ensure();
    await c.untilReady();
    await createPaperSchema(await c.session(), s.config);
    return c;
  });
  const pipeline = s.fixture('the topspeeds pipeline writing to it', async () => {
    const p = new Pipeline(s, await cassandra(), 'topspeeds');
    await p.start();
    return p;
  });
  const table = `${s.config.pipeline.keyspace}.${s.config.pipeline.table}`;
  let sinkRecordsPerSecond = 0;

  step('the pipeline job runs against the ready Cassandra cluster', async () => {
    await cassandra();
    const started = Date.now();
    const p = await pipeline();
    s.record('timeToRunning', secondsSince(started), 's');
    await p.sinkVertex();
  });

  step('rows appear in the table', async () => {
    const firstRows = await (await pipeline()).firstRows(s.timeout('jobRunning'));
    holds(judgeRowsAppeared(firstRows));
    s.record('timeToFirstWrite', Math.round(firstRows.waitedMs / 10) / 100, 's');
  });

  step('the write count grows monotonically over the sampling window', async () => {
    const windowMs = toMillis(s.config.pipeline.samplingWindow);
    const writeCount = s.series('writeCount', 'count');
    const writeRate = s.series('writesPerSecond', '1/s');
    const p = await pipeline();
    const { samples, lastCount, p99Ms } = await sampleWriteCount(() => p.tableWrites(), windowMs, (count, at, perSecond) => {
      writeCount.add(count, at);
      if (perSecond !== undefined) writeRate.add(perSecond, at);
    });
    const verdict = judgeWriteGrowth(samples, table);
    s.record('unreadSamples', verdict.unread, 'count');
    holds(verdict);
    sinkRecordsPerSecond = verdict.writesPerSecond / (await cassandra()).replicationFactor;
    s.record('writesPerSecond', verdict.writesPerSecond, '1/s');
    s.record('writeCount', lastCount!, 'count');
    s.record('p99LocalWriteLatency', p99Ms, 'ms');
  });

  // The table checks below only read what the job wrote: one failing holds back none of the others.
  step('every car has its partition', async () => {
    const session = await (await cassandra()).session();
    const readPartitions = () => session.execute(`SELECT DISTINCT carid FROM ${table}`, undefined, { fetchSize: 1000, prepare: false });
    const foreign = faultActive('topspeeds-foreign-partition', s.config.target);
    const rs = foreign ? await withForeignPartition(session, table, s.config.pipeline.cars + 100, readPartitions) : await readPartitions();
    const observed = { table, expectedCars: s.config.pipeline.cars, carIds: rs.rows.map((r) => Number(r.get('carid'))).sort((a, b) => a - b) };
    recordObservation('08-partitions', observed);
    s.record('partitions', observed.carIds.length, 'count');
    holds(judgePartitions(observed));
  }, observesOnly);

  step("Flink's sink count and Cassandra's write count reconcile", async () => {
    const c = await cassandra();
    const rf = c.replicationFactor;
    if (faultActive('topspeeds-writes-duplicated', s.config.target)) await rewriteRows(await c.session(), table, 3);
    const { sinkRecords, writes } = await (await pipeline()).countsTogether();
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
    holds({ ok: result.ok, reason: result.explanation });
  }, observesOnly);

  step('every row the job must have written up to a completed checkpoint is in the table, and no other', async () => {
    const p = await pipeline();
    let point = await p.flushedPoint(s.timeout('checkpoint'));
    if (faultActive('topspeeds-rows-deleted', s.config.target)) {
      // Early in the run no row may be final yet (a later firing could write it again): the fault
      // waits for a flushed point with three final rows, so it always deletes three for real.
      const found = await untilFinalKeys(p.params(), point, (leftMs) => p.flushedPoint(Math.min(s.timeout('checkpoint'), leftMs)), 3);
      point = found.point;
      await deleteRows(await (await cassandra()).session(), table, found.keys);
    }
    const observed = await p.writtenSet(point);
    const verdict = judgeWrittenSet(observed);
    // Every lost and unexpected key, and what was read, beside the run's other evidence.
    const evidence = s.writeEvidence('written-set.json', { ...observed, written: observed.written.map((k) => [k.carid, k.time]), lost: verdict.lost, unexpected: verdict.unexpected });
    s.record('expectedKeys', verdict.expectedKeys, 'count');
    s.record('lostKeys', verdict.lostKeys, 'count');
    s.record('unexpectedKeys', verdict.unexpectedKeys, 'count');
    holds(verdict.ok ? verdict : { ...verdict, reason: `${verdict.reason} (every key: ${evidence})` });
  }, observesOnly);

  step('a full-table count with paging completes without a timeout', async () => {
    const c = await cassandra();
    const session = await c.session();
    const victim = faultActive('cassandra-frozen-during-count', s.config.target) ? (await c.pods())[0] : undefined;
    const started = Date.now();
    const counted = await whileFrozen(victim, 'cassandra', () => countRowsPaged(session, s.config.pipeline.keyspace, s.config.pipeline.table, 'carid')).catch((err: Error) => ({
      rows: 0,
      pages: 0,
      error: err.message,
    }));
    const observed = { table, ...counted, seconds: secondsSince(started), atLeast: s.config.pipeline.cars };
    recordObservation('08-full-count', observed);
    s.record('fullCountRows', observed.rows, 'count');
    s.record('fullCountDuration', observed.seconds, 's');
    s.record('fullCountPages', observed.pages, 'count');
    holds(judgeFullCount(observed));
  });
});
