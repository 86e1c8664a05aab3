// 09 Chaos (beyond the paper): faults while the pipeline runs, each a Litmus-style experiment with
// steady-state probes before, during and after, a verdict and a resiliency score. A TaskManager kill
// and a JobManager kill must leave the same job running from a checkpoint with writes resuming; a
// Cassandra node kill (3 nodes, RF 3) must lose no write that Cassandra acknowledged at QUORUM.
import { CassandraCluster } from '../lib/cassandra/k8ssandra.ts';
import { judgeClusterReadiness, judgeNodeDownSeen } from '../lib/cassandra/readiness.ts';
import { createPaperSchema } from '../lib/cassandra/schema.ts';
import { judgeCoordinatorMoved, judgeLedgerCoordinator } from '../lib/chaos/coordinator.ts';
import { Experiment, judged, judgeExperiment } from '../lib/chaos/experiment.ts';
import { killPod } from '../lib/chaos/faults.ts';
import { assertChaosAllowed } from '../lib/chaos/guard.ts';
import { QuorumLedger } from '../lib/chaos/ledger.ts';
import type { RestoreObservation } from '../lib/chaos/restore.ts';
import {
  cassandraNodesReady,
  jobNotFailed,
  jobRunning,
  noAcknowledgedWriteLost,
  quorumWritesAcknowledged,
  restoredFromCheckpoint,
  writesGrowing,
} from '../lib/chaos/probes.ts';
import { Pipeline } from '../lib/pipeline/pipeline.ts';
import { group, step, suite } from '../lib/suite/dsl.ts';
import { faultActive } from '../lib/suite/selftest-faults.ts';
import { holds } from '../lib/util/judgement.ts';
import { skipBecause } from '../lib/suite/skip.ts';
import { secondsSince } from '../lib/util/time.ts';
import { Deadline, until } from '../lib/util/until.ts';

suite('09-chaos', (s) => {
  const cassandra = new CassandraCluster(s);
  const pipeline = new Pipeline(s, cassandra, 'chaos-pipeline', { ha: true });
  const resumeWithin = () => s.timeout('recovery');

  step('the pipeline runs with Kubernetes HA and checkpoints, writing to Cassandra', async () => {
    await cassandra.ensure();
    // Refused before any fault: an adopted Cassandra (namespaces.cassandra) must be allowed explicitly.
    await assertChaosAllowed(s.flink, s.namespace, s.run.runId, s.config.chaos.allowNamespaces);
    await assertChaosAllowed(s.cassandra, cassandra.namespace, s.run.runId, s.config.chaos.allowNamespaces);
    await cassandra.untilReady();
    await createPaperSchema(await cassandra.session(), s.config);
    await pipeline.start();
    await pipeline.untilWritesGrow(0, s.timeout('jobRunning'), 'first rows');
  });

  for (const component of ['taskmanager', 'jobmanager'] as const) {
    group(`${component}-kill`, () => {
      const killedName = component === 'taskmanager' ? 'TaskManager' : 'JobManager';
      step(`after a ${killedName} kill the job resumes from the latest checkpoint and writes flow again`, async () => {
        const rest = await pipeline.rest();
        const [victim] = await pipeline.fd.pods(component);
        if (!victim) throw new Error(`no ${component} pod of ${pipeline.name}`);
        const exp = new Experiment(s, `${component}-kill`, `pod ${victim.metadata?.namespace}/${victim.metadata?.name}`);
        const labels = { experiment: exp.record.name };

        await exp.probe('before', jobRunning(pipeline));
        await exp.probe('before', writesGrowing(pipeline, 60_000));

        const during = exp.continuous(jobNotFailed(pipeline), 2000);
        // A restore from an older checkpoint shows only once a newer one exists: at least two before the kill.
        await until(pipeline.checkpointCompleted(2), s.deadline('checkpoint'));
        // The bar for the restore: the latest checkpoint completed at the kill, read right before it.
        const readAt = Date.now();
        const checkpointAtKill = (await rest.checkpoints(pipeline.jobId)).latestCompleted;
        const faultAt = exp.fault(`kill ${component} ${victim.metadata?.name}`, labels);
        await killPod(s, s.flink, victim);
        const restore: RestoreObservation = { killed: killedName, faultAt: faultAt.getTime(), checkpointAtKill, readAt, where: `/jobs/${pipeline.jobId}/checkpoints of ${pipeline.name}` };
        if (component === 'jobmanager') await until(pipeline.fd.readyPods('jobmanager', 1), s.deadline('recovery'));

        await exp.probe('after', jobRunning(pipeline, s.timeout('recovery')));
        s.record('timeToJobRunning', secondsSince(faultAt.getTime()), 's', labels);
        await exp.probe('after', restoredFromCheckpoint(pipeline, restore));
        if (checkpointAtKill) s.record('checkpointAtKill', checkpointAtKill.id, 'id', labels);
        if (restore.restored) s.record('restoredCheckpoint', restore.restored.id, 'id', labels);
        await exp.probe('after', writesGrowing(pipeline, resumeWithin()));
        s.record('timeToWritesResumed', secondsSince(faultAt.getTime()), 's', labels);
        s.mark('writes-resumed', labels);
        await during.stop();

        exp.finish();
        holds(judgeExperiment(exp.record));
      });
    });
  }

  group('cassandra-node-kill', () => {
    step('after a Cassandra node kill no write acknowledged at QUORUM is lost', async () => {
      const { size, replicationFactor } = s.config.cassandra;
      if (size < 3 || replicationFactor < 3) {
        skipBecause(`needs 3 Cassandra nodes with replication factor 3 (configured: size ${size}, RF ${replicationFactor}); set cassandra.size=3 and cassandra.replicationFactor=3`);
      }
      // Needs only Cassandra, not the pipeline: runs on its own too (`--grep 'Cassandra node kill'`).
      await cassandra.ensure();
      await cassandra.untilReady();
      const ledger = new QuorumLedger(await cassandra.session(), 'streamcert_chaos', `ledger_${s.run.runId.replace(/-/g, '_')}`);
      await ledger.create(cassandra.names.datacenter, 3);
      await until(cassandra.readyPods(size), s.deadline('cassandraReady'));
      const exp = new Experiment(s, 'cassandra-node-kill', "the Cassandra node coordinating the ledger's writes");
      const labels = { experiment: exp.record.name };

      ledger.start(s.config.chaos.ledgerWritesPerSecond);
      try {
        await exp.probe('before', cassandraNodesReady(cassandra, size, 10_000));
        await until(ledger.acknowledgedAtLeast(20), Deadline.in(60_000));
        await exp.probe('before', quorumWritesAcknowledged(ledger, 5000, 1));

        // The victim is the node the ledger writes through, so its in-flight writes are part of the
        // experiment; the session reconnects through the Service to a node still Ready.
        const podsAtKill = await cassandra.pods();
        const coordinator = holds(judgeLedgerCoordinator(await ledger.coordinator(podsAtKill)));
        const victim = podsAtKill.find((p) => p.metadata?.name === coordinator.pod)!;
        exp.aim(`pod ${cassandra.namespace}/${coordinator.pod}, coordinating the ledger's writes`);
        s.mark('ledger-coordinator', { ...labels, pod: coordinator.pod!, phase: 'at the kill' });

        // Two of three replicas stay up, so QUORUM writes should keep succeeding; the ones in flight on
        // the killed coordinator fail until the session has reconnected, hence 80% of the samples.
        const during = exp.continuous(quorumWritesAcknowledged(ledger, 3000, 0.5), 3000, 0.8);
        const faultAt = exp.fault(`kill Cassandra node ${coordinator.pod} (coordinator of the ledger's writes)`, labels);
        await killPod(s, s.cassandra, victim);
        const resumed = await until(ledger.acknowledgedAtLeast(1, faultAt.getTime(), 'after the kill'), s.deadline('recovery')).then(
          () => true,
          () => false,
        );
        const takeover = resumed ? await ledger.coordinatorWithin(() => cassandra.pods(), 30_000) : undefined;
        const moved = judgeCoordinatorMoved(coordinator.pod!, takeover);
        await exp.probe('after', judged("the ledger's writes go on through another node", async () => moved));
        if (moved.pod) s.mark('ledger-coordinator', { ...labels, pod: moved.pod, phase: 'after the kill' });
        if (resumed) s.record('timeToWritesAcknowledgedAgain', secondsSince(faultAt.getTime()), 's', labels);
        // 07's readiness check, calibrated on this real outage: it must fail and name the killed node.
        await exp.probe(
          'during',
          judged("07's readiness check sees the killed node down", async () => judgeNodeDownSeen(judgeClusterReadiness(await cassandra.observeReadiness()), coordinator.pod!)),
        );
        await exp.probe('after', cassandraNodesReady(cassandra, size, s.timeout('cassandraReady')));
        const backAt = Date.now();
        s.record('timeToNodeBack', secondsSince(faultAt.getTime()), 's', labels);
        await during.stop();
        const outage = ledger.stats(faultAt.getTime(), backAt);
        s.record('errorRateDuringOutage', outage.errorRatePercent, '%', labels);
        s.record('writesDuringOutage', outage.attempted, 'count', labels);
        s.record('writesFailedDuringOutage', outage.failed, 'count', labels);
        await until(ledger.acknowledgedAtLeast(1, Date.now() - 3000, 'in the last 3 s'), Deadline.in(60_000));
        await exp.probe('after', quorumWritesAcknowledged(ledger, 3000, 1));
      } finally {
        await ledger.stop();
      }
      if (faultActive('ledger-delete-acknowledged', s.config.target)) {
        await ledger.deleteBehindItsBack(ledger.acknowledgedIds.slice(5, 8));
      }
      s.record('writesAcknowledged', ledger.acknowledgedIds.length, 'count', labels);
      await exp.probe('after', noAcknowledgedWriteLost(ledger));
      exp.finish();
      holds(judgeExperiment(exp.record));
    });
  });
});
