// 07 K8ssandra: the paper deployed K8ssandra and listed its services. Here the cluster must become
// ready the way upstream's own e2e tests define it, the operator's superuser secret must log in over
// CQL (and a wrong password must be refused as such, not time out), and the paper's schema is created
// with the configured replication.
import { expect } from 'vitest';
import { CassandraCluster } from '../lib/cassandra/k8ssandra.ts';
import { CqlAuthenticationError, type CqlSession } from '../lib/cassandra/cql.ts';
import { judgeClusterReadiness } from '../lib/cassandra/readiness.ts';
import { createPaperSchema } from '../lib/cassandra/schema.ts';
import { recordObservation } from '../lib/flink/record-observation.ts';
import { whileFrozen } from '../lib/lab/freeze.ts';
import { judgeExpectedVersion } from '../lib/platform/expected-version.ts';
import { step, suite } from '../lib/suite/dsl.ts';
import { faultActive } from '../lib/suite/faults.ts';
import { holds } from '../lib/suite/judgement.ts';
import { skipBecause } from '../lib/suite/skip.ts';
import { secondsSince } from '../lib/util/time.ts';

suite('07-k8ssandra', (s) => {
  const cassandra = new CassandraCluster(s);
  let session: CqlSession;

  step('the K8ssandraCluster becomes ready (CassandraInitialized, DatacenterReady, cassandraOperatorProgress Ready)', async () => {
    const started = Date.now();
    const { created } = await cassandra.ensure();
    await cassandra.untilReady();
    s.record('timeToReady', secondsSince(started), 's', { created: String(created) });
    const pods = await cassandra.untilReadyPods(s.config.cassandra.size, s.timeout('cassandraReady'));
    s.record('cassandraNodes', pods.length, 'count');
  });

  // Beside the operator's status (on the lab our own emulated controller writes it): Cassandra's word.
  step('every Cassandra node is Ready, accepts a login and is UP and NORMAL in every node\'s gossip', async () => {
    const victim = faultActive('cassandra-node-frozen', s.config.target) ? (await cassandra.pods()).at(-1) : undefined;
    const observed = await whileFrozen(victim, 'cassandra', () => cassandra.observeReadiness());
    recordObservation(victim ? '07-readiness-node-frozen' : '07-readiness', observed);
    holds(judgeClusterReadiness(observed));
    s.record('nodesUpNormal', observed.nodes.filter((n) => n.login.ok && n.local).length, 'count');
  });

  step('the superuser secret logs in over CQL', async () => {
    const started = Date.now();
    session = await cassandra.session();
    s.record('timeToFirstLogin', secondsSince(started), 's');
    s.record('cqlRoundTrip', await timeMs(() => session.releaseVersion()), 'ms');
  });

  step('a wrong password is refused with an authentication error, not a timeout', async () => {
    const { username } = await cassandra.credentials();
    const started = Date.now();
    const attempt = cassandra.session({ username, password: `wrong-${Date.now()}` });
    await expect(attempt, 'login with a wrong password').rejects.toBeInstanceOf(CqlAuthenticationError);
    s.record('timeToRefusal', Date.now() - started, 'ms');
  });

  step("the paper's keyspace and table exist with the configured replication", async () => {
    const { keyspace, table } = s.config.pipeline;
    const replication = await createPaperSchema(session, s.config);
    expect(replication[s.config.cassandra.datacenter], `replication of ${keyspace} in ${s.config.cassandra.datacenter}`).toBe(
      String(s.config.cassandra.replicationFactor),
    );
    const columns = await session.execute('SELECT column_name FROM system_schema.columns WHERE keyspace_name = ? AND table_name = ?', [keyspace, table]);
    expect(columns.rows.map((r) => String(r.get('column_name'))).sort(), `columns of ${keyspace}.${table}`).toEqual(['carid', 'distance', 'speed', 'time']);
  });

  // Last, so that a release other than the promised one is reported without hiding the checks above.
  step('Cassandra is the expected release', async () => {
    const expected = s.config.expect.cassandraVersion;
    if (!expected) skipBecause('expect.cassandraVersion is not set: no Cassandra release was promised');
    const found = await session.releaseVersion();
    holds(judgeExpectedVersion({ what: 'Cassandra', expected, found, where: `system.local release_version over ${session.describe}` }));
  });
});

async function timeMs(fn: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await fn();
  return Math.round((performance.now() - started) * 10) / 10;
}
