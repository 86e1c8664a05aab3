// 08 Flink → Cassandra: the paper ran TopSpeedWindowing into example.topspeeds and read one Write
// Count from `nodetool tablestats`; its count(*) timed out. Here the job's rows must be read back for
// every car, the table's write count must grow steadily over a sampling window, Flink's own count of
// what the sink took in must reconcile with Cassandra's count of what it wrote, every row the
// deterministic job must have written up to a completed checkpoint is there and no other (a set
// check), and a full paged count completes.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
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
    const firstRows = await pipeline.firstRows(s.timeout('jobRunning'));
    holds(judgeRowsAppeared(firstRows));
    s.record('timeToFirstWrite', Math.round(firstRows.waitedMs / 10) / 100, 's');
  });

  step('the write count grows monotonically over the sampling window', async () => {
    const windowMs = toMillis(s.config.pipeline.samplingWindow);
    const writeCount = s.series('writeCount', 'count');
    const writeRate = s.series('writesPerSecond', '1/s');
    const { samples, lastCount, p99Ms } = await sampleWriteCount(() => pipeline.tableWrites(), windowMs, (count, at, perSecond) => {
      writeCount.add(count, at);
      if (perSecond !== undefined) writeRate.add(perSecond, at);
    });
    const verdict = judgeWriteGrowth(samples, table());
    s.record('unreadSamples', verdict.unread, 'count');
    holds(verdict);
    sinkRecordsPerSecond = verdict.writesPerSecond / cassandra.replicationFactor;
    s.record('writesPerSecond', verdict.writesPerSecond, '1/s');
    s.record('writeCount', lastCount!, 'count');
    s.record('p99LocalWriteLatency', p99Ms, 'ms');
  });

  // The table checks below only read what the job wrote: one failing holds back none of the others.
  step('every car has its partition', async () => {
    const session = await cassandra.session();
    const readPartitions = () => session.execute(`SELECT DISTINCT carid FROM ${table()}`, undefined, { fetchSize: 1000, prepare: false });
    const foreign = faultActive('topspeeds-foreign-partition', s.config.target);
    const rs = foreign ? await withForeignPartition(session, table(), s.config.pipeline.cars + 100, readPartitions) : await readPartitions();
    const observed = { table: table(), expectedCars: s.config.pipeline.cars, carIds: rs.rows.map((r) => Number(r.get('carid'))).sort((a, b) => a - b) };
    recordObservation('08-partitions', observed);
    s.record('partitions', observed.carIds.length, 'count');
    holds(judgePartitions(observed));
  }, observesOnly);

  step("Flink's sink count and Cassandra's write count reconcile", async () => {
    const rf = cassandra.replicationFactor;
    if (faultActive('topspeeds-writes-duplicated', s.config.target)) await rewriteRows(await cassandra.session(), table(), 3);
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
    holds({ ok: result.ok, reason: result.explanation });
  }, observesOnly);

  step('every row the job must have written up to a completed checkpoint is in the table, and no other', async () => {
    let point = await pipeline.flushedPoint(s.timeout('checkpoint'));
    if (faultActive('topspeeds-rows-deleted', s.config.target)) {
      // Early in the run no row may be final yet (a later firing could write it again): the fault
      // waits for a flushed point with three final rows, so it always deletes three for real.
      const found = await untilFinalKeys(pipeline.params(), point, (leftMs) => pipeline.flushedPoint(Math.min(s.timeout('checkpoint'), leftMs)), 3);
      point = found.point;
      await deleteRows(await cassandra.session(), table(), found.keys);
    }
    const observed = await pipeline.writtenSet(point);
    const verdict = judgeWrittenSet(observed);
    // Every lost and unexpected key, and what was read, beside the run's other evidence.
    const evidence = join(s.run.reportDir, 'evidence', '08-flink-to-cassandra', 'written-set.json');
    mkdirSync(dirname(evidence), { recursive: true });
    writeFileSync(evidence, JSON.stringify({ ...observed, written: observed.written.map((k) => [k.carid, k.time]), lost: verdict.lost, unexpected: verdict.unexpected }));
    s.record('expectedKeys', verdict.expectedKeys, 'count');
    s.record('lostKeys', verdict.lostKeys, 'count');
    s.record('unexpectedKeys', verdict.unexpectedKeys, 'count');
    holds(verdict.ok ? verdict : { ...verdict, reason: `${verdict.reason} (every key: ${evidence})` });
  }, observesOnly);

  step('a full-table count with paging completes without a timeout', async () => {
    const session = await cassandra.session();
    const victim = faultActive('cassandra-frozen-during-count', s.config.target) ? (await cassandra.pods())[0] : undefined;
    const started = Date.now();
    const counted = await whileFrozen(victim, 'cassandra', () => countRowsPaged(session, pipeline.keyspace, pipeline.table, 'carid')).catch((err: Error) => ({
      rows: 0,
      pages: 0,
      error: err.message,
    }));
    const observed = { table: table(), ...counted, seconds: secondsSince(started), atLeast: s.config.pipeline.cars };
    recordObservation('08-full-count', observed);
    s.record('fullCountRows', observed.rows, 'count');
    s.record('fullCountDuration', observed.seconds, 's');
    s.record('fullCountPages', observed.pages, 'count');
    holds(judgeFullCount(observed));
  });
});
