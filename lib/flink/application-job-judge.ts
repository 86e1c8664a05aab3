// 02's view of the job over REST, judged: the job the operator reports is the one Flink runs, RUNNING,
// at the parallelism the FlinkDeployment asked for; and the web dashboard answers on the REST port.
import { fail, pass, type Judgement } from '../util/judgement.ts';

export interface RestJobObservation {
  /** The job id the operator reports in status.jobStatus.jobId. */
  jobId?: string;
  requestedParallelism: number;
  /** /jobs/overview as id:state. */
  jobs: { id: string; state: string }[];
  /** /jobs/<id> vertices, when the job was found. */
  vertices?: { name: string; parallelism: number }[];
  where: string;
}

export function judgeRestJob(o: RestJobObservation): Judgement {
  const seen = o.jobs.map((j) => `${j.id}:${j.state}`).join(', ') || 'no job';
  if (!o.jobId || !/^[0-9a-f]{32}$/.test(o.jobId)) return fail(`the operator reports no job id (status.jobStatus.jobId ${JSON.stringify(o.jobId ?? null)}); ${o.where} /jobs/overview shows ${seen}`);
  const job = o.jobs.find((j) => j.id === o.jobId);
  if (!job) return fail(`job ${o.jobId} (status.jobStatus.jobId) is not in /jobs/overview of ${o.where}: it shows ${seen}`);
  if (job.state !== 'RUNNING') return fail(`job ${o.jobId} is ${job.state} in /jobs/overview of ${o.where}, expected RUNNING`);
  const vertices = o.vertices ?? [];
  if (vertices.length === 0) return fail(`job ${o.jobId} has no vertices in /jobs/${o.jobId} of ${o.where}: nothing shows its parallelism`);
  // The job's parallelism is its widest vertex: non-parallel sources (TopSpeedWindowing's) run at 1.
  const widest = Math.max(...vertices.map((v) => v.parallelism));
  const listed = vertices.map((v) => `${v.name}: ${v.parallelism}`).join('; ');
  if (widest !== o.requestedParallelism) {
    return fail(`job ${o.jobId} runs at parallelism ${widest}, expected ${o.requestedParallelism} (spec.job.parallelism); vertices: ${listed} (${o.where})`);
  }
  return pass(`job ${o.jobId} RUNNING at parallelism ${widest} as requested (vertices: ${listed})`);
}

export interface WebUiObservation {
  url: string;
  status?: number;
  /** Whether the page names Apache Flink (the dashboard's title). */
  isFlinkDashboard: boolean;
  error?: string;
}

export function judgeWebUi(o: WebUiObservation): Judgement {
  if (o.error) return fail(`the web UI at ${o.url} did not answer: ${o.error}`);
  // Flink unpacks the dashboard under web.tmpdir on first request: where it cannot, the page is a 404
  // and the JobManager's log names the file it could not write.
  if (o.status !== 200) return fail(`the web UI at ${o.url} answered HTTP ${o.status ?? 'nothing'}, expected 200 (the JobManager's log says why; the dashboard is served from web.tmpdir)`);
  if (!o.isFlinkDashboard) return fail(`${o.url} answered 200 but not with the Flink web dashboard (no "Apache Flink" in the page)`);
  return pass(`the Flink web dashboard answers at ${o.url}`);
}
