// Pod start times while the bench runs, from the cluster's own timestamps: created (metadata), started
// (the main container's running.startedAt), Ready (the condition's transition), and serving: the
// component's own log line saying it listens (JobManager: Flink's REST endpoint; Cassandra: CQL).
// One watch of every pod (the resumable watch of lib/k8s/wait.ts, never satisfied, stopped by signal).
import type { V1Pod } from '@kubernetes/client-node';
import type { Cluster } from '../k8s/cluster.ts';
import { podLogs } from '../k8s/pods.ts';
import { kinds } from '../k8s/resources.ts';
import { watched } from '../k8s/wait.ts';
import { pollPause } from '../util/time.ts';
import { Deadline, until } from '../util/until.ts';

export type PodComponent = 'jobmanager' | 'taskmanager' | 'cassandra' | 'operator';

export interface PodTiming {
  namespace: string;
  name: string;
  component: PodComponent;
  /** Epoch ms. */
  createdAt: number;
  startedAt?: number;
  readyAt?: number;
  servingAt?: number;
}

/** The component a pod is, from the labels its operator sets; undefined for pods the bench does not time. */
export function componentOf(labels: Record<string, string> | undefined): PodComponent | undefined {
  if (!labels) return undefined;
  // Native and standalone (05's reactive mode) clusters: type flink-native-kubernetes / flink-standalone-kubernetes.
  if (/^flink-(native|standalone)-kubernetes$/.test(labels.type ?? '') && (labels.component === 'jobmanager' || labels.component === 'taskmanager')) return labels.component;
  if (labels['cassandra.datastax.com/cluster']) return 'cassandra';
  if (labels['app.kubernetes.io/name'] === 'flink-kubernetes-operator') return 'operator';
  return undefined;
}

/** The line a component logs once it serves, per component that has one. */
export const servingLine: Partial<Record<PodComponent, { container?: string; line: RegExp }>> = {
  jobmanager: { container: 'flink-main-container', line: /Rest endpoint listening at/ },
  cassandra: { container: 'cassandra', line: /Starting listening for CQL clients/ },
};

/** The timestamp (log4j/logback `2026-12-07 21:40:01,234`, UTC in the images) of the first line matching `line`. */
export function loggedAt(log: string, line: RegExp): number | undefined {
  const hit = log.split('\n').find((l) => line.test(l));
  const stamp = hit && /(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2})[,.](\d{3})/.exec(hit);
  return stamp ? Date.parse(`${stamp[1]}T${stamp[2]}.${stamp[3]}Z`) : undefined;
}

/** What one pod object says of its start, merged into what was seen of it before. */
export function timingOf(pod: V1Pod, before: PodTiming | undefined): PodTiming | undefined {
  const component = componentOf(pod.metadata?.labels);
  if (!component || !pod.metadata?.creationTimestamp) return undefined;
  const t: PodTiming = before ?? { namespace: pod.metadata.namespace!, name: pod.metadata.name!, component, createdAt: new Date(pod.metadata.creationTimestamp).getTime() };
  const running = pod.status?.containerStatuses?.map((c) => c.state?.running?.startedAt).filter((d) => d !== undefined);
  if (t.startedAt === undefined && running?.length) t.startedAt = Math.max(...running.map((d) => new Date(d!).getTime()));
  const ready = pod.status?.conditions?.find((c) => c.type === 'Ready' && c.status === 'True');
  if (t.readyAt === undefined && ready?.lastTransitionTime) t.readyAt = new Date(ready.lastTransitionTime).getTime();
  return t;
}

/** Times every pod of the timed components until stopped. */
export function watchPodTimings(cluster: Cluster): { stop(): Promise<PodTiming[]> } {
  const timings = new Map<string, PodTiming>();
  const asked = new Map<string, number>();
  const pending = new Set<Promise<void>>();
  const stop = new AbortController();

  // A JobManager is Ready before its REST endpoint listens (it has no readiness probe): its log is read
  // again every 2 s until the line shows, for a minute at most.
  const askLog = (t: PodTiming) => {
    const serving = servingLine[t.component];
    const key = `${t.namespace}/${t.name}`;
    if (!serving || t.readyAt === undefined || asked.has(key)) return;
    asked.set(key, Date.now());
    const read = (async () => {
      for (let i = 0; i < 30 && t.servingAt === undefined && !stop.signal.aborted; i++) {
        const log = await podLogs(cluster, t.namespace, t.name, { container: serving.container }).catch(() => '');
        t.servingAt = loggedAt(log, serving.line);
        if (t.servingAt === undefined) await pollPause(2000);
      }
    })().finally(() => pending.delete(read));
    pending.add(read);
  };

  const watching = until(
    watched<never, V1Pod>(cluster, { kind: kinds.Pod }, {
      description: 'pod start times for the bench',
      check: (pods) => {
        for (const pod of pods) {
          const key = `${pod.metadata?.namespace}/${pod.metadata?.name}`;
          const t = timingOf(pod, timings.get(key));
          if (!t) continue;
          timings.set(key, t);
          askLog(t);
        }
        return undefined;
      },
    }),
    Deadline.in(24 * 3600_000),
    { signal: stop.signal, progress: () => undefined },
  ).catch(() => undefined);

  return {
    async stop() {
      stop.abort();
      await watching;
      await Promise.all(pending);
      return [...timings.values()];
    },
  };
}
