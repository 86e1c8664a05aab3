// 05 Reactive scaling and HPA: the paper scaled the TaskManagers with `kubectl scale` and an HPA and
// looked at the replica count. Here the job's parallelism must follow the TaskManager count, both
// ways, and under an HPA driven by real CPU; the timeline of replicas and parallelism is recorded.
import { FlinkDeploymentHandle } from '../lib/flink/deployment.ts';
import { recordObservation } from '../lib/flink/record-observation.ts';
import { judgeParallelismFollows } from '../lib/flink/rescale-judge.ts';
import { removeCpuRequests } from '../lib/flink/sabotage.ts';
import { observeParallelismFollows, scaleDeployment, taskManagerDeployment } from '../lib/flink/scaling.ts';
import { judgeHpaScaledOnCpu, observeHpaScaling } from '../lib/flink/hpa.ts';
import { apply } from '../lib/k8s/objects.ts';
import { step, suite } from '../lib/suite/dsl.ts';
import { faultActive } from '../lib/suite/selftest-faults.ts';
import { holds } from '../lib/util/judgement.ts';
import { reactiveScalingPlan } from '../lib/suite/plans.ts';
import { until } from '../lib/util/until.ts';

suite('05-reactive-scaling', (s) => {
  const reactive = s.fixture('the reactive standalone application', async () => {
    const plan = reactiveScalingPlan(s.config, s.namespace, s.labels());
    for (const obj of plan.serviceAccount) await apply(s.flink, obj);
    const fd = new FlinkDeploymentHandle(s, plan.reactive);
    await fd.apply();
    return fd;
  });
  let jobId = '';
  const replicas = s.series('taskManagerReplicas', 'count', { scenario: 'kubectl-scale' });
  const parallelism = s.series('jobParallelism', 'count', { scenario: 'kubectl-scale' });

  /** Observes until parallelism follows `to` TaskManagers (or the deadline, from `sinceMs`), then judges. */
  async function follows(to: number, sinceMs: number, name: string): Promise<void> {
    const fd = await reactive();
    const observed = await observeParallelismFollows({
      rest: await fd.rest(),
      jobId,
      taskManagers: { exactly: to },
      sinceMs,
      timeoutMs: s.timeout('rescale'),
      deployment: { cluster: s.flink, namespace: s.namespace, name: taskManagerDeployment(fd.name) },
      series: parallelism,
      recordAs: `05-${name}`,
    });
    recordObservation(`05-${name}`, observed);
    holds(judgeParallelismFollows(observed));
  }

  async function scaleAndFollow(to: number): Promise<void> {
    const fd = await reactive();
    const scaledAt = Date.now();
    s.mark(`scale-to-${to}`);
    await scaleDeployment(s.flink, s.namespace, taskManagerDeployment(fd.name), to);
    replicas.add(to);
    await follows(to, scaledAt, `scale-to-${to}`);
    s.record('rescaleTime', (Date.now() - scaledAt) / 1000, 's', { to: String(to) });
  }

  step('a reactive standalone application job runs on one TaskManager with all its slots', async () => {
    jobId = (await until((await reactive()).status({ lifecycleState: 'STABLE', jobManager: 'READY', job: 'RUNNING' }), s.deadline('jobRunning'))).jobStatus!.jobId!;
    replicas.add(1);
    await follows(1, Date.now(), 'one-taskmanager');
  });

  step('scaling the TaskManagers 1 → 3 raises the job parallelism to the slots available', async () => {
    await scaleAndFollow(3);
  });

  step('scaling the TaskManagers 3 → 1 lowers it again', async () => {
    await scaleAndFollow(1);
    await (await reactive()).delete();
  });

  step(`an HPA (CPU ${s.config.hpa.cpuPercent}%) adds TaskManagers under real load and parallelism follows`, async () => {
    const plan = reactiveScalingPlan(s.config, s.namespace, s.labels());
    // The service account again (apply is idempotent): this step also runs alone (`--grep '^an HPA'`).
    for (const obj of plan.serviceAccount) await apply(s.flink, obj);
    const loadFd = new FlinkDeploymentHandle(s, plan.underLoad);
    await loadFd.apply();
    const loadJob = (await until(loadFd.status({ lifecycleState: 'STABLE', jobManager: 'READY', job: 'RUNNING' }), s.deadline('jobRunning'))).jobStatus!.jobId!;
    const hpaReplicas = s.series('taskManagerReplicas', 'count', { scenario: 'hpa' });
    const hpaParallelism = s.series('jobParallelism', 'count', { scenario: 'hpa' });
    const cpu = s.series('cpuUtilization', '%', { scenario: 'hpa' });
    if (faultActive('taskmanager-cpu-request-removed', s.config.target)) {
      await removeCpuRequests(s.flink, s.namespace, taskManagerDeployment(loadFd.name), s.timeout('rescale'));
    }
    const startedAt = Date.now();
    await apply(s.flink, plan.hpa);
    const hpa = await observeHpaScaling(
      s.flink,
      s.namespace,
      { name: plan.hpa.metadata.name, targetCpuPercent: s.config.hpa.cpuPercent, fromReplicas: 1, timeoutMs: s.timeout('hpa'), recordAs: '05-hpa' },
      hpaReplicas,
      cpu,
    );
    recordObservation(faultActive('taskmanager-cpu-request-removed', s.config.target) ? '05-hpa-no-cpu-request' : '05-hpa', hpa);
    holds(judgeHpaScaledOnCpu(hpa));
    s.record('hpaScaleUpTime', (Date.now() - startedAt) / 1000, 's');
    s.record('hpaReplicas', hpa.currentReplicas, 'count');
    // Parallelism follows the TaskManagers that joined (an HPA may ask for more than the node can place).
    const followed = await observeParallelismFollows({
      rest: await loadFd.rest(),
      jobId: loadJob,
      taskManagers: { moreThan: 1 },
      sinceMs: Date.now(),
      timeoutMs: s.timeout('rescale'),
      deployment: { cluster: s.flink, namespace: s.namespace, name: taskManagerDeployment(loadFd.name) },
      series: hpaParallelism,
      recordAs: '05-hpa-parallelism',
    });
    recordObservation('05-hpa-parallelism', followed);
    holds(judgeParallelismFollows(followed));
    s.record('hpaTaskManagersJoined', followed.registeredTaskManagers, 'count');
    s.record('hpaParallelism', followed.job!.parallelism, 'count');
  });
});
