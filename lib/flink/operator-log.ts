// The operator's log must stay free of ERROR lines through a failover, except for the ones listed
// here, each with the reason it is expected. Kept in one place so the list is reviewed as a whole.
import type { Cluster } from '../k8s/cluster.ts';
import { podLogs } from '../k8s/pods.ts';
import { findOperatorDeployment } from '../run/preflight.ts';
import { fail, pass, type Judgement } from '../util/judgement.ts';

export const operatorErrorAllowlist: { pattern: RegExp; reason: string }[] = [
  {
    pattern: /Error while (patching|updating) status|the object has been modified/i,
    reason: 'optimistic-concurrency conflicts on status updates; the operator retries them',
  },
  {
    pattern: /Failed to (get|observe) (the )?job (status|details)|Could not (retrieve|connect to) .*rest/i,
    reason: 'while the JobManager is down its REST endpoint is unreachable; the observer retries next cycle',
  },
  {
    pattern: /Failed to submit a listener notification task\. Event loop shut down\?/,
    reason: "Netty's message when the operator closes a REST client whose event loop already stopped (its JobManager went away)",
  },
  {
    pattern: /REST service in session cluster timed out/,
    reason: 'the session observer polls the session cluster REST endpoint, which is down while the JobManager is replaced',
  },
  {
    pattern: /JobManager deployment is missing|Missing JobManager deployment/i,
    reason: 'reported while the JobManager pod is being replaced',
  },
];

export interface OperatorErrors {
  unexpected: string[];
  allowed: { line: string; reason: string }[];
  /** ERROR lines about resources of other namespaces: another tenant's, or another run's, not this failover's. */
  otherNamespaces: number;
}

/**
 * The operator's log pattern (log4j-operator.properties) puts the level in brackets and the resource
 * after it: `[ERROR][namespace/name] …`. An INFO line may well say ERROR in its message (`Previous
 * status: ERROR`): the level decides, not the word. Lines in another layout fall back to the word.
 */
const operatorLine = /\[(TRACE|DEBUG|INFO|WARN|ERROR|FATAL)\s*\](?:\[([^/\]\s]+)\/[^\]]*\])?/;

function levelAndNamespace(line: string): { error: boolean; namespace?: string } {
  const m = operatorLine.exec(line);
  if (!m) return { error: /\bERROR\b/.test(line) };
  return { error: m[1] === 'ERROR' || m[1] === 'FATAL', namespace: m[2] };
}

/**
 * With `namespace`, lines about a resource of another namespace are counted, not judged: a shared
 * operator logs every tenant's errors. Lines with no resource are the operator's own, and are judged.
 */
export function classifyErrorLines(log: string, namespace?: string): OperatorErrors {
  const result: OperatorErrors = { unexpected: [], allowed: [], otherNamespaces: 0 };
  for (const line of log.split('\n')) {
    const { error, namespace: about } = levelAndNamespace(line);
    if (!error) continue;
    if (namespace && about && about !== namespace) {
      result.otherNamespaces++;
      continue;
    }
    const allowed = operatorErrorAllowlist.find((a) => a.pattern.test(line));
    if (allowed) result.allowed.push({ line, reason: allowed.reason });
    else result.unexpected.push(line.slice(0, 400));
  }
  return result;
}

/** ERROR lines in the operator's log since `since` about `resourceNamespace` or no resource, classified against the allowlist. */
export async function operatorErrorsSince(cluster: Cluster, namespace: string, since: Date, resourceNamespace: string): Promise<OperatorLogObservation> {
  const operator = await findOperatorDeployment(cluster, namespace);
  const selector = Object.entries(operator?.spec?.selector.matchLabels ?? {})
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
  const pods = operator ? (await cluster.core.listNamespacedPod({ namespace, labelSelector: selector })).items : [];
  const sinceSeconds = Math.max(1, Math.ceil((Date.now() - since.getTime()) / 1000) + 1);
  const logs = await Promise.all(
    pods.map((p) =>
      podLogs(cluster, namespace, p.metadata!.name!, { container: p.spec?.containers[0]?.name, sinceSeconds }),
    ),
  );
  return {
    errors: classifyErrorLines(logs.join('\n'), resourceNamespace),
    pods: pods.map((p) => `${namespace}/${p.metadata!.name!}`),
    since: since.toISOString(),
    resourceNamespace,
  };
}

export interface OperatorLogObservation {
  errors: OperatorErrors;
  /** The operator pods whose logs were read. */
  pods: string[];
  since: string;
  resourceNamespace: string;
}

/** No ERROR line outside the allowlist since `since`; a log nobody could read never passes. */
export function judgeOperatorLog(o: OperatorLogObservation): Judgement {
  const where = `in the log of ${o.pods.join(', ') || 'no operator pod'} since ${o.since}`;
  if (o.pods.length === 0) return fail(`no operator pod found, so no operator log was read (${where})`);
  const { unexpected, allowed, otherNamespaces } = o.errors;
  if (unexpected.length > 0) {
    return fail(`${unexpected.length} operator ERROR line(s) about ${o.resourceNamespace} or the operator itself, not in the allowlist (lib/flink/operator-log.ts), ${where}:\n${unexpected.join('\n')}`);
  }
  return pass(`no unexpected operator ERROR line ${where} (${allowed.length} allowed, ${otherNamespaces} about other namespaces)`);
}
