// The CQL form of the paper's `nodetool tablestats` Write Count: system_views.local_write_latency, one
// row per table on each node (Cassandra 4.0+). A table's writes are the sum over its nodes; with RF n
// every INSERT is n local writes.
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
