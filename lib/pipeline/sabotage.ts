// 08's negative controls break its properties for real in Cassandra, behind the job's back (only
// under STREAMCERT_SELFTEST_FAULTS on the lab, lib/suite/selftest-faults.ts): rows the job wrote are deleted
// (lost writes), its rows are written again by someone else (duplicated writes), or another writer's
// partition sits in the job's table while it is read (a car the job has not got). Never part of a
// check: a check observes; these run only when a negative control asks for them.
import cassandra from 'cassandra-driver';
import type { CqlSession } from '../cassandra/cql.ts';
import { eventTime, expectedKeys, type TopSpeedsParams } from './topspeeds-model.ts';

/**
 * Keys the job must have written by `sourceRecords`, old enough that no later firing emits them again:
 * a firing by a later record holds only the last evict window of event time before it.
 */
export function finalKeys(p: TopSpeedsParams, sourceRecords: number, count: number): { carid: number; time: number }[] {
  const horizon = eventTime(p, Math.floor(sourceRecords / p.cars)) - ((p.evictSeconds ?? 10) + 1) * 1000;
  return [...expectedKeys(p, sourceRecords, 0).must]
    .map((k) => ({ carid: Number(k.split('@')[0]), time: Number(k.split('@')[1]) }))
    .filter((k) => k.time < horizon)
    .slice(0, count);
}

/** How long the lost-writes fault waits, in all, for a flushed point with enough final rows. */
export const finalKeysTimeoutMs = 5 * 60_000;

/**
 * Takes flushed points from `next` (starting with `first`) until one has `count` final keys, and
 * returns it with them. Early in a run no row is final yet, and a job that stopped making progress
 * never gets there: past `timeoutMs` in all it throws, naming the last point seen. `next` is given
 * the time left so that one slow checkpoint cannot carry the wait far past the deadline.
 */
export async function untilFinalKeys<P extends { sourceRecords: number; checkpointId?: number }>(
  p: TopSpeedsParams,
  first: P,
  next: (remainingMs: number) => Promise<P>,
  count: number,
  opts: { timeoutMs?: number; now?: () => number } = {},
): Promise<{ point: P; keys: { carid: number; time: number }[] }> {
  const now = opts.now ?? Date.now;
  const timeoutMs = opts.timeoutMs ?? finalKeysTimeoutMs;
  const end = now() + timeoutMs;
  let point = first;
  let points = 1;
  for (;;) {
    const keys = finalKeys(p, point.sourceRecords, count);
    if (keys.length >= count) return { point, keys };
    const remainingMs = end - now();
    if (remainingMs <= 0) {
      const last = `${point.checkpointId !== undefined ? `checkpoint #${point.checkpointId} at ` : ''}${point.sourceRecords} source records`;
      throw new Error(
        `fault topspeeds-rows-deleted: waited ${Math.round(timeoutMs / 1000)} s for a flushed point with ${count} final row(s) ` +
          `(older than one evict window before the source's position, so no later firing writes them again); ` +
          `the last of ${points} point(s), ${last}, had ${keys.length}: is the job's source advancing?`,
      );
    }
    point = await next(remainingMs);
    points++;
  }
}

const quorum = { prepare: true, consistency: cassandra.types.consistencies.localQuorum };

/**
 * Deletes `keys` from `table` at LOCAL_QUORUM, each one read first: a sabotage that deleted nothing
 * would let the control pass for the wrong reason, so a key not there is an error of the fault itself.
 */
export async function deleteRows(session: CqlSession, table: string, keys: { carid: number; time: number }[]): Promise<void> {
  for (const k of keys) {
    const params = [k.carid, cassandra.types.Long.fromNumber(k.time)];
    const found = await session.execute(`SELECT carid FROM ${table} WHERE carid = ? AND time = ?`, params, quorum);
    if (found.rowLength !== 1) throw new Error(`fault topspeeds-rows-deleted: row ${k.carid}@${k.time} is not in ${table}, nothing to delete`);
    await session.execute(`DELETE FROM ${table} WHERE carid = ? AND time = ?`, params, quorum);
  }
}

/** Writes every row of `table` again `times` times, same values; returns the INSERTs made. */
export async function rewriteRows(session: CqlSession, table: string, times: number): Promise<number> {
  const rs = await session.execute(`SELECT carid, speed, distance, time FROM ${table}`, undefined, { prepare: false, fetchSize: 100_000 });
  let inserts = 0;
  for (let i = 0; i < times; i++) {
    await Promise.all(
      rs.rows.map((r) =>
        session.execute(`INSERT INTO ${table} (carid, speed, distance, time) VALUES (?, ?, ?, ?)`, [r.get('carid'), r.get('speed'), r.get('distance'), r.get('time')], quorum),
      ),
    );
    inserts += rs.rowLength;
  }
  return inserts;
}

/**
 * Runs `observe` while a partition of a car the job does not have (carid `carid`, one row) is in
 * `table`, written by someone else, and deletes that partition again whatever happens, so that what
 * is read after it (the set check) sees the job's rows only.
 */
export async function withForeignPartition<T>(session: CqlSession, table: string, carid: number, observe: () => Promise<T>): Promise<T> {
  const at = cassandra.types.Long.fromNumber(Date.now());
  await session.execute(`INSERT INTO ${table} (carid, speed, distance, time) VALUES (?, ?, ?, ?)`, [carid, 100, 1.5, at], quorum);
  try {
    return await observe();
  } finally {
    await session.execute(`DELETE FROM ${table} WHERE carid = ?`, [carid], quorum);
  }
}
