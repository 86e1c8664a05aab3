// Chaos only ever touches what the run created, or namespaces the configuration explicitly allows:
// anything else is refused before any action, so a mistyped namespace cannot take down a workload.
import { read, type K8sObject } from '../k8s/objects.ts';
import type { Cluster } from '../k8s/cluster.ts';
import { kinds } from '../k8s/resources.ts';
import { runIdLabel } from '../run/context.ts';

export class ChaosRefused extends Error {
  override name = 'ChaosRefused';
}

/** Why chaos may not touch `namespace`, or undefined when it may. */
export function chaosRefusal(namespace: string, labels: Record<string, string> | undefined, runId: string, allow: string[]): string | undefined {
  if (allow.includes(namespace)) return undefined;
  if (labels?.[runIdLabel] === runId) return undefined;
  const owner = labels?.[runIdLabel] ? `run ${labels[runIdLabel]}` : 'no streamcert run';
  return `chaos refused: namespace ${namespace} was created by ${owner}, not by this run (${runId}), and is not in chaos.allowNamespaces`;
}

export async function assertChaosAllowed(cluster: Cluster, namespace: string, runId: string, allow: string[]): Promise<void> {
  const ns = await read<K8sObject>(cluster, kinds.Namespace, namespace);
  if (!ns) throw new ChaosRefused(`chaos refused: namespace ${namespace} does not exist`);
  const refusal = chaosRefusal(namespace, ns.metadata.labels, runId, allow);
  if (refusal) throw new ChaosRefused(refusal);
}
