// Does what Flink's sink took in match what Cassandra wrote? Each record the sink takes in becomes
// one INSERT, and each INSERT is one local write on each of RF replicas, so Cassandra's table write
// count (summed over nodes) should be RF × the sink's numRecordsIn. Two things make them differ
// without anything being lost or duplicated:
// - Flink's REST metrics are a copy the JobManager refreshes on request (Pipeline.countsTogether reads
//   Cassandra when the refresh starts and Flink once it has landed): the two are taken up to about a
//   second apart, so either may be ahead by what the sink wrote in between: rate × lag (3 s allowed).
// - Writes in flight (issued, not yet applied) and the driver's retries of timed-out writes (a replica
//   may apply a write twice): a few percent at most in a healthy cluster, the configured tolerance.
// Anything beyond that is a real discrepancy: lost writes (Cassandra behind) or duplicates/replays
// after an unnoticed restart (Cassandra ahead; the sink's counter restarts from 0 with the job).
export interface ReconcileInput {
  sinkRecords: number;
  cassandraWrites: number;
  replicationFactor: number;
  /** The sink's observed rate (records/s), for the lag allowance. */
  sinkRecordsPerSecond: number;
  tolerancePercent: number;
  lagSeconds?: number;
}

export interface ReconcileResult {
  ok: boolean;
  expectedWrites: number;
  allowedDifference: number;
  differencePercent: number;
  explanation: string;
}

export function reconcile(i: ReconcileInput): ReconcileResult {
  const lag = i.lagSeconds ?? 3;
  const expectedWrites = i.sinkRecords * i.replicationFactor;
  const difference = i.cassandraWrites - expectedWrites;
  const allowedDifference = Math.ceil(i.replicationFactor * i.sinkRecordsPerSecond * lag + (expectedWrites * i.tolerancePercent) / 100);
  const differencePercent = expectedWrites > 0 ? Math.round((difference / expectedWrites) * 1000) / 10 : 0;
  const ok = expectedWrites > 0 && Math.abs(difference) <= allowedDifference;
  const explanation =
    `Cassandra wrote ${i.cassandraWrites} local writes; Flink's sink took in ${i.sinkRecords} records × RF ${i.replicationFactor} = ${expectedWrites} expected; ` +
    `difference ${difference} (${differencePercent}%), allowed ±${allowedDifference} (${i.tolerancePercent}% + ${lag} s of metric lag at ${i.sinkRecordsPerSecond} records/s)` +
    (ok ? '' : expectedWrites === 0 ? ': the sink took in nothing' : difference < 0 ? ': Cassandra is missing writes' : ': Cassandra has more writes than the sink sent (replays or another writer)');
  return { ok, expectedWrites, allowedDifference, differencePercent, explanation };
}
