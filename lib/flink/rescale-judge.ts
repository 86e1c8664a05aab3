// 05's decision: does the job's parallelism follow the TaskManagers? Judged on what Flink itself
// reports (GET /overview for TaskManagers and slots, GET /jobs/<id> for the parallelism the scheduler
// set, GET /jobmanager/config for the scheduler it runs), so a failure can say which scheduler did not
// follow and how far the rescale got.
import { fail, pass, type Judgement } from '../util/judgement.ts';
import type { FlinkJobState } from './rest.ts';

/** The scheduler as the JobManager's effective configuration names it (undefined: key not set). */
export interface SchedulerConfig {
  /** `scheduler-mode`: `REACTIVE` turns on reactive mode (which implies the adaptive scheduler). */
  schedulerMode?: string;
  /** `jobmanager.scheduler`: `default` or `adaptive`; Flink uses `default` for streaming when unset. */
  scheduler?: string;
}

export function schedulerOf(jobManagerConfig: Record<string, string>): SchedulerConfig {
  return { schedulerMode: jobManagerConfig['scheduler-mode'], scheduler: jobManagerConfig['jobmanager.scheduler'] };
}

export const isReactive = (c: SchedulerConfig): boolean => c.schedulerMode?.toLowerCase() === 'reactive';

/** `scheduler-mode=REACTIVE`, or the scheduler that runs instead, in the configuration's own words. */
export function describeScheduler(c: SchedulerConfig): string {
  if (isReactive(c)) return `scheduler-mode=${c.schedulerMode}`;
  const scheduler = c.scheduler ? `jobmanager.scheduler=${c.scheduler}` : 'jobmanager.scheduler=default (unset)';
  const mode = c.schedulerMode ? `scheduler-mode=${c.schedulerMode}` : 'scheduler-mode unset';
  return `${scheduler}, ${mode}: not reactive`;
}

export interface ParallelismObservation {
  /** TaskManagers the step asked for: exactly this many (`kubectl scale`), or more than this many (an HPA). */
  taskManagers: { exactly: number } | { moreThan: number };
  /** The TaskManager Deployment's ready replicas when observed (undefined: not read). */
  podsReady?: number;
  /** GET /overview */
  registeredTaskManagers: number;
  slotsTotal: number;
  /** GET /jobs/<id>; undefined when the job was not found. */
  job?: { id: string; state: FlinkJobState; parallelism: number };
  /** The job's latest exception, when it ended. */
  jobFailure?: string;
  /** GET /jobmanager/config */
  scheduler: SchedulerConfig;
  /** Every distinct parallelism seen while waiting, in order. */
  parallelismSeen: number[];
  waitedSeconds: number;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/**
 * The job is RUNNING on the TaskManagers asked for, using every slot they offer. Nothing registered,
 * no job, or a job that ended never passes.
 */
export function judgeParallelismFollows(o: ParallelismObservation): Judgement {
  const asked = 'exactly' in o.taskManagers ? `${o.taskManagers.exactly}` : `more than ${o.taskManagers.moreThan}`;
  const where = `after ${o.waitedSeconds.toFixed(1)} s (GET /overview, /jobs/${o.job?.id ?? '<id>'}, /jobmanager/config)`;
  const pods = o.podsReady === undefined ? '' : `; TaskManager pods ready: ${o.podsReady}`;
  if (!o.job) return fail(`the job was not found on the JobManager ${where}`);
  if (o.job.state !== 'RUNNING') {
    return fail(`job ${o.job.id} is ${o.job.state}${o.jobFailure ? ` (${o.jobFailure})` : ''}, expected RUNNING on ${asked} TaskManager(s) ${where}`);
  }
  if (o.registeredTaskManagers === 0) {
    return fail(`no TaskManager registered with the JobManager (0 TaskManagers, 0 slots${pods}) ${where}: parallelism cannot follow TaskManagers that are not there`);
  }
  const enough = 'exactly' in o.taskManagers ? o.registeredTaskManagers === o.taskManagers.exactly : o.registeredTaskManagers > o.taskManagers.moreThan;
  if (!enough) {
    return fail(`asked for ${asked} TaskManagers, ${o.registeredTaskManagers} registered with the JobManager${pods} ${where}`);
  }
  // Registered TaskManagers that offer no slot can run nothing: parallelism 0 "following" 0 slots is no rescale.
  if (!(o.slotsTotal >= 1)) {
    return fail(`${plural(o.registeredTaskManagers, 'TaskManager')} registered but offer ${o.slotsTotal} slots (taskmanager.numberOfTaskSlots) ${where}: no parallelism can follow them`);
  }
  const onto = `${plural(o.registeredTaskManagers, 'TaskManager')} (${o.slotsTotal} slots)`;
  if (o.job.parallelism !== o.slotsTotal) {
    const seen = o.parallelismSeen.length > 1 ? `is ${o.job.parallelism} (seen ${o.parallelismSeen.join(' → ')})` : `stayed ${o.job.parallelism}`;
    const scheduler = isReactive(o.scheduler) ? `${describeScheduler(o.scheduler)}, yet` : `${describeScheduler(o.scheduler)}:`;
    return fail(`${scheduler} parallelism ${seen} with ${onto}, expected ${o.slotsTotal} ${where}`);
  }
  return pass(`parallelism ${o.job.parallelism} uses the ${o.slotsTotal} slots of ${plural(o.registeredTaskManagers, 'TaskManager')} (${describeScheduler(o.scheduler)}; seen ${o.parallelismSeen.join(' → ') || o.job.parallelism}) ${where}`);
}
