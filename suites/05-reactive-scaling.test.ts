// 05 Reactive scaling and HPA: the paper scaled the TaskManagers with `kubectl scale` and an HPA and
// looked at the replica count. Here the job's parallelism must follow the TaskManager count, both
// ways, and under an HPA driven by real CPU; the timeline of replicas and parallelism is recorded.
import { expect } from 'vitest';
import { FlinkDeploymentHandle } from '../lib/flink/deployment.ts';
import { scaleDeployment, taskManagerDeployment, untilParallelism, untilParallelismFollowsSlots, untilReadyReplicas } from '../lib/flink/scaling.ts';
import { untilHpaReplicas } from '../lib/k8s/hpa.ts';
import { apply } from '../lib/k8s/objects.ts';
import { step, suite } from '../lib/suite/dsl.ts';
import { reactiveScalingPlan } from '../lib/suite/plans.ts';

suite('05-reactive-scaling', (s) => {
  const slots = s.config.flink.taskManager.slots;
  let fd: FlinkDeploymentHandle;
  let jobId = '';
  const replicas = s.series('taskManagerReplicas', 'count', { scenario: 'kubectl-scale' });
  const parallelism = s.series('jobParallelism', 'count', { scenario: 'kubectl-scale' });

  async function scaleAndFollow(to: number): Promise<void> {
    const tm = taskManagerDeployment(fd.name);
    const scaledAt = Date.now();
    s.mark(`scale-to-${to}`);
    await scaleDeployment(s.flink, s.namespace, tm, to);
    replicas.add(to);
    await untilReadyReplicas(s.flink, s.namespace, tm, to, s.timeout('rescale'));
    await untilParallelism(await fd.rest(), jobId, to * slots, s.timeout('rescale') - (Date.now() - scaledAt), parallelism);
    s.record('rescaleTime', (Date.now() - scaledAt) / 1000, 's', { to: String(to) });
  }

  step('a reactive standalone application job runs on one TaskManager with all its slots', async () => {
    const objects = reactiveScalingPlan(s.config, s.namespace, s.labels());
    for (const obj of objects.slice(0, 3)) await apply(s.flink, obj);
    fd = new FlinkDeploymentHandle(s, objects[3]!);
    await fd.apply();
    jobId = (await fd.untilStatus({ lifecycleState: 'STABLE', jobManager: 'READY', job: 'RUNNING' })).jobStatus!.jobId!;
    replicas.add(1);
    await untilParallelism(await fd.rest(), jobId, slots, s.timeout('rescale'), parallelism);
  });

  step('scaling the TaskManagers 1 → 3 raises the job parallelism to the slots available', async () => {
    await scaleAndFollow(3);
  });

  step('scaling the TaskManagers 3 → 1 lowers it again', async () => {
    await scaleAndFollow(1);
    await fd.delete();
  });

  step(`an HPA (CPU ${s.config.hpa.cpuPercent}%) adds TaskManagers under real load and parallelism follows`, async () => {
    const objects = reactiveScalingPlan(s.config, s.namespace, s.labels());
    const loadFd = new FlinkDeploymentHandle(s, objects[4]!);
    await loadFd.apply();
    const loadJob = (await loadFd.untilStatus({ lifecycleState: 'STABLE', jobManager: 'READY', job: 'RUNNING' })).jobStatus!.jobId!;
    const hpaReplicas = s.series('taskManagerReplicas', 'count', { scenario: 'hpa' });
    const hpaParallelism = s.series('jobParallelism', 'count', { scenario: 'hpa' });
    const cpu = s.series('cpuUtilization', '%', { scenario: 'hpa' });
    const startedAt = Date.now();
    await apply(s.flink, objects[5]!);
    const scaled = await untilHpaReplicas(s.flink, s.namespace, objects[5]!.metadata.name, (n) => n > 1, s.timeout('hpa'), hpaReplicas, cpu);
    s.record('hpaScaleUpTime', (Date.now() - startedAt) / 1000, 's');
    s.record('hpaReplicas', scaled.replicas, 'count');
    expect(scaled.cpuPercent, 'CPU utilisation the HPA reported (from metrics.k8s.io)').toBeGreaterThan(0);
    // Parallelism follows the TaskManagers that joined (an HPA may ask for more than the node can place).
    const followed = await untilParallelismFollowsSlots(await loadFd.rest(), loadJob, 1, s.timeout('rescale'), hpaParallelism);
    s.record('hpaTaskManagersJoined', followed.taskManagers, 'count');
    s.record('hpaParallelism', followed.parallelism, 'count');
  });
});
