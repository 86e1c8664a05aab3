// A realistic RunResult for tests of anything that reads results.json: one suite that passed with
// figures (incl. a Series), one that failed with evidence, one skipped because its prerequisite failed.
// Each call returns a fresh copy, so a test may mutate it freely.
import type { RunResult } from '../results/model.ts';

/** Characters that break naive XML/HTML writers: markup, quotes, ampersand, controls, a lone surrogate. */
export const HOSTILE_TEXT = `expected <ready> & "Running" but saw 'Pending' </failure><script>alert(1)</script>\u0000\u0007\u001b[31m\uD800 end`;

export function sampleRunResult(): RunResult {
  return {
    schemaVersion: 1,
    runId: '20250612-101500-a1b2',
    profile: 'default',
    startedAt: '2025-06-12T10:15:00.000Z',
    finishedAt: '2025-06-12T10:24:31.500Z',
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
    config: { profile: 'default', cassandra: { superuserSecret: '***' }, suites: ['01', '07', '08'] },
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
          { name: 'k8ssandra operator Deployment available', verdict: 'passed', startedAt: '2025-06-12T10:15:50.430Z', durationMs: 45_880, evidence: 'evidence/01-platform/k8ssandra-operator-deployment-available' },
        ],
        measurements: [
          { name: 'operatorAvailable', value: 48.1, unit: 's', at: '2025-06-12T10:15:50.120Z', check: 'flink operator Deployment available', labels: { operator: 'flink' } },
          { name: 'operatorAvailable', value: 45.9, unit: 's', at: '2025-06-12T10:16:36.310Z', check: 'k8ssandra operator Deployment available', labels: { operator: 'k8ssandra' } },
        ],
        series: [
          {
            name: 'readyReplicas',
            unit: 'count',
            labels: { deployment: 'flink-kubernetes-operator' },
            points: [
              { at: '2025-06-12T10:15:02.000Z', value: 0 },
              { at: '2025-06-12T10:15:30.000Z', value: 0 },
              { at: '2025-06-12T10:15:50.000Z', value: 1 },
            ],
          },
        ],
        events: [{ name: 'operator Ready', at: '2025-06-12T10:15:50.000Z', labels: { operator: 'flink' } }],
      },
      {
        id: '07-k8ssandra',
        title: 'K8ssandra cluster ready and reachable over CQL',
        verdict: 'failed',
        needs: ['01-platform'],
        namespace: 'streamcert-07',
        startedAt: '2025-06-12T10:16:37.000Z',
        durationMs: 474_500,
        checks: [
          { name: 'CassandraDatacenter DatacenterReady', verdict: 'passed', startedAt: '2025-06-12T10:16:37.000Z', durationMs: 412_000 },
          {
            name: 'CQL login with the superuser secret',
            verdict: 'failed',
            reason:
              'expected a CQL session as user "demo-superuser", saw AuthenticationError: Provided username demo-superuser and/or password are incorrect (after 5 tries in 60 s)',
            startedAt: '2025-06-12T10:23:29.000Z',
            durationMs: 60_500,
            evidence: 'evidence/07-k8ssandra/cql-login-with-the-superuser-secret',
          },
          {
            name: 'Stargate service present',
            verdict: 'skipped',
            reason: 'Stargate is optional and disabled in this profile',
            durationMs: 0,
          },
        ],
        measurements: [{ name: 'datacenterReady', value: 412, unit: 's', at: '2025-06-12T10:23:29.000Z', check: 'CassandraDatacenter DatacenterReady', labels: { size: '3' } }],
        series: [],
        events: [{ name: 'DatacenterReady', at: '2025-06-12T10:23:29.000Z' }],
      },
      {
        id: '08-cassandra-sink',
        title: 'TopSpeedWindowing writes example.topspeeds',
        verdict: 'skipped',
        reason: 'needs 07-k8ssandra, which failed',
        needs: ['07-k8ssandra'],
        durationMs: 0,
        checks: [
          { name: 'job RUNNING', verdict: 'skipped', reason: 'needs 07-k8ssandra, which failed', durationMs: 0 },
          { name: 'write count grows', verdict: 'skipped', reason: 'needs 07-k8ssandra, which failed', durationMs: 0 },
        ],
        measurements: [],
        series: [],
        events: [],
      },
    ],
  };
}
