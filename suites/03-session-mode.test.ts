// 03 Session-mode jobs: the paper ran a job on a session cluster. Here a FlinkSessionJob and a job
// submitted through the REST API (jar upload + run) must run side by side in one session cluster,
// with /overview showing both holding slots of the same TaskManagers; then both are cancelled.
// A job is RUNNING before its tasks hold slots, so each job is also waited on until every task runs.
import { expect } from 'vitest';
import { restJobJarPath } from '../lib/flink/artifacts.ts';
import { FlinkDeploymentHandle } from '../lib/flink/deployment.ts';
import { FlinkSessionJobHandle } from '../lib/flink/session-job.ts';
import { untilTasksRunning } from '../lib/flink/tasks-running.ts';
import { apply } from '../lib/k8s/objects.ts';
import { step, suite } from '../lib/suite/dsl.ts';
import { sessionModePlan } from '../lib/suite/plans.ts';
import { skipBecause } from '../lib/suite/skip.ts';
import { pollUntil } from '../lib/util/poll.ts';
import { secondsSince } from '../lib/util/time.ts';

suite('03-session-mode', (s) => {
  let session: FlinkDeploymentHandle;
  let sessionJob: FlinkSessionJobHandle | undefined;
  let sessionJobId = '';
  let restJobId = '';

  step('a session cluster becomes READY', async () => {
    const [sa, role, binding, fd] = sessionModePlan(s.config, s.namespace, s.labels());
    for (const obj of [sa!, role!, binding!]) await apply(s.flink, obj);
    session = new FlinkDeploymentHandle(s, fd!);
    const appliedAt = Date.now();
    await session.apply();
    await session.untilStatus({ lifecycleState: 'STABLE', jobManager: 'READY' }, s.timeout('deploymentReady'));
    s.record('timeToSessionReady', secondsSince(appliedAt), 's');
  });

  step('a FlinkSessionJob runs in it', async () => {
    const manifest = sessionModePlan(s.config, s.namespace, s.labels())[4];
    if (!manifest) return skipBecause('no flink.sessionJobJar configured (an http(s) URL the operator can download)');
    sessionJob = new FlinkSessionJobHandle(s, manifest);
    const appliedAt = Date.now();
    await sessionJob.apply();
    sessionJobId = (await sessionJob.untilJobState('RUNNING')).jobStatus!.jobId!;
    s.record('timeToRunning', secondsSince(appliedAt), 's', { job: 'FlinkSessionJob' });
    await untilTasksRunning(await session.rest(), sessionJobId, s.timeout('jobRunning'));
    s.record('timeToTasksRunning', secondsSince(appliedAt), 's', { job: 'FlinkSessionJob' });
  });

  step('a second job submitted through REST (jar upload + run) runs beside it', async () => {
    const jar = await restJobJarPath(s.config);
    if (!jar) return skipBecause('no flink.restJobJar configured (a jar file or URL to upload)');
    const rest = await session.rest();
    const submittedAt = Date.now();
    const jarId = await rest.uploadJar(jar);
    restJobId = await rest.runJar(jarId, { parallelism: 1 });
    await pollUntil({
      description: `REST-submitted job ${restJobId} to be RUNNING`,
      check: async () => ((await rest.job(restJobId)).state === 'RUNNING' ? true : undefined),
      timeoutMs: s.timeout('jobRunning'),
    });
    s.record('timeToRunning', secondsSince(submittedAt), 's', { job: 'REST' });
    await untilTasksRunning(rest, restJobId, s.timeout('jobRunning'));
    s.record('timeToTasksRunning', secondsSince(submittedAt), 's', { job: 'REST' });
  });

  step('/overview shows both jobs sharing the TaskManagers', async () => {
    const rest = await session.rest();
    const overview = await rest.overview();
    const running = (await rest.jobs()).filter((j) => j.state === 'RUNNING').map((j) => j.id);
    expect(running, 'RUNNING jobs').toEqual(expect.arrayContaining([sessionJobId, restJobId].filter(Boolean)));
    const used = overview.slotsTotal - overview.slotsAvailable;
    s.record('slotsUsed', used, 'count');
    s.record('slotsTotal', overview.slotsTotal, 'count');
    s.record('taskManagers', overview.taskManagers, 'count');
    expect(used, `slots in use (${overview.slotsTotal} total on ${overview.taskManagers} TaskManager(s))`).toBeGreaterThanOrEqual(running.length);
    // Sharing: the jobs are packed into the slots of as few TaskManagers as their slots need.
    const needed = Math.ceil(used / s.config.flink.taskManager.slots);
    expect(overview.taskManagers, `TaskManagers for ${used} used slot(s) of ${s.config.flink.taskManager.slots} each`).toBeLessThanOrEqual(needed);
  });

  step('both jobs cancel and the session cluster tears down', async () => {
    const rest = await session.rest();
    if (restJobId) {
      await rest.cancel(restJobId);
      await pollUntil({
        description: `job ${restJobId} to be CANCELED`,
        check: async () => ((await rest.job(restJobId)).state === 'CANCELED' ? true : undefined),
        timeoutMs: s.timeout('jobRunning'),
      });
    }
    const started = Date.now();
    await sessionJob?.delete();
    await session.delete();
    s.record('teardownTime', secondsSince(started), 's');
  });
});
