// 01's platform judges on each of their sides. The observations are what the judges received on the
// lab (see __fixtures__/platform/README.md): the passing run, and the negative controls of
// lib/selftest/platform-checks.integration.test.ts (a Node with no kubelet, a webhook with no endpoint, a webhook
// without cert-manager, a missing RWX class, the metrics API down, an identity without pods/exec).
// Sides nothing recorded are minimal edits of these, named in each test.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  judgeApiAnswers,
  judgeApiServiceAvailable,
  judgeCertManager,
  judgeCrdsServed,
  judgeNodesReady,
  judgePermissions,
  judgeRwxStorageClass,
  judgeWebhooksAnswer,
  type ApiServiceObservation,
  type CrdObservation,
  type NodeObservation,
  type PermissionsObservation,
  type StorageClassObservation,
  type WebhookObservation,
} from './platform-judges.ts';

const recorded = <T>(name: string): T => JSON.parse(readFileSync(new URL(`./__fixtures__/platform/${name}`, import.meta.url), 'utf8')) as T;

describe('judgeApiAnswers', () => {
  const server = 'https://127.0.0.1:6443';
  it('passes on a v1.x answer', () => {
    expect(judgeApiAnswers({ gitVersion: 'v1.35.4', latencyMs: 4, server })).toEqual({ ok: true, reason: `Kubernetes v1.35.4 answered in 4 ms (${server})` });
  });
  it('fails on an error, and on an answer that is not a Kubernetes version', () => {
    expect(judgeApiAnswers({ latencyMs: 3000, server, error: 'connect ECONNREFUSED 127.0.0.1:6443' })).toEqual({
      ok: false,
      reason: `the Kubernetes API at ${server} did not answer GET /version: connect ECONNREFUSED 127.0.0.1:6443`,
    });
    expect(judgeApiAnswers({ latencyMs: 3, server }).ok).toBe(false);
    expect(judgeApiAnswers({ gitVersion: 'v2.0.0', latencyMs: 3, server }).ok).toBe(false);
  });
});

describe('judgeNodesReady', () => {
  const lab = () => recorded<NodeObservation[]>('01-nodes.json');
  it('passes on the recorded lab node, Ready', () => {
    expect(judgeNodesReady(lab())).toEqual({ ok: true, reason: '1 of 1 nodes Ready: streamcert-lab' });
  });
  it('fails on the recorded ghost Node (registered, no kubelet): names it and its condition', () => {
    const j = judgeNodesReady(recorded<NodeObservation[]>('01-nodes-ghost.json'));
    expect(j.ok).toBe(false);
    expect(j.reason).toMatch(/^1 of 2 nodes not Ready: streamcert-selftest-ghost \((no Ready condition|Ready=Unknown)/);
  });
  it('fails on the lab node with its Ready condition edited to False KubeletNotReady, and on no nodes at all', () => {
    const [n] = lab();
    expect(judgeNodesReady([{ ...n!, ready: 'False', reason: 'KubeletNotReady', message: 'container runtime is down' }])).toEqual({
      ok: false,
      reason: '1 of 1 nodes not Ready: streamcert-lab (Ready=False KubeletNotReady: container runtime is down) (kubectl describe node <name>)',
    });
    expect(judgeNodesReady([])).toEqual({ ok: false, reason: 'no nodes registered (GET /api/v1/nodes returned none): nothing can run' });
  });
});

describe('judgeCrdsServed', () => {
  const lab = () => recorded<CrdObservation[]>('01-crds.json');
  it('passes on the recorded lab CRDs', () => {
    expect(judgeCrdsServed(lab(), 'v1beta1')).toEqual({ ok: true, reason: 'flinkdeployments.flink.apache.org, flinksessionjobs.flink.apache.org served at v1beta1' });
  });
  it('fails on the recorded FlinkSessionJob CRD with v1beta1 not served (fault flinksessionjob-crd-unserved)', () => {
    expect(judgeCrdsServed(recorded<CrdObservation[]>('01-crds-sessionjob-unserved.json'), 'v1beta1')).toEqual({
      ok: false,
      reason: 'CustomResourceDefinition flinksessionjobs.flink.apache.org does not serve v1beta1: served none',
    });
  });
  it('fails on a CRD absent or not Established (recorded edited), and on none read', () => {
    const [fd, sj] = lab();
    expect(judgeCrdsServed([fd!, { ...sj!, present: false, established: false, served: [] }], 'v1beta1').reason).toBe(
      'CustomResourceDefinition flinksessionjobs.flink.apache.org does not exist: the operator\'s CRDs are not installed (helm install flink-kubernetes-operator installs them)',
    );
    expect(judgeCrdsServed([{ ...fd!, established: false }, sj!], 'v1beta1')).toMatchObject({ ok: false, reason: expect.stringMatching(/^CustomResourceDefinition flinkdeployments\.flink\.apache\.org is not Established/) });
    expect(judgeCrdsServed([], 'v1beta1').ok).toBe(false);
  });
});

describe('judgeWebhooksAnswer and judgeCertManager', () => {
  it('fail on the recorded webhook whose Service does not exist, naming webhook and Service', () => {
    const j = judgeWebhooksAnswer(recorded<WebhookObservation[]>('01-webhooks-dead.json'));
    expect(j.ok).toBe(false);
    expect(j.reason).toMatch(/^webhook streamcert-selftest-dead-webhook\.selftest\.streamcert\.io: Service default\/streamcert-selftest-absent has no ready endpoints/);
  });
  it('pass the recorded webhook calling a Service with a ready endpoint; an empty list never passes', () => {
    const answering = recorded<WebhookObservation[]>('01-webhooks-answering.json');
    expect(judgeWebhooksAnswer(answering).ok).toBe(true);
    expect(judgeWebhooksAnswer([]).ok).toBe(false);
  });
  it('cert-manager: fails on the recorded lab (a webhook, no Certificate CRD); passes with the CRD edited in; fails with no webhook', () => {
    const o = recorded<{ webhooks: number; certificateCrd: CrdObservation }>('01-cert-manager-absent.json');
    expect(judgeCertManager(o)).toEqual({
      ok: false,
      reason:
        'the operator has 1 webhook(s) but cert-manager is not installed: CustomResourceDefinition certificates.cert-manager.io does not exist (the operator chart issues the webhook certificate with it)',
    });
    const installed = { ...o, certificateCrd: { name: 'certificates.cert-manager.io', present: true, established: true, served: ['v1'] } };
    expect(judgeCertManager(installed).ok).toBe(true);
    expect(judgeCertManager({ ...installed, webhooks: 0 }).ok).toBe(false);
    expect(judgeCertManager({ ...installed, certificateCrd: { ...installed.certificateCrd, established: false } }).ok).toBe(false);
  });
});

describe('judgeRwxStorageClass', () => {
  type Storage = { configured?: string; classes: StorageClassObservation[] };
  const lab = () => recorded<Storage>('01-storage-classes.json');
  it('passes on the recorded lab: lab-rwx, annotated', () => {
    expect(judgeRwxStorageClass(lab())).toEqual({ ok: true, reason: 'StorageClass lab-rwx (streamcert.io/lab-hostpath) annotated streamcert.io/rwx=true' });
  });
  it('fails on the recorded run configured for a class that does not exist, naming it and the classes there', () => {
    const j = judgeRwxStorageClass(recorded<Storage>('01-storage-classes-missing.json'));
    expect(j.ok).toBe(false);
    expect(j.reason).toMatch(/^configured flink\.rwxStorageClass "streamcert-selftest-nfs" does not exist; classes: .*lab-rwx \(streamcert\.io\/lab-hostpath\)/);
  });
  it('without configuration: a known RWX provisioner passes; only RWO classes (recorded, lab-rwx removed, lab-standard given a local provisioner) fail', () => {
    const classes = lab().classes.filter((c) => c.name !== 'lab-rwx').map((c) => ({ ...c, provisioner: 'rancher.io/local-path' }));
    expect(judgeRwxStorageClass({ classes })).toEqual({
      ok: false,
      reason:
        'no StorageClass known to offer ReadWriteMany (classes: lab-standard (rancher.io/local-path)); set flink.rwxStorageClass or annotate the class streamcert.io/rwx=true',
    });
    expect(judgeRwxStorageClass({ classes: [...classes, { name: 'vsan-file', provisioner: 'csi.vsphere.vmware.com', rwxAnnotated: false }] }).ok).toBe(true);
    expect(judgeRwxStorageClass({ classes: [] }).ok).toBe(false);
  });
});

describe('judgeApiServiceAvailable', () => {
  it('passes on the recorded lab metrics APIService', () => {
    expect(judgeApiServiceAvailable(recorded<ApiServiceObservation>('01-metrics-api.json'))).toMatchObject({ ok: true, reason: expect.stringMatching(/^APIService v1beta1\.metrics\.k8s\.io Available=True/) });
  });
  it('fails on the recorded outage (pointed at a Service that does not exist), on no condition, and when not registered', () => {
    const down = recorded<ApiServiceObservation>('01-metrics-api-down.json');
    expect(judgeApiServiceAvailable(down)).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/^APIService v1beta1\.metrics\.k8s\.io is not available: Available=False \S+: .*streamcert-selftest-absent/),
    });
    expect(judgeApiServiceAvailable({ ...down, available: undefined }).ok).toBe(false);
    expect(judgeApiServiceAvailable({ name: down.name, registered: false })).toEqual({
      ok: false,
      reason: 'APIService v1beta1.metrics.k8s.io is not registered (install metrics-server)',
    });
  });
});

describe('judgePermissions', () => {
  it('passes on the recorded admin run', () => {
    const o = recorded<PermissionsObservation>('01-permissions.json');
    expect(judgePermissions(o)).toEqual({ ok: true, reason: `all ${o.reviewed} permissions the suites use are granted (SelfSubjectAccessReview in namespace ${o.namespace})` });
  });
  it('fails on the recorded identity without pods/exec, naming it and why; nothing reviewed never passes', () => {
    const o = recorded<PermissionsObservation>('01-permissions-without-exec.json');
    expect(judgePermissions(o)).toEqual({
      ok: false,
      reason: `1 of ${o.reviewed} permissions missing in namespace ${o.namespace} (bind fixtures/rbac/streamcert-clusterrole.yaml): create core/pods/exec (container kills by exec)`,
    });
    expect(judgePermissions({ ...o, reviewed: 0, denied: [] }).ok).toBe(false);
  });
});
