// When a JobManager failover cannot succeed, the components say so within seconds: the new JobManager
// logs a fatal error and exits ("Could not recover job …", "Fatal error occurred in the cluster
// entrypoint"), its container crash-loops or its image cannot be pulled, or Flink reports the job
// FAILED. Waiting out the recovery deadline would only hide the cause in the evidence files, so the
// recovery watch ends at once with the component's own words (issue 13, 2i). The same idea as
// operator-watch.ts, for the JobManager; this is the pure judge.
import type { V1Pod } from '@kubernetes/client-node';
import { lastCause } from './diagnose.ts';

/** A log of one post-kill JobManager container. */
export interface JobManagerLog {
  pod: string;
  /** The container that ran before the current one (`kubectl logs --previous`). */
  previous: boolean;
  text: string;
}

export interface JobManagerObservation {
  namespace: string;
  /** The JobManager pods since the kill (the replacement, or the killed pod restarted in place). */
  pods: V1Pod[];
  /** Container restarts each pod (by uid) is expected to have: the one the exec kill causes, 0 for a new pod. */
  expectedRestarts: Map<string, number>;
  logs: JobManagerLog[];
  /** The job's state over REST, with the root cause of its last exception when FAILED. */
  job?: { id: string; state: string; rootCause?: string };
}

export interface JobManagerVerdict {
  /** Set when recovery cannot succeed: the reason the waits end with. */
  terminal?: string;
  summary: string;
}

/** Lines the JobManager logs when it gives up; it exits right after. */
const fatalLine = /Fatal error occurred in the cluster entrypoint|Fatal error occurred in (ResourceManager|the dispatcher|the JobMaster)|Could not recover job|Could not start cluster entrypoint|Terminating cluster entrypoint process \S+ with exit code [1-9]/;

/** Waiting reasons of a container that will not start on its own. */
const stuckWaiting = new Set(['ErrImagePull', 'ImagePullBackOff', 'InvalidImageName', 'CreateContainerConfigError', 'CreateContainerError']);

const terminalJobStates = new Set(['FAILED', 'CANCELED', 'FINISHED']);

/** The first fatal line of a log, without its timestamp and logger prefix, and the root cause after it. */
export function fatalErrorIn(log: string): { line: string; cause?: string } | undefined {
  const lines = log.split('\n');
  const i = lines.findIndex((l) => fatalLine.test(l));
  if (i < 0) return undefined;
  const line = lines[i]!.replace(/^.*?\s(ERROR|WARN|INFO)\s+\S+\s+(\[[^\]]*\]\s+)?-\s+/, '').trim().slice(0, 300);
  const cause = lastCause(lines.slice(i + 1, i + 400).join('\n'));
  return { line, ...(cause && cause !== line ? { cause } : {}) };
}

export function judgeJobManagerRecovery(o: JobManagerObservation): JobManagerVerdict {
  for (const log of o.logs) {
    const fatal = fatalErrorIn(log.text);
    if (fatal) {
      return {
        terminal:
          `the new JobManager ${log.pod} gave up: "${fatal.line}"${fatal.cause ? `; root cause: ${fatal.cause}` : ''} ` +
          `(see \`kubectl logs -n ${o.namespace} ${log.pod}${log.previous ? ' --previous' : ''}\`)`,
        summary: `JobManager ${log.pod}: fatal error`,
      };
    }
  }
  for (const p of o.pods) {
    if (p.metadata?.deletionTimestamp) continue;
    const name = p.metadata?.name ?? '?';
    for (const c of p.status?.containerStatuses ?? []) {
      const waiting = c.state?.waiting;
      const since = (c.restartCount ?? 0) - (o.expectedRestarts.get(p.metadata?.uid ?? '') ?? 0);
      const last = c.lastState?.terminated;
      const how = [waiting?.reason, last ? `last exit code ${last.exitCode}${last.reason ? ` (${last.reason})` : ''}` : undefined, `restarts ${c.restartCount ?? 0}`].filter(Boolean).join(', ');
      if (waiting?.reason && stuckWaiting.has(waiting.reason)) {
        return {
          terminal: `the new JobManager ${name} cannot start its container ${c.name}: ${waiting.reason}${waiting.message ? ` (${waiting.message.slice(0, 300)})` : ''} (see \`kubectl describe pod -n ${o.namespace} ${name}\`)`,
          summary: `JobManager ${name}: ${waiting.reason}`,
        };
      }
      // One restart beyond the kill may be a hiccup; CrashLoopBackOff after one, or two, is a loop.
      if (since >= 2 || (since >= 1 && waiting?.reason === 'CrashLoopBackOff')) {
        return {
          terminal: `the new JobManager ${name} is crash-looping (${how}) (see \`kubectl logs -n ${o.namespace} ${name} --previous\`)`,
          summary: `JobManager ${name}: crash-looping`,
        };
      }
    }
  }
  if (o.job && terminalJobStates.has(o.job.state)) {
    return {
      terminal: `Flink reports job ${o.job.id} ${o.job.state} after the JobManager kill${o.job.rootCause ? `: ${o.job.rootCause}` : ''} (see /jobs/${o.job.id}/exceptions)`,
      summary: `job ${o.job.state}`,
    };
  }
  const states = o.pods.map((p) => `${p.metadata?.name}:${p.status?.containerStatuses?.[0]?.state?.waiting?.reason ?? p.status?.phase}`).join(' ');
  return { summary: `JobManager ${states || 'no pod yet'}${o.job ? `, job ${o.job.state}` : ''}` };
}
