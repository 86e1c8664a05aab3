// A run must never break the cluster it tests: each problem found when streamcert was tried as a new
// user would, reproduced on the lab, now refused or repaired. The messages asserted here are the
// ones a user sees.
import type { V1Pod } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { apply, deleteAndWait, list, read, type K8sObject } from '../k8s/objects.ts';
import { kinds } from '../k8s/resources.ts';
import { watched } from '../k8s/wait.ts';
import { labCluster, labPaths } from '../lab/index.ts';
import { managedByLabel, managedByValue, runIdLabel } from '../run/context.ts';
import { cleanupRun } from '../run/cleanup.ts';
import { findOperatorDeployment } from '../run/preflight.ts';
import { failures, streamcert, suiteOf } from './streamcert.ts';
import { Deadline, until } from '../util/until.ts';

const streamcertNamespaces = async () =>
  (await list<K8sObject>(await labCluster(), kinds.Namespace, { labelSelector: `${managedByLabel}=${managedByValue}` })).map((n) => n.metadata.name).sort();

describe('never break the platform under test', () => {
  it('a flinkVersion the operator cannot parse is refused before anything is applied (exit 3)', async () => {
    const before = await streamcertNamespaces();
    // As the issue found it: a cluster target (no lab default), so flinkVersion defaults to v1_20.
    const run = await streamcert(['run', '--target', 'cluster', '--kubeconfig', labPaths.kubeconfig, '--suite', '03']);
    expect(run.exitCode, run.stderr.slice(-2000)).toBe(3);
    expect(run.stderr).toContain(
      'Flink operator 1.7.0 cannot parse spec.flinkVersion v1_20 (it knows v1_13, v1_14, v1_15, v1_16, v1_17, v1_18, v1_19): set flink.flinkVersion to one of those (the value was the default)',
    );
    expect(run.stderr).toMatch(/version from its label app\.kubernetes\.io\/version\]\nnothing was applied/);
    expect(await streamcertNamespaces()).toEqual(before);
  });

  // The next three keep to their own run's objects (that is what they show): two at a time. The first
  // compares every streamcert namespace before and after, and the last takes the operator down for
  // everyone, so those two run alone.
  it.concurrent('a K8ssandraCluster is not created in a namespace the run does not own (exit 3, nothing created)', async () => {
    const run = await streamcert(['run', '--suite', '07', '--set', 'namespaces.cassandra=kube-system']);
    expect(run.exitCode, run.stderr.slice(-2000)).toBe(3);
    expect(run.stderr).toContain(
      'refusing to create K8ssandraCluster demo (shared by 07, 08, 09) in namespace kube-system: this run does not own that namespace and namespaces.allowCreate does not list it',
    );
    expect(await list<K8sObject>(await labCluster(), kinds.K8ssandraCluster, { namespace: 'kube-system' })).toEqual([]);
  });

  it.concurrent('in a namespace the config allows, the run deletes what it created there and nothing it found', async () => {
    const cluster = await labCluster();
    const ns = 'team-cassandra';
    await apply(cluster, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
    await apply(cluster, { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'team-secret', namespace: ns }, stringData: { k: 'v' } } as K8sObject);
    try {
      const run = await streamcert(['run', '--suite', '07', '--set', `namespaces.cassandra=${ns}`, '--set', `namespaces.allowCreate=[${ns}]`]);
      expect(run.exitCode, failures(suiteOf(run, '07-k8ssandra'))).toBe(0);
      expect(await list<K8sObject>(cluster, kinds.K8ssandraCluster, { namespace: ns }), 'the run-created K8ssandraCluster').toEqual([]);
      expect(await read(cluster, kinds.Secret, 'demo-superuser', ns), "the operator's superuser secret for it").toBeUndefined();
      expect(await read(cluster, kinds.Secret, 'team-secret', ns), 'what the run found').toBeDefined();
      expect(await read(cluster, kinds.Namespace, ns), 'the namespace the run found').toBeDefined();
      expect(run.stderr).toMatch(new RegExp(`cleanup: deleting K8ssandraCluster ${ns}/demo`));
    } finally {
      await deleteAndWait(cluster, kinds.Namespace, ns, undefined, 180_000);
    }
  });

  it.concurrent('two runs at once (a nightly run and an ad-hoc one) each keep to their own objects, and both verdicts are right', async () => {
    const [nightly, adhoc] = await Promise.all([streamcert(['run', '--suite', '03']), streamcert(['run', '--suite', '02'])]);
    expect(suiteOf(nightly, '03-session-mode').verdict, failures(suiteOf(nightly, '03-session-mode'))).toBe('passed');
    expect(suiteOf(adhoc, '02-application-mode').verdict, failures(suiteOf(adhoc, '02-application-mode'))).toBe('passed');
    expect([nightly.exitCode, adhoc.exitCode]).toEqual([0, 0]);
    const ids = [nightly.result!.runId, adhoc.result!.runId];
    expect(ids[0]).not.toBe(ids[1]);
    for (const [run, other] of [[nightly, ids[1]], [adhoc, ids[0]]] as const) {
      // Each run's cleanup named only its own run's objects.
      const deleted = [...run.stderr.matchAll(/cleanup: deleting \S+ (\S+) \(run (\S+)\)/g)].map((m) => m[2]);
      expect(deleted).not.toContain(other);
      expect(run.stderr).not.toContain(`sc-${other}-`);
    }
    const cluster = await labCluster();
    for (const id of ids) expect(await list<K8sObject>(cluster, kinds.Namespace, { labelSelector: `${runIdLabel}=${id}` }), `left by run ${id}`).toEqual([]);
    process.stderr.write(`two runs at once: 03 in ${nightly.seconds.toFixed(0)} s, 02 in ${adhoc.seconds.toFixed(0)} s\n`);
  });

  it('a crash-looping operator ends a Flink wait at once with its error, and cleanup needs only the API server', async () => {
    const cluster = await labCluster();
    const operatorNs = 'flink-operator';
    let runId: string | undefined;
    try {
      // The fault lets v1_20 past preflight, as an operator-unaware tool would apply it.
      const run = await streamcert(['run', '--suite', '02', '--set', 'flink.flinkVersion=v1_20', '--keep'], {
        env: { STREAMCERT_SELFTEST_FAULTS: 'operator-compat-unchecked' },
      });
      runId = run.result?.runId;
      const suite = suiteOf(run, '02-application-mode');
      expect(run.exitCode).toBe(1);
      const reason = suite.checks[0]!.reason ?? '';
      // Operator 1.7 stays up but not Ready (the kubelet's liveness probe restarts it every ~90 s).
      expect(reason).toMatch(/Flink operator (crash-looping \(.*\)|NOT Ready for \d+ s): nothing is reconciled while it is down; its log: .*Cannot deserialize/);
      expect(reason).toMatch(/FlinkVersion/);
      expect(reason).toMatch(/v1_20/);
      expect(reason).not.toMatch(/timed out/);
      process.stderr.write(`crash-looping operator noticed after ${suite.checks[0]!.durationMs / 1000} s: ${reason}\n`);
      expect(run.result?.environment?.details?.['selftestFaults']).toBe('operator-compat-unchecked');

      // The kept FlinkDeployment keeps the operator down; cleanup must still remove it.
      const cleanup = await streamcert(['cleanup', '--run', runId!], { timeoutMs: 5 * 60_000 });
      expect(cleanup.exitCode, cleanup.stderr.slice(-2000)).toBe(0);
      expect(cleanup.stderr).not.toMatch(/Available|bringing it up/);
      expect(await list<K8sObject>(cluster, kinds.Namespace, { labelSelector: `${runIdLabel}=${runId}` })).toEqual([]);
    } finally {
      // Whatever failed above, the object that keeps the operator down must go before it can recover.
      if (runId) await cleanupRun(cluster, runId);
      // Back to a healthy operator for whatever runs next: a new pod starts without the crash back-off.
      const operator = await findOperatorDeployment(cluster, operatorNs);
      const selector = Object.entries(operator?.spec?.selector.matchLabels ?? {}).map(([k, v]) => `${k}=${v}`).join(',');
      await cluster.core.deleteCollectionNamespacedPod({ namespace: operatorNs, labelSelector: selector });
      await until(
        watched(
          cluster,
          { kind: kinds.Pod, namespace: operatorNs, labelSelector: selector },
          {
            description: 'a fresh Flink operator pod to be Ready',
            check: (pods: (K8sObject & V1Pod)[]) =>
              pods.length > 0 &&
              pods.every((p) => !p.metadata?.deletionTimestamp && p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'))
                ? true
                : undefined,
          },
        ),
        Deadline.in(180_000),
      );
    }
  });
});
