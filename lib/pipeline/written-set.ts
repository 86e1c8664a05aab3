// Judges 08's set check, Jepsen's "set" workload for a stream: the job's input is deterministic, so
// the rows it must have written are known (topspeeds-model.ts). The point up to which they must be
// there is observed, not assumed: the source had emitted `sourceRecords` records (Flink's numRecordsOut)
// before checkpoint `checkpointId` was triggered, and that checkpoint completed with no restore in
// between. The sink flushes every pending INSERT before it acknowledges a checkpoint (at-least-once), so
// every row of a firing by one of those records was acknowledged by Cassandra at LOCAL_QUORUM, and a
// LOCAL_QUORUM read must return it. A key missing is a lost write. A key read that no firing of the
// generator's records up to `readAt` (+ a margin) produces is unexpected: another writer, corrupted
// values, or a model that no longer matches the job; either fails the check. Rows older than the job's
// tick 0 are from before it (an adopted cluster keeps earlier runs' rows): counted, not judged.
import type { RowKey } from '../cassandra/table-stats.ts';
import { fail, pass, type Judgement } from '../util/judgement.ts';
import { expectedKeys, rowKey, type TopSpeedsParams } from './topspeeds-model.ts';

export interface WrittenSetObservation {
  table: string;
  params: TopSpeedsParams;
  /** The source's numRecordsOut read before `checkpointId` was triggered. */
  sourceRecords: number;
  checkpointId: number;
  /** Every row's key, read after the checkpoint completed. */
  written: RowKey[];
  /** Wall-clock ms when the read of `written` ended. */
  readAt: number;
}

export interface WrittenSetJudgement extends Judgement {
  expectedKeys: number;
  lostKeys: number;
  unexpectedKeys: number;
  /** Every lost and every unexpected key (the reason names the first few). */
  lost: string[];
  unexpected: string[];
}

/**
 * The source's rate limiter keeps event time at or behind the wall clock (start time + records / rate,
 * at most a second of catch-up burst), so no row read at `readAt` can be from a firing later than this.
 */
export const producibleMarginMs = 10_000;

const listed = (keys: string[], n = 8) => keys.slice(0, n).join(', ') + (keys.length > n ? `, … (${keys.length - n} more)` : '');

export function judgeWrittenSet(o: WrittenSetObservation): WrittenSetJudgement {
  const { must, may } = expectedKeys(o.params, o.sourceRecords, o.readAt + producibleMarginMs);
  const ours = o.written.filter((k) => k.time >= o.params.startTimeMs);
  const earlier = o.written.length - ours.length;
  const written = new Set(ours.map((k) => rowKey(k.carid, k.time)));
  const lost = [...must].filter((k) => !written.has(k));
  const unexpected = [...written].filter((k) => !may.has(k));
  const figures = { expectedKeys: must.size, lostKeys: lost.length, unexpectedKeys: unexpected.length, lost, unexpected };
  const before = earlier ? `; ${earlier} rows older than the job's start (${new Date(o.params.startTimeMs).toISOString()}) left out` : '';
  const point = `the ${o.sourceRecords} records the source emitted before checkpoint #${o.checkpointId} (completed)`;
  const model = `${o.params.cars} cars at ${o.params.recordsPerSecond} records/s from ${o.params.startTimeMs}`;
  if (must.size === 0) {
    return {
      ...fail(`nothing to check in ${o.table}: ${point} make no window firing (${model}); the job had not run long enough`),
      ...figures,
    };
  }
  if (written.size === 0) {
    return { ...fail(`${o.table} holds no row of this job: all ${must.size} keys it must have written for ${point} are missing${before}`), ...figures };
  }
  const keyForm = 'keys carid@time';
  const problems: string[] = [];
  if (lost.length) problems.push(`${lost.length} of ${must.size} ${keyForm} the job must have written for ${point} are missing: ${listed(lost)}`);
  if (unexpected.length) {
    problems.push(
      `${unexpected.length} of ${written.size} rows are keys no window firing of the generator produces (${model}, event time up to ${new Date(o.readAt + producibleMarginMs).toISOString()}): ${listed(unexpected)}; another writer, or values the job did not emit`,
    );
  }
  if (problems.length) return { ...fail(`${o.table}: ${problems.join('; ')}${before}`), ...figures };
  return {
    ...pass(
      `all ${must.size} ${keyForm} the job must have written for ${point} are in ${o.table}, and none it could not have written ` +
        `(${written.size} rows read; ${written.size - must.size} from firings since${before})`,
    ),
    ...figures,
  };
}
