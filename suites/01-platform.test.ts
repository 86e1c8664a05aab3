// 01 Platform readiness: what the paper checked with `helm list` and `kubectl get`, asserted on the
// API instead: the cluster answers, nodes are Ready, the operator is Available with its CRDs
// served, the webhook (when on) answers, storage and metrics exist, and we may do what we need.
import { expect } from 'vitest';
import { operatorIdentity } from '../lib/flink/operator-compat.ts';
import { judgeExpectedVersion } from '../lib/platform/expected-version.ts';
import { findOperatorDeployment } from '../lib/run/preflight.ts';
import { step, suite } from '../lib/suite/dsl.ts';
import {
  apiServiceAvailable,
  crdServedVersions,
  deploymentAvailable,
  missingPermissions,
  operatorWebhooks,
  readyNodes,
  rwxStorageClass,
} from '../lib/platform/checks.ts';
import { holds } from '../lib/suite/judgement.ts';
import { skipBecause } from '../lib/suite/skip.ts';

suite('01-platform', (s) => {
  step('the cluster answers', async () => {
    const started = performance.now();
    const version = await s.flink.version.getCode();
    s.record('apiLatency', Math.round(performance.now() - started), 'ms');
    expect(version.gitVersion, 'Kubernetes version').toMatch(/^v1\.\d+/);
  });

  step('nodes are Ready', async () => {
    const { ready, notReady } = await readyNodes(s.flink);
    s.record('nodesReady', ready.length, 'count');
    expect(notReady, `nodes not Ready: ${notReady.join(', ')}`).toEqual([]);
    expect(ready.length, 'Ready nodes').toBeGreaterThan(0);
  });

  step('the Flink operator Deployment is Available', async () => {
    const ns = s.config.namespaces.operator;
    const operator = await findOperatorDeployment(s.flink, ns);
    expect(operator, `a flink-kubernetes-operator Deployment in namespace ${ns}`).toBeDefined();
    const waited = await deploymentAvailable(s.flink, ns, operator!.metadata!.name!, s.timeout('deploymentReady'));
    s.record('operatorAvailableWait', waited / 1000, 's');
  });

  step('the Flink operator is the expected release', async () => {
    const expected = s.config.expect.operatorVersion;
    if (!expected) skipBecause('expect.operatorVersion is not set: no operator release was promised');
    const ns = s.config.namespaces.operator;
    const operator = await findOperatorDeployment(s.flink, ns);
    const identity = operatorIdentity(operator);
    const where = operator
      ? `${identity.source ?? 'no version label, chart label or image tag'} of Deployment ${ns}/${operator.metadata!.name}`
      : `no flink-kubernetes-operator Deployment in namespace ${ns}`;
    holds(judgeExpectedVersion({ what: 'Flink operator', expected, found: identity.version, where }));
  });

  step('the FlinkDeployment and FlinkSessionJob CRDs are served', async () => {
    for (const crd of ['flinkdeployments.flink.apache.org', 'flinksessionjobs.flink.apache.org']) {
      const served = await crdServedVersions(s.flink, crd);
      expect(served, `${crd} served versions`).toContain('v1beta1');
    }
  });

  step('the operator webhook answers when enabled', async () => {
    const webhooks = await operatorWebhooks(s.flink);
    if (webhooks.length === 0) return skipBecause('the operator webhook is not enabled on this cluster');
    for (const w of webhooks) {
      expect(w.readyEndpoints, `ready endpoints of webhook service ${w.service}`).toBeGreaterThan(0);
    }
  });

  step('cert-manager is present when the webhook needs it', async () => {
    const webhooks = await operatorWebhooks(s.flink);
    if (webhooks.length === 0) return skipBecause('no operator webhook, so no certificates needed');
    const served = await crdServedVersions(s.flink, 'certificates.cert-manager.io');
    expect(served.length, 'cert-manager Certificate CRD served (the operator chart issues the webhook certificate with it)').toBeGreaterThan(0);
  });

  step('a ReadWriteMany StorageClass exists for HA storage', async () => {
    const found = await rwxStorageClass(s.flink, s.config.flink.rwxStorageClass);
    expect(found.name, found.problem).toBeDefined();
  });

  step('the metrics API is served (needed by the HPA)', async () => {
    const available = await apiServiceAvailable(s.flink, 'v1beta1.metrics.k8s.io');
    expect(available.ok, `APIService v1beta1.metrics.k8s.io: ${available.detail}`).toBe(true);
  });

  step('this run has every permission the suites use', async () => {
    const missing = await missingPermissions(s.flink, s.namespace);
    expect(missing, `missing permissions (bind fixtures/rbac/streamcert-clusterrole.yaml):\n${missing.join('\n')}`).toEqual([]);
  });
});
