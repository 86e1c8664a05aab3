// Scaling a Flink cluster's TaskManagers the way the paper did (`kubectl scale` on the TaskManager
// Deployment), and watching the job's parallelism follow through REST.
import type { V1Deployment } from '@kubernetes/client-node';
import type { Cluster } from '../k8s/cluster.ts';
import type { K8sObject } from '../k8s/objects.ts';
import { kinds } from '../k8s/resources.ts';
import { waitForObject } from '../k8s/wait.ts';
import type { SeriesHandle } from '../suite/dsl.ts';
import { pollUntil } from '../util/poll.ts';
import type { FlinkRest } from './rest.ts';

/** Standalone mode names the TaskManager Deployment `<name>-taskmanager`. */
export const taskManagerDeployment = (flinkDeployment: string) => `${flinkDeployment}-taskmanager`;

export async function scaleDeployment(cluster: Cluster, namespace: string, name: string, replicas: number): Promise<void> {
  await cluster.apps.replaceNamespacedDeploymentScale({
    name,
    namespace,
    body: { apiVersion: 'autoscaling/v1', kind: 'Scale', metadata: { name, namespace }, spec: { replicas } },
  });
}

/** Waits (watch) until the Deployment has `replicas` ready replicas. */
export async function untilReadyReplicas(cluster: Cluster, namespace: string, name: string, replicas: number, timeoutMs: number): Promise<number> {
  const res = await waitForObject<number, V1Deployment & K8sObject>(cluster, { kind: kinds.Deployment, namespace, name }, {
    description: `Deployment ${namespace}/${name} to have ${replicas} ready replica(s)`,
    until: (d) => ((d?.status?.readyReplicas ?? 0) === replicas && d?.spec?.replicas === replicas ? replicas : undefined),
    observe: (d) => `spec=${d?.spec?.replicas ?? '?'} ready=${d?.status?.readyReplicas ?? 0}`,
    timeoutMs,
  });
  return res.elapsedMs;
}

/** The job's parallelism as the scheduler set it: the highest vertex parallelism. */
export async function jobParallelism(rest: FlinkRest, jobId: string): Promise<number> {
  const job = await rest.job(jobId);
  return Math.max(0, ...job.vertices.map((v) => v.parallelism));
}

/** A job that ended while something waited for it to change: waiting longer cannot help. */
export class JobEndedError extends Error {
  override name = 'JobEndedError';
}

/** Polls until the RUNNING job's parallelism equals `expected`; records each change in `series`. */
export async function untilParallelism(
  rest: FlinkRest,
  jobId: string,
  expected: number,
  timeoutMs: number,
  series?: SeriesHandle,
): Promise<number> {
  let last: number | undefined;
  let state = '';
  const { elapsedMs } = await pollUntil({
    description: `job ${jobId} to run with parallelism ${expected}`,
    check: async () => {
      const job = await rest.job(jobId);
      const p = Math.max(0, ...job.vertices.map((v) => v.parallelism));
      state = job.state;
      if (job.state === 'FAILED' || job.state === 'CANCELED') {
        const cause = (await rest.exceptions(jobId).catch(() => []))[0];
        throw new JobEndedError(`job ${jobId} is ${job.state} (parallelism ${p}) while waiting for parallelism ${expected}${cause ? `: ${cause.exceptionName}: ${cause.message}` : ''}`);
      }
      if (p !== last) series?.add(p);
      last = p;
      return p === expected && job.state === 'RUNNING' ? p : undefined;
    },
    observe: () => `parallelism=${last ?? '?'} state=${state || '?'}`,
    timeoutMs,
  });
  return elapsedMs;
}

/**
 * Polls until the job uses every slot the cluster has, on more than `minTaskManagers` TaskManagers:
 * in reactive mode parallelism follows the TaskManagers that joined, whatever number was asked for.
 */
export async function untilParallelismFollowsSlots(
  rest: FlinkRest,
  jobId: string,
  minTaskManagers: number,
  timeoutMs: number,
  series?: SeriesHandle,
): Promise<{ parallelism: number; taskManagers: number }> {
  let seen = '';
  let last: number | undefined;
  const { value } = await pollUntil({
    description: `job ${jobId} to use the slots of more than ${minTaskManagers} TaskManager(s)`,
    check: async () => {
      const [overview, p] = await Promise.all([rest.overview(), jobParallelism(rest, jobId)]);
      if (p !== last) series?.add(p);
      last = p;
      seen = `parallelism=${p} slots=${overview.slotsTotal} taskManagers=${overview.taskManagers}`;
      return overview.taskManagers > minTaskManagers && p === overview.slotsTotal ? { parallelism: p, taskManagers: overview.taskManagers } : undefined;
    },
    observe: () => seen,
    timeoutMs,
  });
  return value;
}
