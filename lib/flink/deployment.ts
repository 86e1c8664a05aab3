// A FlinkDeployment as a suite sees it: apply it (with teardown), wait for the status the operator
// writes, reach its REST API through a port-forward, find its JobManager and TaskManager pods.
import type { V1Pod } from '@kubernetes/client-node';
import { observeDeletion, type DeletionObservation } from '../k8s/deletion.ts';
import { apply, deleteAndWait, list, read, refOf, requestDeletion, type K8sObject } from '../k8s/objects.ts';
import { portForward, type Forward } from '../k8s/portforward.ts';
import { describeRef, kinds } from '../k8s/resources.ts';
import { watched, watchedObject, type Watched } from '../k8s/wait.ts';
import type { FlinkContext } from '../suite/handle.ts';
import { jobManagerFailureHint } from './diagnose.ts';
import { FlinkRest } from './rest.ts';
import { OperatorCrashLoop, whileOperatorWatched, withOperatorWatched } from './operator-watch.ts';
import { TimeoutError, WaitEnded } from '../util/time.ts';
import { readyPods } from '../k8s/conditions.ts';
import { type Condition, Deadline, until } from '../util/until.ts';

export interface FlinkDeploymentStatus {
  lifecycleState?: string;
  jobManagerDeploymentStatus?: string;
  jobStatus?: { jobId?: string; jobName?: string; state?: string; startTime?: string; updateTime?: string };
  error?: string;
  reconciliationStatus?: { state?: string };
  observedGeneration?: number;
  taskManager?: { labelSelector?: string; replicas?: number };
}

export type FlinkDeploymentObject = K8sObject & { status?: FlinkDeploymentStatus };

export interface WantedStatus {
  lifecycleState?: string;
  jobManager?: string;
  job?: string;
}

/** One line for progress and failure messages. */
export function describeStatus(st: FlinkDeploymentStatus | undefined): string {
  if (!st) return 'no status yet';
  const parts = [
    `lifecycle=${st.lifecycleState ?? '-'}`,
    `jobManager=${st.jobManagerDeploymentStatus ?? '-'}`,
    `job=${st.jobStatus?.state ?? '-'}`,
  ];
  if (st.error) parts.push(`error=${errorSummary(st.error)}`);
  return parts.join(' ');
}

/** The operator writes `error` as a JSON string with type/message; keep its first useful line. */
export function errorSummary(error: string): string {
  try {
    const parsed = JSON.parse(error) as { message?: string; type?: string; throwableList?: { message?: string }[] };
    const root = parsed.throwableList?.at(-1)?.message;
    return `${parsed.message ?? parsed.type ?? error}${root && root !== parsed.message ? ` (root cause: ${root})` : ''}`.slice(0, 400);
  } catch {
    return error.split('\n')[0]!.slice(0, 400);
  }
}

/**
 * Whether `st` can no longer reach the wanted status on its own: a FAILED lifecycle, a FAILED job,
 * or a JobManager deployment in ERROR. The wait stops there with the operator's error, rather than
 * running into its timeout.
 */
export function terminalProblem(st: FlinkDeploymentStatus | undefined, wanted: WantedStatus): string | undefined {
  if (!st) return undefined;
  if (st.lifecycleState === 'FAILED' && wanted.lifecycleState !== 'FAILED') return `lifecycle FAILED`;
  if (st.jobStatus?.state === 'FAILED' && wanted.job !== 'FAILED') return `job FAILED`;
  if (st.jobManagerDeploymentStatus === 'ERROR' && wanted.jobManager !== 'ERROR') return `JobManager deployment ERROR`;
  return undefined;
}

export function statusMatches(st: FlinkDeploymentStatus | undefined, wanted: WantedStatus): boolean {
  return (
    !!st &&
    (!wanted.lifecycleState || st.lifecycleState === wanted.lifecycleState) &&
    (!wanted.jobManager || st.jobManagerDeploymentStatus === wanted.jobManager) &&
    (!wanted.job || st.jobStatus?.state === wanted.job)
  );
}

/** The teardown scope of one Flink cluster: its FlinkDeployment, its port-forward, and its session jobs. */
export function flinkClusterScope(namespace: string, deploymentName: string): string {
  return `Flink cluster ${namespace}/${deploymentName}`;
}

export class FlinkDeploymentHandle {
  private forward?: Forward;
  /** Epoch ms of the apply, the start of the suites' time-to-ready figures. */
  appliedAt = 0;

  constructor(
    private readonly s: FlinkContext,
    readonly manifest: K8sObject,
  ) {}

  get name(): string {
    return this.manifest.metadata.name;
  }

  get namespace(): string {
    return this.manifest.metadata.namespace!;
  }

  /** Its teardown is independent of other clusters': theirs run at the same time (lib/run/teardown.ts). */
  get teardownScope(): string {
    return flinkClusterScope(this.namespace, this.name);
  }

  /** Applies it and registers its deletion (waiting until its pods are gone) for teardown. */
  async apply(): Promise<void> {
    this.appliedAt = Date.now();
    await apply(this.s.flink, this.manifest);
    this.s.teardown.add(`${refOf(this.manifest)}`, () => this.delete(), { scope: this.teardownScope });
  }

  /**
   * Its status as the operator writes it reaching `wanted`; a FAILED lifecycle or job, or a crash-looping
   * operator, ends the wait at once, with the JobManager's own log line when it failed.
   */
  status(wanted: WantedStatus): Condition<FlinkDeploymentStatus> {
    const words = [
      wanted.lifecycleState && `lifecycle ${wanted.lifecycleState}`,
      wanted.jobManager && `JobManager ${wanted.jobManager}`,
      wanted.job && `job ${wanted.job}`,
    ].filter(Boolean);
    const status = withOperatorWatched(this.s.flink, this.s.config.namespaces.operator, (operatorNote) =>
      watchedObject<FlinkDeploymentStatus, FlinkDeploymentObject>(
        this.s.flink,
        { kind: kinds.FlinkDeployment, namespace: this.namespace, name: this.name },
        {
          description: `FlinkDeployment ${this.namespace}/${this.name} to reach ${words.join(', ')}`,
          check: (fd) => {
            const problem = terminalProblem(fd?.status, wanted);
            if (problem) {
              throw new WaitEnded(
                `FlinkDeployment ${this.namespace}/${this.name}: ${problem} while waiting for ${words.join(', ')}: ${describeStatus(fd?.status)}`,
              );
            }
            return statusMatches(fd?.status, wanted) ? fd!.status : undefined;
          },
          observe: (fd) => `${describeStatus(fd?.status)}${operatorNote()}`,
        },
      ),
    );
    return {
      description: status.description,
      run: (deadline, o) =>
        status.run(deadline, o).catch(async (err: Error) => {
          // The operator says that the JobManager failed; its own log says why.
          if (!(err instanceof OperatorCrashLoop)) err.message += await jobManagerFailureHint(this.s.flink, this.namespace, this.name);
          throw err;
        }),
    };
  }

  /** The status the operator last wrote (undefined while there is none). */
  async currentStatus(): Promise<FlinkDeploymentStatus | undefined> {
    const fd = await read<FlinkDeploymentObject>(this.s.flink, kinds.FlinkDeployment, this.name, this.namespace);
    return fd?.status;
  }

  /** The REST API through a port-forward to the `<name>-rest` Service (survives JobManager failover). */
  async rest(): Promise<FlinkRest> {
    if (!this.forward) {
      this.forward = await portForward(this.s.flink, { namespace: this.namespace, service: `${this.name}-rest`, port: 8081 });
      const fwd = this.forward;
      this.s.teardown.add(`port-forward to ${this.name}-rest`, () => fwd.close(), { scope: this.teardownScope });
    }
    return new FlinkRest(this.forward.url);
  }

  async pods(component: 'jobmanager' | 'taskmanager'): Promise<V1Pod[]> {
    return (await list<K8sObject>(this.s.flink, kinds.Pod, {
      namespace: this.namespace,
      labelSelector: `app=${this.name},component=${component}`,
    })) as unknown as V1Pod[];
  }

  /** Exactly `count` pods of the component Ready (and none terminating). */
  readyPods(component: 'jobmanager' | 'taskmanager', count: number): Watched<V1Pod[]> {
    return readyPods(this.s.flink, { namespace: this.namespace, labelSelector: `app=${this.name},component=${component}` }, count, `${component} pod(s) of ${this.name}`);
  }

  /**
   * Asks for its deletion and lets the operator carry it out with nothing forced (a check never alters
   * what it judges): watches until the FlinkDeployment, its pods and its services are gone or the
   * deadline passes, then says what was left. A crash-looping operator ends the wait with its cause.
   */
  async deleteUnforced(deadlineMs: number): Promise<DeletionObservation> {
    await this.forward?.close();
    this.forward = undefined;
    const target = { namespace: this.namespace, labelSelector: `app=${this.name}` };
    const deadline = Deadline.in(deadlineMs);
    const existedAtRequest = await requestDeletion(this.s.flink, kinds.FlinkDeployment, this.name, this.namespace);
    try {
      await whileOperatorWatched(this.s.flink, this.s.config.namespaces.operator, async (signal, operatorNote) => {
        await until(
          watchedObject<true, FlinkDeploymentObject>(
            this.s.flink,
            { kind: kinds.FlinkDeployment, namespace: this.namespace, name: this.name },
            {
              description: `the operator to finish deleting FlinkDeployment ${this.namespace}/${this.name}`,
              check: (fd) => (fd ? undefined : true),
              observe: (fd) => `finalizers: ${(fd?.metadata.finalizers as string[] | undefined)?.join(', ') || 'none'}${operatorNote()}`,
            },
          ),
          deadline,
          { signal },
        );
        for (const kind of [kinds.Pod, kinds.Service]) {
          await until(
            watched<true, K8sObject>(
              this.s.flink,
              { kind, ...target },
              {
                description: `${kind.kind}s of ${this.name} to be gone`,
                check: (objs) => (objs.length === 0 ? true : undefined),
                observe: (objs) => objs.map((o) => o.metadata.name).join(' '),
              },
            ),
            deadline,
            { signal },
          );
        }
      });
    } catch (err) {
      // Past the deadline the leftovers, read below, are the answer; anything else is the cause.
      if (!(err instanceof TimeoutError)) throw err;
    }
    const elapsedSeconds = Math.round(deadline.elapsedMs() / 100) / 10;
    const current = await read<K8sObject>(this.s.flink, kinds.FlinkDeployment, this.name, this.namespace);
    // Items of a list carry no kind of their own.
    const dependents = [
      ...(await list<K8sObject>(this.s.flink, kinds.Pod, target)).map((o) => ({ ...o, kind: 'Pod' })),
      ...(await list<K8sObject>(this.s.flink, kinds.Service, target)).map((o) => ({ ...o, kind: 'Service' })),
    ];
    return observeDeletion({
      object: describeRef(kinds.FlinkDeployment, this.name, this.namespace),
      existedAtRequest,
      deadlineSeconds: deadlineMs / 1000,
      elapsedSeconds,
      dependentsWatched: `pods and services labelled app=${this.name}`,
      current,
      dependents,
    });
  }

  /**
   * Teardown's deletion: the operator gets timeouts.deletion from the deletion request (the same
   * deadline a check that judges the deletion gives it, so a deletion a check saw fail is forced at
   * once), then its finalizers are removed and that forcing recorded in the suite's results. Waits
   * for the pods too.
   */
  async delete(): Promise<void> {
    const timeout = this.s.timeout('teardown');
    await this.forward?.close();
    this.forward = undefined;
    await deleteAndWait(this.s.flink, kinds.FlinkDeployment, this.name, this.namespace, timeout, {
      forceFinalizersAfterMs: this.s.timeout('deletion'),
      onForcedRemoval: this.s.teardown.recordForcedRemoval,
    });
    await until(
      watched(
        this.s.flink,
        { kind: kinds.Pod, namespace: this.namespace, labelSelector: `app=${this.name}` },
        {
          description: `pods of ${this.name} to be gone`,
          check: (pods) => (pods.length === 0 ? true : undefined),
          observe: (pods) => `${pods.length} pod(s) left`,
        },
      ),
      Deadline.in(timeout),
    );
  }
}
