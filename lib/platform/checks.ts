// Platform facts 01-platform asserts on, each a small query against the API.
import type { V1Deployment } from '@kubernetes/client-node';
import type { Cluster } from '../k8s/cluster.ts';
import { list, read, type K8sObject } from '../k8s/objects.ts';
import { kinds, type ResourceKind } from '../k8s/resources.ts';
import { waitForObject } from '../k8s/wait.ts';
import { requiredPermissions } from '../suite/permissions.ts';

export async function readyNodes(cluster: Cluster): Promise<{ ready: string[]; notReady: string[] }> {
  const nodes = await cluster.core.listNode();
  const ready: string[] = [];
  const notReady: string[] = [];
  for (const n of nodes.items) {
    const cond = n.status?.conditions?.find((c) => c.type === 'Ready');
    (cond?.status === 'True' ? ready : notReady).push(`${n.metadata?.name}${cond?.status === 'True' ? '' : ` (${cond?.reason ?? 'no Ready condition'})`}`);
  }
  return { ready, notReady };
}

function isAvailable(d: V1Deployment | undefined): boolean {
  return (d?.status?.conditions ?? []).some((c) => c.type === 'Available' && c.status === 'True');
}

/** Waits (watch) until the Deployment reports Available; returns how long that took in ms. */
export async function deploymentAvailable(cluster: Cluster, namespace: string, name: string, timeoutMs: number): Promise<number> {
  const res = await waitForObject<true, V1Deployment & K8sObject>(cluster, { kind: kinds.Deployment, namespace, name }, {
    description: `Deployment ${namespace}/${name} to be Available`,
    until: (d) => (isAvailable(d) ? true : undefined),
    observe: (d) =>
      d ? `${d.status?.availableReplicas ?? 0}/${d.spec?.replicas ?? 1} available` : 'not found',
    timeoutMs,
  });
  return res.elapsedMs;
}

/** Versions of a CRD that are served and whose CRD is Established; empty when absent. */
export async function crdServedVersions(cluster: Cluster, name: string): Promise<string[]> {
  const crd = await read<K8sObject & { spec: { versions: { name: string; served: boolean }[] }; status?: { conditions?: { type: string; status: string }[] } }>(
    cluster,
    kinds.CustomResourceDefinition,
    name,
  );
  if (!crd) return [];
  const established = (crd.status?.conditions ?? []).some((c) => c.type === 'Established' && c.status === 'True');
  return established ? crd.spec.versions.filter((v) => v.served).map((v) => v.name) : [];
}

const validatingWebhookConfigurations: ResourceKind = {
  apiVersion: 'admissionregistration.k8s.io/v1',
  kind: 'ValidatingWebhookConfiguration',
  plural: 'validatingwebhookconfigurations',
  namespaced: false,
};

type WebhookConfig = K8sObject & {
  webhooks?: { name: string; clientConfig?: { service?: { name: string; namespace: string } }; rules?: { apiGroups?: string[] }[] }[];
};

/** The operator's admission webhooks (those covering flink.apache.org), with their services' ready endpoints. */
export async function operatorWebhooks(cluster: Cluster): Promise<{ name: string; service: string; readyEndpoints: number }[]> {
  const configs = await list<WebhookConfig>(cluster, validatingWebhookConfigurations);
  const out: { name: string; service: string; readyEndpoints: number }[] = [];
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
        )
        .catch(() => ({ items: [] }));
      const ready = slices.items.flatMap((s) => s.endpoints ?? []).filter((e) => e.conditions?.ready !== false).length;
      out.push({ name: w.name, service: `${svc.namespace}/${svc.name}`, readyEndpoints: ready });
    }
  }
  return out;
}

/** Provisioners known to offer ReadWriteMany volumes (StorageClasses do not declare access modes). */
const rwxProvisioners = [
  /nfs/i,
  /cephfs/i,
  /file\.csi\.azure\.com/,
  /efs\.csi\.aws\.com/,
  /filestore\.csi\.storage\.gke\.io/,
  /csi\.vsphere\.vmware\.com/, // vSAN file services, as in the paper
  /glusterfs/i,
  /longhorn/i,
  /streamcert\.io\/lab-hostpath/,
];

type StorageClass = K8sObject & { provisioner: string; parameters?: Record<string, string> };

export async function rwxStorageClass(
  cluster: Cluster,
  configured: string | undefined,
): Promise<{ name?: string; problem: string }> {
  const classes = await list<StorageClass>(cluster, kinds.StorageClass);
  const names = classes.map((c) => `${c.metadata.name} (${c.provisioner})`).join(', ') || 'none';
  if (configured) {
    const found = classes.find((c) => c.metadata.name === configured);
    return found
      ? { name: found.metadata.name, problem: '' }
      : { problem: `configured flink.rwxStorageClass "${configured}" does not exist; classes: ${names}` };
  }
  const found = classes.find(
    (c) => c.metadata.annotations !== undefined && (c.metadata.annotations as Record<string, string>)['streamcert.io/rwx'] === 'true',
  ) ?? classes.find((c) => rwxProvisioners.some((p) => p.test(c.provisioner)));
  return found
    ? { name: found.metadata.name, problem: '' }
    : {
        problem: `no StorageClass known to offer ReadWriteMany (classes: ${names}); set flink.rwxStorageClass or annotate the class streamcert.io/rwx=true`,
      };
}

type ApiService = K8sObject & { status?: { conditions?: { type: string; status: string; message?: string }[] } };

export async function apiServiceAvailable(cluster: Cluster, name: string): Promise<{ ok: boolean; detail: string }> {
  const svc = await read<ApiService>(
    cluster,
    { apiVersion: 'apiregistration.k8s.io/v1', kind: 'APIService', plural: 'apiservices', namespaced: false },
    name,
  );
  if (!svc) return { ok: false, detail: 'not registered (install metrics-server)' };
  const cond = svc.status?.conditions?.find((c) => c.type === 'Available');
  return { ok: cond?.status === 'True', detail: cond ? `Available=${cond.status} ${cond.message ?? ''}`.trim() : 'no Available condition' };
}

/** `verb group/resource` for each permission the run's identity lacks in `namespace`. */
export async function missingPermissions(cluster: Cluster, namespace: string): Promise<string[]> {
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
  return missing.sort();
}
