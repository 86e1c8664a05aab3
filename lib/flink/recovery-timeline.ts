// What a JobManager failover looked like, event by event, each timed by the clock of the system that
// did it: the kubelet's Ready transition of the new JobManager pod, Flink's own job status timestamp
// for RUNNING, the restore timestamp of the checkpoint it restored, and the acknowledgement time of its
// first new checkpoint. The harness only sees these when it looks; how late it looked is the detection
// lag, recorded beside each figure, so a slow poll never passes for a slow recovery (issue 13, 2h).
//
// Pure: `RecoveryObserver` is fed what was read (pods, REST bodies) with the time it was read.
import type { V1Pod } from '@kubernetes/client-node';
import type { CheckpointRef, CheckpointStats, JobDetail } from './rest.ts';

/** What was known at the kill, read immediately before it. */
export interface AtKill {
  /** Harness clock, epoch ms, just before the kill was sent. */
  killedAt: number;
  jobId: string;
  /** Flink's `timestamps.RUNNING` of the killed incarnation (cluster clock): a later one is the recovered job. */
  runningSince: number;
  /** The latest completed checkpoint read immediately before the kill. */
  checkpointAtKill: number;
  killedPodUid: string;
  /** Container restarts of the killed pod before the kill. */
  restartsBefore: number;
  /** Killed with `kill 1` in the container (it restarts in place) rather than by deleting the pod. */
  byExec: boolean;
}

/** An event of the recovery: when the system says it happened, and when the harness first saw it. */
export interface Seen<T> {
  value: T;
  /** Epoch ms by the system's own timestamp. */
  at: number;
  /** Epoch ms, harness clock. */
  seenAt: number;
  /** Which timestamp `at` is, for the report. */
  source: string;
}

export interface RecoveryEvents {
  jobManagerReady?: Seen<{ pod: string }>;
  jobRunning?: Seen<{ state: string }>;
  /** Seen with `checkpoint` undefined when the job came back RUNNING without restoring anything. */
  restore?: Seen<{ checkpoint?: CheckpointRef }>;
  firstNewCheckpoint?: Seen<{ id: number; triggeredAt: number }>;
}

const readySince = (p: V1Pod): number | undefined => {
  const c = p.status?.conditions?.find((c) => c.type === 'Ready' && c.status === 'True');
  return c ? new Date(c.lastTransitionTime ?? 0).getTime() : undefined;
};

/** The replacement JobManager pod once Ready: a new pod (pod kill), or the killed one restarted in place (exec). */
export function replacementReady(pods: V1Pod[], k: AtKill): { pod: string; at: number } | undefined {
  for (const p of pods) {
    if (p.metadata?.deletionTimestamp) continue;
    const restarted = (p.status?.containerStatuses?.[0]?.restartCount ?? 0) > k.restartsBefore;
    const replacement = k.byExec ? p.metadata?.uid === k.killedPodUid && restarted : p.metadata?.uid !== k.killedPodUid;
    const at = readySince(p);
    if (replacement && at !== undefined) return { pod: p.metadata?.name ?? '?', at };
  }
  return undefined;
}

/** The recovered incarnation of the job once RUNNING: its RUNNING timestamp is later than the killed one's. */
export function recoveredRunning(job: JobDetail | undefined, k: AtKill): { at: number } | undefined {
  const running = job?.timestamps.RUNNING ?? 0;
  return job?.id === k.jobId && job.state === 'RUNNING' && running > k.runningSince ? { at: running } : undefined;
}

/**
 * The restore of the recovered incarnation. Flink restores the checkpoint while it builds the job,
 * before RUNNING, so a RUNNING recovered job without a restore newer than the kill restored nothing.
 */
export function restoreOf(checkpoints: CheckpointStats | undefined, job: JobDetail | undefined, k: AtKill): { checkpoint?: CheckpointRef; at: number } | undefined {
  const restored = checkpoints?.latestRestored;
  if (restored && restored.timestamp > k.runningSince) return { checkpoint: restored, at: restored.timestamp };
  const running = recoveredRunning(job, k);
  return running && checkpoints ? { checkpoint: undefined, at: running.at } : undefined;
}

/**
 * The first checkpoint the recovered incarnation completed: checkpoints are triggered only once a job
 * is RUNNING, so the earliest completed one triggered at or after the recovered RUNNING timestamp.
 * The JobManager keeps the last few in `history`; observed from the kill on, the first is still there.
 */
export function firstCompletedSince(checkpoints: CheckpointStats | undefined, runningAt: number): { id: number; triggeredAt: number; completedAt: number } | undefined {
  const entries = (checkpoints?.history ?? []).filter((h) => h.status === 'COMPLETED' && !h.isSavepoint && h.triggerTimestamp >= runningAt);
  const latest = checkpoints?.latestCompleted;
  if (entries.length === 0 && latest?.triggerTimestamp !== undefined && latest.triggerTimestamp >= runningAt && !latest.isSavepoint) {
    return { id: latest.id, triggeredAt: latest.triggerTimestamp, completedAt: latest.timestamp };
  }
  const first = entries.sort((a, b) => a.id - b.id)[0];
  return first && { id: first.id, triggeredAt: first.triggerTimestamp, completedAt: first.latestAckTimestamp };
}

/** Collects the first sighting of each recovery event from what the watchers read, in any order. */
export class RecoveryObserver {
  readonly events: RecoveryEvents = {};

  constructor(readonly atKill: AtKill) {}

  onPods(pods: V1Pod[], seenAt: number): void {
    if (this.events.jobManagerReady) return;
    const ready = replacementReady(pods, this.atKill);
    if (ready) this.events.jobManagerReady = { value: { pod: ready.pod }, at: ready.at, seenAt, source: 'pod condition Ready lastTransitionTime' };
  }

  /** One read of `/jobs/:id` and `/jobs/:id/checkpoints` (either may be missing while the JobManager is down). */
  onRest(job: JobDetail | undefined, checkpoints: CheckpointStats | undefined, seenAt: number): void {
    const e = this.events;
    const running = recoveredRunning(job, this.atKill);
    if (!e.jobRunning && running) e.jobRunning = { value: { state: 'RUNNING' }, at: running.at, seenAt, source: 'Flink job timestamps.RUNNING' };
    if (!e.restore) {
      const restore = restoreOf(checkpoints, job, this.atKill);
      if (restore) {
        e.restore = restore.checkpoint
          ? { value: { checkpoint: restore.checkpoint }, at: restore.at, seenAt, source: 'Flink checkpoints latest.restored.restore_timestamp' }
          : { value: {}, at: restore.at, seenAt, source: 'Flink job timestamps.RUNNING (no restore)' };
      }
    }
    if (!e.firstNewCheckpoint && e.jobRunning) {
      const first = firstCompletedSince(checkpoints, e.jobRunning.at);
      if (first) e.firstNewCheckpoint = { value: { id: first.id, triggeredAt: first.triggeredAt }, at: first.completedAt, seenAt, source: 'Flink checkpoint latest_ack_timestamp' };
    }
  }

  get complete(): boolean {
    const e = this.events;
    return !!(e.jobManagerReady && e.jobRunning && e.restore && e.firstNewCheckpoint);
  }
}

export interface TimelineFigure {
  /** The figure's name in results.json (its detection lag is `<name>DetectionLag`). */
  name: 'timeToNewJobManagerReady' | 'rto' | 'timeToRestore' | 'timeToFirstNewCheckpoint';
  /** From the kill to the event by the system's timestamp, s. */
  seconds: number;
  /** When the harness saw it minus the system's timestamp, s. Negative means the clocks disagree. */
  detectionLagSeconds: number;
  source: string;
}

const s2 = (ms: number) => Math.round(ms / 10) / 100;

/**
 * The recovery as figures. The kill is on the harness clock, the events on the cluster's: on the lab
 * they are one clock; elsewhere a skew shows as a negative detection lag. Pod condition times have
 * whole seconds, so the Ready figure may be up to 1 s early and its lag up to 1 s long.
 */
export function recoveryTimeline(k: AtKill, e: RecoveryEvents): TimelineFigure[] {
  const figure = (name: TimelineFigure['name'], ev: Seen<unknown> | undefined): TimelineFigure[] =>
    ev ? [{ name, seconds: s2(ev.at - k.killedAt), detectionLagSeconds: s2(ev.seenAt - ev.at), source: ev.source }] : [];
  return [
    ...figure('timeToNewJobManagerReady', e.jobManagerReady),
    ...figure('rto', e.jobRunning),
    ...figure('timeToRestore', e.restore?.value.checkpoint ? e.restore : undefined),
    ...figure('timeToFirstNewCheckpoint', e.firstNewCheckpoint),
  ];
}
