// 04 JobManager HA: the paper killed the JobManager and called it a success when the pod restarted
// once. Here recovery must keep the same job id, restore from the latest completed checkpoint, and
// checkpoint again, in application and in session mode, with the recovery time measured.
import { expect } from 'vitest';
import { JobManagerFailover, type HaVariant } from '../lib/flink/ha.ts';
import { operatorErrorsSince } from '../lib/flink/operator-log.ts';
import { group, step, suite } from '../lib/suite/dsl.ts';
import { secondsSince } from '../lib/util/time.ts';

suite('04-jobmanager-ha', (s) => {
  for (const variant of ['application', 'session'] satisfies HaVariant[]) {
    const ha = new JobManagerFailover(s, variant);
    const labels = { variant };

    group(variant, () => {
      step('the job runs with Kubernetes HA and has a completed checkpoint', async () => {
        await ha.start();
        const before = await ha.untilCheckpoint();
        ha.checkpointBefore = before.latestCompleted!.id;
        s.record('checkpointBeforeKill', ha.checkpointBefore, 'id', labels);
      });

      step('a new JobManager becomes Ready after the kill', async () => {
        await ha.kill();
        await ha.untilNewJobManagerReady();
        s.record('timeToNewJobManagerReady', secondsSince(ha.killedAt.getTime()), 's', labels);
        s.mark('jobmanager-ready', labels);
      });

      step('the same job id is RUNNING again', async () => {
        await ha.untilSameJobRunning();
        s.record('rto', secondsSince(ha.killedAt.getTime()), 's', labels);
        s.mark('job-running', labels);
      });

      step('it restored from the latest completed checkpoint and checkpoints again', async () => {
        const rest = await ha.rest();
        const restored = await rest.checkpoints(ha.jobId);
        expect(restored.counts.restored, 'checkpoints restored (counts.restored)').toBeGreaterThanOrEqual(1);
        expect(restored.latestRestored?.id, `restored checkpoint id vs last completed before the kill (#${ha.checkpointBefore})`).toBeGreaterThanOrEqual(ha.checkpointBefore);
        s.record('restoredCheckpoint', restored.latestRestored!.id, 'id', labels);
        const after = await ha.untilCheckpoint(restored.latestRestored!.id);
        s.record('timeToFirstNewCheckpoint', secondsSince(ha.killedAt.getTime()), 's', labels);
        s.record('firstNewCheckpoint', after.latestCompleted!.id, 'id', labels);
        s.mark('first-new-checkpoint', labels);
      });

      step('the JobManager restarted once, not in a loop', async () => {
        const starts = await ha.jobManagerStartsSinceKill();
        const byExec = s.config.flink.jobManagerKill === 'exec';
        expect(byExec ? starts.restarts - ha.restartsBefore : starts.pods, 'JobManager starts since the kill').toBe(1);
        if (!byExec) expect(starts.restarts, 'container restarts of the new JobManager').toBe(0);
      });

      step('the operator logged no unexpected ERROR through the failover', async () => {
        const errors = await operatorErrorsSince(s.flink, s.config.namespaces.operator, ha.killedAt);
        s.record('operatorAllowedErrors', errors.allowed.length, 'count', labels);
        expect(errors.unexpected, `operator ERROR lines not in the allowlist (lib/flink/operator-log.ts):\n${errors.unexpected.join('\n')}`).toEqual([]);
      });
    });
  }
});
