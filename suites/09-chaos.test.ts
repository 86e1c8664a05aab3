// 09 Chaos (beyond the paper): faults while the pipeline runs, each a Litmus-style experiment with
// steady-state probes before, during and after, a verdict and a resiliency score. A TaskManager kill
// and a JobManager kill must leave the same job running from a checkpoint with writes resuming; a
// Cassandra node kill (3 nodes, RF 3) must lose no write that Cassandra acknowledged at QUORUM.
import { CassandraCluster } from '../lib/cassandra/k8ssandra.ts';
import { judgeClusterReadiness, judgeNodeDownSeen } from '../lib/cassandra/readiness.ts';
import { createPaperSchema } from '../lib/cassandra/schema.ts';
import { aimAtLedgerCoordinator, killCoordinator, recordOutage } from '../lib/chaos/coordinator-kill.ts';
import { Experiment, judged, judgeExperiment } from '../lib/chaos/experiment.ts';
import { flinkVictim, killAtCheckpoint, killedName } from '../lib/chaos/flink-kill.ts';
import { assertChaosAllowed } from '../lib/chaos/guard.ts';
import { QuorumLedger } from '../lib/chaos/ledger.ts';
import { cassandraNodesReady, jobNotFailed, jobRunning, noAcknowledgedWriteLost, quorumWritesAcknowledged, restoredFromCheckpoint, writesGrowing } from '../lib/chaos/probes.ts';
import { Pipeline } from '../lib/pipeline/pipeline.ts';
import { group, step, suite } from '../lib/suite/dsl.ts';
import { faultActive } from '../lib/suite/selftest-faults.ts';
import { skipBecause } from '../lib/suite/skip.ts';
import { holds } from '../lib/util/judgement.ts';
import { secondsSince } from '../lib/util/time.ts';
import { Deadline, until } from '../lib/util/until.ts';

suite('09-chaos', (s) => {
  // Refused before any fault: an adopted Cassandra (namespaces.cassandra) must be allowed explicitly.
  const cassandra = s.fixture('a ready Cassandra that chaos may touch', async () => {
    const c = new CassandraCluster(s);
    await c.ensure();
    await assertChaosAllowed(s.cassandra, c.namespace, s.run.runId, s.config.chaos.allowNamespaces);
    await c.untilReady();
    return c;
  });
  const pipeline = s.fixture('the pipeline with Kubernetes HA, writing to Cassandra', async () => {
    await assertChaosAllowed(s.flink, s.namespace, s.run.runId, s.config.chaos.allowNamespaces);
    const c = await cassandra();
    await createPaperSchema(await c.session(), s.config);
    const p = new Pipeline(s, c, 'chaos-pipeline', { ha: true });
    await p.start();
    return p;
  });

  step('the pipeline runs with Kubernetes HA and checkpoints, writing to Cassandra', async () => {
    await (await pipeline()).untilWritesGrow(0, s.timeout('jobRunning'), 'first rows');
  });

  for (const component of ['taskmanager', 'jobmanager'] as const) {
    group(`${component}-kill`, () => {
      step(`after a ${killedName(component)} kill the job resumes from the latest checkpoint and writes flow again`, async () => {
        const p = await pipeline();
        const victim = await flinkVictim(p, component);
        const exp = new Experiment(s, `${component}-kill`, `pod ${victim.metadata?.namespace}/${victim.metadata?.name}`);
        const labels = { experiment: exp.record.name };

        await exp.probe('before', jobRunning(p));
        await exp.probe('before', writesGrowing(p, 60_000));
        const during = exp.continuous(jobNotFailed(p), 2000);
        const restore = await killAtCheckpoint(s, p, exp, victim, component);
        await exp.probe('after', jobRunning(p, s.timeout('recovery')));
        s.record('timeToJobRunning', secondsSince(restore.faultAt), 's', labels);
        await exp.probe('after', restoredFromCheckpoint(p, restore));
        if (restore.restored) s.record('restoredCheckpoint', restore.restored.id, 'id', labels);
        await exp.probe('after', writesGrowing(p, s.timeout('recovery')));
        s.record('timeToWritesResumed', secondsSince(restore.faultAt), 's', labels);
        s.mark('writes-resumed', labels);
        await during.stop();

        exp.finish();
        holds(judgeExperiment(exp.record));
      });
    });
  }

  group('cassandra-node-kill', () => {
    // Needs only Cassandra, not the pipeline: runs on its own too (`--grep 'Cassandra node kill'`).
    step('after a Cassandra node kill no write acknowledged at QUORUM is lost', async () => {
      const { size, replicationFactor } = s.config.cassandra;
      if (size < 3 || replicationFactor < 3) {
        skipBecause(`needs 3 Cassandra nodes with replication factor 3 (configured: size ${size}, RF ${replicationFactor}); set cassandra.size=3 and cassandra.replicationFactor=3`);
      }
      const c = await cassandra();
      const ledger = new QuorumLedger(await c.session(), 'streamcert_chaos', `ledger_${s.run.runId.replace(/-/g, '_')}`);
      await ledger.create(c.names.datacenter, 3);
      await until(c.readyPods(size), s.deadline('cassandraReady'));
      const exp = new Experiment(s, 'cassandra-node-kill', "the Cassandra node coordinating the ledger's writes");
      const labels = { experiment: exp.record.name };

      ledger.start(s.config.chaos.ledgerWritesPerSecond);
      try {
        await exp.probe('before', cassandraNodesReady(c, size, 10_000));
        await until(ledger.acknowledgedAtLeast(20), Deadline.in(60_000));
        await exp.probe('before', quorumWritesAcknowledged(ledger, 5000, 1));

        const victim = await aimAtLedgerCoordinator(s, c, ledger, exp);
        // Two of three replicas stay up, so QUORUM writes should keep succeeding; the ones in flight on
        // the killed coordinator fail until the session has reconnected, hence 80% of the samples.
        const during = exp.continuous(quorumWritesAcknowledged(ledger, 3000, 0.5), 3000, 0.8);
        const { faultAt, moved } = await killCoordinator(s, c, ledger, exp, victim);
        await exp.probe('after', judged("the ledger's writes go on through another node", async () => moved));
        // 07's readiness check, calibrated on this real outage: it must fail and name the killed node.
        await exp.probe(
          'during',
          judged("07's readiness check sees the killed node down", async () => judgeNodeDownSeen(judgeClusterReadiness(await c.observeReadiness()), victim.metadata!.name!)),
        );
        await exp.probe('after', cassandraNodesReady(c, size, s.timeout('cassandraReady')));
        recordOutage(s, ledger, faultAt, Date.now(), labels);
        await during.stop();
        await until(ledger.acknowledgedAtLeast(1, Date.now() - 3000, 'in the last 3 s'), Deadline.in(60_000));
        await exp.probe('after', quorumWritesAcknowledged(ledger, 3000, 1));
      } finally {
        await ledger.stop();
      }
      if (faultActive('ledger-delete-acknowledged', s.config.target)) await ledger.deleteBehindItsBack(ledger.acknowledgedIds.slice(5, 8));
      s.record('writesAcknowledged', ledger.acknowledgedIds.length, 'count', labels);
      await exp.probe('after', noAcknowledgedWriteLost(ledger));
      exp.finish();
      holds(judgeExperiment(exp.record));
    });
  });
});
