// 03's property: jobs of one session cluster share its TaskManagers. Observed over REST (which jobs
// run, how many slots are used on how many TaskManagers, which TaskManagers each job's tasks are
// on), judged here. Sharing needs every job RUNNING: a job that is missing or not RUNNING holds no
// slot, and "0 of 0 jobs share" is no evidence, so it fails (the suite skips the check, with the
// reason, when a job's step was skipped; it never passes without both jobs).
import { fail, pass, type Judgement } from '../util/judgement.ts';
import type { ClusterOverview, FlinkRest, JobSummary } from './rest.ts';

export interface SharingJob {
  /** How the report names it: `FlinkSessionJob`, `REST-submitted job`. */
  label: string;
  /** Empty when its step produced no job id. */
  id?: string;
}

export interface SlotSharingObservation {
  jobs: SharingJob[];
  /** GET /jobs/overview */
  jobsOverview: JobSummary[];
  /** GET /overview */
  overview: ClusterOverview;
  /** taskmanager.numberOfTaskSlots the session cluster was given. */
  slotsPerTaskManager: number;
  /** Job id → TaskManager ids its tasks are deployed on (GET /jobs/:id/vertices/:vid/taskmanagers). */
  taskManagersByJob: Record<string, string[]>;
}

const where = 'GET /jobs/overview, /overview, /jobs/:id/vertices/:vid/taskmanagers';

export function judgeSlotSharing(o: SlotSharingObservation): Judgement {
  if (o.jobs.length < 2) return fail(`sharing needs two jobs, ${o.jobs.length} observed (${where})`);
  for (const job of o.jobs) {
    if (!job.id) return fail(`${job.label} did not run (no job id): sharing needs both jobs RUNNING`);
    const seen = o.jobsOverview.find((j) => j.id === job.id);
    if (!seen) {
      const listed = o.jobsOverview.map((j) => `${j.id} ${j.state}`).join(', ') || 'none';
      return fail(`${job.label} ${job.id} is not in GET /jobs/overview (listed: ${listed}): sharing needs both jobs RUNNING`);
    }
    if (seen.state !== 'RUNNING') return fail(`${job.label} ${job.id} is ${seen.state} in GET /jobs/overview: sharing needs both jobs RUNNING`);
  }
  const { slotsTotal, slotsAvailable, taskManagers } = o.overview;
  const used = slotsTotal - slotsAvailable;
  const onSlots = `${used} of ${slotsTotal} slot(s) in use on ${taskManagers} TaskManager(s) (GET /overview)`;
  if (!(used >= o.jobs.length)) return fail(`${o.jobs.length} RUNNING jobs need a slot each, ${onSlots}`);
  // With 0 slots `needed` is Infinity and with NaN every comparison is false: the spread check could never fail.
  if (!(Number.isSafeInteger(o.slotsPerTaskManager) && o.slotsPerTaskManager >= 1)) {
    return fail(
      `${onSlots}: ${o.slotsPerTaskManager} slot(s) per TaskManager is no slot count (expected an integer from 1: flink.taskManager.slots, ` +
        `taskmanager.numberOfTaskSlots of the session cluster), so whether the jobs are packed cannot be judged`,
    );
  }
  const needed = Math.ceil(used / o.slotsPerTaskManager);
  if (taskManagers > needed) {
    return fail(`${onSlots}: ${used} used slot(s) of ${o.slotsPerTaskManager} per TaskManager need ${needed} TaskManager(s), ${taskManagers} exist: the jobs are spread, not packed`);
  }
  const hosts = o.jobs.map((j) => new Set(o.taskManagersByJob[j.id!] ?? []));
  const unplaced = o.jobs.find((_, i) => hosts[i]!.size === 0);
  if (unplaced) return fail(`${unplaced.label} ${unplaced.id} has no task on any TaskManager (GET /jobs/:id/vertices/:vid/taskmanagers)`);
  const shared = [...hosts[0]!].filter((tm) => hosts.every((h) => h.has(tm)));
  if (shared.length === 0) {
    const placement = o.jobs.map((j, i) => `${j.label} on ${[...hosts[i]!].join(', ')}`).join('; ');
    return fail(`no TaskManager runs tasks of both jobs (${placement}) with ${o.slotsPerTaskManager} slot(s) per TaskManager (GET /jobs/:id/vertices/:vid/taskmanagers)`);
  }
  return pass(`both jobs RUNNING, ${onSlots}, TaskManager ${shared.join(', ')} runs tasks of both`);
}

/** Reads what judgeSlotSharing decides on, from the session cluster's REST API. */
export async function observeSlotSharing(rest: FlinkRest, jobs: SharingJob[], slotsPerTaskManager: number): Promise<SlotSharingObservation> {
  const [jobsOverview, overview] = [await rest.jobs(), await rest.overview()];
  const taskManagersByJob: Record<string, string[]> = {};
  for (const { id } of jobs) {
    // A job the cluster does not list has no vertices to ask about; the judge names it.
    if (!id || !jobsOverview.some((j) => j.id === id)) continue;
    const hosts = new Set<string>();
    for (const vertex of (await rest.job(id)).vertices) {
      for (const tm of await rest.vertexTaskManagers(id, vertex.id)) hosts.add(tm);
    }
    taskManagersByJob[id] = [...hosts];
  }
  return { jobs, jobsOverview, overview, slotsPerTaskManager, taskManagersByJob };
}
