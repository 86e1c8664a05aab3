// The paper's `kubectl autoscale --cpu-percent=20 --min=1 --max=15` as an autoscaling/v2 object, and
// a watch on what the HPA controller reports (replicas and the CPU utilisation it measured).
import type { V2HorizontalPodAutoscaler } from '@kubernetes/client-node';
import type { StreamcertConfig } from '../config/schema.ts';
import type { SeriesHandle } from '../suite/handle.ts';
import { recordObservation } from './record-observation.ts';
import { fail, pass, type Judgement } from '../util/judgement.ts';
import { TimeoutError } from '../util/time.ts';
import type { Cluster } from '../k8s/cluster.ts';
import type { K8sObject } from '../k8s/objects.ts';
import { kinds } from '../k8s/resources.ts';
import { watchedObject } from '../k8s/wait.ts';
import { Deadline, until } from '../util/until.ts';

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

/** What the HPA controller reported, from the HPA's status. */
export interface HpaObservation {
  name: string;
  targetCpuPercent: number;
  /** The replicas the HPA started from (its minimum when created). */
  fromReplicas: number;
  currentReplicas: number;
  desiredReplicas: number;
  /** Average CPU utilisation of the target's pods as the HPA measured it (metrics.k8s.io); undefined: none. */
  cpuPercent?: number;
  conditions: { type: string; status: string; reason?: string; message?: string }[];
  waitedSeconds: number;
}

export function hpaObservation(h: V2HorizontalPodAutoscaler | undefined, o: { name: string; targetCpuPercent: number; fromReplicas: number; waitedSeconds: number }): HpaObservation {
  return {
    ...o,
    currentReplicas: h?.status?.currentReplicas ?? 0,
    desiredReplicas: h?.status?.desiredReplicas ?? 0,
    cpuPercent: cpuOf(h),
    conditions: (h?.status?.conditions ?? []).map((c) => ({ type: c.type, status: c.status, reason: c.reason, message: c.message })),
    waitedSeconds: o.waitedSeconds,
  };
}

/**
 * The HPA cannot ever compute CPU utilisation of pods that request no CPU: the controller says
 * `missing request for cpu` (ScalingActive=False, FailedGetResourceMetric) and waiting cannot help.
 * Metrics not yet available are said the same way with another message, and do pass.
 */
export function cpuRequestMissing(o: HpaObservation): string | undefined {
  const c = o.conditions.find((c) => c.status === 'False' && /missing request for cpu/i.test(c.message ?? ''));
  return c ? `${c.type}=False ${c.reason ?? ''}: ${c.message}`.replace(/ +:/, ':') : undefined;
}

/** The HPA measured real CPU and added replicas because of it. An HPA that measured nothing never passes. */
export function judgeHpaScaledOnCpu(o: HpaObservation): Judgement {
  const where = `after ${o.waitedSeconds.toFixed(1)} s (kubectl describe hpa ${o.name})`;
  const notTrue = o.conditions.filter((c) => c.status !== 'True').map((c) => `${c.type}=${c.status} ${c.reason ?? ''}${c.message ? `: ${c.message}` : ''}`);
  const missing = cpuRequestMissing(o);
  if (missing) return fail(`the HPA cannot compute CPU utilisation: the TaskManager pods request no CPU (${missing}) ${where}`);
  if (o.cpuPercent === undefined) {
    return fail(`the HPA reported no CPU utilisation (metrics.k8s.io)${notTrue.length ? `: ${notTrue.join('; ')}` : ''} ${where}`);
  }
  if (o.cpuPercent <= 0) return fail(`the HPA measured ${o.cpuPercent}% CPU: the load job put no load on the TaskManagers ${where}`);
  if (o.currentReplicas <= o.fromReplicas) {
    return fail(`the HPA stayed at ${o.currentReplicas} replica(s) (desired ${o.desiredReplicas}) with CPU at ${o.cpuPercent}% of requests, target ${o.targetCpuPercent}% ${where}`);
  }
  return pass(`the HPA scaled the TaskManagers ${o.fromReplicas} → ${o.currentReplicas} at CPU ${o.cpuPercent}% of requests (target ${o.targetCpuPercent}%) ${where}`);
}

/**
 * Watches the HPA until the judge is satisfied, the HPA says it can never measure CPU, or the deadline;
 * returns the last observation for the judge. Records replicas and CPU as they change.
 */
export async function observeHpaScaling(
  cluster: Cluster,
  namespace: string,
  o: { name: string; targetCpuPercent: number; fromReplicas: number; timeoutMs: number; recordAs?: string },
  replicasSeries?: SeriesHandle,
  cpuSeries?: SeriesHandle,
): Promise<HpaObservation> {
  const started = Date.now();
  let lastReplicas: number | undefined;
  let lastCpu: number | undefined;
  let lastState = '';
  let seen = 0;
  let last = hpaObservation(undefined, { name: o.name, targetCpuPercent: o.targetCpuPercent, fromReplicas: o.fromReplicas, waitedSeconds: 0 });
  try {
    const res = await until(
      watchedObject<HpaObservation, V2HorizontalPodAutoscaler & K8sObject>(
        cluster,
        { kind: kinds.HorizontalPodAutoscaler, namespace, name: o.name },
        {
          description: `HPA ${namespace}/${o.name} to scale on CPU`,
          check: (h) => {
            last = hpaObservation(h, {
              name: o.name,
              targetCpuPercent: o.targetCpuPercent,
              fromReplicas: o.fromReplicas,
              waitedSeconds: (Date.now() - started) / 1000,
            });
            const state = `${last.currentReplicas}-${last.desiredReplicas}-${last.cpuPercent ?? 'none'}-${last.conditions.map((c) => `${c.type}${c.status}${c.reason}`).join('')}`;
            if (o.recordAs && state !== lastState) recordObservation(`${o.recordAs}-seen-${++seen}`, { observation: last, hpa: h ?? null });
            lastState = state;
            if (h && last.currentReplicas !== lastReplicas) replicasSeries?.add(last.currentReplicas);
            if (last.cpuPercent !== undefined && last.cpuPercent !== lastCpu) cpuSeries?.add(last.cpuPercent);
            lastReplicas = last.currentReplicas;
            lastCpu = last.cpuPercent;
            return judgeHpaScaledOnCpu(last).ok || cpuRequestMissing(last) ? last : undefined;
          },
          observe: (h) =>
            `replicas=${h?.status?.currentReplicas ?? '?'}→${h?.status?.desiredReplicas ?? '?'} cpu=${cpuOf(h) ?? '?'}% ${
              h?.status?.conditions
                ?.filter((c) => c.status !== 'True')
                .map((c) => `${c.type}:${c.reason}`)
                .join(',') ?? ''
            }`,
        },
      ),
      Deadline.in(o.timeoutMs),
    );
    return res;
  } catch (err) {
    if (err instanceof TimeoutError) return { ...last, waitedSeconds: (Date.now() - started) / 1000 };
    throw err;
  }
}
