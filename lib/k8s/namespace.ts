// Deleting a namespace the way it has to be done with the Flink operator: its custom resources
// first, while the operator can still write events there. In a namespace that is already
// terminating the operator (1.7) fails on every event it tries to write and never lets go of its
// finalizers, so the namespace would never go away.
import { log } from '../log.ts';
import type { Cluster } from './cluster.ts';
import { deleteAndWait, list, type DeleteOptions, type K8sObject } from './objects.ts';
import { kinds, type ResourceKind } from './resources.ts';

/** Operator-managed kinds, in the order they must go: jobs before the clusters they run in. */
const operatedKinds: ResourceKind[] = [kinds.FlinkSessionJob, kinds.FlinkDeployment, kinds.K8ssandraCluster];

/** How long an operator gets to finish its own cleanup before its finalizer is removed (a suite passes timeouts.deletion instead). */
export const finalizerGraceMs = 60_000;

/** `onForcedRemoval` hears of every finalizer removed after the grace (to be recorded by the caller). */
export async function deleteNamespace(
  cluster: Cluster,
  namespace: string,
  timeoutMs: number,
  opts: Pick<DeleteOptions, 'onForcedRemoval' | 'forceFinalizersAfterMs'> = {},
): Promise<void> {
  for (const kind of operatedKinds) {
    let items: K8sObject[];
    try {
      items = await list<K8sObject>(cluster, kind, { namespace });
    } catch {
      continue; // kind not served on this cluster
    }
    await Promise.all(
      items.map((o) =>
        deleteAndWait(cluster, kind, o.metadata.name, namespace, timeoutMs, { forceFinalizersAfterMs: finalizerGraceMs, ...opts }).catch(
          (err: Error) => log.warn(`could not delete ${kind.kind} ${namespace}/${o.metadata.name}: ${err.message}`),
        ),
      ),
    );
  }
  await deleteAndWait(cluster, kinds.Namespace, namespace, undefined, timeoutMs);
}
