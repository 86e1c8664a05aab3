// Named conditions on Kubernetes objects, written once: a status condition True, a pod Ready, and a
// condition of exactly N Ready pods (none terminating) that every workload (Flink's JobManagers and
// TaskManagers, Cassandra's nodes, a jar server) shares.
import type { V1Pod } from '@kubernetes/client-node';
import type { Cluster } from './cluster.ts';
import type { K8sObject } from './objects.ts';
import { kinds } from './resources.ts';
import { watched, type Watched } from './wait.ts';

/** Whether `conditions` has `type` with status "True" (Deployment Available, CRD Established, pod Ready). */
export function conditionTrue(conditions: readonly { type?: string; status?: string }[] | undefined, type: string): boolean {
  return (conditions ?? []).some((c) => c.type === type && c.status === 'True');
}

export function podReady(pod: V1Pod | undefined): boolean {
  return conditionTrue(pod?.status?.conditions, 'Ready');
}

/** Pods not being deleted. */
export function livePods(pods: V1Pod[]): V1Pod[] {
  return pods.filter((p) => !p.metadata?.deletionTimestamp);
}

/** `name:phase-or-waiting-reason[/Ready][(terminating)]` per pod, for progress lines and timeouts. */
export function describePods(pods: V1Pod[]): string {
  return (
    pods
      .map((p) => {
        const waiting = p.status?.containerStatuses?.find((c) => c.state?.waiting)?.state?.waiting?.reason;
        return `${p.metadata?.name}:${waiting ?? p.status?.phase}${podReady(p) ? '/Ready' : ''}${p.metadata?.deletionTimestamp ? '(terminating)' : ''}`;
      })
      .join(' ') || 'no pods'
  );
}

/** Exactly `count` pods match the selector, all Ready and none terminating; the value is those pods. */
export function readyPods(cluster: Cluster, target: { namespace: string; labelSelector: string }, count: number, description: string): Watched<V1Pod[]> {
  return watched<V1Pod[], V1Pod & K8sObject>(
    cluster,
    { kind: kinds.Pod, ...target },
    {
      description: `${count} Ready ${description}`,
      check: (pods) => {
        const live = livePods(pods);
        const ready = live.filter(podReady);
        return ready.length === count && live.length === count ? ready : undefined;
      },
      observe: describePods,
    },
  );
}
