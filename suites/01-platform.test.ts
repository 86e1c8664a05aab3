// 01 Platform readiness: what the paper checked with `helm list` and `kubectl get`, asserted on the
// API instead: the cluster answers, nodes are Ready, the operator is Available with its CRDs
// served, the webhook (when on) answers, storage and metrics exist, and we may do what we need.
// Each check observes (lib/platform/checks.ts) and a judge decides (lib/platform/platform-judges.ts).
// The checks are independent facts: a failing one holds back none of the others, so a run lists every
// missing prerequisite at once.
import { operatorIdentity } from '../lib/flink/operator-compat.ts';
import { recordObservation } from '../lib/flink/record-observation.ts';
import { whileApiServiceDown, whileCrdVersionUnserved } from '../lib/lab/index.ts';
import { judgeExpectedVersion } from '../lib/platform/expected-version.ts';
import {
  judgeApiAnswers,
  judgeApiServiceAvailable,
  judgeCertManager,
  judgeCrdsServed,
  judgeNodesReady,
  judgePermissions,
  judgeRwxStorageClass,
  judgeWebhooksAnswer,
  type ApiAnswerObservation,
} from '../lib/platform/platform-judges.ts';
import { findOperatorDeployment } from '../lib/run/preflight.ts';
import { step, suite } from '../lib/suite/dsl.ts';
import {
  deploymentAvailable,
  observeApiService,
  observeCrd,
  observeNodes,
  observePermissions,
  observeStorageClasses,
  operatorWebhooks,
} from '../lib/platform/checks.ts';
import { faultActive } from '../lib/suite/selftest-faults.ts';
import { fail, holds } from '../lib/util/judgement.ts';
import { skipBecause } from '../lib/suite/skip.ts';

suite('01-platform', (s) => {
  step('the cluster answers', async () => {
    const started = performance.now();
    const answer: ApiAnswerObservation = await s.flink.version.getCode().then(
      (v) => ({ gitVersion: v.gitVersion, latencyMs: Math.round(performance.now() - started), server: s.flink.server }),
      (err: Error) => ({ latencyMs: Math.round(performance.now() - started), server: s.flink.server, error: err.message }),
    );
    holds(judgeApiAnswers(answer));
    s.record('apiLatency', answer.latencyMs, 'ms');
  });

  step('nodes are Ready', async () => {
    const nodes = await observeNodes(s.flink);
    recordObservation('01-nodes', nodes);
    holds(judgeNodesReady(nodes));
    s.record('nodesReady', nodes.length, 'count');
  });

  step('the Flink operator Deployment is Available', async () => {
    const ns = s.config.namespaces.operator;
    const operator = await findOperatorDeployment(s.flink, ns);
    if (!operator) holds(fail(`no flink-kubernetes-operator Deployment in namespace ${ns} (set namespaces.operator to where it runs)`));
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
    const unserved = faultActive('flinksessionjob-crd-unserved', s.config.target);
    const crds = await whileCrdVersionUnserved(s.flink, 'flinksessionjobs.flink.apache.org', 'v1beta1', unserved, () =>
      Promise.all(['flinkdeployments.flink.apache.org', 'flinksessionjobs.flink.apache.org'].map((crd) => observeCrd(s.flink, crd))),
    );
    recordObservation(unserved ? '01-crds-sessionjob-unserved' : '01-crds', crds);
    holds(judgeCrdsServed(crds, 'v1beta1'));
  });

  step('the operator webhook answers when enabled', async () => {
    const webhooks = await operatorWebhooks(s.flink);
    recordObservation('01-webhooks', webhooks);
    if (webhooks.length === 0) return skipBecause('the operator webhook is not enabled on this cluster');
    holds(judgeWebhooksAnswer(webhooks));
  });

  step('cert-manager is present when the webhook needs it', async () => {
    const webhooks = await operatorWebhooks(s.flink);
    if (webhooks.length === 0) return skipBecause('no operator webhook, so no certificates needed');
    const observed = { webhooks: webhooks.length, certificateCrd: await observeCrd(s.flink, 'certificates.cert-manager.io') };
    recordObservation('01-cert-manager', observed);
    holds(judgeCertManager(observed));
  });

  step('a ReadWriteMany StorageClass exists for HA storage', async () => {
    const observed = { configured: s.config.flink.rwxStorageClass, classes: await observeStorageClasses(s.flink) };
    recordObservation('01-storage-classes', observed);
    holds(judgeRwxStorageClass(observed));
  });

  step('the metrics API is served (needed by the HPA)', async () => {
    const name = 'v1beta1.metrics.k8s.io';
    const down = faultActive('metrics-api-unavailable', s.config.target);
    const observed = await whileApiServiceDown(s.flink, name, down, () => observeApiService(s.flink, name));
    recordObservation(down ? '01-metrics-api-down' : '01-metrics-api', observed);
    holds(judgeApiServiceAvailable(observed));
  });

  step('this run has every permission the suites use', async () => {
    const observed = await observePermissions(s.flink, s.namespace);
    recordObservation('01-permissions', observed);
    holds(judgePermissions(observed));
    s.record('permissionsReviewed', observed.reviewed, 'count');
  });
}, { independentChecks: true });
