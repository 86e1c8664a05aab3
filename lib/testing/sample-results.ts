// A realistic RunResult for tests of anything that reads results.json: one run over every suite, with
// the figures each suite records in real runs, so that every chart of report.html has data:
// 04's HA timeline (events + measurements per variant), 05's replicas/parallelism/CPU series per
// scenario, 06's duration per parallelism, 08's write count and rate, 09's chaos experiments.
// 09 fails with evidence (so the run fails), 10 is skipped with a reason, 06 and 07 skip one check each.
// Each call returns a fresh copy, so a test may mutate it freely.
import type { ChaosExperiment, Measurement, RunResult, Series, SuiteResult, TimelineEvent } from '../results/model.ts';

/** Characters that break naive XML/HTML writers: markup, quotes, ampersand, controls, a lone surrogate. */
export const HOSTILE_TEXT = `expected <ready> & "Running" but saw 'Pending' </failure><script>alert(1)</script>\u0000\u0007\u001b[31m\uD800 end`;

/** The check of the sample that failed, and where its evidence is. */
export const SAMPLE_FAILURE = {
  suite: '09-chaos',
  check: 'writes continue while a Cassandra pod is deleted',
  reason: 'expected writes within 30 s of the fault, saw none for 42.0 s (probe "writes continue", phase during); 1 of 3 probes failed',
  evidence: 'evidence/09-chaos/writes-continue-while-a-cassandra-pod-is-deleted',
} as const;

/** The sample's suite with this id (throws when absent, so a test fails loudly). */
export function sampleSuite(result: RunResult, id: string): SuiteResult {
  const suite = result.suites.find((s) => s.id === id);
  if (!suite) throw new Error(`sample has no suite ${id}`);
  return suite;
}

const t = (base: string, plusSeconds: number) => new Date(Date.parse(base) + plusSeconds * 1000).toISOString();

function haVariant(variant: string, killedAt: string, ready: number, running: number, checkpoint: number) {
  const labels = { variant };
  const measurements: Measurement[] = [
    { name: 'checkpointBeforeKill', value: 7, unit: 'id', at: t(killedAt, -5), check: 'the job runs with Kubernetes HA and has a completed checkpoint', labels },
    { name: 'timeToNewJobManagerReady', value: ready, unit: 's', at: t(killedAt, ready), check: 'a new JobManager becomes Ready after the kill', labels },
    { name: 'rto', value: running, unit: 's', at: t(killedAt, running), check: 'the same job id is RUNNING again', labels },
    { name: 'restoredCheckpoint', value: 7, unit: 'id', at: t(killedAt, running + 1), check: 'it restored from the latest completed checkpoint and checkpoints again', labels },
    { name: 'timeToFirstNewCheckpoint', value: checkpoint, unit: 's', at: t(killedAt, checkpoint), check: 'it restored from the latest completed checkpoint and checkpoints again', labels },
    { name: 'firstNewCheckpoint', value: 8, unit: 'id', at: t(killedAt, checkpoint), check: 'it restored from the latest completed checkpoint and checkpoints again', labels },
  ];
  const events: TimelineEvent[] = [
    { name: 'jobmanager-killed', at: killedAt, labels },
    { name: 'jobmanager-ready', at: t(killedAt, ready), labels },
    { name: 'job-running', at: t(killedAt, running), labels },
    { name: 'first-new-checkpoint', at: t(killedAt, checkpoint), labels },
  ];
  return { measurements, events };
}

function series(name: string, unit: string, labels: Record<string, string> | undefined, start: string, points: [number, number][]): Series {
  return { name, unit, ...(labels ? { labels } : {}), points: points.map(([s, value]) => ({ at: t(start, s), value })) };
}

/** 08: 3 minutes of writes every 5 s at about 120/s, dipping while a TaskManager restarts. */
function writeSeries(start: string): Series[] {
  const rate: [number, number][] = [];
  const count: [number, number][] = [];
  let total = 0;
  for (let s = 0; s <= 180; s += 5) {
    const perSecond = s === 0 ? 0 : s >= 90 && s < 105 ? 35 + (s - 90) * 4 : 118 + ((s * 7) % 11);
    total += perSecond * 5;
    rate.push([s, perSecond]);
    count.push([s, total]);
  }
  return [series('writeCount', 'count', undefined, start, count), series('writesPerSecond', '1/s', undefined, start, rate)];
}

function experiment(name: string, target: string, startedAt: string, probes: [string, 'before' | 'during' | 'after', boolean, string][]): ChaosExperiment {
  const passed = probes.filter(([, , ok]) => ok).length;
  return {
    name,
    target,
    verdict: passed === probes.length ? 'Pass' : 'Fail',
    resiliencyScore: Math.round((passed / probes.length) * 10_000) / 100,
    startedAt,
    faultAt: t(startedAt, 20),
    finishedAt: t(startedAt, 150),
    probes: probes.map(([probe, phase, ok, detail], i) => ({ name: probe, phase, passed: ok, at: t(startedAt, [5, 60, 140][i] ?? 140), detail })),
  };
}

export function sampleRunResult(): RunResult {
  const ha = [haVariant('application', '2025-06-12T10:18:00.000Z', 21.4, 35.9, 47.2), haVariant('session', '2025-06-12T10:21:00.000Z', 19.8, 41.3, 52.6)];
  return {
    schemaVersion: 1,
    runId: '20250612-101500-a1b2',
    profile: 'default',
    startedAt: '2025-06-12T10:15:00.000Z',
    finishedAt: '2025-06-12T10:58:31.500Z',
    verdict: 'failed',
    environment: {
      capturedAt: '2025-06-12T10:15:01.200Z',
      target: 'lab',
      kubernetesVersion: 'v1.31.4',
      nodeCount: 3,
      operatorVersion: '1.12.1',
      flinkVersion: '1.20.1',
      cassandraVersion: '4.1.8',
      details: { platform: 'linux/amd64', storageClasses: 'standard,rwx-nfs', context: 'kind-streamcert' },
    },
    config: { profile: 'default', cassandra: { superuserSecret: '***' }, suites: ['01', '04', '05', '06', '07', '08', '09', '10'] },
    suites: [
      {
        id: '01-platform',
        title: 'Operators installed and serving',
        verdict: 'passed',
        needs: [],
        namespace: 'streamcert-01',
        startedAt: '2025-06-12T10:15:02.000Z',
        durationMs: 94_310,
        checks: [
          { name: 'flink operator Deployment available', verdict: 'passed', startedAt: '2025-06-12T10:15:02.000Z', durationMs: 48_120 },
          { name: 'FlinkDeployment CRD served', verdict: 'passed', startedAt: '2025-06-12T10:15:50.120Z', durationMs: 310 },
          { name: 'k8ssandra operator Deployment available', verdict: 'passed', startedAt: '2025-06-12T10:15:50.430Z', durationMs: 45_880 },
        ],
        measurements: [
          { name: 'operatorAvailable', value: 48.1, unit: 's', at: '2025-06-12T10:15:50.120Z', check: 'flink operator Deployment available', labels: { operator: 'flink' } },
          { name: 'operatorAvailable', value: 45.9, unit: 's', at: '2025-06-12T10:16:36.310Z', check: 'k8ssandra operator Deployment available', labels: { operator: 'k8ssandra' } },
          { name: 'apiLatency', value: 4, unit: 'ms', at: '2025-06-12T10:15:02.004Z' },
        ],
        series: [
          series('readyReplicas', 'count', { deployment: 'flink-kubernetes-operator' }, '2025-06-12T10:15:02.000Z', [
            [0, 0],
            [28, 0],
            [48, 1],
          ]),
        ],
        events: [{ name: 'operator Ready', at: '2025-06-12T10:15:50.000Z', labels: { operator: 'flink' } }],
      },
      {
        id: '04-jobmanager-ha',
        title: 'JobManager high availability',
        verdict: 'passed',
        needs: ['01-platform'],
        namespace: 'streamcert-04',
        startedAt: '2025-06-12T10:16:40.000Z',
        durationMs: 362_000,
        checks: ['application', 'session'].flatMap((v) => [
          { name: `${v}: the job runs with Kubernetes HA and has a completed checkpoint`, verdict: 'passed' as const, durationMs: 61_000 },
          { name: `${v}: a new JobManager becomes Ready after the kill`, verdict: 'passed' as const, durationMs: 20_500 },
          { name: `${v}: the same job id is RUNNING again`, verdict: 'passed' as const, durationMs: 17_000 },
          { name: `${v}: it restored from the latest completed checkpoint and checkpoints again`, verdict: 'passed' as const, durationMs: 11_900 },
        ]),
        measurements: ha.flatMap((v) => v.measurements),
        series: [],
        events: ha.flatMap((v) => v.events),
      },
      {
        id: '05-reactive-scaling',
        title: 'Reactive scaling and HPA',
        verdict: 'passed',
        needs: ['01-platform'],
        namespace: 'streamcert-05',
        startedAt: '2025-06-12T10:22:50.000Z',
        durationMs: 338_000,
        checks: [
          { name: 'a reactive standalone application job runs on one TaskManager with all its slots', verdict: 'passed', durationMs: 52_000 },
          { name: 'scaling the TaskManagers 1 → 3 raises the job parallelism to the slots available', verdict: 'passed', durationMs: 31_200 },
          { name: 'scaling the TaskManagers 3 → 1 lowers it again', verdict: 'passed', durationMs: 28_400 },
          { name: 'an HPA (CPU 20%) adds TaskManagers under real load and parallelism follows', verdict: 'passed', durationMs: 182_000 },
        ],
        measurements: [
          { name: 'rescaleTime', value: 31.2, unit: 's', at: '2025-06-12T10:24:31.000Z', labels: { to: '3' } },
          { name: 'rescaleTime', value: 28.4, unit: 's', at: '2025-06-12T10:25:38.000Z', labels: { to: '1' } },
          { name: 'hpaScaleUpTime', value: 95.3, unit: 's', at: '2025-06-12T10:27:35.000Z' },
          { name: 'hpaReplicas', value: 5, unit: 'count', at: '2025-06-12T10:27:35.000Z' },
        ],
        series: [
          series('taskManagerReplicas', 'count', { scenario: 'kubectl-scale' }, '2025-06-12T10:23:30.000Z', [[0, 1], [30, 3], [100, 1]]),
          series('jobParallelism', 'count', { scenario: 'kubectl-scale' }, '2025-06-12T10:23:30.000Z', [[10, 2], [61, 6], [128, 2]]),
          series('taskManagerReplicas', 'count', { scenario: 'hpa' }, '2025-06-12T10:26:00.000Z', [[0, 1], [30, 1], [60, 2], [95, 4], [125, 5], [170, 5]]),
          series('jobParallelism', 'count', { scenario: 'hpa' }, '2025-06-12T10:26:00.000Z', [[0, 2], [78, 4], [118, 8], [150, 10]]),
          series('cpuUtilization', '%', { scenario: 'hpa' }, '2025-06-12T10:26:00.000Z', [[0, 5], [30, 62], [60, 88], [95, 71], [125, 45], [170, 38]]),
        ],
        events: [
          { name: 'scale-to-3', at: '2025-06-12T10:24:00.000Z' },
          { name: 'scale-to-1', at: '2025-06-12T10:25:10.000Z' },
        ],
      },
      {
        id: '06-wordcount-sweep',
        title: 'WordCount parallelism sweep',
        verdict: 'passed',
        needs: ['01-platform'],
        namespace: 'streamcert-06',
        startedAt: '2025-06-12T10:28:30.000Z',
        durationMs: 270_000,
        checks: [
          { name: 'a session cluster with 2 TaskManagers is ready', verdict: 'passed', durationMs: 64_000 },
          { name: 'WordCount at parallelism 1 finishes with the right counts', verdict: 'passed', durationMs: 50_100 },
          { name: 'WordCount at parallelism 2 finishes with the right counts', verdict: 'passed', durationMs: 29_800 },
          { name: 'WordCount at parallelism 4 finishes with the right counts', verdict: 'passed', durationMs: 19_300 },
          { name: 'WordCount at parallelism 8 finishes with the right counts', verdict: 'skipped', reason: 'capped: the session cluster has 4 slots', durationMs: 0 },
        ],
        measurements: [
          { name: 'slotsTotal', value: 4, unit: 'count', at: '2025-06-12T10:29:34.000Z' },
          { name: 'duration', value: 48.2, unit: 's', at: '2025-06-12T10:31:10.000Z', labels: { parallelism: '1' } },
          { name: 'duration', value: 27.9, unit: 's', at: '2025-06-12T10:31:40.000Z', labels: { parallelism: '2' } },
          { name: 'duration', value: 17.6, unit: 's', at: '2025-06-12T10:32:00.000Z', labels: { parallelism: '4' } },
          { name: 'fastestParallelism', value: 4, unit: 'count', at: '2025-06-12T10:32:01.000Z', labels: { seconds: '17.6' } },
        ],
        series: [series('wordCountDuration', 's', undefined, '2025-06-12T10:31:10.000Z', [[0, 48.2], [30, 27.9], [50, 17.6]])],
        events: [],
      },
      {
        id: '07-k8ssandra',
        title: 'K8ssandra cluster ready and reachable over CQL',
        verdict: 'passed',
        needs: [],
        namespace: 'streamcert-07',
        startedAt: '2025-06-12T10:33:00.000Z',
        durationMs: 474_500,
        checks: [
          { name: 'CassandraDatacenter DatacenterReady', verdict: 'passed', startedAt: '2025-06-12T10:33:00.000Z', durationMs: 412_000 },
          { name: 'CQL login with the superuser secret', verdict: 'passed', startedAt: '2025-06-12T10:39:52.000Z', durationMs: 2_300 },
          { name: 'Stargate service present', verdict: 'skipped', reason: 'Stargate is optional and disabled in this profile', durationMs: 0 },
        ],
        measurements: [{ name: 'datacenterReady', value: 412, unit: 's', at: '2025-06-12T10:39:52.000Z', check: 'CassandraDatacenter DatacenterReady', labels: { size: '3' } }],
        series: [],
        events: [{ name: 'DatacenterReady', at: '2025-06-12T10:39:52.000Z' }],
      },
      {
        id: '08-flink-to-cassandra',
        title: 'Flink to Cassandra pipeline',
        verdict: 'passed',
        needs: ['01-platform', '07-k8ssandra'],
        namespace: 'streamcert-08',
        startedAt: '2025-06-12T10:41:00.000Z',
        durationMs: 300_000,
        checks: [
          { name: 'TopSpeedWindowing writes to example.topspeeds', verdict: 'passed', durationMs: 70_000 },
          { name: 'the table write count grows', verdict: 'passed', durationMs: 180_000 },
          { name: 'Flink and Cassandra counts reconcile', verdict: 'passed', durationMs: 12_000 },
        ],
        measurements: [{ name: 'p99LocalWriteLatency', value: 1.84, unit: 'ms', at: '2025-06-12T10:45:10.000Z' }],
        series: writeSeries('2025-06-12T10:42:10.000Z'),
        events: [],
      },
      {
        id: SAMPLE_FAILURE.suite,
        title: 'Chaos experiments',
        verdict: 'failed',
        reason: `${SAMPLE_FAILURE.check}: ${SAMPLE_FAILURE.reason}`,
        needs: ['08-flink-to-cassandra'],
        namespace: 'streamcert-09',
        startedAt: '2025-06-12T10:46:00.000Z',
        durationMs: 690_000,
        checks: [
          { name: 'a TaskManager pod kill loses no acknowledged write', verdict: 'passed', durationMs: 150_000 },
          { name: 'a JobManager pod kill loses no acknowledged write', verdict: 'passed', durationMs: 150_000 },
          { name: SAMPLE_FAILURE.check, verdict: 'failed', reason: SAMPLE_FAILURE.reason, startedAt: '2025-06-12T10:51:00.000Z', durationMs: 150_000, evidence: SAMPLE_FAILURE.evidence },
        ],
        measurements: [],
        series: [],
        events: [],
        experiments: [
          experiment('taskmanager-pod-delete', 'pod streamcert-09/pipeline-taskmanager-1-1', '2025-06-12T10:46:00.000Z', [
            ['job RUNNING', 'before', true, 'job RUNNING'],
            ['writes continue', 'during', true, 'writes 96/s'],
            ['counts reconcile', 'after', true, 'flink 21 480 = cassandra 21 480'],
          ]),
          experiment('jobmanager-pod-delete', 'pod streamcert-09/pipeline-5d9c7f-jm', '2025-06-12T10:48:30.000Z', [
            ['job RUNNING', 'before', true, 'job RUNNING'],
            ['writes continue', 'during', true, 'writes 81/s'],
            ['counts reconcile', 'after', true, 'flink 39 120 = cassandra 39 120'],
          ]),
          experiment('cassandra-pod-delete', 'pod streamcert-09/demo-dc1-default-sts-0', '2025-06-12T10:51:00.000Z', [
            ['job RUNNING', 'before', true, 'job RUNNING'],
            ['writes continue', 'during', false, 'no write for 42.0 s (threshold 30 s)'],
            ['counts reconcile', 'after', true, 'flink 52 300 = cassandra 52 300'],
          ]),
        ],
      },
      {
        id: '10-monitoring',
        title: 'Monitoring',
        verdict: 'skipped',
        reason: 'no Prometheus answered at monitoring/prometheus:9090 (Service not found)',
        needs: ['01-platform'],
        durationMs: 0,
        checks: [
          { name: 'Prometheus scrapes Flink job metrics', verdict: 'skipped', reason: 'no Prometheus answered at monitoring/prometheus:9090 (Service not found)', durationMs: 0 },
          { name: 'Grafana datasource healthy', verdict: 'skipped', reason: 'no Prometheus answered at monitoring/prometheus:9090 (Service not found)', durationMs: 0 },
        ],
        measurements: [],
        series: [],
        events: [],
      },
    ],
  };
}
