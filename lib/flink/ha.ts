// The JobManager failover scenario of 04, as mechanics: start a job with Kubernetes HA and
// checkpoints on a ReadWriteMany volume, wait for a completed checkpoint, kill the JobManager, and
// watch every event of the recovery (recovery-watch.ts). The suite file states the properties; this holds the state.
import type { V1Pod } from '@kubernetes/client-node';
import { apply, type K8sObject } from '../k8s/objects.ts';
import { jobManagerHaPlan } from '../suite/plans.ts';
import { exec } from '../k8s/pods.ts';
import { rwxStorageClass } from '../platform/checks.ts';
import type { PlanContext, SuiteHandle } from '../suite/handle.ts';
import { faultActive } from '../suite/selftest-faults.ts';
import { skipBecause } from '../suite/skip.ts';
import { sessionJobJarUrl } from './job-jars.ts';
import { FlinkDeploymentHandle } from './deployment.ts';
import type { CheckpointStats, FlinkRest } from './rest.ts';
import type { AtKill } from './recovery-timeline.ts';
import { RecoveryWatch } from './recovery-watch.ts';
import { FlinkSessionJobHandle } from './session-job.ts';
import { polled, until } from '../util/until.ts';

export type HaVariant = 'application' | 'session';

export class JobManagerFailover {
  private cluster?: FlinkDeploymentHandle;
  jobId = '';
  killedPod?: V1Pod;
  /** What was read immediately before the kill; set by `kill()`. */
  atKill?: AtKill;
  recovery?: RecoveryWatch;

  constructor(
    private readonly s: PlanContext & Pick<SuiteHandle, 'mark'>,
    readonly variant: HaVariant,
  ) {}

  /** The variant's FlinkDeployment, once `start()` applied it. */
  get fd(): FlinkDeploymentHandle {
    if (!this.cluster) throw new Error(`the ${this.variant} variant's Flink cluster has not been started`);
    return this.cluster;
  }

  private started?: Promise<string>;

  /** Applies the variant's objects from 04's plan; returns the job id once RUNNING. Started once. */
  start(): Promise<string> {
    return (this.started ??= this.startCluster());
  }

  /**
   * Starts the cluster without waiting for it, so it comes up while another variant is judged; the
   * step that needs it awaits `start()`, where a failure or a skip is reported.
   */
  startEarly(): void {
    this.start().catch(() => undefined);
  }

  private async startCluster(): Promise<string> {
    const s = this.s;
    if (this.variant === 'session' && !sessionJobJarUrl(s.config)) skipBecause('no flink.sessionJobJar configured (an http(s) URL the operator can download)');
    const storage = await rwxStorageClass(s.flink, s.config.flink.rwxStorageClass);
    if (!storage.name) throw new Error(storage.problem);
    const plan = jobManagerHaPlan(s.config, s.namespace, s.labels(), { rwxStorageClass: storage.name });
    const [claim, cluster] = this.variant === 'application' ? [plan.appClaim, plan.app] : [plan.sessionClaim, plan.session];
    for (const obj of [...plan.serviceAccount, claim]) await apply(s.flink, obj);
    this.cluster = new FlinkDeploymentHandle(s, cluster);
    await this.cluster.apply();
    if (this.variant === 'application') {
      const st = await until(this.fd.status({ lifecycleState: 'STABLE', jobManager: 'READY', job: 'RUNNING' }), s.deadline('jobRunning'));
      this.jobId = st.jobStatus!.jobId!;
    } else {
      await until(this.fd.status({ lifecycleState: 'STABLE', jobManager: 'READY' }), s.deadline('jobRunning'));
      const job = new FlinkSessionJobHandle(s, plan.sessionJob as K8sObject);
      await job.apply();
      this.jobId = (await until(job.jobState('RUNNING'), s.deadline('jobRunning'))).jobStatus!.jobId!;
    }
    return this.jobId;
  }

  rest(): Promise<FlinkRest> {
    return this.fd.rest();
  }

  /** Polls REST until the job has a completed checkpoint; returns its id. */
  async untilCheckpoint(after = 0): Promise<CheckpointStats> {
    const rest = await this.rest();
    let last: CheckpointStats | undefined;
    const value = await until(
      polled({
        description: `a completed checkpoint of job ${this.jobId} newer than #${after}`,
        check: async () => {
          last = await rest.checkpoints(this.jobId);
          return (last.latestCompleted?.id ?? 0) > after ? last : undefined;
        },
        observe: () => `completed=${last?.counts.completed ?? '?'} latest=#${last?.latestCompleted?.id ?? '-'}`,
      }),
      this.s.deadline('checkpoint'),
    );
    return value;
  }

  /**
   * Reads what recovery is judged against immediately before the kill (the latest completed checkpoint,
   * the job's RUNNING timestamp), kills the JobManager, and starts watching every recovery event at once.
   */
  async kill(): Promise<RecoveryWatch> {
    const [pod] = await this.fd.pods('jobmanager');
    if (!pod) throw new Error(`no JobManager pod of ${this.fd.name}`);
    const rest = await this.rest();
    const [job, checkpoints] = await Promise.all([rest.job(this.jobId), rest.checkpoints(this.jobId)]);
    if (!checkpoints.latestCompleted) throw new Error(`job ${this.jobId} has no completed checkpoint just before the kill (${checkpoints.counts.completed} completed)`);
    const byExec = this.s.config.flink.jobManagerKill === 'exec';
    this.killedPod = pod;
    const killedAt = this.s.mark('jobmanager-killed', { variant: this.variant });
    this.atKill = {
      killedAt: killedAt.getTime(),
      jobId: this.jobId,
      runningSince: job.timestamps.RUNNING ?? 0,
      checkpointAtKill: checkpoints.latestCompleted.id,
      killedPodUid: pod.metadata!.uid!,
      restartsBefore: pod.status?.containerStatuses?.[0]?.restartCount ?? 0,
      byExec,
    };
    if (byExec) {
      // What the operator's own e2e test does: the container restarts inside the same pod.
      await exec(this.s.flink, pod.metadata!.namespace!, pod.metadata!.name!, 'flink-main-container', ['kill', '1']).catch(() => undefined);
    } else {
      await this.s.flink.core.deleteNamespacedPod({ name: pod.metadata!.name!, namespace: pod.metadata!.namespace!, gracePeriodSeconds: 0 });
    }
    this.recovery = RecoveryWatch.start(this.s, this.fd, rest, this.atKill, this.s.timeout('recovery'));
    if (faultActive('jobmanager-crashes-again', this.s.config.target)) await this.crashNewJobManagerOnce();
    return this.recovery;
  }

  /**
   * Self-test fault: the JobManager that replaces the killed one crashes once more as soon as its
   * container runs (SIGTERM to its PID 1, as the operator's e2e kill does), then recovers: the job
   * comes back, and only "restarted once" can tell that it took two starts.
   */
  private async crashNewJobManagerOnce(): Promise<void> {
    const k = this.atKill!;
    const expected = (p: V1Pod) => (p.metadata?.uid === k.killedPodUid ? k.restartsBefore + (k.byExec ? 1 : 0) : 0);
    // Until the container has restarted: a PID 1 that has not installed its signal handler yet ignores SIGTERM.
    await until(
      polled({
        description: 'the new JobManager container to run and then crash once (self-test fault jobmanager-crashes-again)',
        check: async () => {
          const pods = (await this.fd.pods('jobmanager')).filter((p) => !p.metadata?.deletionTimestamp);
          const pod = pods.find((p) => (k.byExec ? p.metadata?.uid === k.killedPodUid : p.metadata?.uid !== k.killedPodUid));
          const status = pod?.status?.containerStatuses?.[0];
          if (!pod || !status) return undefined;
          if ((status.restartCount ?? 0) > expected(pod)) return true;
          if (status.state?.running)
            await exec(this.s.flink, pod.metadata!.namespace!, pod.metadata!.name!, 'flink-main-container', ['kill', '1']).catch(() => undefined);
          return undefined;
        },
        intervalMs: 2_000,
      }),
      this.s.deadline('recovery'),
    );
  }

  /** JobManager starts since the kill (a crash loop shows as several pods, or restarts), for `judgeSingleStart`. */
  async jobManagerStartsSinceKill(): Promise<{ byExec: boolean; podsCreatedSinceKill: number; restartsSinceKill: number; pods: string }> {
    const k = this.atKill!;
    const pods = await this.fd.pods('jobmanager');
    // creationTimestamp has whole seconds: compare against the second of the kill.
    const killSecond = Math.floor(k.killedAt / 1000) * 1000;
    const recent = pods.filter((p) => new Date(p.metadata?.creationTimestamp ?? 0).getTime() >= killSecond);
    const restarts = pods.reduce((n, p) => n + (p.status?.containerStatuses?.[0]?.restartCount ?? 0), 0);
    return {
      byExec: k.byExec,
      podsCreatedSinceKill: recent.length,
      restartsSinceKill: k.byExec ? restarts - k.restartsBefore : restarts,
      pods: pods.map((p) => `${p.metadata?.name}: restarts ${p.status?.containerStatuses?.[0]?.restartCount ?? 0}`).join(', ') || 'no JobManager pod',
    };
  }
}
