// 06 WordCount parallelism sweep: the paper ran WordCount over a Wikipedia dump at several
// parallelisms and tabled the durations. Here each run must also produce the right counts (computed
// independently from the generator), durations come from the REST API, and the fastest is reported.
import { restJobJarPath } from '../lib/flink/job-jars.ts';
import { FlinkDeploymentHandle } from '../lib/flink/deployment.ts';
import { recordObservation } from '../lib/flink/record-observation.ts';
import { expectedCounts, wordCountDir as dir, wordCountSpec } from '../lib/flink/wordcount-input.ts';
import { judgeFastest, judgeInputWritten, judgeSessionReady, judgeWordCountRun } from '../lib/flink/wordcount-judge.ts';
import { corruptWordCountInput, observeGeneratorPod, observeJobEnd, observeSessionTaskManagers, readWordCountOutput } from '../lib/flink/wordcount-run.ts';
import { apply } from '../lib/k8s/objects.ts';
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
  const plan = s.fixture('the sweep’s plan', async () => {
    const storage = await rwxStorageClass(s.flink, s.config.flink.rwxStorageClass);
    if (!storage.name) throw new Error(storage.problem);
    return wordCountPlan(s.config, s.namespace, s.labels(), { rwxStorageClass: storage.name });
  });
  const session = s.fixture(`the session cluster with ${wc.taskManagers} TaskManagers`, async () => {
    const { serviceAccount, claim, session: manifest } = await plan();
    for (const obj of [...serviceAccount, claim]) await apply(s.flink, obj);
    const fd = new FlinkDeploymentHandle(s, manifest);
    await fd.apply();
    return fd;
  });
  const jarId = s.fixture('the WordCount jar, uploaded to the session cluster', async () => {
    const jar = await restJobJarPath(s.config, wc.jar, 'WordCount.jar');
    if (!jar) skipBecause('no wordCount.jar configured (a WordCount jar file or URL to upload)');
    return (await (await session()).rest()).uploadJar(jar);
  });
  const durations = s.series('wordCountDuration', 's');
  let slotsTotal = 0;
  let expected: Map<string, number>;
  const measured: { parallelism: number; seconds: number }[] = [];

  step(`a session cluster with ${wc.taskManagers} TaskManagers is ready`, async () => {
    const fd = await session();
    await until(fd.status({ lifecycleState: 'STABLE', jobManager: 'READY' }), s.deadline('deploymentReady'));
    await until(fd.readyPods('taskmanager', wc.taskManagers), s.deadline('deploymentReady'));
    const registered = await observeSessionTaskManagers(await fd.rest(), wc.taskManagers, s.timeout('deploymentReady'));
    recordObservation('06-session', registered);
    holds(judgeSessionReady(registered));
    slotsTotal = registered.slotsTotal;
    s.record('slotsTotal', slotsTotal, 'count');
    const capped = wc.parallelism.filter((p) => p > slotsTotal);
    if (capped.length) s.record('parallelismCap', slotsTotal, 'count', { capped: capped.join(',') });
  });

  step(`the input (${wc.generatedSizeMb} MB of generated text) is written where the TaskManagers read it`, async () => {
    const started = Date.now();
    const pod = (await plan()).generator;
    await apply(s.flink, pod);
    const counted = Promise.resolve().then(() => expectedCounts(spec));
    const generated = await observeGeneratorPod(s.flink, s.namespace, pod.metadata.name, s.timeout('jobRunning'));
    holds(judgeInputWritten(generated));
    expected = await counted;
    s.record('inputGenerationTime', (Date.now() - started) / 1000, 's');
    s.record('inputWords', spec.words, 'count');
    // The expected counts are already computed from the generator: the job now reads one word more.
    if (faultActive('wordcount-corrupt-input', s.config.target)) await corruptWordCountInput(s.flink, await session(), `${dir}/input.txt`, [...expected.keys()][0]!);
  });

  for (const parallelism of wc.parallelism) {
    step(`WordCount at parallelism ${parallelism} finishes with the right counts`, async () => {
      if (parallelism > slotsTotal) skipBecause(`capped: the session cluster has ${slotsTotal} slots`);
      const rest = await (await session()).rest();
      const out = `${dir}/out-p${parallelism}`;
      const jobId = await rest.runJar(await jarId(), {
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
        s.record('wordsPerSecond', Math.round(spec.words / seconds), 'words/s', { parallelism: String(parallelism) });
        counted = await readWordCountOutput(s.flink, await session(), out);
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
