// 07 K8ssandra: the paper deployed K8ssandra and listed its services. Here the cluster must become
// ready the way upstream's own e2e tests define it, the operator's superuser secret must log in over
// CQL (and a wrong password must be refused as such, not time out), and the paper's schema is created
// with the configured replication.
import { CassandraCluster } from '../lib/cassandra/k8ssandra.ts';
import type { CqlSession } from '../lib/cassandra/cql.ts';
import { judgeSuperuserLogin, judgeWrongPasswordRefused } from '../lib/cassandra/login-judge.ts';
import { judgeClusterReadiness } from '../lib/cassandra/readiness.ts';
import { createKeyspaceWithOtherReplication } from '../lib/cassandra/sabotage.ts';
import { observePaperSchema } from '../lib/cassandra/schema.ts';
import { judgePaperSchema } from '../lib/cassandra/schema-judge.ts';
import { recordObservation } from '../lib/flink/record-observation.ts';
import { whileFrozen } from '../lib/lab/index.ts';
import { judgeExpectedVersion } from '../lib/platform/expected-version.ts';
import { observesOnly, step, suite } from '../lib/suite/dsl.ts';
import { faultActive } from '../lib/suite/selftest-faults.ts';
import { holds } from '../lib/util/judgement.ts';
import { skipBecause } from '../lib/suite/skip.ts';
import { secondsSince } from '../lib/util/time.ts';
import { until } from '../lib/util/until.ts';

suite('07-k8ssandra', (s) => {
  let created = false;
  const cassandra = s.fixture('the K8ssandraCluster of the run', async () => {
    const c = new CassandraCluster(s);
    ({ created } = await c.ensure());
    return c;
  });
  let session: CqlSession;

  step('the K8ssandraCluster becomes ready (CassandraInitialized, DatacenterReady, cassandraOperatorProgress Ready)', async () => {
    const started = Date.now();
    const c = await cassandra();
    await c.untilReady();
    s.record('timeToReady', secondsSince(started), 's', { created: String(created) });
    const pods = await until(c.readyPods(s.config.cassandra.size), s.deadline('cassandraReady'));
    s.record('cassandraNodes', pods.length, 'count');
  });

  // Beside the operator's status (on the lab our own emulated controller writes it): Cassandra's word.
  step('every Cassandra node is Ready, accepts a login and is UP and NORMAL in every node\'s gossip', async () => {
    const c = await cassandra();
    const victim = faultActive('cassandra-node-frozen', s.config.target) ? (await c.pods()).at(-1) : undefined;
    const observed = await whileFrozen(victim, 'cassandra', () => c.observeReadiness());
    recordObservation(victim ? '07-readiness-node-frozen' : '07-readiness', observed);
    holds(judgeClusterReadiness(observed));
    s.record('nodesUpNormal', observed.nodes.filter((n) => n.login.ok && n.local).length, 'count');
  });

  step('the superuser secret logs in over CQL', async () => {
    const login = await (await cassandra()).observeSuperuserLogin();
    recordObservation('07-superuser-login', login.observed);
    holds(judgeSuperuserLogin(login.observed));
    session = login.session!;
    s.record('timeToFirstLogin', login.observed.secondsToLogin!, 's');
    s.record('cqlRoundTrip', login.observed.roundTripMs!, 'ms');
  });

  step('a wrong password is refused with an authentication error, not a timeout', async () => {
    const observed = await (await cassandra()).observeWrongPassword();
    recordObservation('07-wrong-password', observed);
    holds(judgeWrongPasswordRefused(observed));
    s.record('timeToRefusal', observed.elapsedMs, 'ms');
  }, observesOnly);

  step("the paper's keyspace and table exist with the configured replication", async () => {
    const elsewhere = faultActive('keyspace-other-replication', s.config.target);
    if (elsewhere) await createKeyspaceWithOtherReplication(session, s.config);
    const observed = await observePaperSchema(session, s.config);
    recordObservation(elsewhere ? '07-paper-schema-other-replication' : '07-paper-schema', observed);
    holds(judgePaperSchema(observed));
  }, observesOnly);

  // Last, so that a release other than the promised one is reported without hiding the checks above.
  step('Cassandra is the expected release', async () => {
    const expected = s.config.expect.cassandraVersion;
    if (!expected) skipBecause('expect.cassandraVersion is not set: no Cassandra release was promised');
    const found = await session.releaseVersion();
    holds(judgeExpectedVersion({ what: 'Cassandra', expected, found, where: `system.local release_version over ${session.describe}` }));
  });
});
