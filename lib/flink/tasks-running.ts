// A Flink job is RUNNING as soon as its scheduler starts, before its tasks hold slots. A check that
// counts slots (03's /overview) waits for every vertex to be RUNNING first: then each task has been
// deployed into a slot of a TaskManager.
import { pollUntil } from '../util/poll.ts';
import type { FlinkRest, JobDetail } from './rest.ts';
import { WaitEnded } from '../util/time.ts';

export async function untilTasksRunning(rest: FlinkRest, jobId: string, timeoutMs: number): Promise<JobDetail> {
  let last: JobDetail | undefined;
  const { value } = await pollUntil({
    description: `job ${jobId} RUNNING with every task RUNNING (deployed into slots)`,
    check: async () => {
      last = await rest.job(jobId);
      if (last.state === 'FAILED' || last.state === 'CANCELED' || last.state === 'FINISHED') {
        throw new WaitEnded(`job ${jobId} is ${last.state}, it will not run`);
      }
      return last.state === 'RUNNING' && last.vertices.length > 0 && last.vertices.every((v) => v.status === 'RUNNING') ? last : undefined;
    },
    observe: () => (last ? `job ${last.state}; tasks: ${last.vertices.map((v) => `${v.name} ${v.status}`).join(', ')}` : ''),
    timeoutMs,
  });
  return value;
}
