// 01's platform checks, each shown to fail on the lab when its property is broken for real: a node
// that never became Ready, an operator webhook with nobody behind it, a webhook without cert-manager,
// a RWX class that is not there, the metrics API down, a CRD version not served, an identity that
// lacks a permission. Several of these are cluster-wide (a Node,
// a webhook configuration, an APIService), so these runs go one at a time, in a file of their own
// (lab test files never run side by side), and each sabotage is undone in `finally`. The identity that
// lacks a permission needs a run of its own; every other sabotage shares one.
import { readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { stringify, parse } from 'yaml';
import { apply, deleteAndWait, read, type K8sObject } from '../k8s/objects.ts';
import { kinds } from '../k8s/resources.ts';
import { labCluster, labPaths } from '../lab/index.ts';
import { requiredPermissions } from '../suite/permissions.ts';
import { failures, streamcert, suiteOf } from './streamcert.ts';

const selftest = { 'streamcert.io/selftest': 'platform-checks' };

/** A 01 run's failed checks, by name, with their reasons. */
async function run01(args: string[], env?: NodeJS.ProcessEnv): Promise<{ failed: Map<string, string>; verdicts: string[]; exitCode: number }> {
  const run = await streamcert(['run', '--suite', '01', ...args], { env });
  const suite = suiteOf(run, '01-platform');
  const failed = new Map(suite.checks.filter((c) => c.verdict === 'failed').map((c) => [c.name, c.reason ?? '']));
  process.stderr.write(`01 control (${[...args, env?.STREAMCERT_SELFTEST_FAULTS ?? ''].join(' ')}): ${run.seconds.toFixed(0)} s:\n${failures(suite)}\n`);
  return { failed, verdicts: suite.checks.map((c) => `${c.name}: ${c.verdict}`), exitCode: run.exitCode };
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
  // 01's checks are independent facts (a failure holds back none of the others), so one run carries
  // every sabotage that needs the admin identity; none touches what another check observes.
  it('a ghost node, a dead webhook beside a live one and no cert-manager, a missing RWX class, the metrics API down and a CRD version unserved each fail their own check, naming the cause', async () => {
    const cluster = await labCluster();
    const ghost = 'streamcert-selftest-ghost';
    const dead = 'streamcert-selftest-dead-webhook';
    const live = 'streamcert-selftest-webhook';
    // A Node object with no kubelet behind it: it never reports Ready. Tainted and unschedulable, so
    // no pod could land there.
    await apply(cluster, {
      apiVersion: 'v1',
      kind: 'Node',
      metadata: { name: ghost, labels: selftest },
      spec: { unschedulable: true, taints: [{ key: 'streamcert.io/selftest', value: 'ghost', effect: 'NoExecute' }] },
    } as K8sObject);
    await apply(cluster, inertWebhook(dead, { namespace: 'default', name: 'streamcert-selftest-absent' }));
    // The API server's own Service has a ready endpoint: this webhook answers, so only cert-manager is missing for it.
    await apply(cluster, inertWebhook(live, { namespace: 'default', name: 'kubernetes' }));
    try {
      const { failed, verdicts, exitCode } = await run01(['--set', 'flink.rwxStorageClass=streamcert-selftest-nfs'], {
        STREAMCERT_SELFTEST_FAULTS: 'metrics-api-unavailable,flinksessionjob-crd-unserved',
      });
      expect(exitCode).toBe(1);
      expect(verdicts).toEqual([
        'the cluster answers: passed',
        'nodes are Ready: failed',
        'the Flink operator Deployment is Available: passed',
        'the Flink operator is the expected release: skipped',
        'the FlinkDeployment and FlinkSessionJob CRDs are served: failed',
        'the operator webhook answers when enabled: failed',
        'cert-manager is present when the webhook needs it: failed',
        'a ReadWriteMany StorageClass exists for HA storage: failed',
        'the metrics API is served (needed by the HPA): failed',
        'this run has every permission the suites use: passed',
      ]);
      expect(failed.get('nodes are Ready')).toMatch(new RegExp(`^1 of 2 nodes not Ready: ${ghost} \\((no Ready condition|Ready=Unknown)`));
      expect(failed.get('the FlinkDeployment and FlinkSessionJob CRDs are served')).toBe('CustomResourceDefinition flinksessionjobs.flink.apache.org does not serve v1beta1: served none');
      expect(failed.get('the operator webhook answers when enabled')).toMatch(new RegExp(`^webhook ${dead}\\.selftest\\.streamcert\\.io: Service default/streamcert-selftest-absent has no ready endpoints`));
      expect(failed.get('cert-manager is present when the webhook needs it')).toMatch(/^the operator has 2 webhook\(s\) but cert-manager is not installed: CustomResourceDefinition certificates\.cert-manager\.io does not exist/);
      expect(failed.get('a ReadWriteMany StorageClass exists for HA storage')).toMatch(/^configured flink\.rwxStorageClass "streamcert-selftest-nfs" does not exist; classes: .*lab-rwx \(streamcert\.io\/lab-hostpath\)/);
      expect(failed.get('the metrics API is served (needed by the HPA)')).toMatch(/^APIService v1beta1\.metrics\.k8s\.io is not available: Available=False \S+: .*streamcert-selftest-absent/);
    } finally {
      await deleteAndWait(cluster, kinds.Node, ghost, undefined, 60_000);
      await deleteAndWait(cluster, kinds.ValidatingWebhookConfiguration, dead, undefined, 60_000);
      await deleteAndWait(cluster, kinds.ValidatingWebhookConfiguration, live, undefined, 60_000);
    }
    // The faults restored what they took away, for whatever runs next.
    const apiService = await read<K8sObject & { status?: { conditions?: { type: string; status: string }[] } }>(cluster, kinds.APIService, 'v1beta1.metrics.k8s.io');
    expect(apiService?.status?.conditions?.find((c) => c.type === 'Available')?.status).toBe('True');
    const crd = await read<K8sObject & { spec: { versions: { name: string; served: boolean }[] } }>(cluster, kinds.CustomResourceDefinition, 'flinksessionjobs.flink.apache.org');
    expect(crd?.spec.versions.find((v) => v.name === 'v1beta1')?.served).toBe(true);
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
      const { failed } = await run01(['--target', 'cluster', '--kubeconfig', kubeconfig, '--set', 'flink.flinkVersion=v1_18']);
      expect([...failed.keys()]).toEqual(['this run has every permission the suites use']);
      expect(failed.get('this run has every permission the suites use')).toMatch(/^1 of \d+ permissions missing in namespace sc-\S+-01 \(bind fixtures\/rbac\/streamcert-clusterrole\.yaml\): create core\/pods\/exec \(container kills by exec\)$/);
    });
  });
});
