// Platform facts 01-platform judges (lib/platform/platform-judges.ts), each a small query against the API.
import type { V1Deployment } from '@kubernetes/client-node';
import type { Cluster } from '../k8s/cluster.ts';
import { list, read, type K8sObject } from '../k8s/objects.ts';
import { kinds } from '../k8s/resources.ts';
import { watchedObject } from '../k8s/wait.ts';
import { requiredPermissions } from '../suite/permissions.ts';
import {
  chooseRwxStorageClass,
  judgeRwxStorageClass,
  type ApiServiceObservation,
  type CrdObservation,
  type NodeObservation,
  type PermissionsObservation,
  type StorageClassObservation,
  type WebhookObservation,
} from './platform-judges.ts';
import { conditionTrue } from '../k8s/conditions.ts';
import { Deadline, until } from '../util/until.ts';

export async function observeNodes(cluster: Cluster): Promise<NodeObservation[]> {
  const nodes = await cluster.core.listNode();
  return nodes.items.map((n) => {
    const cond = n.status?.conditions?.find((c) => c.type === 'Ready');
    return { name: n.metadata?.name ?? '?', ready: cond?.status, reason: cond?.reason, message: cond?.message };
  });
}

function isAvailable(d: V1Deployment | undefined): boolean {
  return conditionTrue(d?.status?.conditions, 'Available');
}

/** Waits (watch) until the Deployment reports Available; returns how long that took in ms. */
export async function deploymentAvailable(cluster: Cluster, namespace: string, name: string, timeoutMs: number): Promise<number> {
  const deadline = Deadline.in(timeoutMs);
  await until(
    watchedObject<true, V1Deployment & K8sObject>(
      cluster,
      { kind: kinds.Deployment, namespace, name },
      {
        description: `Deployment ${namespace}/${name} to be Available`,
        check: (d) => (isAvailable(d) ? true : undefined),
        observe: (d) => (d ? `${d.status?.availableReplicas ?? 0}/${d.spec?.replicas ?? 1} available` : 'not found'),
      },
    ),
    deadline,
  );
  return deadline.elapsedMs();
}

/** A CRD as the API server has it: present, Established, and which versions it serves. */
export async function observeCrd(cluster: Cluster, name: string): Promise<CrdObservation> {
  const crd = await read<K8sObject & { spec: { versions: { name: string; served: boolean }[] }; status?: { conditions?: { type: string; status: string }[] } }>(
    cluster,
    kinds.CustomResourceDefinition,
    name,
  );
  if (!crd) return { name, present: false, established: false, served: [] };
  const established = conditionTrue(crd.status?.conditions, 'Established');
  return { name, present: true, established, served: crd.spec.versions.filter((v) => v.served).map((v) => v.name) };
}

type WebhookConfig = K8sObject & {
  webhooks?: { name: string; clientConfig?: { service?: { name: string; namespace: string } }; rules?: { apiGroups?: string[] }[] }[];
};

/** The operator's admission webhooks (those covering flink.apache.org), with their services' ready endpoints. */
export async function operatorWebhooks(cluster: Cluster): Promise<WebhookObservation[]> {
  const configs = await list<WebhookConfig>(cluster, kinds.ValidatingWebhookConfiguration);
  const out: WebhookObservation[] = [];
  for (const cfg of configs) {
    for (const w of cfg.webhooks ?? []) {
      if (!(w.rules ?? []).some((r) => r.apiGroups?.includes('flink.apache.org'))) continue;
      const svc = w.clientConfig?.service;
      if (!svc) continue;
      const slices = await cluster.objects
        .list<K8sObject & { endpoints?: { conditions?: { ready?: boolean } }[] }>(
          'discovery.k8s.io/v1',
          'EndpointSlice',
          svc.namespace,
          undefined,
          undefined,
          undefined,
          undefined,
          `kubernetes.io/service-name=${svc.name}`,
        );
      const ready = slices.items.flatMap((s) => s.endpoints ?? []).filter((e) => e.conditions?.ready !== false).length;
      out.push({ name: w.name, service: `${svc.namespace}/${svc.name}`, readyEndpoints: ready });
    }
  }
  return out;
}

type StorageClass = K8sObject & { provisioner: string };

export async function observeStorageClasses(cluster: Cluster): Promise<StorageClassObservation[]> {
  return (await list<StorageClass>(cluster, kinds.StorageClass)).map((c) => ({
    name: c.metadata.name,
    provisioner: c.provisioner,
    rwxAnnotated: (c.metadata.annotations as Record<string, string> | undefined)?.['streamcert.io/rwx'] === 'true',
  }));
}

/** The ReadWriteMany class HA storage uses, or why there is none: the judge 01 passes on, for the suites that need one. */
export async function rwxStorageClass(cluster: Cluster, configured: string | undefined): Promise<{ name?: string; problem: string }> {
  const classes = await observeStorageClasses(cluster);
  const judgement = judgeRwxStorageClass({ configured, classes });
  return judgement.ok ? { name: chooseRwxStorageClass(classes, configured)!.name, problem: '' } : { problem: judgement.reason };
}

type ApiService = K8sObject & { status?: { conditions?: { type: string; status: string; reason?: string; message?: string }[] } };

export async function observeApiService(cluster: Cluster, name: string): Promise<ApiServiceObservation> {
  const svc = await read<ApiService>(
    cluster,
    kinds.APIService,
    name,
  );
  const cond = svc?.status?.conditions?.find((c) => c.type === 'Available');
  return { name, registered: svc !== undefined, available: cond && { status: cond.status, reason: cond.reason, message: cond.message } };
}

/** Every permission the suites use, asked with a SelfSubjectAccessReview in `namespace`. */
export async function observePermissions(cluster: Cluster, namespace: string): Promise<PermissionsObservation> {
  const missing: string[] = [];
  const checks = requiredPermissions.flatMap((p) => p.verbs.map((verb) => ({ p, verb })));
  await Promise.all(
    checks.map(async ({ p, verb }) => {
      const [resource, subresource] = p.resource.split('/');
      const review = await cluster.authz.createSelfSubjectAccessReview({
        body: {
          apiVersion: 'authorization.k8s.io/v1',
          kind: 'SelfSubjectAccessReview',
          spec: { resourceAttributes: { group: p.group, resource, subresource, verb, namespace } },
        },
      });
      if (!review.status?.allowed) missing.push(`${verb} ${p.group || 'core'}/${p.resource} (${p.why})`);
    }),
  );
  return { namespace, reviewed: checks.length, denied: missing.sort() };
}
