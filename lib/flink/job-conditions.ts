// Conditions on a Flink job over REST, written once: for a state (RUNNING, CANCELED), and for RUNNING with
// every task RUNNING too (a job is RUNNING as soon as its scheduler starts, before its tasks hold
// slots; a check that counts slots waits until each task has been deployed into one). A job that
// ended otherwise ends the wait at once, in Flink's own words when it FAILED (its root exception).
import { WaitEnded } from '../util/time.ts';
import { type Condition, polled } from '../util/until.ts';
import { lastCause } from './diagnose.ts';
import type { FlinkRest, JobDetail } from './rest.ts';

/** Globally terminal: a job in one of these never runs again, whatever its restart strategy. */
export const endedJobStates: ReadonlySet<string> = new Set(['FAILED', 'CANCELED', 'FINISHED']);

/** The line of a Flink error (an answer's `errors`, a root exception) that says why: its deepest cause. */
export function flinkCause(text: string): string {
  return lastCause(text) ?? text.split('\n').find((l) => l.trim() && !l.startsWith('<'))?.trim().slice(0, 500) ?? 'no detail';
}

/** A job in `state` (with `everyTask`, RUNNING with every task RUNNING too); the value is its detail. */
export function jobState(rest: FlinkRest, jobId: string, state: 'RUNNING' | 'CANCELED' | 'FINISHED', o: { everyTask?: boolean } = {}): Condition<JobDetail> {
  let last: JobDetail | undefined;
  const tasksToo = o.everyTask && state === 'RUNNING';
  return polled({
    description: `job ${jobId} ${state}${tasksToo ? ' with every task RUNNING (deployed into slots)' : ''}`,
    check: async () => {
      last = await rest.job(jobId);
      if (last.state !== state && endedJobStates.has(last.state)) {
        const exceptions = last.state === 'FAILED' ? await rest.exceptions(jobId).catch(() => []) : [];
        const cause = exceptions[0] ? `: ${flinkCause(exceptions[0].message)}` : '';
        throw new WaitEnded(`job ${jobId} is ${last.state} instead of ${state}${cause}${cause ? ` (GET /jobs/${jobId}/exceptions)` : ''}`);
      }
      if (last.state !== state) return undefined;
      return !tasksToo || (last.vertices.length > 0 && last.vertices.every((v) => v.status === 'RUNNING')) ? last : undefined;
    },
    observe: () => (last ? `job ${last.state}${tasksToo ? `; tasks: ${last.vertices.map((v) => `${v.name} ${v.status}`).join(', ')}` : ''}` : ''),
  });
}
