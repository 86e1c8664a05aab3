// A job submitted through Flink's REST API (jar upload + run), and the wait for it to run. When
// Flink refuses the jar or the job fails, the failure is Flink's own words: the deepest cause of the
// error it answered, or of the job's root exception, not a timeout.
import { basename } from 'node:path';
import { pollUntil } from '../util/poll.ts';
import { lastCause } from './diagnose.ts';
import { FlinkRestError, type FlinkRest, type JobDetail } from './rest.ts';
import { WaitEnded } from '../util/time.ts';

/** The line of a Flink error (an answer's `errors`, a root exception) that says why: its deepest cause. */
export function flinkCause(text: string): string {
  return lastCause(text) ?? text.split('\n').find((l) => l.trim() && !l.startsWith('<'))?.trim().slice(0, 500) ?? 'no detail';
}

/** Uploads and runs a jar; returns the job id. Flink refusing either step fails with its cause. */
export async function submitJar(rest: FlinkRest, file: string, opts: { entryClass?: string; parallelism?: number; args?: string[] } = {}): Promise<string> {
  try {
    return await rest.runJar(await rest.uploadJar(file), opts);
  } catch (err) {
    if (!(err instanceof FlinkRestError)) throw err;
    throw new Error(`Flink did not run ${basename(file)}: ${flinkCause(err.errors.join('\n'))} (${err.path} answered ${err.status})`);
  }
}

const terminal = new Set(['FAILED', 'CANCELED', 'FINISHED', 'SUSPENDED']);

/** Waits for RUNNING; a job that ended instead ends the wait at once, with its root exception when it failed. */
export async function untilJobRunning(rest: FlinkRest, jobId: string, timeoutMs: number): Promise<JobDetail> {
  let last: JobDetail | undefined;
  const { value } = await pollUntil({
    description: `REST-submitted job ${jobId} to be RUNNING`,
    check: async () => {
      last = await rest.job(jobId);
      if (terminal.has(last.state)) {
        const exceptions = last.state === 'FAILED' ? await rest.exceptions(jobId).catch(() => []) : [];
        const cause = exceptions[0] ? `: ${flinkCause(exceptions[0].message)}` : '';
        throw new WaitEnded(`job ${jobId} is ${last.state} instead of RUNNING${cause} (GET /jobs/${jobId}/exceptions)`);
      }
      return last.state === 'RUNNING' ? last : undefined;
    },
    observe: () => (last ? `job ${last.state}` : ''),
    timeoutMs,
  });
  return value;
}
