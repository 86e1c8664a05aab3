// The Flink suites against the lab, as `streamcert run` runs them: each passes on the real
// components, and each fails, naming the cause, when the property it checks is broken on purpose.
import { describe, expect, it } from 'vitest';
import { appliedVersusPlanned, failures, streamcert, suiteOf } from './streamcert.ts';

// Each test is a run of its own, in namespaces of its own, so two run side by side (maxConcurrency of
// the integration project): they wait mostly on JVM start-ups and reconcile intervals, not on each other.
describe.concurrent('Flink suites on the lab', () => {
  it('01 to 06 pass, each in a namespace of its own, leaving nothing behind', async () => {
    // 06 on 20 MB instead of the default 100 MB: the same sweep and the same judges (counts, not
    // speed-ups), at a fifth of the CI time (the default size is what `npm start` runs).
    const settings = ['--suite', '01..06', '--set', 'wordCount.generatedSizeMb=20'];
    const run = await streamcert(['run', ...settings]);
    for (const id of ['01-platform', '02-application-mode', '03-session-mode', '04-jobmanager-ha', '05-reactive-scaling', '06-wordcount-sweep']) {
      const suite = suiteOf(run, id);
      expect(suite.verdict, `${id}:\n${failures(suite)}`).toBe('passed');
    }
    expect(run.exitCode).toBe(0);
    // Plans are what runs: every object applied is one `streamcert plan` prints, as it prints it.
    expect(await appliedVersusPlanned(run, settings)).toEqual({ missing: [], unplanned: [], differing: [] });
    process.stderr.write(`Flink suites 01..06 on the lab: ${run.seconds.toFixed(0)} s\n`);
  });

  it('negative control: 01 looking for the operator where there is none fails naming the namespace', async () => {
    const run = await streamcert(['run', '--suite', '01', '--set', 'namespaces.operator=no-operator-here']);
    const suite = suiteOf(run, '01-platform');
    expect(run.exitCode).toBe(1);
    expect(failures(suite)).toMatch(/flink-kubernetes-operator Deployment in namespace no-operator-here/);
  });




  it("negative control: 03 with a REST job jar Flink cannot run and a FlinkSessionJob jar that is not there fails each job's check with its own reason", async () => {
    // One session cluster for both sabotages: the REST job does not stand on the FlinkSessionJob, so
    // each check fails on its own cause. The project's jobs jar names no Main-Class: the JobManager
    // refuses it, and the reason must be Flink's answer to the run request, not a file streamcert could
    // not find. The session job's jar URL is one the artifact server does not have: the operator's
    // FileNotFoundException ends the wait at once.
    const restJar = 'local:///opt/flink/examples/streamcert/streamcert-jobs.jar';
    const sessionJar = 'http://artifacts.streamcert-lab.svc.cluster.local:8080/DoesNotExist.jar';
    const run = await streamcert(['run', '--suite', '03', '--set', `flink.restJobJar=${restJar}`, '--set', `flink.sessionJobJar=${sessionJar}`]);
    const suite = suiteOf(run, '03-session-mode');
    expect(run.exitCode).toBe(1);
    const verdicts = suite.checks.map((c) => `${c.name}: ${c.verdict}`);
    expect(verdicts, failures(suite)).toEqual([
      'a session cluster becomes READY: passed',
      'a FlinkSessionJob runs in it: failed',
      'a second job submitted through REST (jar upload + run) runs beside it: failed',
      // The REST job is a step the later ones stand on: sharing and the teardown check wait for another run.
      '/overview shows both jobs sharing the TaskManagers: skipped',
      'both jobs cancel and the session cluster tears down: skipped',
    ]);
    const reason = (name: string) => suite.checks.find((c) => c.name.startsWith(name))!.reason ?? '';
    expect(reason('a FlinkSessionJob runs in it')).toContain(`lifecycle FAILED: java.io.FileNotFoundException: ${sessionJar}`);
    expect(reason('a FlinkSessionJob runs in it')).not.toMatch(/timed out/);
    expect(reason('a second job submitted')).toMatch(/Flink did not run rest-job\.jar: .*(Main-Class|program-class).*\/jars\/.*\/run answered/);
    process.stderr.write(`03 control (REST jar refused, session-job jar missing): ${run.seconds.toFixed(0)} s\n`);
  });

  it('negative control: 03 with one slot per TaskManager fails: the two jobs share no TaskManager', async () => {
    // One slot each: Flink has to start a second TaskManager for the second job, so no TaskManager
    // runs both, for real (the packing is still tight: 2 slots on 2 TaskManagers).
    const run = await streamcert(['run', '--suite', '03', '--set', 'flink.taskManager.slots=1']);
    const suite = suiteOf(run, '03-session-mode');
    expect(run.exitCode).toBe(1);
    const sharing = suite.checks.find((c) => c.name.startsWith('/overview shows both jobs sharing'))!;
    expect(sharing.verdict).toBe('failed');
    expect(sharing.reason).toMatch(/no TaskManager runs tasks of both jobs .* with 1 slot\(s\) per TaskManager/);
    process.stderr.write(`03 control (one slot per TaskManager): ${run.seconds.toFixed(0)} s\n`);
  });


  it('negative control: 02 on a cluster that offers one slot, whose FlinkDeployment keeps a finalizer nobody removes, whose dashboard cannot be unpacked, fails the parallelism, web UI and deletion checks, each naming its cause', async () => {
    // Two sabotages that do not touch each other, in one run. The adaptive scheduler starts a job with
    // the slots it gets: RUNNING, but not at the parallelism the FlinkDeployment asked for; only a
    // check that reads the job's vertices sees it. The operator removes its own finalizer (in seconds);
    // the one the fault adds stays, as an operator that cannot finish its cleanup would leave it. The
    // check must not force it; only teardown may, and says so. 30 s for the operator instead of 60: the
    // held finalizer stays whatever the deadline. (03's teardown check observes its session cluster's
    // deletion through the same deleteUnforced.)
    // Third: a web.tmpdir Flink cannot write, so the dashboard it unpacks there on first request is
    // a 404 (the JobManager logs NoSuchFileException …/flink-web-ui/index.html); REST is unaffected.
    const capped =
      '{"jobmanager.scheduler": "adaptive", "slotmanager.number-of-slots.max": "1", "taskmanager.numberOfTaskSlots": "1", ' +
      '"web.tmpdir": "/proc/streamcert-no-web-ui", "web.upload.dir": "/tmp/flink-web-upload"}';
    const run = await streamcert(['run', '--suite', '02', '--set', `flink.configuration=${capped}`, '--set', 'timeouts.deletion=30s'], {
      env: { STREAMCERT_SELFTEST_FAULTS: 'flinkdeployment-finalizer-held' },
    });
    const suite = suiteOf(run, '02-application-mode');
    expect(run.exitCode).toBe(1);
    const failed = suite.checks.filter((c) => c.verdict === 'failed');
    expect(failed.map((c) => c.name), failures(suite)).toEqual([
      'the REST API shows the same job RUNNING with the requested parallelism',
      'the web UI answers on the REST port',
      'deleting it leaves no pods or services behind, the operator finishing its own cleanup',
    ]);
    expect(failed[0]!.reason).toMatch(/job [0-9a-f]{32} runs at parallelism 1, expected 2 \(spec\.job\.parallelism\); vertices: .*: 1; .*: 1 /);
    expect(failed[1]!.reason).toMatch(/^the web UI at http:\/\/\S+\/ answered HTTP 404, expected 200 \(the JobManager's log says why; the dashboard is served from web\.tmpdir\)$/);
    expect(failed[2]!.reason).toMatch(/FlinkDeployment \S+\/app-mode still terminating 30 s after its deletion was requested, held by finalizer streamcert\.io\/selftest-held: /);
    expect(suite.forcedRemovals?.map((f) => `${f.object}: ${f.finalizers.join(',')}`)).toEqual([expect.stringMatching(/^FlinkDeployment \S+\/app-mode: streamcert\.io\/selftest-held$/)]);
    process.stderr.write(`02 control (one slot, web UI, finalizer held): ${run.seconds.toFixed(0)} s\n`);
  });

  it('negative control: 02 with a jar that does not exist fails naming the jar, not by timing out', async () => {
    const jar = 'local:///opt/flink/examples/streaming/DoesNotExist.jar';
    const run = await streamcert(['run', '--suite', '02', '--set', `flink.jobJar=${jar}`]);
    const suite = suiteOf(run, '02-application-mode');
    expect(run.exitCode).toBe(1);
    expect(suite.checks[0]!.verdict).toBe('failed');
    expect(suite.checks[0]!.reason).toMatch(/DoesNotExist\.jar/);
    expect(suite.checks[0]!.reason).not.toMatch(/timed out/);
  });


  // Application and session mode recover through different paths (the job graph in the HA store, the
  // session job resubmitted by the operator): each must be shown to fail on its own, in runs side by side.
  // 45 s to recover: with HA the lab's RTO is 10–18 s (04's figures), without it the job never returns.
  // 15 s for the operator's deletions: the session cluster that lost its job cannot cancel it, so the
  // FlinkSessionJob's finalizer stays until teardown forces it (recorded), which nothing here judges.
  for (const variant of ['application', 'session']) {
    it(`negative control: 04 on a deployment without HA fails the ${variant} variant's recovery`, async () => {
      const run = await streamcert(['run', '--suite', '04', '--grep', `^${variant}: `, '--set', 'flink.configuration={"high-availability.type": "NONE"}', '--set', 'timeouts.recovery=45s', '--set', 'timeouts.deletion=15s']);
      const suite = suiteOf(run, '04-jobmanager-ha');
      expect(run.exitCode).toBe(1);
      expect(failures(suite)).toMatch(new RegExp(`^${variant}: (the same job id is RUNNING again|it restored from the latest completed checkpoint)`, 'm'));
      process.stderr.write(`04 no-HA control (${variant}): ${run.seconds.toFixed(0)} s\n`);
    });
  }



  it('negative control: 04 whose new JobManager crashes once more, while the operator logs an ERROR about the namespace, fails "restarted once" and the operator-log check, each quoting its cause', async () => {
    // Two sabotages of one failover that do not touch each other. The job comes back RUNNING from the
    // latest checkpoint all the same: a final state that hides the second start, which only the restart
    // count shows. Beside the recovering job, a FlinkDeployment the operator's validator rejects: a
    // real ERROR line about this namespace, which no allowlist entry covers.
    const run = await streamcert(['run', '--suite', '04', '--grep', 'application'], {
      env: { STREAMCERT_SELFTEST_FAULTS: 'jobmanager-crashes-again,operator-error-in-namespace' },
    });
    const suite = suiteOf(run, '04-jobmanager-ha');
    expect(run.exitCode).toBe(1);
    const failed = suite.checks.filter((c) => c.verdict === 'failed');
    expect(failed.map((c) => c.name), failures(suite)).toEqual([
      expect.stringMatching(/the JobManager restarted once, not in a loop$/),
      expect.stringMatching(/the operator logged no unexpected ERROR through the failover$/),
    ]);
    expect(failed[0]!.reason).toMatch(/the new JobManager pod restarted 1x: a crash loop \(\S+: restarts 1; see its --previous log\)/);
    expect(failed[1]!.reason).toMatch(/^1 operator ERROR line\(s\) about sc-\S+-04 or the operator itself, not in the allowlist .*\n.*\[ERROR\]\[sc-\S+-04\/selftest-invalid\] Validation failed: Job parallelism must be larger than 0/);
    process.stderr.write(`04 control (crash again, operator ERROR): ${run.seconds.toFixed(0)} s\n`);
  });

  it('negative control: 05 with the default scheduler fails at the rescale, naming the scheduler', async () => {
    // One slot per TaskManager: a parallelism-1 job then uses all the slots of one TaskManager under
    // either scheduler, so the first step holds and the rescale is where the default scheduler shows.
    const run = await streamcert([
      'run',
      '--suite',
      '05',
      '--set',
      'flink.configuration={"scheduler-mode": null}',
      '--set',
      'flink.taskManager.slots=1',
      '--set',
      'timeouts.rescale=60s',
    ]);
    const suite = suiteOf(run, '05-reactive-scaling');
    expect(run.exitCode).toBe(1);
    expect(suite.checks.find((c) => c.name.startsWith('a reactive standalone application job'))?.verdict).toBe('passed');
    const failed = suite.checks.filter((c) => c.verdict === 'failed');
    expect(failed.map((c) => c.name)).toEqual(['scaling the TaskManagers 1 → 3 raises the job parallelism to the slots available']);
    expect(failures(suite)).toMatch(/jobmanager\.scheduler=default \(unset\), scheduler-mode unset: not reactive: parallelism stayed 1 with 3 TaskManagers \(3 slots\), expected 3/);
    process.stderr.write(`05 default-scheduler control: ${run.seconds.toFixed(0)} s\n`);
  });

  it('negative control: 05 with TaskManagers that request no CPU fails the HPA at once, naming the missing request', async () => {
    const run = await streamcert(['run', '--suite', '05', '--grep', '^an HPA'], { env: { STREAMCERT_SELFTEST_FAULTS: 'taskmanager-cpu-request-removed' } });
    const suite = suiteOf(run, '05-reactive-scaling');
    expect(run.exitCode).toBe(1);
    const hpa = suite.checks.find((c) => c.name.startsWith('an HPA'))!;
    expect(hpa.verdict).toBe('failed');
    expect(hpa.reason).toMatch(/the HPA cannot compute CPU utilisation: the TaskManager pods request no CPU \(ScalingActive=False FailedGetResourceMetric: .*missing request for cpu.*\) after \d+\.\d s/);
    expect(hpa.reason).not.toMatch(/timed out/);
    process.stderr.write(`05 HPA without CPU requests control: ${run.seconds.toFixed(0)} s\n`);
  });

  it('negative control: 06 with a word added to its input fails naming the word and both counts', async () => {
    // The fault appends one word to the input file after the harness computed what it expects from
    // the generator: the job really counts one more, the expected counts are left alone.
    const run = await streamcert(
      ['run', '--suite', '06', '--set', 'wordCount.parallelism=[1]', '--set', 'wordCount.generatedSizeMb=10'],
      { env: { STREAMCERT_SELFTEST_FAULTS: 'wordcount-corrupt-input' } },
    );
    const suite = suiteOf(run, '06-wordcount-sweep');
    expect(run.exitCode).toBe(1);
    const reason = failures(suite);
    const m = /WordCount at parallelism 1 \(job \w+\): 1 of \d+ words with wrong counts in \S+out-p1: ([a-z]+): expected (\d+), got (\d+)$/m.exec(reason);
    expect(m, reason).not.toBeNull();
    expect(Number(m![3])).toBe(Number(m![2]) + 1);
    process.stderr.write(`06 corrupted-input control: ${run.seconds.toFixed(0)} s\n`);
  });
});
