// A FlinkSessionJob as a suite sees it: apply (with teardown) and wait for the job status the
// operator writes.
import { observeDeletion, type DeletionObservation } from '../k8s/deletion.ts';
import { apply, deleteAndWait, read, refOf, requestDeletion, type K8sObject } from '../k8s/objects.ts';
import { describeRef, kinds } from '../k8s/resources.ts';
import { TimeoutError, WaitEnded } from '../util/time.ts';
import { watchedObject } from '../k8s/wait.ts';
import { whileOperatorWatched, withOperatorWatched } from './operator-watch.ts';
import type { FlinkContext } from '../suite/handle.ts';
import { errorSummary, flinkClusterScope, type FlinkDeploymentStatus } from './deployment.ts';
import { type Condition, Deadline, until } from '../util/until.ts';

type SessionJobObject = K8sObject & { status?: FlinkDeploymentStatus };

export class FlinkSessionJobHandle {
  constructor(
    private readonly s: FlinkContext,
    readonly manifest: K8sObject,
  ) {}

  get name(): string {
    return this.manifest.metadata.name;
  }

  async apply(): Promise<void> {
    await apply(this.s.flink, this.manifest);
    // In its session cluster's scope: deleted before the cluster is.
    const cluster = (this.manifest.spec as { deploymentName?: string } | undefined)?.deploymentName;
    const scope = cluster ? flinkClusterScope(this.manifest.metadata.namespace!, cluster) : undefined;
    this.s.teardown.add(refOf(this.manifest), () => this.delete(), { scope });
  }

  async delete(): Promise<void> {
    await deleteAndWait(this.s.flink, kinds.FlinkSessionJob, this.name, this.manifest.metadata.namespace, this.s.timeout('teardown'), {
      forceFinalizersAfterMs: this.s.timeout('deletion'),
      onForcedRemoval: this.s.teardown.recordForcedRemoval,
    });
  }

  /**
   * Asks for its deletion and lets the operator carry it out (cancelling the job in the session
   * cluster, then removing its finalizer) with nothing forced, until `deadlineMs`; says what was left.
   */
  async deleteUnforced(deadlineMs: number): Promise<DeletionObservation> {
    const ns = this.manifest.metadata.namespace!;
    const requestedAt = Date.now();
    const existedAtRequest = await requestDeletion(this.s.flink, kinds.FlinkSessionJob, this.name, ns);
    await whileOperatorWatched(this.s.flink, this.s.config.namespaces.operator, (signal, operatorNote) =>
      until(
        watchedObject<true, SessionJobObject>(
          this.s.flink,
          { kind: kinds.FlinkSessionJob, namespace: ns, name: this.name },
          {
            description: `the operator to finish deleting FlinkSessionJob ${ns}/${this.name}`,
            check: (job) => (job ? undefined : true),
            observe: (job) => `finalizers: ${(job?.metadata.finalizers as string[] | undefined)?.join(', ') || 'none'}${operatorNote()}`,
          },
        ),
        Deadline.in(deadlineMs),
        { signal },
      ),
    ).catch((err: unknown) => {
      // Past the deadline what is left, read below, is the answer; anything else is the cause.
      if (!(err instanceof TimeoutError)) throw err;
    });
    return observeDeletion({
      object: describeRef(kinds.FlinkSessionJob, this.name, ns),
      existedAtRequest,
      deadlineSeconds: deadlineMs / 1000,
      elapsedSeconds: Math.round((Date.now() - requestedAt) / 100) / 10,
      dependentsWatched: 'nothing else (a FlinkSessionJob owns no pods)',
      current: await read<K8sObject>(this.s.flink, kinds.FlinkSessionJob, this.name, ns),
      dependents: [],
    });
  }

  /** `status.jobStatus.state` is `state`; a FAILED job or lifecycle, or a crash-looping operator, ends the wait at once. */
  jobState(state: string): Condition<FlinkDeploymentStatus> {
    const ns = this.manifest.metadata.namespace!;
    return withOperatorWatched(this.s.flink, this.s.config.namespaces.operator, (operatorNote) =>
      watchedObject<FlinkDeploymentStatus, SessionJobObject>(
        this.s.flink,
        { kind: kinds.FlinkSessionJob, namespace: ns, name: this.name },
        {
          description: `FlinkSessionJob ${ns}/${this.name} job ${state}`,
          check: (job) => {
            const st = job?.status;
            if (st?.jobStatus?.state === 'FAILED' && state !== 'FAILED') {
              throw new WaitEnded(`FlinkSessionJob ${ns}/${this.name}: job FAILED${st.error ? `: ${errorSummary(st.error)}` : ''}`);
            }
            if (st?.lifecycleState === 'FAILED') {
              throw new WaitEnded(`FlinkSessionJob ${ns}/${this.name}: lifecycle FAILED${st.error ? `: ${errorSummary(st.error)}` : ''}`);
            }
            return st?.jobStatus?.state === state && st.jobStatus.jobId ? st : undefined;
          },
          observe: (job) =>
            `job=${job?.status?.jobStatus?.state ?? '-'} lifecycle=${job?.status?.lifecycleState ?? '-'}${job?.status?.error ? ` error=${errorSummary(job.status.error)}` : ''}${operatorNote()}`,
        },
      ),
    );
  }
}
