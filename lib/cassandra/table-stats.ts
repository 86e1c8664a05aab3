// The CQL form of the paper's `nodetool tablestats` Write Count: system_views.local_write_latency, one
// row per table on each node (Cassandra 4.0+). A table's writes are the sum over its nodes; with RF n
// every INSERT is n local writes.
import cassandra from 'cassandra-driver';
import type { CqlSession } from './cql.ts';

export interface NodeWrites {
  node: string;
  count: number;
  p99Ms?: number;
}

export interface TableWrites {
  count: number;
  /** The worst node's p99 local write latency. */
  p99Ms?: number;
  perNode: NodeWrites[];
}

/** Releases name the percentile columns differently (`p99th_ms`, `"99th_ms"`): take whichever is there. */
function p99Of(row: Record<string, unknown>): number | undefined {
  const key = Object.keys(row).find((k) => /^p?99th_ms$/.test(k));
  return key === undefined || row[key] === null ? undefined : Number(row[key]);
}

export async function tableWrites(nodes: CqlSession[], keyspace: string, table: string): Promise<TableWrites> {
  const perNode = await Promise.all(
    nodes.map(async (n): Promise<NodeWrites> => {
      const rs = await n.execute('SELECT * FROM system_views.local_write_latency WHERE keyspace_name = ? AND table_name = ?', [keyspace, table]);
      const row = rs.first() as unknown as Record<string, unknown> | null;
      // No row: the table has no writes on that node yet (or does not exist there).
      return { node: n.describe, count: row ? Number(row['count'] ?? 0) : 0, p99Ms: row ? p99Of(row) : undefined };
    }),
  );
  const p99s = perNode.map((n) => n.p99Ms).filter((v): v is number => v !== undefined);
  return {
    count: perNode.reduce((sum, n) => sum + n.count, 0),
    p99Ms: p99s.length ? Math.max(...p99s) : undefined,
    perNode,
  };
}

/** Counts a table's rows with paged reads, which, unlike cqlsh's one-shot count(*), cannot run into one request's timeout. */
export async function countRowsPaged(
  session: CqlSession,
  keyspace: string,
  table: string,
  key: string,
  fetchSize = 5000,
): Promise<{ rows: number; pages: number }> {
  let rows = 0;
  let pages = 0;
  let pageState: string | undefined;
  do {
    const rs = await session.execute(`SELECT ${key} FROM ${keyspace}.${table}`, undefined, { fetchSize, pageState, prepare: false });
    rows += rs.rowLength;
    pages += 1;
    pageState = rs.pageState ?? undefined;
  } while (pageState);
  return { rows, pages };
}

export interface RowKey {
  carid: number;
  time: number;
}

/** A bigint column arrives as the driver's Long. */
function millis(value: unknown): number {
  return value instanceof cassandra.types.Long ? value.toNumber() : Number(value);
}

const rowKeyOf = (row: cassandra.types.Row): RowKey => ({ carid: Number(row.get('carid')), time: millis(row.get('time')) });

/**
 * The primary keys of a TopSpeeds table, every row, read at LOCAL_QUORUM: the job writes at
 * LOCAL_QUORUM, so a quorum read sees every acknowledged write even while a replica is behind.
 */
export async function readRowKeys(session: CqlSession, keyspace: string, table: string, fetchSize = 5000): Promise<RowKey[]> {
  const keys: RowKey[] = [];
  let pageState: string | undefined;
  do {
    const rs = await session.execute(`SELECT carid, time FROM ${keyspace}.${table}`, undefined, {
      fetchSize,
      pageState,
      prepare: false,
      consistency: cassandra.types.consistencies.localQuorum,
    });
    for (const row of rs.rows) keys.push(rowKeyOf(row));
    pageState = rs.pageState ?? undefined;
  } while (pageState);
  return keys;
}

/** A few of the rows of cars 0 .. cars-1 for event time `sinceMs` or later, read at LOCAL_QUORUM: enough to see whether this job's rows exist. */
export async function sampleRowKeys(session: CqlSession, keyspace: string, table: string, o: { cars: number; sinceMs: number; limit?: number }): Promise<RowKey[]> {
  const cars = Array.from({ length: o.cars }, (_, i) => i).join(', ');
  const rs = await session.execute(`SELECT carid, time FROM ${keyspace}.${table} WHERE carid IN (${cars}) AND time >= ? LIMIT ${o.limit ?? 20}`, [
    cassandra.types.Long.fromNumber(o.sinceMs),
  ], { consistency: cassandra.types.consistencies.localQuorum });
  return rs.rows.map(rowKeyOf);
}
