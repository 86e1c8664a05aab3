// What 06 observes before its judges decide: the session cluster's TaskManagers and a WordCount job's
// end, each polled until it is there, has ended, or the deadline; the last observation goes to the judge.
import type { V1Pod } from '@kubernetes/client-node';
import type { Cluster } from '../k8s/cluster.ts';
import type { K8sObject } from '../k8s/objects.ts';
import { exec } from '../k8s/pods.ts';
import { kinds } from '../k8s/resources.ts';
import type { FlinkDeploymentHandle } from './deployment.ts';
import { appendWordCommand, parseWordCountOutput } from './wordcount-input.ts';
import { watchedObject } from '../k8s/wait.ts';
import { TimeoutError } from '../util/time.ts';
import { endedJobStates } from './job-conditions.ts';
import type { FlinkJobState, FlinkRest } from './rest.ts';
import type { GeneratorObservation, SessionObservation } from './wordcount-judge.ts';
import { Deadline, observed, until } from '../util/until.ts';

export function observeSessionTaskManagers(rest: FlinkRest, wantedTaskManagers: number, timeoutMs: number): Promise<SessionObservation> {
  const started = Date.now();
  return until(
    observed({
      description: `${wantedTaskManagers} TaskManagers to register with the JobManager`,
      observe: async () => {
        const o = await rest.overview();
        return { wantedTaskManagers, registeredTaskManagers: o.taskManagers, slotsTotal: o.slotsTotal, waitedSeconds: (Date.now() - started) / 1000 };
      },
      done: (o) => o.registeredTaskManagers === wantedTaskManagers,
    }),
    Deadline.in(timeoutMs),
  );
}

export interface JobEnd {
  state: FlinkJobState;
  failure?: string;
  /** Flink's own duration of the job (GET /jobs/<id>). */
  durationMs: number;
  waitedSeconds: number;
}

/** Polls a batch job until it has ended (or the deadline); a FAILED job's root exception is read. */
export async function observeJobEnd(rest: FlinkRest, jobId: string, timeoutMs: number): Promise<JobEnd> {
  const started = Date.now();
  const end = await until(
    observed({
      description: `job ${jobId} to end`,
      observe: async () => {
        const j = await rest.job(jobId);
        return { state: j.state, durationMs: j.durationMs, waitedSeconds: (Date.now() - started) / 1000 } as JobEnd;
      },
      done: (j) => endedJobStates.has(j.state),
    }),
    Deadline.in(timeoutMs),
  );
  if (end.state !== 'FAILED') return end;
  const cause = (await rest.exceptions(jobId).catch(() => []))[0];
  return { ...end, ...(cause ? { failure: `${cause.exceptionName}: ${cause.message}` } : {}) };
}

/** Watches the generator pod until it Succeeded or Failed (or the deadline). */
export async function observeGeneratorPod(cluster: Cluster, namespace: string, name: string, timeoutMs: number): Promise<GeneratorObservation> {
  const started = Date.now();
  let last: GeneratorObservation = { pod: name, waitedSeconds: 0 };
  try {
    const res = await until(
      watchedObject<GeneratorObservation, V1Pod & K8sObject>(
        cluster,
        { kind: kinds.Pod, namespace, name },
        {
          description: 'the input generator pod to end',
          check: (p) => {
            const message = p?.status?.containerStatuses?.[0]?.state?.terminated?.message ?? p?.status?.reason;
            last = { pod: name, phase: p?.status?.phase, ...(message ? { message } : {}), waitedSeconds: (Date.now() - started) / 1000 };
            return last.phase === 'Succeeded' || last.phase === 'Failed' ? last : undefined;
          },
          observe: (p) => p?.status?.phase ?? 'absent',
        },
      ),
      Deadline.in(timeoutMs),
    );
    return res;
  } catch (err) {
    if (err instanceof TimeoutError) return { ...last, waitedSeconds: (Date.now() - started) / 1000 };
    throw err;
  }
}

/** The counts a WordCount run wrote under `outputDir`, read through a TaskManager that mounts the shared volume. */
export async function readWordCountOutput(cluster: Cluster, session: FlinkDeploymentHandle, outputDir: string): Promise<Map<string, number>> {
  const [tm] = await session.pods('taskmanager');
  if (!tm) throw new Error(`no TaskManager pod of ${session.name} to read ${outputDir} through`);
  const output = await exec(cluster, session.namespace, tm.metadata!.name!, 'flink-main-container', ['sh', '-c', `cat ${outputDir}/*/part-* ${outputDir}/part-* 2>/dev/null`]);
  return parseWordCountOutput(output.stdout);
}

/** Self-test fault wordcount-corrupt-input: the input gains one `word` after its expected counts were computed. */
export async function corruptWordCountInput(cluster: Cluster, session: FlinkDeploymentHandle, inputPath: string, word: string): Promise<void> {
  const [tm] = await session.pods('taskmanager');
  const r = await exec(cluster, session.namespace, tm!.metadata!.name!, 'flink-main-container', appendWordCommand(inputPath, word));
  if (r.exitCode !== 0) throw new Error(`self-test fault wordcount-corrupt-input could not alter the input: ${r.stderr.trim()}`);
}
