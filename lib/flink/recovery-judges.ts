// The decisions of 04's recovery checks, over what the recovery watch observed (recovery-timeline.ts).
import { fail, pass, type Judgement } from '../util/judgement.ts';
import type { CheckpointRef } from './rest.ts';

// Flink numbers checkpoints and savepoints from 1 on one counter, so anything else is a bad reading.
// A NaN (an id the response lacked parses to one) compares false both ways: unnamed, it passes "not older".
export const isCheckpointId = (id: number): boolean => Number.isSafeInteger(id) && id >= 1;

/** The job must resume from the latest checkpoint completed at the kill, or a newer one. */
export function judgeRestore(o: { checkpointAtKill: number; restored?: Pick<CheckpointRef, 'id' | 'isSavepoint' | 'externalPath'> }): Judgement {
  if (!isCheckpointId(o.checkpointAtKill)) {
    return fail(
      `the checkpoint completed at the kill has id ${o.checkpointAtKill}, not a checkpoint id (an integer from 1; latest.completed.id in /jobs/:id/checkpoints before the kill): ` +
        `no restore can be judged against it`,
    );
  }
  if (!o.restored) {
    return fail(
      `the recovered job restored no checkpoint (latest.restored empty, counts.restored = 0 in /jobs/:id/checkpoints); ` +
        `expected #${o.checkpointAtKill} or newer, the latest completed at the kill: it started from empty state`,
    );
  }
  const what = `${o.restored.isSavepoint ? 'savepoint' : 'checkpoint'} #${o.restored.id}${o.restored.externalPath ? ` (${o.restored.externalPath})` : ''}`;
  if (!isCheckpointId(o.restored.id)) {
    return fail(`restored ${what}: id ${o.restored.id} is not a checkpoint id (an integer from 1; latest.restored.id in /jobs/:id/checkpoints); expected #${o.checkpointAtKill} or newer`);
  }
  if (o.restored.id < o.checkpointAtKill) {
    return fail(`restored ${what}, older than #${o.checkpointAtKill}, the latest completed at the kill: the state since then is lost`);
  }
  return pass(`restored ${what} (latest completed at the kill: #${o.checkpointAtKill})`);
}

/** After the restore the job must checkpoint again, past the one it restored. */
export function judgeCheckpointsAgain(o: { restoredId: number; firstNew?: { id: number } }): Judgement {
  if (!isCheckpointId(o.restoredId)) {
    return fail(`the restored checkpoint has id ${o.restoredId}, not a checkpoint id (an integer from 1; latest.restored.id in /jobs/:id/checkpoints): no later checkpoint can be judged against it`);
  }
  if (!o.firstNew) return fail(`no checkpoint completed after the restore of #${o.restoredId}`);
  if (!isCheckpointId(o.firstNew.id)) {
    return fail(`first checkpoint after the restore of #${o.restoredId} has id ${o.firstNew.id}, not a checkpoint id (an integer from 1; latest.completed.id in /jobs/:id/checkpoints)`);
  }
  if (o.firstNew.id <= o.restoredId) return fail(`first checkpoint after the restore is #${o.firstNew.id}, not newer than the restored #${o.restoredId}`);
  return pass(`checkpoint #${o.firstNew.id} completed after the restore of #${o.restoredId}`);
}

/**
 * One JobManager start per kill: a new pod that has not restarted (pod kill), or exactly one container
 * restart of the killed pod (exec). More is a crash loop the final RUNNING state would hide.
 */
export function judgeSingleStart(o: { byExec: boolean; podsCreatedSinceKill: number; restartsSinceKill: number; pods: string }): Judgement {
  if (o.byExec) {
    return o.restartsSinceKill === 1
      ? pass(`the killed JobManager container restarted once in place (${o.pods})`)
      : fail(`expected 1 restart of the killed JobManager container, saw ${o.restartsSinceKill} (${o.pods})`);
  }
  if (o.podsCreatedSinceKill !== 1) return fail(`expected 1 new JobManager pod after the kill, saw ${o.podsCreatedSinceKill} (${o.pods})`);
  if (o.restartsSinceKill !== 0) return fail(`the new JobManager pod restarted ${o.restartsSinceKill}x: a crash loop (${o.pods}; see its --previous log)`);
  return pass(`one new JobManager pod, no restarts (${o.pods})`);
}
