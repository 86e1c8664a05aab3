// Removing what a run left behind, found by label rather than by memory: this works after a crash,
// a kill -9 or a Ctrl-C, and never touches anything streamcert did not create. It needs only the
// API server: no operator has to be healthy (a leftover object may be what keeps it crash-looping).
import type { Cluster } from '../k8s/cluster.ts';
import { deleteAndWait, list, type K8sObject } from '../k8s/objects.ts';
import { deleteNamespace, finalizerGraceMs } from '../k8s/namespace.ts';
import { kinds, type ResourceKind } from '../k8s/resources.ts';
import type { StreamcertConfig } from '../config/schema.ts';
import { log } from '../log.ts';
import { labels as k8ssandraLabels } from '../cassandra/names.ts';
import { managedByLabel, managedByValue, runIdLabel } from './context.ts';
import { runOwnsNamespace } from './ownership.ts';

/** Cluster-scoped kinds a suite may create; namespaces last, after what they hold elsewhere. */
const clusterScoped: ResourceKind[] = [kinds.ClusterRoleBinding, kinds.ClusterRole, kinds.PersistentVolume, kinds.Namespace];

/**
 * Namespaced kinds a run may create. In its own namespaces they go with the namespace; in a namespace
 * the run did not create (namespaces.suites, namespaces.allowCreate: the only others it may create in)
 * each is deleted by label, the operator-managed ones first while their operator can still finish
 * (jobs before their clusters). Only those namespaces are searched: no cluster-wide list of Secrets.
 */
const namespacedKinds: ResourceKind[] = [
  kinds.FlinkSessionJob,
  kinds.FlinkDeployment,
  kinds.K8ssandraCluster,
  kinds.HorizontalPodAutoscaler,
  kinds.Pod,
  kinds.Service,
  kinds.ConfigMap,
  kinds.Secret,
  kinds.PersistentVolumeClaim,
  kinds.RoleBinding,
  kinds.Role,
  kinds.ServiceAccount,
];
const operated = new Set<ResourceKind>([kinds.FlinkSessionJob, kinds.FlinkDeployment, kinds.K8ssandraCluster]);

export interface LeftoverObject {
  kind: ResourceKind;
  name: string;
  namespace?: string;
  createdAt: string;
}

export interface LeftoverRun {
  runId: string;
  objects: LeftoverObject[];
}

const selectorOf = (runId?: string) => `${managedByLabel}=${managedByValue}${runId ? `,${runIdLabel}=${runId}` : ''}`;

async function listServed(cluster: Cluster, kind: ResourceKind, labelSelector: string, namespace?: string): Promise<K8sObject[]> {
  try {
    return await list<K8sObject>(cluster, kind, { labelSelector, namespace });
  } catch (err) {
    const code = (err as { code?: number }).code;
    // A kind this cluster does not serve (no K8ssandra CRDs, say) holds nothing of ours.
    if (code === 404) return [];
    if (code === 403) {
      log.warn(`cleanup: not allowed to list ${kind.kind}s${namespace ? ` in ${namespace}` : ''}; any of this run's there are not removed`);
      return [];
    }
    throw err;
  }
}

/** Where a run may have created objects outside its own namespaces, as the configuration says. */
export function foreignNamespaces(config: StreamcertConfig): string[] {
  return [...new Set([config.namespaces.suites, ...config.namespaces.allowCreate].filter((n): n is string => !!n))];
}

/**
 * Everything of a run (or of every run) by label: cluster-scoped objects, and namespaced objects
 * outside the namespaces the run created (inside those, the namespace stands for its content).
 */
async function objectsOf(cluster: Cluster, namespaces: string[], runId?: string): Promise<(LeftoverObject & { runId: string; obj: K8sObject })[]> {
  const out: (LeftoverObject & { runId: string; obj: K8sObject })[] = [];
  const entry = (kind: ResourceKind, obj: K8sObject) => ({
    kind,
    name: obj.metadata.name,
    namespace: obj.metadata.namespace,
    createdAt: String(obj.metadata['creationTimestamp'] ?? ''),
    runId: obj.metadata.labels?.[runIdLabel] ?? '(no run id)',
    obj,
  });
  for (const namespace of namespaces) {
    for (const kind of namespacedKinds) {
      for (const obj of await listServed(cluster, kind, selectorOf(runId), namespace)) {
        const run = obj.metadata.labels?.[runIdLabel] ?? '';
        if (!runOwnsNamespace(namespace, run)) out.push(entry(kind, obj));
      }
    }
  }
  for (const kind of clusterScoped) {
    for (const obj of await listServed(cluster, kind, selectorOf(runId))) out.push(entry(kind, obj));
  }
  return out;
}

/** Every object labelled managed-by=streamcert, grouped by run id. */
export async function findLeftovers(cluster: Cluster, namespaces: string[]): Promise<LeftoverRun[]> {
  const runs = new Map<string, LeftoverRun>();
  for (const { runId, obj: _obj, ...o } of await objectsOf(cluster, namespaces)) {
    const entry = runs.get(runId) ?? { runId, objects: [] };
    entry.objects.push(o);
    runs.set(runId, entry);
  }
  return [...runs.values()].sort((a, b) => a.runId.localeCompare(b.runId));
}

/**
 * The superuser Secret the K8ssandra operator made for a cluster this run created: upstream keeps it
 * when the cluster is deleted, so outside the run's own namespaces it would outlive the run. Only a
 * Secret made after the cluster is the run's doing; an older one (the user's own) stays.
 */
async function superuserSecretsOf(cluster: Cluster, k8ssandra: K8sObject): Promise<K8sObject[]> {
  const ns = k8ssandra.metadata.namespace!;
  const selector = `${k8ssandraLabels.k8ssandraCluster}=${k8ssandra.metadata.name},${k8ssandraLabels.k8ssandraClusterNamespace}=${ns}`;
  const created = Date.parse(String(k8ssandra.metadata['creationTimestamp'] ?? ''));
  const secrets = await list<K8sObject>(cluster, kinds.Secret, { namespace: ns, labelSelector: selector }).catch(() => []);
  return secrets.filter((s) => Date.parse(String(s.metadata['creationTimestamp'] ?? '')) >= created);
}

export async function cleanupRun(
  cluster: Cluster,
  runId: string,
  opts: { alsoCluster?: Cluster; timeoutMs?: number; namespaces?: string[] } = {},
): Promise<number> {
  let removed = 0;
  const timeout = opts.timeoutMs ?? 180_000;
  for (const c of new Set([cluster, opts.alsoCluster ?? cluster])) {
    const objects = await objectsOf(c, opts.namespaces ?? [], runId);
    const order = (o: { kind: ResourceKind }) =>
      o.kind.namespaced ? namespacedKinds.indexOf(o.kind) : namespacedKinds.length + clusterScoped.indexOf(o.kind);
    for (const o of objects.sort((a, b) => order(a) - order(b))) {
      const where = o.namespace ? `${o.namespace}/` : '';
      log.info(`cleanup: deleting ${o.kind.kind} ${where}${o.name} (run ${runId})`);
      const secrets = o.kind === kinds.K8ssandraCluster ? await superuserSecretsOf(c, o.obj) : [];
      if (o.kind === kinds.Namespace) await deleteNamespace(c, o.name, timeout);
      else await deleteAndWait(c, o.kind, o.name, o.namespace, timeout, operated.has(o.kind) ? { forceFinalizersAfterMs: finalizerGraceMs } : {});
      for (const s of secrets) {
        log.info(`cleanup: deleting Secret ${s.metadata.namespace}/${s.metadata.name} (made by the operator for run ${runId}'s K8ssandraCluster)`);
        await deleteAndWait(c, kinds.Secret, s.metadata.name, s.metadata.namespace, timeout);
      }
      removed += 1;
    }
  }
  return removed;
}
