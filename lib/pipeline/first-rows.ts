// Judges 08's "rows appear in the table": rows read back with a SELECT, not a write counter (a
// counter grows for writes to any table of that name on any node, and says nothing about what a read
// returns).
import type { RowKey } from '../cassandra/table-stats.ts';
import { fail, pass, type Judgement } from '../util/judgement.ts';

export interface FirstRowsObservation {
  table: string;
  /** The job's tick 0: only rows from then on are its own. */
  sinceMs: number;
  /** The rows the last SELECT returned (a sample, LIMIT n). */
  rows: RowKey[];
  waitedMs: number;
  /** The last SELECT's error, when it failed. */
  lastError?: string;
  /** The sink had taken in this many records before checkpoint `checkpointId` was triggered, and it completed. */
  flushed?: { sinkRecords: number; checkpointId: number };
}

const show = (rows: RowKey[], n = 5) =>
  rows
    .slice(0, n)
    .map((r) => `car ${r.carid} at ${new Date(r.time).toISOString()}`)
    .join(', ') + (rows.length > n ? ', …' : '');

export function judgeRowsAppeared(o: FirstRowsObservation): Judgement {
  const waited = `${Math.round(o.waitedMs / 100) / 10} s`;
  if (o.rows.length === 0 && o.flushed) {
    return fail(
      `no rows of this job in ${o.table} after ${waited} of reading it, although the sink had taken in ${o.flushed.sinkRecords} records before checkpoint ` +
        `#${o.flushed.checkpointId} completed (so Cassandra had acknowledged their INSERTs): a LOCAL_QUORUM read returns none of them, the job writes somewhere else (its --table argument in the FlinkDeployment)`,
    );
  }
  if (o.rows.length === 0) {
    return fail(
      `no rows of this job in ${o.table} after ${waited} of reading it (SELECT carid, time … WHERE time >= ${o.sinceMs}, the job's start, returned none` +
        `${o.lastError ? `; last error: ${o.lastError}` : ''}): the job wrote nothing there; see the job's exceptions and the sink's numRecordsIn in the evidence`,
    );
  }
  const cars = new Set(o.rows.map((r) => r.carid));
  return pass(`${o.rows.length} rows read from ${o.table} after ${waited} (${cars.size} cars among them): ${show(o.rows)}`);
}
