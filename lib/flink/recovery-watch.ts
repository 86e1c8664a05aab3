// Watches a JobManager failover from the kill on, every event at once: the JobManager pods (a watch),
// the job and its checkpoints over REST (polled: REST cannot be watched), and the new JobManager's log
// (polled). Each recovery event is settled the moment it is seen, whatever the order, so no event
// waits behind another (issue 13, 2h); a terminal error any component reports ends every wait still
// open, with that component's words as the reason (2i).
import type { V1Pod } from '@kubernetes/client-node';
import type { K8sObject } from '../k8s/objects.ts';
import { podLogs } from '../k8s/pods.ts';
import { kinds } from '../k8s/resources.ts';
import { watched } from '../k8s/wait.ts';
import type { FlinkContext } from '../suite/handle.ts';
import { CheckFailed } from '../util/judgement.ts';
import { formatDuration, pollPause, TimeoutError } from '../util/time.ts';
import type { FlinkDeploymentHandle } from './deployment.ts';
import { judgeJobManagerRecovery, type JobManagerLog } from './jobmanager-watch.ts';
import { RecoveryObserver, type AtKill, type RecoveryEvents } from './recovery-timeline.ts';
import { FlinkRest, type CheckpointStats, type JobDetail } from './rest.ts';
import { Deadline, until } from '../util/until.ts';

type EventName = keyof RecoveryEvents;
const eventWords: Record<EventName, string> = {
  jobManagerReady: 'a replacement JobManager to be Ready',
  jobRunning: 'the same job id to be RUNNING again',
  restore: 'the recovered job to restore its state',
  firstNewCheckpoint: 'a checkpoint completed by the recovered job',
};

interface Pending<T> {
  promise: Promise<T>;
  resolve: (v: T) => void;
  reject: (e: Error) => void;
  settled: boolean;
}

function pending<T>(): Pending<T> {
  const p = { settled: false } as Pending<T>;
  p.promise = new Promise<T>((resolve, reject) => Object.assign(p, { resolve, reject }));
  // A check that is skipped never awaits its event; its rejection is nobody's business.
  p.promise.catch(() => undefined);
  return p;
}

/** How often the REST endpoints and the log are read: REST often (its lag is a figure), logs less (they are long). */
const restEveryMs = 500;
const logsEveryMs = 2_000;

export class RecoveryWatch {
  readonly observer: RecoveryObserver;
  private readonly waits: { [K in EventName]: Pending<NonNullable<RecoveryEvents[K]>> } = {
    jobManagerReady: pending(),
    jobRunning: pending(),
    restore: pending(),
    firstNewCheckpoint: pending(),
  };
  private readonly abort = new AbortController();
  private pods: V1Pod[] = [];
  private job?: JobDetail;
  private checkpoints?: CheckpointStats;
  private restNote = 'REST not read yet';
  private jobRootCause?: string;
  private readonly logs = new Map<string, JobManagerLog>();
  private readonly previousLogsRead = new Set<string>();
  private deadline?: NodeJS.Timeout;

  private constructor(
    private readonly s: FlinkContext,
    private readonly fd: FlinkDeploymentHandle,
    private readonly rest: FlinkRest,
    readonly atKill: AtKill,
  ) {
    this.observer = new RecoveryObserver(atKill);
  }

  /** Starts watching right after the kill; every event must be seen within `timeoutMs` of `atKill.killedAt`. */
  static start(s: FlinkContext, fd: FlinkDeploymentHandle, rest: FlinkRest, atKill: AtKill, timeoutMs: number): RecoveryWatch {
    // A short REST timeout: while no JobManager answers, a slow read would only add to the detection lag.
    const w = new RecoveryWatch(s, fd, new FlinkRest(rest.baseUrl, 3_000), atKill);
    w.deadline = setTimeout(() => w.timedOut(timeoutMs), Math.max(0, atKill.killedAt + timeoutMs - Date.now()));
    void w.watchPods();
    void w.pollRest();
    void w.pollLogs();
    s.teardown.add(`recovery watch of ${fd.name}`, async () => w.stop(), { scope: fd.teardownScope });
    return w;
  }

  /** Resolves when the event is seen; rejects with the cause when a component reports a terminal error, or at the deadline. */
  until<K extends EventName>(event: K): Promise<NonNullable<RecoveryEvents[K]>> {
    return this.waits[event].promise;
  }

  stop(): void {
    clearTimeout(this.deadline);
    this.abort.abort();
  }

  private get ended(): boolean {
    return this.abort.signal.aborted;
  }

  /** What the watch saw last, for timeout messages. */
  private seen(): string {
    return `${judgeJobManagerRecovery(this.jobManagerObservation()).summary}; ${this.restNote}`;
  }

  private settle(): void {
    if (this.ended) return;
    const events = this.observer.events;
    for (const name of Object.keys(this.waits) as EventName[]) {
      const wait = this.waits[name] as Pending<unknown>;
      if (!wait.settled && events[name]) {
        wait.settled = true;
        wait.resolve(events[name]);
      }
    }
    if (this.observer.complete) return this.stop();
    const verdict = judgeJobManagerRecovery(this.jobManagerObservation());
    if (verdict.terminal) this.endAll(() => new CheckFailed(verdict.terminal!));
  }

  private endAll(error: (event: EventName) => Error): void {
    for (const name of Object.keys(this.waits) as EventName[]) {
      const wait = this.waits[name] as Pending<unknown>;
      if (!wait.settled) {
        wait.settled = true;
        wait.reject(error(name));
      }
    }
    this.stop();
  }

  private timedOut(timeoutMs: number): void {
    this.endAll((name) => new TimeoutError(`timed out after ${formatDuration(timeoutMs)} from the kill waiting for ${eventWords[name]}; last observed: ${this.seen()}`));
  }

  /** The JobManager pods that came after the kill: a new pod, or the killed one once restarted in place. */
  private postKillPods(): V1Pod[] {
    const k = this.atKill;
    return this.pods.filter((p) =>
      k.byExec
        ? p.metadata?.uid === k.killedPodUid && (p.status?.containerStatuses?.[0]?.restartCount ?? 0) > k.restartsBefore
        : p.metadata?.uid !== k.killedPodUid && !p.metadata?.deletionTimestamp,
    );
  }

  private jobManagerObservation() {
    const expectedRestarts = new Map(this.atKill.byExec ? [[this.atKill.killedPodUid, this.atKill.restartsBefore + 1]] : []);
    return {
      namespace: this.fd.namespace,
      pods: this.postKillPods(),
      expectedRestarts,
      logs: [...this.logs.values()],
      job: this.job && { id: this.job.id, state: this.job.state, rootCause: this.jobRootCause },
    };
  }

  private async watchPods(): Promise<void> {
    await until(
      watched<never, V1Pod & K8sObject>(
        this.s.flink,
        { kind: kinds.Pod, namespace: this.fd.namespace, labelSelector: `app=${this.fd.name},component=jobmanager` },
        {
          description: `the JobManager pods of ${this.fd.name} through recovery`,
          check: (pods) => {
            this.pods = pods;
            this.observer.onPods(pods, Date.now());
            this.settle();
            return undefined;
          },
        },
      ),
      Deadline.in(24 * 3_600_000),
      { signal: this.abort.signal, progressEveryMs: 24 * 3_600_000 },
    ).catch(() => undefined);
  }

  private async pollRest(): Promise<void> {
    const jobId = this.atKill.jobId;
    while (!this.ended) {
      const [job, checkpoints] = await Promise.all([
        this.rest.job(jobId).catch((e: Error) => ((this.restNote = `REST: ${e.message.split('\n')[0]}`), undefined)),
        this.rest.checkpoints(jobId).catch(() => undefined),
      ]);
      const seenAt = Date.now();
      if (job) {
        this.job = job;
        this.checkpoints = checkpoints ?? this.checkpoints;
        const cp = this.checkpoints;
        this.restNote = `REST: job ${job.state}${cp ? `, restored ${cp.latestRestored ? `#${cp.latestRestored.id}` : 'nothing'}, latest completed ${cp.latestCompleted ? `#${cp.latestCompleted.id}` : 'none'}` : ''}`;
        if (job.state === 'FAILED' && this.jobRootCause === undefined) {
          this.jobRootCause = (await this.rest.exceptions(jobId).catch(() => []))[0]?.message ?? '';
        }
      }
      this.observer.onRest(job, checkpoints, seenAt);
      this.settle();
      await pollPause(restEveryMs, this.abort.signal);
    }
  }

  /** The post-kill JobManager's log, and its previous container's once it restarted: where it says why it gave up. */
  private async pollLogs(): Promise<void> {
    while (!this.ended) {
      for (const pod of this.postKillPods()) {
        const name = pod.metadata!.name!;
        const status = pod.status?.containerStatuses?.find((c) => c.name === 'flink-main-container') ?? pod.status?.containerStatuses?.[0];
        if (!status) continue;
        const read = (previous: boolean) =>
          podLogs(this.s.flink, this.fd.namespace, name, { container: status.name, previous, tailLines: 2_000 }).catch(() => undefined);
        if (status.state?.running || status.state?.terminated) {
          const text = await read(false);
          if (text !== undefined) this.logs.set(`${name}/current`, { pod: name, previous: false, text });
        }
        // The container before this one, if it too started after the kill (not the one the exec kill ended).
        const expected = this.atKill.byExec ? this.atKill.restartsBefore + 1 : 0;
        const key = `${pod.metadata?.uid}/${status.restartCount}`;
        if ((status.restartCount ?? 0) > expected && !this.previousLogsRead.has(key)) {
          const text = await read(true);
          if (text !== undefined) {
            this.previousLogsRead.add(key);
            this.logs.set(`${name}/previous`, { pod: name, previous: true, text });
          }
        }
      }
      this.settle();
      await pollPause(logsEveryMs, this.abort.signal);
    }
  }
}
