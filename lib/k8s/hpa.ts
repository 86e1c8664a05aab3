// The paper's `kubectl autoscale --cpu-percent=20 --min=1 --max=15` as an autoscaling/v2 object, and
// a watch on what the HPA controller reports (replicas and the CPU utilisation it measured).
import type { V2HorizontalPodAutoscaler } from '@kubernetes/client-node';
import type { StreamcertConfig } from '../config/schema.ts';
import type { SeriesHandle } from '../suite/dsl.ts';
import type { Cluster } from './cluster.ts';
import type { K8sObject } from './objects.ts';
import { kinds } from './resources.ts';
import { waitForObject } from './wait.ts';

export function cpuHpa(
  name: string,
  namespace: string,
  labels: Record<string, string>,
  deployment: string,
  hpa: StreamcertConfig['hpa'],
): K8sObject {
  return {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: { name, namespace, labels },
    spec: {
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: deployment },
      minReplicas: hpa.minReplicas,
      maxReplicas: hpa.maxReplicas,
      metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: hpa.cpuPercent } } }],
    },
  };
}

function cpuOf(h: V2HorizontalPodAutoscaler | undefined): number | undefined {
  return h?.status?.currentMetrics?.find((m) => m.type === 'Resource' && m.resource?.name === 'cpu')?.resource?.current.averageUtilization;
}

/** Watches the HPA until `accept(currentReplicas)`; records replicas and CPU as they change. */
export async function untilHpaReplicas(
  cluster: Cluster,
  namespace: string,
  name: string,
  accept: (replicas: number) => boolean,
  timeoutMs: number,
  replicasSeries?: SeriesHandle,
  cpuSeries?: SeriesHandle,
): Promise<{ replicas: number; cpuPercent: number }> {
  let lastReplicas: number | undefined;
  let lastCpu: number | undefined;
  const res = await waitForObject<{ replicas: number; cpuPercent: number }, V2HorizontalPodAutoscaler & K8sObject>(
    cluster,
    { kind: kinds.HorizontalPodAutoscaler, namespace, name },
    {
      description: `HPA ${namespace}/${name} to change replicas`,
      until: (h) => {
        const replicas = h?.status?.currentReplicas ?? 0;
        const cpu = cpuOf(h);
        if (replicas !== lastReplicas) replicasSeries?.add(replicas);
        if (cpu !== undefined && cpu !== lastCpu) cpuSeries?.add(cpu);
        lastReplicas = replicas;
        lastCpu = cpu;
        return accept(replicas) && cpu !== undefined ? { replicas, cpuPercent: cpu } : undefined;
      },
      observe: (h) =>
        `replicas=${h?.status?.currentReplicas ?? '?'}→${h?.status?.desiredReplicas ?? '?'} cpu=${cpuOf(h) ?? '?'}% ${
          h?.status?.conditions?.filter((c) => c.status !== 'True').map((c) => `${c.type}:${c.reason}`).join(',') ?? ''
        }`,
      timeoutMs,
    },
  );
  return res.value;
}
