// The fault of 09's Flink experiments: kill the pipeline's TaskManager or JobManager the way a node
// loss would, at a moment when a wrong restore can be told from a right one.
import type { V1Pod } from '@kubernetes/client-node';
import type { Pipeline } from '../pipeline/pipeline.ts';
import type { SuiteHandle } from '../suite/handle.ts';
import { until } from '../util/until.ts';
import type { Experiment } from './experiment.ts';
import { killPod } from './faults.ts';
import type { RestoreObservation } from './restore.ts';

export type FlinkComponent = 'taskmanager' | 'jobmanager';

export const killedName = (component: FlinkComponent) => (component === 'taskmanager' ? 'TaskManager' : 'JobManager');

/** The pod a kill of `component` takes: the pipeline's first one. */
export async function flinkVictim(pipeline: Pipeline, component: FlinkComponent): Promise<V1Pod> {
  const [victim] = await pipeline.fd.pods(component);
  if (!victim) throw new Error(`no ${component} pod of ${pipeline.name}`);
  return victim;
}

/**
 * Kills `victim` once two checkpoints have completed (a restore from an older checkpoint shows only once
 * a newer one exists), with the bar for the restore, the latest completed checkpoint, read right before
 * the kill. After a JobManager kill it also waits for the new JobManager pod to be Ready. Returns the
 * restore observation that `restoredFromCheckpoint` completes and judges.
 */
export async function killAtCheckpoint(s: SuiteHandle, pipeline: Pipeline, exp: Experiment, victim: V1Pod, component: FlinkComponent): Promise<RestoreObservation> {
  await until(pipeline.checkpointCompleted(2), s.deadline('checkpoint'));
  const readAt = Date.now();
  const checkpointAtKill = (await (await pipeline.rest()).checkpoints(pipeline.jobId)).latestCompleted;
  const faultAt = exp.fault(`kill ${component} ${victim.metadata?.name}`, { experiment: exp.record.name });
  await killPod(s, s.flink, victim);
  if (checkpointAtKill) s.record('checkpointAtKill', checkpointAtKill.id, 'id', { experiment: exp.record.name });
  if (component === 'jobmanager') await until(pipeline.fd.readyPods('jobmanager', 1), s.deadline('recovery'));
  return { killed: killedName(component), faultAt: faultAt.getTime(), checkpointAtKill, readAt, where: `/jobs/${pipeline.jobId}/checkpoints of ${pipeline.name}` };
}
