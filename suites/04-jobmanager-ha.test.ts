// 04 JobManager HA: the paper killed the JobManager and called it a success when the pod restarted
// once. Here recovery must keep the same job id, restore from the latest checkpoint completed at the
// kill, and checkpoint again, in application and in session mode, each event timed by the system's own
// timestamp with the harness's detection lag beside it; a component that gives up ends the wait at once.
import { JobManagerFailover, type HaVariant } from '../lib/flink/ha.ts';
import { provokeOperatorValidationError } from '../lib/flink/sabotage.ts';
import { faultActive } from '../lib/suite/selftest-faults.ts';
import { judgeOperatorLog, operatorErrorsSince } from '../lib/flink/operator-log.ts';
import { judgeCheckpointsAgain, judgeRestore, judgeSingleStart } from '../lib/flink/recovery-judges.ts';
import { recoveryTimeline, type TimelineFigure } from '../lib/flink/recovery-timeline.ts';
import { group, observesOnly, step, suite } from '../lib/suite/dsl.ts';
import { holds } from '../lib/util/judgement.ts';

suite('04-jobmanager-ha', (s) => {
  const failovers = (['application', 'session'] satisfies HaVariant[]).map((variant) => new JobManagerFailover(s, variant));
  const started = 'the job runs with Kubernetes HA and has a completed checkpoint';
  for (const ha of failovers) {
    const { variant } = ha;
    const labels = { variant };

    group(variant, () => {
      step(started, async () => {
        // The clusters of the variants this run selects start together: the session cluster comes up
        // while the application variant is judged. Each is killed and judged on its own.
        for (const other of failovers) if (s.selects(`${other.variant}: ${started}`)) other.startEarly();
        await ha.start();
        await ha.untilCheckpoint();
      });

      // From the kill on, every recovery event is watched at once and timed by the system's own
      // timestamp (recovery-timeline.ts); each step below awaits its event and judges it.
      const recordEvent = (figure: TimelineFigure | undefined, mark: string, at: number) => {
        if (!figure) return;
        s.record(figure.name, figure.seconds, 's', labels);
        s.record(`${figure.name}DetectionLag`, figure.detectionLagSeconds, 's', labels);
        s.mark(mark, labels, new Date(at));
      };
      const figure = (name: TimelineFigure['name']) => recoveryTimeline(ha.atKill!, ha.recovery!.observer.events).find((f) => f.name === name);

      step('a new JobManager becomes Ready after the kill', async () => {
        const recovery = await ha.kill();
        s.record('checkpointAtKill', ha.atKill!.checkpointAtKill, 'id', labels);
        const ready = await recovery.until('jobManagerReady');
        recordEvent(figure('timeToNewJobManagerReady'), 'jobmanager-ready', ready.at);
      });

      step('the same job id is RUNNING again', async () => {
        const running = await ha.recovery!.until('jobRunning');
        recordEvent(figure('rto'), 'job-running', running.at);
      });

      step('it restored from the latest completed checkpoint and checkpoints again', async () => {
        const restore = await ha.recovery!.until('restore');
        const restored = restore.value.checkpoint;
        if (restored) s.record('restoredCheckpoint', restored.id, 'id', labels);
        recordEvent(figure('timeToRestore'), 'job-restored', restore.at);
        holds(judgeRestore({ checkpointAtKill: ha.atKill!.checkpointAtKill, restored }));
        const first = await ha.recovery!.until('firstNewCheckpoint');
        s.record('firstNewCheckpoint', first.value.id, 'id', labels);
        recordEvent(figure('timeToFirstNewCheckpoint'), 'first-new-checkpoint', first.at);
        holds(judgeCheckpointsAgain({ restoredId: restored!.id, firstNew: first.value }));
      });

      step('the JobManager restarted once, not in a loop', async () => {
        holds(judgeSingleStart(await ha.jobManagerStartsSinceKill()));
      }, observesOnly);

      step('the operator logged no unexpected ERROR through the failover', async () => {
        if (faultActive('operator-error-in-namespace', s.config.target)) await provokeOperatorValidationError(s.flink, ha.fd.manifest, 60_000);
        const log = await operatorErrorsSince(s.flink, s.config.namespaces.operator, new Date(ha.atKill!.killedAt), s.namespace);
        s.record('operatorAllowedErrors', log.errors.allowed.length, 'count', labels);
        s.record('operatorErrorsOfOtherNamespaces', log.errors.otherNamespaces, 'count', labels);
        holds(judgeOperatorLog(log));
      });
    });
  }
});
