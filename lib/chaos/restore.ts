// Did the job come back from where it was when it was killed? The bar is the latest checkpoint that
// had completed immediately before the kill (read right before the pod is deleted): a restore from
// anything older would replay, or with a non-replayable source lose, what that checkpoint covered.
import { isCheckpointId } from '../flink/recovery-judges.ts';
import type { CheckpointRef } from '../flink/rest.ts';
import { fail, pass, type Judgement } from '../util/judgement.ts';

export interface RestoreObservation {
  /** `TaskManager`, `JobManager`: what was killed. */
  killed: string;
  /** Epoch ms of the kill. */
  faultAt: number;
  /** The latest completed checkpoint, read immediately before the kill. */
  checkpointAtKill?: CheckpointRef;
  /** Epoch ms of that read, to show how close to the kill it was. */
  readAt?: number;
  /** The latest restore the job reported after the kill (REST `latest.restored`), if any. */
  restored?: CheckpointRef;
  /** Where both were read, e.g. `/jobs/<id>/checkpoints of chaos-pipeline`. */
  where: string;
}

const secondsAfter = (ms: number, from: number) => `${((ms - from) / 1000).toFixed(1)} s`;

export function judgeRestoreAfterKill(o: RestoreObservation): Judgement {
  const { checkpointAtKill: atKill, restored } = o;
  if (!atKill) {
    return fail(`no checkpoint had completed before the ${o.killed} kill, so a restore cannot be judged (${o.where}, latest.completed empty)`);
  }
  if (!isCheckpointId(atKill.id)) return fail(`the checkpoint read before the ${o.killed} kill has id ${atKill.id}, not a checkpoint id (an integer from 1; latest.completed.id, ${o.where})`);
  const bar = `#${atKill.id}, the latest completed at the kill${o.readAt !== undefined ? ` (read ${((o.faultAt - o.readAt) / 1000).toFixed(2)} s before it)` : ''}`;
  if (!restored) return fail(`after the ${o.killed} kill the job reported no restore; expected one from ≥ ${bar} (${o.where}, latest.restored empty)`);
  if (!isCheckpointId(restored.id) || !Number.isFinite(restored.timestamp)) {
    return fail(`after the ${o.killed} kill the job reported restore id ${restored.id} at timestamp ${restored.timestamp}: not a checkpoint id and a time (latest.restored, ${o.where})`);
  }
  if (restored.timestamp < o.faultAt) {
    return fail(
      `after the ${o.killed} kill the job reported no new restore: the latest, #${restored.id}, is from ${new Date(restored.timestamp).toISOString()}, before the kill; expected one from ≥ ${bar} (${o.where})`,
    );
  }
  const kind = restored.isSavepoint ? 'savepoint' : 'checkpoint';
  if (restored.id < atKill.id) {
    return fail(`after the ${o.killed} kill the job restored ${kind} #${restored.id}, older than ${bar} (${o.where})`);
  }
  return pass(`restored ${kind} #${restored.id} ${secondsAfter(restored.timestamp, o.faultAt)} after the ${o.killed} kill; ≥ ${bar}`);
}
