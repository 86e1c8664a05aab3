// When a Flink cluster does not come up, the operator's status says *that* it failed (ERROR,
// CrashLoopBackOff); the JobManager's own log says *why* (a missing jar, a bad config key). This
// finds that line so the failure message names the cause.
import type { Cluster } from '../k8s/cluster.ts';
import { podLogs } from '../k8s/pods.ts';

const causeLine = /(Caused by: .*|[\w.]+(Exception|Error): .*)/;

export function lastCause(log: string): string | undefined {
  const lines = log.split('\n').filter((l) => causeLine.test(l));
  // The deepest "Caused by" is the root cause; otherwise the first exception line.
  const caused = lines.filter((l) => l.trimStart().startsWith('Caused by:'));
  return (caused.at(-1) ?? lines[0])?.trim().slice(0, 500);
}

export async function jobManagerFailureHint(cluster: Cluster, namespace: string, deployment: string): Promise<string> {
  const pods = await cluster.core
    .listNamespacedPod({ namespace, labelSelector: `app=${deployment},component=jobmanager` })
    .catch(() => undefined);
  const hints: string[] = [];
  for (const pod of pods?.items ?? []) {
    for (const st of pod.status?.containerStatuses ?? []) {
      const term = st.lastState?.terminated ?? st.state?.terminated;
      const waiting = st.state?.waiting;
      const previous = !!st.lastState?.terminated;
      const log = await podLogs(cluster, namespace, pod.metadata!.name!, {
        container: st.name,
        previous,
        tailLines: 400,
      }).catch(() => '');
      const cause = lastCause(log);
      const parts = [
        term ? `exit code ${term.exitCode}${term.reason ? ` (${term.reason})` : ''}` : undefined,
        waiting?.reason,
        `restarts ${st.restartCount}`,
        cause ? `log: ${cause}` : undefined,
      ].filter(Boolean);
      hints.push(`\n  JobManager pod ${pod.metadata?.name}: ${parts.join('; ')}`);
    }
  }
  return hints.join('');
}
