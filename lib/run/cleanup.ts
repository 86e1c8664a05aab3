// Removing what a run left behind, found by label rather than by memory: this works after a crash,
// a kill -9 or a Ctrl-C, and never touches anything streamcert did not create.
import type { Cluster } from '../k8s/cluster.ts';
import { deleteAndWait, list, type K8sObject } from '../k8s/objects.ts';
import { deleteNamespace } from '../k8s/namespace.ts';
import { kinds, type ResourceKind } from '../k8s/resources.ts';
import { log } from '../log.ts';
import { managedByLabel, managedByValue, runIdLabel } from './context.ts';

/** Cluster-scoped kinds a suite may create; everything namespaced goes with its namespace. */
const clusterScoped: ResourceKind[] = [kinds.ClusterRoleBinding, kinds.ClusterRole, kinds.PersistentVolume, kinds.Namespace];

export interface LeftoverRun {
  runId: string;
  objects: { kind: ResourceKind; name: string; createdAt: string }[];
}

/** Every object labelled managed-by=streamcert, grouped by run id. */
export async function findLeftovers(cluster: Cluster): Promise<LeftoverRun[]> {
  const runs = new Map<string, LeftoverRun>();
  for (const kind of clusterScoped) {
    const items = await list<K8sObject>(cluster, kind, { labelSelector: `${managedByLabel}=${managedByValue}` });
    for (const item of items) {
      const runId = item.metadata.labels?.[runIdLabel] ?? '(no run id)';
      const entry = runs.get(runId) ?? { runId, objects: [] };
      entry.objects.push({ kind, name: item.metadata.name, createdAt: String(item.metadata['creationTimestamp'] ?? '') });
      runs.set(runId, entry);
    }
  }
  return [...runs.values()].sort((a, b) => a.runId.localeCompare(b.runId));
}

export async function cleanupRun(
  cluster: Cluster,
  runId: string,
  opts: { alsoCluster?: Cluster; timeoutMs?: number } = {},
): Promise<number> {
  let removed = 0;
  for (const c of new Set([cluster, opts.alsoCluster ?? cluster])) {
    for (const kind of clusterScoped) {
      const items = await list<K8sObject>(c, kind, {
        labelSelector: `${managedByLabel}=${managedByValue},${runIdLabel}=${runId}`,
      });
      for (const item of items) {
        log.info(`cleanup: deleting ${kind.kind} ${item.metadata.name} (run ${runId})`);
        const timeout = opts.timeoutMs ?? 180_000;
        if (kind === kinds.Namespace) await deleteNamespace(c, item.metadata.name, timeout);
        else await deleteAndWait(c, kind, item.metadata.name, undefined, timeout);
        removed += 1;
      }
    }
  }
  return removed;
}
