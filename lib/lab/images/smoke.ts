// Runs the lab's images for real, the way the kubelet will: each container is an overlay of the
// image's layer directories started with runc, and the Flink JobManager and TaskManager share one
// network namespace this script creates (like a pod's), reachable only from inside it.
//
//   npx tsx lib/lab/images/smoke.ts [--record DIR] [--keep]
//
// Flink: a session JobManager (`jobmanager`) and a TaskManager (`taskmanager`); TopSpeedWindowing is
// uploaded and run through the REST API until it has completed checkpoints, WordCount runs to
// FINISHED on a small input, a WordCount on a missing input fails (for an exception history).
// With --record, the REST responses are written as JSON files (the REST client's unit-test fixtures).
// Operator: the JVM starts and gets as far as contacting the Kubernetes API (there is none here).
import { spawn } from 'node:child_process';
import { mkdir, rm, writeFile, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { run } from '../exec.ts';
import { log } from '../../log.ts';
import { ensureImages, type ImageArchive } from './index.ts';
import { repoRoot } from './util.ts';
import { Deadline, polled, until } from '../../util/until.ts';

const NETNS = 'streamcert-imgtest';
const work = '/tmp/streamcert-imgtest';
const args = process.argv.slice(2);
const recordDir = args.includes('--record') ? args[args.indexOf('--record') + 1] : undefined;
const keep = args.includes('--keep');

interface Container {
  id: string;
  bundle: string;
  logFile: string;
}
const containers: Container[] = [];

async function sh(cmd: string, opts: { allowFail?: boolean } = {}) {
  return run('sh', ['-c', cmd], opts);
}

/** curl inside the test network namespace; returns status and parsed JSON body. */
async function rest(method: string, path: string, body?: unknown, form?: string): Promise<{ status: number; json: unknown }> {
  const a = ['netns', 'exec', NETNS, 'curl', '-sS', '-X', method, '-w', '\n%{http_code}', `http://127.0.0.1:8081${path}`];
  if (body !== undefined) a.push('-H', 'Content-Type: application/json', '-d', JSON.stringify(body));
  if (form) a.push('-F', form);
  const r = await run('ip', a, { allowFail: true });
  const text = r.stdout;
  const i = text.lastIndexOf('\n');
  const status = Number(text.slice(i + 1));
  const payload = text.slice(0, i);
  let json: unknown = payload;
  try {
    json = payload ? JSON.parse(payload) : null;
  } catch {
    /* keep text */
  }
  return { status, json };
}

async function get<T = any>(path: string): Promise<T> {
  const r = await rest('GET', path);
  if (r.status !== 200) throw new Error(`GET ${path}: ${r.status} ${JSON.stringify(r.json).slice(0, 300)}`);
  return r.json as T;
}

const recorded: { file: string; request: string; note?: string }[] = [];
async function record(file: string, request: string, json: unknown, note?: string): Promise<void> {
  if (!recordDir) return;
  await mkdir(recordDir, { recursive: true });
  await writeFile(join(recordDir, file), `${JSON.stringify(json, null, 2)}\n`);
  recorded.push({ file, request, note });
}

function fixturesReadme(flinkVersion: string): string {
  const rows = recorded.map((r) => `| \`${r.file}\` | \`${r.request.replace(/\|/g, '\\|')}\`${r.note ? ` (${r.note})` : ''} |`);
  return `# Recorded Flink REST responses

Real responses of a Flink ${flinkVersion} session cluster (the lab's \`flink:1.20\` image: one JobManager started
with \`jobmanager\`, one TaskManager with \`taskmanager\` and 2 slots, both under runc in one network
namespace), recorded on ${new Date().toISOString().slice(0, 10)} by

    npx tsx lib/lab/images/smoke.ts --record lib/flink/__fixtures__/rest

(as root; it builds the images if needed). Cluster configuration added through \`FLINK_PROPERTIES\`:
\`execution.checkpointing.interval: 2s\`, \`state.checkpoints.dir: file:///shared/checkpoints\`,
\`state.checkpoints.num-retained: 3\`. Jobs: the \`flink-examples-streaming\` TopSpeedWindowing (generated
input, parallelism 2, run until 2+ checkpoints completed, then cancelled), WordCount on a three-line file
(FINISHED), and WordCount on a missing file with \`restart-strategy.type: none\` (FAILED).

Notes for the REST client:
- Vertex metrics are per subtask: \`/jobs/:id/vertices/:vid/metrics?get=0.numRecordsOut\`; asking for
  \`numRecordsOut\` without the subtask index returns \`[]\`. \`/jobs/:id/vertices/:vid/subtasks/metrics?get=...\`
  aggregates (min, max, avg, sum, skew). Values of the first form are strings.
- \`/jars/upload\` returns the server-side path in \`filename\`; the jar id is its last path segment.
- \`PATCH /jobs/:id?mode=cancel\` answers 202 with \`{}\`.
- The Flink 1.17.1 client inside operator 1.7.0 cannot parse \`job-running.json\`:
  vertices carry \`slotSharingGroupId\`, unknown to their strict mapper. \`/jobs/overview\`, \`/jobs/:id/checkpoints\`
  and savepoint triggering work with them (checked by \`lib/lab/images/probe/RestCompatProbe.java\`).

| file | request |
|---|---|
${rows.join('\n')}
`;
}

/** Polls `check` until it answers (errors count as "not yet"), within `timeoutMs`. */
function untilAnswers<T>(what: string, timeoutMs: number, check: () => Promise<T | undefined>): Promise<T> {
  return until(polled({ description: what, check }), Deadline.in(timeoutMs));
}

/** Overlay of the image layers + runc bundle; the container runs detached with output to a log file. */
async function startContainer(
  id: string,
  image: ImageArchive,
  argv: string[],
  opts: { env?: string[]; hostname: string; mounts?: { src: string; dst: string }[] },
): Promise<Container> {
  const bundle = join(work, id);
  const rootfs = join(bundle, 'rootfs');
  for (const d of ['rootfs', 'upper', 'work']) await mkdir(join(bundle, d), { recursive: true });
  const lower = [...image.layers].reverse().join(':');
  await run('mount', ['-t', 'overlay', 'overlay', '-o', `lowerdir=${lower},upperdir=${bundle}/upper,workdir=${bundle}/work`, rootfs]);
  await run('runc', ['spec', '--bundle', bundle]);
  const spec = JSON.parse(await readFile(join(bundle, 'config.json'), 'utf8'));
  spec.process.terminal = false;
  spec.process.args = [...image.config.Entrypoint, ...argv];
  spec.process.env = [...image.config.Env, `HOSTNAME=${opts.hostname}`, ...(opts.env ?? [])];
  spec.process.cwd = image.config.WorkingDir;
  if (image.config.User === 'flink') spec.process.user = { uid: 9999, gid: 9999 };
  // Like a container runtime's default set (the runc template keeps only three).
  const caps = ['CAP_CHOWN', 'CAP_DAC_OVERRIDE', 'CAP_FSETID', 'CAP_FOWNER', 'CAP_MKNOD', 'CAP_NET_RAW', 'CAP_SETGID', 'CAP_SETUID', 'CAP_SETFCAP', 'CAP_SETPCAP', 'CAP_NET_BIND_SERVICE', 'CAP_SYS_CHROOT', 'CAP_KILL', 'CAP_AUDIT_WRITE'];
  for (const k of ['bounding', 'effective', 'permitted']) spec.process.capabilities[k] = caps;
  delete spec.process.capabilities.inheritable;
  delete spec.process.capabilities.ambient;
  spec.root = { path: 'rootfs', readonly: false };
  spec.hostname = opts.hostname;
  const hosts = join(bundle, 'hosts');
  await writeFile(hosts, `127.0.0.1\tlocalhost ${opts.hostname}\n::1\tlocalhost\n`);
  spec.mounts.push({ destination: '/etc/hosts', type: 'bind', source: hosts, options: ['rbind', 'ro'] });
  for (const m of opts.mounts ?? []) spec.mounts.push({ destination: m.dst, type: 'bind', source: m.src, options: ['rbind', 'rw'] });
  spec.linux.namespaces = spec.linux.namespaces.map((ns: { type: string }) =>
    ns.type === 'network' ? { type: 'network', path: `/var/run/netns/${NETNS}` } : ns,
  );
  await writeFile(join(bundle, 'config.json'), JSON.stringify(spec, null, 2));
  const logFile = join(work, `${id}.log`);
  const { openSync } = await import('node:fs');
  const fd = openSync(logFile, 'w');
  await new Promise<void>((resolve, reject) => {
    const p = spawn('runc', ['run', '-d', '--bundle', bundle, id], { stdio: ['ignore', fd, fd] });
    p.on('error', reject);
    p.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`runc run ${id} exited ${code}: see ${logFile}`))));
  });
  const c = { id, bundle, logFile };
  containers.push(c);
  return c;
}

async function stopContainer(c: Container): Promise<void> {
  await run('runc', ['kill', c.id, 'TERM'], { allowFail: true });
  for (let i = 0; i < 20; i++) {
    const st = await run('runc', ['state', c.id], { allowFail: true });
    if (st.code !== 0 || /"status": "stopped"/.test(st.stdout)) break;
    await new Promise((r) => setTimeout(r, 500));
  }
  await run('runc', ['kill', c.id, 'KILL'], { allowFail: true });
  await run('runc', ['delete', '-f', c.id], { allowFail: true });
  await run('umount', [join(c.bundle, 'rootfs')], { allowFail: true });
}

async function cleanup(): Promise<void> {
  for (const c of containers.reverse()) await stopContainer(c);
  containers.length = 0;
  await run('ip', ['netns', 'del', NETNS], { allowFail: true });
}

async function logHas(c: Container, re: RegExp): Promise<boolean> {
  return re.test(await readFile(c.logFile, 'utf8').catch(() => ''));
}

async function main(): Promise<void> {
  const t0 = Date.now();
  const images = await ensureImages({ progress: true });
  log.info(`images ready in ${((Date.now() - t0) / 1000).toFixed(1)}s`);
  const flink = images.images.flink;
  const operator = images.images.operator;

  // Leftovers of an interrupted run.
  for (const id of ['sc-jm', 'sc-tm', 'sc-operator']) await run('runc', ['delete', '-f', id], { allowFail: true });
  await sh(`for m in $(grep -o '${work}/[^ ]*/rootfs' /proc/mounts); do umount $m; done`, { allowFail: true });
  await run('ip', ['netns', 'del', NETNS], { allowFail: true });
  await rm(work, { recursive: true, force: true });
  await mkdir(join(work, 'shared', 'checkpoints'), { recursive: true });
  await mkdir(join(work, 'shared', 'data'), { recursive: true });
  await sh(`chown -R 9999:9999 ${work}/shared`);
  await writeFile(
    join(work, 'shared', 'data', 'input.txt'),
    'to be or not to be that is the question\nwhether tis nobler in the mind to suffer\nthe slings and arrows of outrageous fortune\n',
  );
  await sh(`chown 9999:9999 ${work}/shared/data/input.txt`);
  await run('ip', ['netns', 'add', NETNS]);
  await run('ip', ['-n', NETNS, 'link', 'set', 'lo', 'up']);

  const shared = [{ src: join(work, 'shared'), dst: '/shared' }];
  const flinkProperties = [
    'execution.checkpointing.interval: 2s',
    'state.checkpoints.dir: file:///shared/checkpoints',
    'state.checkpoints.num-retained: 3',
  ].join('\n');
  const figures: Record<string, string> = {};

  const jmStart = Date.now();
  const jm = await startContainer('sc-jm', flink, ['jobmanager'], {
    hostname: 'flink-jobmanager',
    env: ['JOB_MANAGER_RPC_ADDRESS=localhost', `FLINK_PROPERTIES=${flinkProperties}`],
    mounts: shared,
  });
  await untilAnswers('JobManager REST', 120_000, async () => ((await get('/overview')) ? true : undefined));
  figures['JobManager REST up'] = `${((Date.now() - jmStart) / 1000).toFixed(1)}s`;
  const tmStart = Date.now();
  const tm = await startContainer('sc-tm', flink, ['taskmanager'], {
    hostname: 'flink-taskmanager',
    env: ['JOB_MANAGER_RPC_ADDRESS=localhost', 'TASK_MANAGER_NUMBER_OF_TASK_SLOTS=2', `FLINK_PROPERTIES=${flinkProperties}`],
    mounts: shared,
  });
  await untilAnswers('TaskManager registered', 120_000, async () => ((await get('/overview')).taskmanagers >= 1 ? true : undefined));
  figures['TaskManager registered'] = `${((Date.now() - tmStart) / 1000).toFixed(1)}s`;
  log.info(`JobManager and TaskManager up: ${JSON.stringify(figures)}`);

  // TopSpeedWindowing through the REST API.
  const upload = await rest('POST', '/jars/upload', undefined, `jarfile=@${flink.layers[1]}/opt/flink/examples/streaming/TopSpeedWindowing.jar;type=application/x-java-archive`);
  if (upload.status !== 200) throw new Error(`upload failed: ${upload.status} ${JSON.stringify(upload.json)}`);
  await record('jars-upload.json', 'POST /jars/upload (multipart field jarfile=TopSpeedWindowing.jar)', upload.json);
  const jarId = String((upload.json as { filename: string }).filename).split('/').pop()!;
  const runStart = Date.now();
  const runResp = await rest('POST', `/jars/${jarId}/run`, {
    entryClass: 'org.apache.flink.streaming.examples.windowing.TopSpeedWindowing',
    parallelism: 2,
    programArgsList: [],
  });
  if (runResp.status !== 200) throw new Error(`run failed: ${runResp.status} ${JSON.stringify(runResp.json)}`);
  await record('jars-run.json', `POST /jars/<jarid>/run {"entryClass":"...TopSpeedWindowing","parallelism":2,"programArgsList":[]}`, runResp.json);
  const jobId = (runResp.json as { jobid: string }).jobid;
  await untilAnswers('TopSpeedWindowing RUNNING', 120_000, async () => {
    const j = await get(`/jobs/${jobId}`);
    return j.state === 'RUNNING' && j.vertices.every((v: { status: string }) => v.status === 'RUNNING') ? true : undefined;
  });
  figures['TopSpeedWindowing run request → all vertices RUNNING'] = `${((Date.now() - runStart) / 1000).toFixed(1)}s`;
  const cps = await untilAnswers('2 completed checkpoints', 120_000, async () => {
    const c = await get(`/jobs/${jobId}/checkpoints`);
    return c.counts.completed >= 2 ? c : undefined;
  });
  figures['run request → 2 completed checkpoints'] = `${((Date.now() - runStart) / 1000).toFixed(1)}s`;
  // Let the metrics refresh (metrics.fetcher.update-interval is 10s).
  await new Promise((r) => setTimeout(r, 11_000));
  const job = await get(`/jobs/${jobId}`);
  await record('job-running.json', `GET /jobs/<TopSpeedWindowing id> (RUNNING, parallelism 2)`, job);
  await record('job-checkpoints.json', 'GET /jobs/<TopSpeedWindowing id>/checkpoints', await get(`/jobs/${jobId}/checkpoints`));
  await record('job-exceptions-none.json', 'GET /jobs/<TopSpeedWindowing id>/exceptions (healthy job)', await get(`/jobs/${jobId}/exceptions`));
  const source = job.vertices[0];
  const sink = job.vertices[job.vertices.length - 1];
  await record('vertex-metrics-list.json', 'GET /jobs/<id>/vertices/<source vertex id>/metrics', await get(`/jobs/${jobId}/vertices/${source.id}/metrics`));
  // Vertex metrics are per subtask ("<subtask>.<name>"); the subtasks endpoint aggregates them.
  const sinkNames = Array.from({ length: sink.parallelism }, (_, i) => [`${i}.numRecordsIn`, `${i}.numRecordsOut`]).flat();
  await record(
    'vertex-metrics-get.json',
    `GET /jobs/<id>/vertices/<sink vertex id>/metrics?get=${sinkNames.join(',')}`,
    await get(`/jobs/${jobId}/vertices/${sink.id}/metrics?get=${sinkNames.join(',')}`),
  );
  await record(
    'vertex-metrics-get-unprefixed.json',
    'GET /jobs/<id>/vertices/<sink vertex id>/metrics?get=numRecordsOut,numRecordsIn (names without subtask index: nothing matches)',
    await get(`/jobs/${jobId}/vertices/${sink.id}/metrics?get=numRecordsOut,numRecordsIn`),
  );
  await record(
    'vertex-subtasks-metrics-get.json',
    'GET /jobs/<id>/vertices/<sink vertex id>/subtasks/metrics?get=numRecordsIn,numRecordsOut (min/max/avg/sum over subtasks)',
    await get(`/jobs/${jobId}/vertices/${sink.id}/subtasks/metrics?get=numRecordsIn,numRecordsOut`),
  );
  await record(
    'vertex-source-metrics-get.json',
    'GET /jobs/<id>/vertices/<source vertex id>/metrics?get=0.numRecordsOut,0.numRecordsOutPerSecond',
    await get(`/jobs/${jobId}/vertices/${source.id}/metrics?get=0.numRecordsOut,0.numRecordsOutPerSecond`),
  );
  await record('overview.json', 'GET /overview (1 TaskManager, 2 slots, TopSpeedWindowing running)', await get('/overview'));
  await record('config.json', 'GET /config', await get('/config'));
  await record('taskmanagers.json', 'GET /taskmanagers', await get('/taskmanagers'));
  await record('jobmanager-config.json', 'GET /jobmanager/config', await get('/jobmanager/config'));
  log.info(`TopSpeedWindowing ${jobId}: ${cps.counts.completed} checkpoints completed, latest ${cps.latest?.completed?.external_path}`);

  // The operator's own Flink client (built against an older Flink) drives this 1.20 cluster: list,
  // status, details, checkpoint statistics and a savepoint, as the operator's observer does.
  const opLib = join(operator.layers[1]!, 'flink-kubernetes-operator', 'lib');
  const probeSrc = join(repoRoot, 'lib', 'lab', 'images', 'probe', 'RestCompatProbe.java');
  await mkdir(join(work, 'shared', 'savepoints'), { recursive: true });
  await sh(`chown 9999:9999 ${work}/shared/savepoints`);
  const probe = await run(
    'ip',
    ['netns', 'exec', NETNS, 'java', '--add-opens=java.base/java.lang=ALL-UNNAMED', '--add-opens=java.base/java.util=ALL-UNNAMED',
      '-cp', `${opLib}/*`, probeSrc, '127.0.0.1', '8081', jobId, 'file:///shared/savepoints'],
    { allowFail: true, timeoutMs: 240_000 },
  );
  await writeFile(join(work, 'rest-compat-probe.log'), `${probe.stdout}\n--- stderr ---\n${probe.stderr}`);
  const probeLines = probe.stdout.split('\n').filter((l) => l.includes('PROBE')).map((l) => l.slice(l.indexOf('PROBE')));
  log.info(`operator client ↔ Flink ${images.versions.flink} REST:\n${probeLines.join('\n')}`);
  figures['operator Flink client against the 1.20 REST API'] =
    probe.code === 0 && probeLines.includes('PROBE OK')
      ? probeLines.filter((l) => /INCOMPATIBLE|savepoint|listJobs/.test(l)).join(' | ')
      : `FAILED: ${probeLines.join(' | ')} ${probe.stderr.slice(-800)}`;

  // WordCount on a small file, to FINISHED (one slot is free: TopSpeedWindowing has 2 of... see slots).
  const wcJar = await rest('POST', '/jars/upload', undefined, `jarfile=@${flink.layers[1]}/opt/flink/examples/streaming/WordCount.jar;type=application/x-java-archive`);
  const wcJarId = String((wcJar.json as { filename: string }).filename).split('/').pop()!;
  // TopSpeedWindowing holds both slots; cancel it first so WordCount gets one.
  const cancel = await rest('PATCH', `/jobs/${jobId}?mode=cancel`);
  await record('job-cancel.json', 'PATCH /jobs/<TopSpeedWindowing id>?mode=cancel (HTTP 202)', cancel.json, `status ${cancel.status}`);
  await untilAnswers('TopSpeedWindowing CANCELED', 60_000, async () => ((await get(`/jobs/${jobId}`)).state === 'CANCELED' ? true : undefined));
  await record('job-canceled.json', 'GET /jobs/<TopSpeedWindowing id> after cancel', await get(`/jobs/${jobId}`));
  const wcStart = Date.now();
  const wcRun = await rest('POST', `/jars/${wcJarId}/run`, {
    entryClass: 'org.apache.flink.streaming.examples.wordcount.WordCount',
    parallelism: 1,
    programArgsList: ['--input', '/shared/data/input.txt', '--output', '/shared/data/wordcount-out'],
  });
  if (wcRun.status !== 200) throw new Error(`WordCount run failed: ${wcRun.status} ${JSON.stringify(wcRun.json)}`);
  const wcId = (wcRun.json as { jobid: string }).jobid;
  const wc = await untilAnswers('WordCount FINISHED', 120_000, async () => {
    const j = await get(`/jobs/${wcId}`);
    if (j.state === 'FAILED') throw new Error('WordCount FAILED');
    return j.state === 'FINISHED' ? j : undefined;
  });
  figures['WordCount run request → FINISHED'] = `${((Date.now() - wcStart) / 1000).toFixed(1)}s`;
  await record('job-finished-wordcount.json', 'GET /jobs/<WordCount id> (FINISHED)', wc);
  const out = await sh(`cat ${work}/shared/data/wordcount-out/*/* 2>/dev/null | sort | head -50`);
  log.info(`WordCount output (${out.stdout.split('\n').filter(Boolean).length} lines): ${out.stdout.replace(/\n/g, ' ').slice(0, 200)}`);
  if (!/\(to,4\)|\(the,\d\)/.test(out.stdout)) throw new Error(`unexpected WordCount output: ${out.stdout}`);

  // A job that fails: WordCount on a missing file, with restarts off (checkpointing implies endless
  // restarts otherwise), for an exception history with entries and a FAILED job.
  const failRun = await rest('POST', `/jars/${wcJarId}/run`, {
    entryClass: 'org.apache.flink.streaming.examples.wordcount.WordCount',
    parallelism: 1,
    programArgsList: ['--input', '/shared/data/missing.txt', '--output', '/shared/data/wordcount-missing'],
    flinkConfiguration: { 'restart-strategy.type': 'none' },
  });
  const failId = (failRun.json as { jobid?: string }).jobid;
  if (failId) {
    const state = await untilAnswers('failing WordCount FAILED (or restarting with exceptions)', 120_000, async () => {
      const j = await get(`/jobs/${failId}`);
      if (j.state === 'FAILED') return j.state as string;
      const ex = await get(`/jobs/${failId}/exceptions`);
      return ex.exceptionHistory.entries.length >= 2 ? (j.state as string) : undefined;
    });
    await record('job-exceptions-failed.json', `GET /jobs/<failed WordCount id>/exceptions (input file missing; job ${state})`, await get(`/jobs/${failId}/exceptions`));
    await record('job-failed.json', `GET /jobs/<failed WordCount id> (${state})`, await get(`/jobs/${failId}`));
    if (state !== 'FAILED') await rest('PATCH', `/jobs/${failId}?mode=cancel`);
  } else {
    await record('jars-run-error.json', 'POST /jars/<jarid>/run with a missing input file (error response)', failRun.json, `status ${failRun.status}`);
  }
  await record('jobs-overview.json', 'GET /jobs/overview (canceled TopSpeedWindowing, finished and failed WordCount)', await get('/jobs/overview'));

  // Log evidence from the console output (what kubectl logs would show).
  for (const [c, re] of [
    [jm, /Rest endpoint listening at/],
    [jm, /Completed checkpoint \d+ for job/],
    [tm, /Successful registration at resource manager/],
  ] as const) {
    if (!(await logHas(c, re))) throw new Error(`${c.id} log lacks ${re}`);
  }
  const jmLog = await readFile(jm.logFile, 'utf8');
  const jvm = /-Xmx\d+ -Xms\d+ -XX:MaxMetaspaceSize=\d+/.exec(jmLog);
  log.info(`JobManager JVM memory flags from BashJavaUtils: ${jvm?.[0] ?? '(not in log)'}`);
  await stopContainer(tm);
  await stopContainer(jm);
  containers.splice(0);

  // Operator: the JVM starts and reaches the point where it needs the Kubernetes API.
  const opStart = Date.now();
  const op = await startContainer('sc-operator', operator, ['operator'], {
    hostname: 'flink-kubernetes-operator',
    env: ['KUBERNETES_SERVICE_HOST=127.0.0.1', 'KUBERNETES_SERVICE_PORT=6443', 'OPERATOR_NAMESPACE=default', 'OPERATOR_NAME=flink-kubernetes-operator'],
  });
  // It logs its start, registers the controllers, then its informers call the API server (there is
  // none in this network namespace: 127.0.0.1:6443 refuses) and fail.
  const opEvidence = /Connection refused|Failed to connect|KubernetesClientException|Error starting|Exception in thread "main"/;
  await untilAnswers('operator reaching for the Kubernetes API', 150_000, async () => ((await logHas(op, opEvidence)) ? true : undefined));
  figures['operator JVM start → failed API contact'] = `${((Date.now() - opStart) / 1000).toFixed(1)}s`;
  const opLog = await readFile(op.logFile, 'utf8');
  const evidence = opLog.split('\n').filter((l) => /Starting Flink Kubernetes Operator|Registered reconciler|starting\.\.\.|refused|Failed|Exception/.test(l));
  log.info(`operator log (selected lines):\n${evidence.slice(0, 12).map((l) => l.slice(0, 300)).join('\n')}`);

  log.info(`figures: ${JSON.stringify(figures, null, 2)}`);
  if (recordDir) {
    await writeFile(join(work, 'figures.json'), JSON.stringify({ figures, recorded, jobId, wcId }, null, 2));
    await writeFile(join(recordDir, 'README.md'), fixturesReadme(images.versions.flink));
  }
}

try {
  await main();
} finally {
  if (!keep) await cleanup();
  else log.warn(`--keep: containers ${containers.map((c) => c.id).join(', ')} and netns ${NETNS} left running`);
}
if (recordDir && recorded.length) log.info(`recorded ${recorded.length} responses into ${recordDir}`);
process.stdout.write(`${JSON.stringify(recorded, null, 2)}\n`);
