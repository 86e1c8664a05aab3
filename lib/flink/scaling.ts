// Scaling a Flink cluster's TaskManagers the way the paper did (`kubectl scale` on the TaskManager
// Deployment), and watching the job's parallelism follow through REST.
import type { Cluster } from '../k8s/cluster.ts';
import type { SeriesHandle } from '../suite/handle.ts';
import { endedJobStates } from './job-conditions.ts';
import { judgeParallelismFollows, schedulerOf, type ParallelismObservation, type SchedulerConfig } from './rescale-judge.ts';
import { recordObservation } from './record-observation.ts';
import type { FlinkRest } from './rest.ts';
import { Deadline, observed, until } from '../util/until.ts';

/** Standalone mode names the TaskManager Deployment `<name>-taskmanager`. */
export const taskManagerDeployment = (flinkDeployment: string) => `${flinkDeployment}-taskmanager`;

export async function scaleDeployment(cluster: Cluster, namespace: string, name: string, replicas: number): Promise<void> {
  await cluster.apps.replaceNamespacedDeploymentScale({
    name,
    namespace,
    body: { apiVersion: 'autoscaling/v1', kind: 'Scale', metadata: { name, namespace }, spec: { replicas } },
  });
}

export interface FollowOptions {
  rest: FlinkRest;
  jobId: string;
  taskManagers: ParallelismObservation['taskManagers'];
  /** From when the step asked for the change (a rescale's deadline counts from the scale request). */
  sinceMs: number;
  timeoutMs: number;
  /** The TaskManager Deployment, to say how many of its pods were ready. */
  deployment?: { cluster: Cluster; namespace: string; name: string };
  series?: SeriesHandle;
  /** Name under which each distinct state seen is recorded (STREAMCERT_RECORD_OBSERVATIONS), for judge fixtures. */
  recordAs?: string;
}

/**
 * Observes the job, the TaskManagers and the scheduler until the judge is satisfied, the job has ended
 * (waiting longer cannot help), or the deadline; returns the last observation for the judge. REST and
 * API errors while observing count as "not yet": a port-forward may re-resolve mid-rescale.
 */
export async function observeParallelismFollows(o: FollowOptions): Promise<ParallelismObservation> {
  const seen: number[] = [];
  let scheduler: SchedulerConfig | undefined;
  let lastState = '';
  const last = await until(
    observed<ParallelismObservation>({
      description: `job ${o.jobId}'s parallelism to follow the TaskManagers`,
      observe: async () => {
        // The scheduler cannot change while the JobManager runs: read it once.
        scheduler ??= schedulerOf(await o.rest.jobManagerConfig());
        const [overview, job, podsReady] = await Promise.all([
          o.rest.overview(),
          o.rest.job(o.jobId),
          o.deployment ? readyReplicas(o.deployment) : Promise.resolve(undefined),
        ]);
        const parallelism = Math.max(0, ...job.vertices.map((v) => v.parallelism));
        if (seen.at(-1) !== parallelism) {
          seen.push(parallelism);
          o.series?.add(parallelism);
        }
        const cause = endedJobStates.has(job.state) ? (await o.rest.exceptions(o.jobId).catch(() => []))[0] : undefined;
        const observed: ParallelismObservation = {
          taskManagers: o.taskManagers,
          podsReady,
          registeredTaskManagers: overview.taskManagers,
          slotsTotal: overview.slotsTotal,
          job: { id: o.jobId, state: job.state, parallelism },
          ...(cause ? { jobFailure: `${cause.exceptionName}: ${cause.message}` } : {}),
          scheduler,
          parallelismSeen: [...seen],
          waitedSeconds: (Date.now() - o.sinceMs) / 1000,
        };
        const state = `tm${observed.registeredTaskManagers}-slots${observed.slotsTotal}-p${parallelism}-${job.state}`;
        if (o.recordAs && state !== lastState) recordObservation(`${o.recordAs}-seen-${state}`, observed);
        lastState = state;
        return observed;
      },
      // A job that ended will not follow: waiting longer cannot help.
      done: (seenNow) => endedJobStates.has(seenNow.job?.state ?? '') || judgeParallelismFollows(seenNow).ok,
      describe: (l) => `parallelism=${seen.at(-1) ?? '?'} taskManagers=${l?.registeredTaskManagers ?? '?'} slots=${l?.slotsTotal ?? '?'}`,
    }),
    Deadline.since(o.sinceMs, o.timeoutMs),
  );
  return { ...last, waitedSeconds: (Date.now() - o.sinceMs) / 1000 };
}

async function readyReplicas(d: { cluster: Cluster; namespace: string; name: string }): Promise<number> {
  const dep = await d.cluster.apps.readNamespacedDeployment({ name: d.name, namespace: d.namespace });
  return dep.status?.readyReplicas ?? 0;
}
