// 02 Application-mode job: the paper ran a job in application mode and opened the UI through a
// port-forward. Here the operator's own status must say STABLE / READY / RUNNING, the REST API must
// show that very job with the requested parallelism, the cluster must run the expected Flink release
// (when one is set), and the operator's own deletion must leave nothing behind.
import { judgeRestJob, judgeWebUi, type RestJobObservation, type WebUiObservation } from '../lib/flink/application-job-judge.ts';
import { FlinkDeploymentHandle } from '../lib/flink/deployment.ts';
import { recordObservation } from '../lib/flink/record-observation.ts';
import { flinkVersionOfConfig, flinkVersionWhere } from '../lib/flink/version.ts';
import { judgeDeletion } from '../lib/k8s/deletion.ts';
import { apply } from '../lib/k8s/objects.ts';
import { judgeExpectedVersion } from '../lib/platform/expected-version.ts';
import { observesOnly, step, suite } from '../lib/suite/dsl.ts';
import { faultActive, heldFinalizer } from '../lib/suite/selftest-faults.ts';
import { holds } from '../lib/util/judgement.ts';
import { applicationModePlan } from '../lib/suite/plans.ts';
import { skipBecause } from '../lib/suite/skip.ts';
import { secondsSince } from '../lib/util/time.ts';
import { until } from '../lib/util/until.ts';

const parallelism = 2;

suite('02-application-mode', (s) => {
  const app = s.fixture('the application FlinkDeployment', async () => {
    const plan = applicationModePlan(s.config, s.namespace, s.labels());
    for (const obj of plan.serviceAccount) await apply(s.flink, obj);
    if (faultActive('flinkdeployment-finalizer-held', s.config.target)) plan.app.metadata.finalizers = [heldFinalizer];
    const fd = new FlinkDeploymentHandle(s, plan.app);
    await fd.apply();
    return fd;
  });
  let jobId: string | undefined;

  step('the FlinkDeployment becomes STABLE with its JobManager READY and the job RUNNING', async () => {
    const fd = await app();
    jobId = (await until(fd.status({ lifecycleState: 'STABLE', jobManager: 'READY', job: 'RUNNING' }), s.deadline('jobRunning'))).jobStatus?.jobId;
    s.record('timeToRunning', secondsSince(fd.appliedAt), 's');
  });

  step('the REST API shows the same job RUNNING with the requested parallelism', async () => {
    const fd = await app();
    const rest = await fd.rest();
    const jobs = (await rest.jobs()).map((j) => ({ id: j.id, state: j.state }));
    const observed: RestJobObservation = { jobId, requestedParallelism: parallelism, jobs, where: `Flink REST of ${fd.name}` };
    if (jobId && jobs.some((j) => j.id === jobId)) observed.vertices = (await rest.job(jobId)).vertices.map((v) => ({ name: v.name, parallelism: v.parallelism }));
    recordObservation('02-rest-job', observed);
    holds(judgeRestJob(observed));
    const overview = await rest.overview();
    s.record('taskManagers', overview.taskManagers, 'count');
    s.record('slotsTotal', overview.slotsTotal, 'count');
  }, observesOnly);

  step('the web UI answers on the REST port', async () => {
    const url = `${(await (await app()).rest()).baseUrl}/`;
    const observed: WebUiObservation = await fetch(url, { signal: AbortSignal.timeout(10_000) }).then(
      async (res) => ({ url, status: res.status, isFlinkDashboard: /Apache Flink/i.test(await res.text()) }),
      (err: Error) => ({ url, isFlinkDashboard: false, error: err.message }),
    );
    recordObservation('02-web-ui', observed);
    holds(judgeWebUi(observed));
  }, observesOnly);

  step('Flink is the expected version', async () => {
    const expected = s.config.expect.flinkVersion;
    if (!expected) skipBecause('expect.flinkVersion is not set: no Flink release was promised');
    const fd = await app();
    const found = flinkVersionOfConfig(await (await fd.rest()).config());
    holds(judgeExpectedVersion({ what: 'Flink', expected, found, where: `${flinkVersionWhere} of ${fd.name}` }));
  }, observesOnly);

  // No HA ConfigMaps are looked for: this deployment runs without HA, so there are none to leave
  // (04 is where HA runs). The operator gets timeouts.deletion (60 s, the grace teardown gives it before forcing).
  step('deleting it leaves no pods or services behind, the operator finishing its own cleanup', async () => {
    const deletion = await (await app()).deleteUnforced(s.timeout('deletion'));
    holds(judgeDeletion(deletion));
    s.record('deletionTime', deletion.elapsedSeconds, 's');
  });
});
