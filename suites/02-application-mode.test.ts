// 02 Application-mode job: the paper ran a job in application mode and opened the UI through a
// port-forward. Here the operator's own status must say STABLE / READY / RUNNING, the REST API must
// show that very job with the requested parallelism, and deletion must leave nothing behind.
import { expect } from 'vitest';
import { FlinkDeploymentHandle } from '../lib/flink/deployment.ts';
import { apply, list, type K8sObject } from '../lib/k8s/objects.ts';
import { kinds } from '../lib/k8s/resources.ts';
import { step, suite } from '../lib/suite/dsl.ts';
import { applicationModePlan } from '../lib/suite/plans.ts';
import { secondsSince } from '../lib/util/time.ts';

const parallelism = 2;

suite('02-application-mode', (s) => {
  let fd: FlinkDeploymentHandle;
  let jobId: string | undefined;

  step('the FlinkDeployment becomes STABLE with its JobManager READY and the job RUNNING', async () => {
    const objects = applicationModePlan(s.config, s.namespace, s.labels());
    for (const obj of objects.slice(0, -1)) await apply(s.flink, obj);
    fd = new FlinkDeploymentHandle(s, objects.at(-1)!);
    const appliedAt = Date.now();
    await fd.apply();
    jobId = (await fd.untilStatus({ lifecycleState: 'STABLE', jobManager: 'READY', job: 'RUNNING' })).jobStatus?.jobId;
    s.record('timeToRunning', secondsSince(appliedAt), 's');
    expect(jobId, 'status.jobStatus.jobId').toMatch(/^[0-9a-f]{32}$/);
  });

  step('the REST API shows the same job RUNNING with the requested parallelism', async () => {
    const rest = await fd.rest();
    const jobs = await rest.jobs();
    const job = jobs.find((j) => j.id === jobId);
    expect(job, `job ${jobId} in /jobs/overview (saw ${jobs.map((j) => `${j.id}:${j.state}`).join(', ')})`).toBeDefined();
    expect(job!.state).toBe('RUNNING');
    // The job's parallelism is its widest vertex: non-parallel sources (TopSpeedWindowing's) run at 1.
    const detail = await rest.job(jobId!);
    const vertices = detail.vertices.map((v) => `${v.name}: ${v.parallelism}`).join('; ');
    expect(Math.max(...detail.vertices.map((v) => v.parallelism)), `job parallelism (vertices: ${vertices})`).toBe(parallelism);
    const overview = await rest.overview();
    s.record('taskManagers', overview.taskManagers, 'count');
    s.record('slotsTotal', overview.slotsTotal, 'count');
  });

  step('the web UI answers on the REST port', async () => {
    const rest = await fd.rest();
    const res = await fetch(`${rest.baseUrl}/`, { signal: AbortSignal.timeout(10_000) });
    const body = await res.text();
    expect(res.status, 'HTTP status of the web UI').toBe(200);
    expect(body, 'the Flink web dashboard page').toMatch(/Apache Flink/i);
  });

  step('deleting it leaves no pods, services or HA ConfigMaps behind', async () => {
    const started = Date.now();
    await fd.delete();
    s.record('deletionTime', secondsSince(started), 's');
    const selector = `app=${fd.name}`;
    const left = [
      ...(await list<K8sObject>(s.flink, kinds.Pod, { namespace: s.namespace, labelSelector: selector })),
      ...(await list<K8sObject>(s.flink, kinds.Service, { namespace: s.namespace, labelSelector: selector })),
      ...(await list<K8sObject>(s.flink, kinds.ConfigMap, {
        namespace: s.namespace,
        labelSelector: `${selector},configmap-type=high-availability`,
      })),
    ].map((o) => `${o.kind ?? 'object'} ${o.metadata.name}`);
    expect(left, 'objects left after deletion').toEqual([]);
  });
});
