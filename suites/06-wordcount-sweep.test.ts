// 06 WordCount parallelism sweep: the paper ran WordCount over a Wikipedia dump at several
// parallelisms and tabled the durations. Here each run must also produce the right counts (computed
// independently from the generator), durations come from the REST API, and the fastest is reported.
import { restJobJarPath } from '../lib/flink/job-jars.ts';
import { FlinkDeploymentHandle } from '../lib/flink/deployment.ts';
import { recordObservation } from '../lib/flink/record-observation.ts';
import { appendWordCommand, expectedCounts, parseWordCountOutput, wordCountDir as dir, wordCountSpec } from '../lib/flink/wordcount-input.ts';
import { judgeFastest, judgeInputWritten, judgeSessionReady, judgeWordCountRun } from '../lib/flink/wordcount-judge.ts';
import { observeGeneratorPod, observeJobEnd, observeSessionTaskManagers } from '../lib/flink/wordcount-run.ts';
import { apply } from '../lib/k8s/objects.ts';
import { exec } from '../lib/k8s/pods.ts';
import { rwxStorageClass } from '../lib/platform/checks.ts';
import { step, suite } from '../lib/suite/dsl.ts';
import { wordCountPlan } from '../lib/suite/plans.ts';
import { faultActive } from '../lib/suite/selftest-faults.ts';
import { holds } from '../lib/util/judgement.ts';
import { skipBecause } from '../lib/suite/skip.ts';
import { until } from '../lib/util/until.ts';

suite('06-wordcount-sweep', (s) => {
  const wc = s.config.wordCount;
  const spec = wordCountSpec(s.config);
  let plan: ReturnType<typeof wordCountPlan>;
  const durations = s.series('wordCountDuration', 's');
  let session: FlinkDeploymentHandle;
  let slotsTotal = 0;
  let expected: Map<string, number>;
  let jarId = '';
  const measured: { parallelism: number; seconds: number }[] = [];

  step(`a session cluster with ${wc.taskManagers} TaskManagers is ready`, async () => {
    const storage = await rwxStorageClass(s.flink, s.config.flink.rwxStorageClass);
    if (!storage.name) throw new Error(storage.problem);
    plan = wordCountPlan(s.config, s.namespace, s.labels(), { rwxStorageClass: storage.name });
    for (const obj of [...plan.serviceAccount, plan.claim]) await apply(s.flink, obj);
    session = new FlinkDeploymentHandle(s, plan.session);
    await session.apply();
    await until(session.status({ lifecycleState: 'STABLE', jobManager: 'READY' }), s.deadline('deploymentReady'));
    await until(session.readyPods('taskmanager', wc.taskManagers), s.deadline('deploymentReady'));
    const registered = await observeSessionTaskManagers(await session.rest(), wc.taskManagers, s.timeout('deploymentReady'));
    recordObservation('06-session', registered);
    holds(judgeSessionReady(registered));
    slotsTotal = registered.slotsTotal;
    s.record('slotsTotal', slotsTotal, 'count');
    const capped = wc.parallelism.filter((p) => p > slotsTotal);
    if (capped.length) s.record('parallelismCap', slotsTotal, 'count', { capped: capped.join(',') });
  });

  step(`the input (${wc.generatedSizeMb} MB of generated text) is written where the TaskManagers read it`, async () => {
    const started = Date.now();
    const pod = plan.generator;
    await apply(s.flink, pod);
    const counted = Promise.resolve().then(() => expectedCounts(spec));
    const generated = await observeGeneratorPod(s.flink, s.namespace, pod.metadata.name, s.timeout('jobRunning'));
    holds(judgeInputWritten(generated));
    expected = await counted;
    s.record('inputGenerationTime', (Date.now() - started) / 1000, 's');
    s.record('inputWords', spec.words, 'count');
    if (faultActive('wordcount-corrupt-input', s.config.target)) {
      // The expected counts are already computed from the generator: the job now reads one word more.
      const [word] = [...expected.keys()];
      const [tm] = await session.pods('taskmanager');
      const r = await exec(s.flink, s.namespace, tm!.metadata!.name!, 'flink-main-container', appendWordCommand(`${dir}/input.txt`, word!));
      if (r.exitCode !== 0) throw new Error(`self-test fault wordcount-corrupt-input could not alter the input: ${r.stderr.trim()}`);
    }
  });

  for (const parallelism of wc.parallelism) {
    step(`WordCount at parallelism ${parallelism} finishes with the right counts`, async () => {
      if (parallelism > slotsTotal) skipBecause(`capped: the session cluster has ${slotsTotal} slots`);
      const rest = await session.rest();
      if (!jarId) {
        const jar = await restJobJarPath(s.config, wc.jar, 'WordCount.jar');
        if (!jar) skipBecause('no wordCount.jar configured (a WordCount jar file or URL to upload)');
        jarId = await rest.uploadJar(jar);
      }
      const out = `${dir}/out-p${parallelism}`;
      const jobId = await rest.runJar(jarId, {
        parallelism,
        args: ['--input', `file://${dir}/input.txt`, '--output', `file://${out}`, '--execution-mode', 'BATCH'],
      });
      const end = await observeJobEnd(rest, jobId, s.timeout('jobRunning'));
      let counted = new Map<string, number>();
      if (end.state === 'FINISHED') {
        const seconds = end.durationMs / 1000;
        measured.push({ parallelism, seconds });
        durations.add(seconds);
        s.record('duration', seconds, 's', { parallelism: String(parallelism) });
        const [tm] = await session.pods('taskmanager');
        const output = await exec(s.flink, s.namespace, tm!.metadata!.name!, 'flink-main-container', ['sh', '-c', `cat ${out}/*/part-* ${out}/part-* 2>/dev/null`]);
        counted = parseWordCountOutput(output.stdout);
      }
      const observed = { parallelism, jobId, ...end, output: out, expected: Object.fromEntries(expected), counted: Object.fromEntries(counted) };
      recordObservation(`06-p${parallelism}`, observed);
      holds(judgeWordCountRun(observed));
    });
  }

  step('the fastest parallelism is reported', async () => {
    const { fastest } = holds(judgeFastest(measured));
    s.record('fastestParallelism', fastest!.parallelism, 'count', { seconds: String(fastest!.seconds) });
  });
});
