// Self-test faults that break a Cassandra property for real on the lab, where no configuration can.
import type { StreamcertConfig } from '../config/schema.ts';
import type { CqlSession } from './cql.ts';

/**
 * The paper's keyspace created first, by someone else, with one replica more in the datacenter than
 * the configuration asks: `CREATE KEYSPACE IF NOT EXISTS` then keeps it as it is, exactly what a run
 * meets on a cluster where the keyspace already exists, and 07 must name both factors.
 */
export async function createKeyspaceWithOtherReplication(session: CqlSession, config: StreamcertConfig): Promise<void> {
  const { datacenter, replicationFactor } = config.cassandra;
  await session.execute(
    `CREATE KEYSPACE IF NOT EXISTS ${config.pipeline.keyspace} WITH replication = {'class': 'NetworkTopologyStrategy', '${datacenter}': ${replicationFactor + 1}}`,
  );
}
