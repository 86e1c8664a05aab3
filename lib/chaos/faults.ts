// The faults experiments inject. Every one goes through the namespace guard first.
import type { V1Pod } from '@kubernetes/client-node';
import type { Cluster } from '../k8s/cluster.ts';
import type { SuiteHandle } from '../suite/handle.ts';
import { assertChaosAllowed } from './guard.ts';

/** Kills a pod the way a node failure or an OOM kill would: no grace period, no preStop. */
export async function killPod(s: SuiteHandle, cluster: Cluster, pod: V1Pod): Promise<string> {
  const namespace = pod.metadata!.namespace!;
  const name = pod.metadata!.name!;
  await assertChaosAllowed(cluster, namespace, s.run.runId, s.config.chaos.allowNamespaces);
  await cluster.core.deleteNamespacedPod({ name, namespace, gracePeriodSeconds: 0 });
  return `pod ${namespace}/${name}`;
}
