// The fault of 09's Cassandra experiment: kill the node coordinating the ledger's writes, so that the
// writes in flight on it are part of the experiment, and follow the writer to the node that takes over.
import type { V1Pod } from '@kubernetes/client-node';
import type { CassandraCluster } from '../cassandra/k8ssandra.ts';
import type { SuiteHandle } from '../suite/handle.ts';
import { holds } from '../util/judgement.ts';
import { secondsSince } from '../util/time.ts';
import { until } from '../util/until.ts';
import { judgeCoordinatorMoved, judgeLedgerCoordinator, type CoordinatorJudgement } from './coordinator.ts';
import type { Experiment } from './experiment.ts';
import { killPod } from './faults.ts';
import type { QuorumLedger } from './ledger.ts';

/** The Cassandra pod coordinating the ledger's writes, now the experiment's target. */
export async function aimAtLedgerCoordinator(s: SuiteHandle, cassandra: CassandraCluster, ledger: QuorumLedger, exp: Experiment): Promise<V1Pod> {
  const pods = await cassandra.pods();
  const coordinator = holds(judgeLedgerCoordinator(await ledger.coordinator(pods)));
  exp.aim(`pod ${cassandra.namespace}/${coordinator.pod}, coordinating the ledger's writes`);
  s.mark('ledger-coordinator', { experiment: exp.record.name, pod: coordinator.pod!, phase: 'at the kill' });
  return pods.find((p) => p.metadata?.name === coordinator.pod)!;
}

/**
 * Kills `victim`, waits (up to timeouts.recovery) for the ledger's writes to be acknowledged again, and
 * asks which node coordinates them now: the session reconnects through the Service to a node still
 * Ready. Never throws on a writer that does not come back: `moved` says so, for the experiment's probe.
 */
export async function killCoordinator(
  s: SuiteHandle,
  cassandra: CassandraCluster,
  ledger: QuorumLedger,
  exp: Experiment,
  victim: V1Pod,
): Promise<{ faultAt: Date; moved: CoordinatorJudgement }> {
  const labels = { experiment: exp.record.name };
  const name = victim.metadata!.name!;
  const faultAt = exp.fault(`kill Cassandra node ${name} (coordinator of the ledger's writes)`, labels);
  await killPod(s, s.cassandra, victim);
  const resumed = await until(ledger.acknowledgedAtLeast(1, faultAt.getTime(), 'after the kill'), s.deadline('recovery')).then(
    () => true,
    () => false,
  );
  const takeover = resumed ? await ledger.coordinatorWithin(() => cassandra.pods(), 30_000) : undefined;
  const moved = judgeCoordinatorMoved(name, takeover);
  if (moved.pod) s.mark('ledger-coordinator', { ...labels, pod: moved.pod, phase: 'after the kill' });
  if (resumed) s.record('timeToWritesAcknowledgedAgain', secondsSince(faultAt.getTime()), 's', labels);
  return { faultAt, moved };
}

/** The outage's figures: the ledger's writes from the kill until the node was back. */
export function recordOutage(s: SuiteHandle, ledger: QuorumLedger, faultAt: Date, backAt: number, labels: Record<string, string>): void {
  s.record('timeToNodeBack', secondsSince(faultAt.getTime(), backAt), 's', labels);
  const outage = ledger.stats(faultAt.getTime(), backAt);
  s.record('errorRateDuringOutage', outage.errorRatePercent, '%', labels);
  s.record('writesDuringOutage', outage.attempted, 'count', labels);
  s.record('writesFailedDuringOutage', outage.failed, 'count', labels);
}
