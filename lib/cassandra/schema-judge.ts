// 07's "the paper's keyspace and table exist with the configured replication", as a judge over what
// system_schema says after the harness created them: a keyspace Cassandra does not list, or a table
// without columns, never passes (CREATE ... IF NOT EXISTS is silent when an existing keyspace of that
// name, replicated otherwise, is kept as it is).
import { fail, pass, type Judgement } from '../util/judgement.ts';

/** The columns of the paper's topspeeds table (lib/cassandra/schema.ts), sorted. */
export const topspeedsColumns = ['carid', 'distance', 'speed', 'time'];

export interface PaperSchemaObservation {
  keyspace: string;
  table: string;
  /** cassandra.datacenter and cassandra.replicationFactor: what the replication must be. */
  datacenter: string;
  replicationFactor: number;
  /** The session the schema was created and read over, for messages. */
  where: string;
  /** system_schema.keyspaces' replication map of the keyspace; {}: no such keyspace. */
  replication: Record<string, string>;
  /** system_schema.columns of the table, sorted; []: no such table. */
  columns: string[];
  /** A statement that failed (the CREATE or a read). */
  error?: string;
}

const describeMap = (m: Record<string, string>) => `{${Object.entries(m).map(([k, v]) => `${k}: ${v}`).join(', ')}}`;

export function judgePaperSchema(o: PaperSchemaObservation): Judgement {
  const ks = `keyspace ${o.keyspace}`;
  const tbl = `${o.keyspace}.${o.table}`;
  if (o.error) return fail(`the paper's schema (${ks}, table ${tbl}) could not be created or read over ${o.where}: ${o.error}`);
  if (Object.keys(o.replication).length === 0) return fail(`${ks} does not exist: system_schema.keyspaces has no replication for it (over ${o.where})`);
  const rf = o.replication[o.datacenter];
  if (rf !== String(o.replicationFactor)) {
    return fail(
      `${ks}: expected replication factor ${o.replicationFactor} in datacenter ${o.datacenter} (cassandra.replicationFactor), found ${rf ?? 'none'}: ` +
        `replication ${describeMap(o.replication)} (system_schema.keyspaces over ${o.where})`,
    );
  }
  if (o.columns.length === 0) return fail(`table ${tbl} does not exist: system_schema.columns lists no column of it (over ${o.where})`);
  const missing = topspeedsColumns.filter((c) => !o.columns.includes(c));
  const unexpected = o.columns.filter((c) => !topspeedsColumns.includes(c));
  if (missing.length > 0 || unexpected.length > 0) {
    const diff = [missing.length ? `missing ${missing.join(', ')}` : '', unexpected.length ? `unexpected ${unexpected.join(', ')}` : ''].filter(Boolean).join('; ');
    return fail(`table ${tbl}: expected the columns ${topspeedsColumns.join(', ')}, found ${o.columns.join(', ')} (${diff}; system_schema.columns over ${o.where})`);
  }
  return pass(`${ks} replicates ${rf}× in ${o.datacenter} (${describeMap(o.replication)}) and ${tbl} has the columns ${o.columns.join(', ')} (system_schema over ${o.where})`);
}
