// The paper's schema (field notes section 1), with the replication taken from the configuration:
// NetworkTopologyStrategy per datacenter rather than the paper's SimpleStrategy, as K8ssandra advises.
import type { StreamcertConfig } from '../config/schema.ts';
import type { CqlSession } from './cql.ts';
import type { PaperSchemaObservation } from './schema-judge.ts';

export function topspeedsTableCql(keyspace: string, table: string): string {
  return `CREATE TABLE IF NOT EXISTS ${keyspace}.${table} (carid int, speed int, distance double, time bigint, PRIMARY KEY (carid, time)) WITH CLUSTERING ORDER BY (time DESC)`;
}

/** Creates the keyspace and the table(s) the pipeline writes; returns the keyspace's replication as Cassandra reports it. */
export async function createPaperSchema(session: CqlSession, config: StreamcertConfig): Promise<Record<string, string>> {
  const { keyspace, table, jobTable } = config.pipeline;
  const { datacenter, replicationFactor } = config.cassandra;
  await session.execute(
    `CREATE KEYSPACE IF NOT EXISTS ${keyspace} WITH replication = {'class': 'NetworkTopologyStrategy', '${datacenter}': ${replicationFactor}}`,
  );
  for (const t of new Set([table, jobTable ?? table])) await session.execute(topspeedsTableCql(keyspace, t));
  const rs = await session.execute('SELECT replication FROM system_schema.keyspaces WHERE keyspace_name = ?', [keyspace]);
  return (rs.first()?.get('replication') ?? {}) as Record<string, string>;
}

/** Creates the paper's schema, then reads back what system_schema holds of it, for judgePaperSchema. Never throws. */
export async function observePaperSchema(session: CqlSession, config: StreamcertConfig): Promise<PaperSchemaObservation> {
  const { keyspace, table } = config.pipeline;
  const { datacenter, replicationFactor } = config.cassandra;
  const observed: PaperSchemaObservation = { keyspace, table, datacenter, replicationFactor, where: session.describe, replication: {}, columns: [] };
  try {
    observed.replication = await createPaperSchema(session, config);
    const rs = await session.execute('SELECT column_name FROM system_schema.columns WHERE keyspace_name = ? AND table_name = ?', [keyspace, table]);
    observed.columns = rs.rows.map((r) => String(r.get('column_name'))).sort();
  } catch (err) {
    observed.error = (err as Error).message;
  }
  return observed;
}
