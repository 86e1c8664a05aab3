// 01's platform checks, each shown to fail on the lab when its property is broken for real: a node
// that never became Ready, an operator webhook with nobody behind it, a webhook without cert-manager,
// a RWX class that is not there, the metrics API down, a CRD version not served, an identity that
// lacks a permission. Several of these are cluster-wide (a Node,
// a webhook configuration, an APIService), so these runs go one at a time, in a file of their own
// (lab test files never run side by side), and each sabotage is undone in `finally`.
import { readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { stringify, parse } from 'yaml';
import { apply, deleteAndWait, type K8sObject } from '../k8s/objects.ts';
import { kinds } from '../k8s/resources.ts';
import { labPaths } from '../lab/paths.ts';
import { labCluster } from '../lab/testing.ts';
import { requiredPermissions } from '../suite/permissions.ts';
import { failures, streamcert, suiteOf } from './streamcert.ts';

const selftest = { 'streamcert.io/selftest': 'platform-checks' };

/** A failed 01 run's one failing check and its reason (01 stops at its first failure). */
async function run01(args: string[], env?: NodeJS.ProcessEnv): Promise<{ check: string; reason: string; exitCode: number }> {
  const run = await streamcert(['run', '--suite', '01', ...args], { env });
  const suite = suiteOf(run, '01-platform');
  const failed = suite.checks.filter((c) => c.verdict === 'failed');
  expect(failed.length, `01 should fail exactly one check; failed:\n${failures(suite)}`).toBe(1);
  process.stderr.write(`01 control (${args.join(' ') || env?.STREAMCERT_SELFTEST_FAULTS}): ${run.seconds.toFixed(0)} s: ${failed[0]!.name}: ${failed[0]!.reason}\n`);
  return { check: failed[0]!.name, reason: failed[0]!.reason ?? '', exitCode: run.exitCode };
}

/** An operator-style webhook covering flink.apache.org that can never be called: it selects no object, and is ignored on failure. */
function inertWebhook(name: string, service: { namespace: string; name: string }): K8sObject {
  return {
    apiVersion: 'admissionregistration.k8s.io/v1',
    kind: 'ValidatingWebhookConfiguration',
    metadata: { name, labels: selftest },
    webhooks: [
      {
        name: `${name}.selftest.streamcert.io`,
        clientConfig: { service: { ...service, port: 443, path: '/validate' } },
        rules: [{ apiGroups: ['flink.apache.org'], apiVersions: ['*'], resources: ['flinkdeployments'], operations: ['CREATE'] }],
        objectSelector: { matchLabels: { 'streamcert.io/selftest-webhook': 'never-set' } },
        failurePolicy: 'Ignore',
        sideEffects: 'None',
        admissionReviewVersions: ['v1'],
      },
    ],
  } as K8sObject;
}

describe('01 platform checks, each broken for real on the lab', () => {
  it('a node registered that never became Ready fails "nodes are Ready", naming it', async () => {
    const cluster = await labCluster();
    const name = 'streamcert-selftest-ghost';
    // A Node object with no kubelet behind it: it never reports Ready. Tainted and unschedulable, so
    // no pod of a concurrent run could land there.
    await apply(cluster, {
      apiVersion: 'v1',
      kind: 'Node',
      metadata: { name, labels: selftest },
      spec: { unschedulable: true, taints: [{ key: 'streamcert.io/selftest', value: 'ghost', effect: 'NoExecute' }] },
    } as K8sObject);
    try {
      const { check, reason, exitCode } = await run01([]);
      expect(exitCode).toBe(1);
      expect(check).toBe('nodes are Ready');
      expect(reason).toMatch(new RegExp(`^1 of 2 nodes not Ready: ${name} \\((no Ready condition|Ready=Unknown)`));
    } finally {
      await deleteAndWait(cluster, kinds.Node, name, undefined, 60_000);
    }
  });

  it('an operator webhook with no ready endpoint fails "the operator webhook answers", naming its Service', async () => {
    const cluster = await labCluster();
    const name = 'streamcert-selftest-dead-webhook';
    await apply(cluster, inertWebhook(name, { namespace: 'default', name: 'streamcert-selftest-absent' }));
    try {
      const { check, reason } = await run01([]);
      expect(check).toBe('the operator webhook answers when enabled');
      expect(reason).toContain(`webhook ${name}.selftest.streamcert.io: Service default/streamcert-selftest-absent has no ready endpoints`);
    } finally {
      await deleteAndWait(cluster, kinds.ValidatingWebhookConfiguration, name, undefined, 60_000);
    }
  });

  it('an operator webhook that answers, without cert-manager, fails "cert-manager is present"', async () => {
    const cluster = await labCluster();
    const name = 'streamcert-selftest-webhook';
    // The API server's own Service has a ready endpoint: the webhook check passes, the next one cannot.
    await apply(cluster, inertWebhook(name, { namespace: 'default', name: 'kubernetes' }));
    try {
      const { check, reason } = await run01([]);
      expect(check).toBe('cert-manager is present when the webhook needs it');
      expect(reason).toMatch(/^the operator has 1 webhook\(s\) but cert-manager is not installed: CustomResourceDefinition certificates\.cert-manager\.io does not exist/);
    } finally {
      await deleteAndWait(cluster, kinds.ValidatingWebhookConfiguration, name, undefined, 60_000);
    }
  });

  it('a RWX StorageClass that is not there fails naming it and the classes there are', async () => {
    const { check, reason } = await run01(['--set', 'flink.rwxStorageClass=streamcert-selftest-nfs']);
    expect(check).toBe('a ReadWriteMany StorageClass exists for HA storage');
    expect(reason).toMatch(/^configured flink\.rwxStorageClass "streamcert-selftest-nfs" does not exist; classes: .*lab-rwx \(streamcert\.io\/lab-hostpath\)/);
  });

  it('the metrics API down (its APIService pointed at no Service) fails "the metrics API is served"', async () => {
    const { check, reason } = await run01([], { STREAMCERT_SELFTEST_FAULTS: 'metrics-api-unavailable' });
    expect(check).toBe('the metrics API is served (needed by the HPA)');
    expect(reason).toMatch(/^APIService v1beta1\.metrics\.k8s\.io is not available: Available=False \S+: .*streamcert-selftest-absent/);
    // Restored for whatever runs next.
    const cluster = await labCluster();
    const svc = await cluster.objects.read<K8sObject & { status?: { conditions?: { type: string; status: string }[] } }>({
      apiVersion: kinds.APIService.apiVersion, kind: kinds.APIService.kind, metadata: { name: 'v1beta1.metrics.k8s.io' },
    } as K8sObject);
    expect(svc.status?.conditions?.find((c) => c.type === 'Available')?.status).toBe('True');
  });

  it('the FlinkSessionJob CRD not serving v1beta1 (served: false while 01 reads it) fails "the CRDs are served"', async () => {
    const { check, reason } = await run01([], { STREAMCERT_SELFTEST_FAULTS: 'flinksessionjob-crd-unserved' });
    expect(check).toBe('the FlinkDeployment and FlinkSessionJob CRDs are served');
    expect(reason).toBe('CustomResourceDefinition flinksessionjobs.flink.apache.org does not serve v1beta1: served none');
    const cluster = await labCluster();
    const crd = await cluster.objects.read<K8sObject & { spec: { versions: { name: string; served: boolean }[] } }>({
      apiVersion: kinds.CustomResourceDefinition.apiVersion, kind: kinds.CustomResourceDefinition.kind, metadata: { name: 'flinksessionjobs.flink.apache.org' },
    } as K8sObject);
    expect(crd.spec.versions.find((v) => v.name === 'v1beta1')?.served, 'served again for whatever runs next').toBe(true);
  });

  describe('an identity without one permission the suites use', () => {
    const ns = 'streamcert-selftest-rbac';
    const role = 'streamcert-selftest-reduced';
    afterAll(async () => {
      const cluster = await labCluster();
      await deleteAndWait(cluster, kinds.ClusterRoleBinding, role, undefined, 60_000);
      await deleteAndWait(cluster, kinds.ClusterRole, role, undefined, 60_000);
      await deleteAndWait(cluster, kinds.Namespace, ns, undefined, 120_000);
    });

    it('fails "this run has every permission", naming the one it lacks and why the suites need it', async () => {
      const cluster = await labCluster();
      // streamcert's own ClusterRole (fixtures/rbac) less pods/exec, bound to a ServiceAccount: a real
      // identity, as a platform team would bind it, that lacks what 09's container kills use.
      const rules = requiredPermissions
        .filter((p) => p.resource !== 'pods/exec')
        .map((p) => ({ apiGroups: [p.group], resources: [p.resource], verbs: p.verbs }));
      await apply(cluster, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns, labels: selftest } });
      await apply(cluster, { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'streamcert', namespace: ns } });
      await apply(cluster, { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: role, labels: selftest }, rules } as K8sObject);
      await apply(cluster, {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'ClusterRoleBinding',
        metadata: { name: role, labels: selftest },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: role },
        subjects: [{ kind: 'ServiceAccount', name: 'streamcert', namespace: ns }],
      } as K8sObject);
      const token = await cluster.core.createNamespacedServiceAccountToken({
        name: 'streamcert',
        namespace: ns,
        body: { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', spec: { expirationSeconds: 1800, audiences: [] } },
      });
      const admin = parse(readFileSync(labPaths.kubeconfig, 'utf8')) as { clusters: { name: string; cluster: Record<string, string> }[] };
      const kubeconfig = join(mkdtempSync(join(tmpdir(), 'streamcert-selftest-rbac-')), 'kubeconfig');
      writeFileSync(
        kubeconfig,
        stringify({
          apiVersion: 'v1',
          kind: 'Config',
          clusters: [{ name: 'lab', cluster: admin.clusters[0]!.cluster }],
          users: [{ name: 'reduced', user: { token: token.status!.token } }],
          contexts: [{ name: 'reduced', context: { cluster: 'lab', user: 'reduced' } }],
          'current-context': 'reduced',
        }),
        { mode: 0o600 },
      );
      const { check, reason } = await run01(['--target', 'cluster', '--kubeconfig', kubeconfig, '--set', 'flink.flinkVersion=v1_18']);
      expect(check).toBe('this run has every permission the suites use');
      expect(reason).toMatch(/^1 of \d+ permissions missing in namespace sc-\S+-01 \(bind fixtures\/rbac\/streamcert-clusterrole\.yaml\): create core\/pods\/exec \(container kills by exec\)$/);
    });
  });
});
