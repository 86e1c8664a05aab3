// 03 Session-mode jobs: the paper ran a job on a session cluster. Here a FlinkSessionJob and a job
// submitted through the REST API (jar upload + run) must run side by side in one session cluster,
// with both holding slots of the same TaskManager; then both are cancelled.
// Both jobs run everywhere without configuration: a jar not configured comes from the Flink image,
// served by a pod of that image in the suite's namespace (lib/flink/jar-server.ts).
// A job is RUNNING before its tasks hold slots, so each job is also waited on until every task runs.
import { jarLocation, restJobJarPath, sessionModeJars } from '../lib/flink/job-jars.ts';
import { FlinkDeploymentHandle } from '../lib/flink/deployment.ts';
import { downloadServedJar, untilJarServerReady } from '../lib/flink/jar-server.ts';
import { submitJar } from '../lib/flink/rest-submit.ts';
import { jobState } from '../lib/flink/job-conditions.ts';
import { FlinkSessionJobHandle } from '../lib/flink/session-job.ts';
import { judgeSlotSharing, observeSlotSharing, type SharingJob } from '../lib/flink/slot-sharing.ts';
import { apply } from '../lib/k8s/objects.ts';
import { observesOnly, step, suite } from '../lib/suite/dsl.ts';
import { allOf, holds } from '../lib/util/judgement.ts';
import { faultActive, heldFinalizer } from '../lib/suite/selftest-faults.ts';
import { judgeDeletion } from '../lib/k8s/deletion.ts';
import { sessionModePlan } from '../lib/suite/plans.ts';
import { secondsSince } from '../lib/util/time.ts';
import { until } from '../lib/util/until.ts';

suite('03-session-mode', (s) => {
  const jars = () => sessionModeJars(s.config, s.namespace);
  const plan = () => sessionModePlan(s.config, s.namespace, s.labels());
  // The jar server starts while the session cluster does; the FlinkSessionJob comes once it is READY.
  const session = s.fixture('the session cluster', async () => {
    const { serviceAccount, jarServer, session: manifest } = plan();
    for (const obj of [...serviceAccount, ...jarServer]) await apply(s.flink, obj);
    if (faultActive('flinkdeployment-finalizer-held', s.config.target)) manifest.metadata.finalizers = [heldFinalizer];
    const fd = new FlinkDeploymentHandle(s, manifest);
    await fd.apply();
    return fd;
  });
  let sessionJob: FlinkSessionJobHandle | undefined;
  const sessionJobRun: SharingJob = { label: 'FlinkSessionJob' };
  const restJobRun: SharingJob = { label: 'REST-submitted job' };

  step('a session cluster becomes READY', async () => {
    const fd = await session();
    await until(fd.status({ lifecycleState: 'STABLE', jobManager: 'READY' }), s.deadline('deploymentReady'));
    s.record('timeToSessionReady', secondsSince(fd.appliedAt), 's');
  });

  step('a FlinkSessionJob runs in it', async () => {
    if (jars().served.length > 0) await untilJarServerReady(s.flink, s.namespace, s.timeout('deploymentReady'));
    sessionJob = new FlinkSessionJobHandle(s, plan().sessionJob);
    const appliedAt = Date.now();
    await sessionJob.apply();
    sessionJobRun.id = (await until(sessionJob.jobState('RUNNING'), s.deadline('jobRunning'))).jobStatus!.jobId!;
    s.record('timeToRunning', secondsSince(appliedAt), 's', { job: 'FlinkSessionJob' });
    await until(jobState(await (await session()).rest(), sessionJobRun.id, 'RUNNING', { everyTask: true }), s.deadline('jobRunning'));
    s.record('timeToTasksRunning', secondsSince(appliedAt), 's', { job: 'FlinkSessionJob' });
    // The REST job does not stand on this one; the sharing check after both needs both RUNNING and says so.
  }, observesOnly);

  step('a second job submitted through REST (jar upload + run) runs beside it', async () => {
    const jar = jars().rest;
    const file = 'served' in jar ? await downloadServedJar(s.flink, s.namespace, jar.served.name) : (await restJobJarPath(s.config, jar.configured))!;
    const rest = await (await session()).rest();
    const submittedAt = Date.now();
    restJobRun.id = await submitJar(rest, file, { parallelism: 1 });
    await until(jobState(rest, restJobRun.id, 'RUNNING'), s.deadline('jobRunning'));
    s.record('timeToRunning', secondsSince(submittedAt), 's', { job: 'REST', jar: jarLocation(jar) });
    await until(jobState(rest, restJobRun.id, 'RUNNING', { everyTask: true }), s.deadline('jobRunning'));
    s.record('timeToTasksRunning', secondsSince(submittedAt), 's', { job: 'REST' });
  });

  step('/overview shows both jobs sharing the TaskManagers', async () => {
    const seen = await observeSlotSharing(await (await session()).rest(), [sessionJobRun, restJobRun], s.config.flink.taskManager.slots);
    s.record('slotsUsed', seen.overview.slotsTotal - seen.overview.slotsAvailable, 'count');
    s.record('slotsTotal', seen.overview.slotsTotal, 'count');
    s.record('taskManagers', seen.overview.taskManagers, 'count');
    holds(judgeSlotSharing(seen));
  });

  step('both jobs cancel and the session cluster tears down', async () => {
    const fd = await session();
    const rest = await fd.rest();
    if (restJobRun.id) {
      await rest.cancel(restJobRun.id);
      await until(jobState(rest, restJobRun.id, 'CANCELED'), s.deadline('jobRunning'));
    }
    // Judged with nothing forced: the operator must finish both deletions itself (only teardown forces).
    const started = Date.now();
    const deletions = sessionJob ? [await sessionJob.deleteUnforced(s.timeout('deletion'))] : [];
    deletions.push(await fd.deleteUnforced(s.timeout('deletion')));
    s.record('teardownTime', secondsSince(started), 's');
    holds(allOf(...deletions.map(judgeDeletion)));
  });
});
