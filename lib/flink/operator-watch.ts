// A wait on a Flink object depends on the operator reconciling it. When the operator itself goes
// down (an object it cannot parse makes it crash-loop, and then no FlinkDeployment anywhere moves)
// the object's status just stays as it was: without this the wait prints "no status yet" until its
// deadline. So every such wait also watches the operator's pods: it says when the operator is not
// Ready or restarted, and ends at once, quoting the operator's own error, when it crash-loops.
import type { V1Pod } from '@kubernetes/client-node';
import type { Cluster } from '../k8s/cluster.ts';
import type { K8sObject } from '../k8s/objects.ts';
import { podLogs } from '../k8s/pods.ts';
import { kinds } from '../k8s/resources.ts';
import { watched } from '../k8s/wait.ts';
import { findOperatorDeployment } from '../run/preflight.ts';
import { lastCause } from './diagnose.ts';
import { livePods, podReady } from '../k8s/conditions.ts';
import { type Condition, Deadline, until } from '../util/until.ts';

export interface OperatorHealth {
  ready: boolean;
  /** Restarts since the wait began, over all operator containers. */
  restartsSince: number;
  /** Set when the operator crash-loops: which pod and container, and how. */
  crashLoop?: { pod: string; container: string; restarts: number; how: string };
  /** Set when the operator counts as down: crash-looping, or not Ready for longer than a restart takes. */
  down?: string;
  /** One line for progress messages. */
  summary: string;
}

/**
 * How long an operator may be not Ready before it counts as down. An object it cannot parse leaves it
 * running but not Ready until the kubelet's liveness probe kills it (on the lab 90 s per round, exit
 * 143), so waiting for a crash loop would take minutes; a rollout or a leader change is back sooner.
 */
export const operatorDownAfterMs = 60_000;

const key = (p: V1Pod, container: string) => `${p.metadata?.uid ?? p.metadata?.name}/${container}`;

/** Restart counts per pod and container, the baseline a wait compares against. */
export function restartBaseline(pods: V1Pod[]): Map<string, number> {
  const base = new Map<string, number>();
  for (const p of pods) for (const c of p.status?.containerStatuses ?? []) base.set(key(p, c.name), c.restartCount ?? 0);
  return base;
}

/**
 * The operator's health as its pods show it. A crash loop is a container waiting in CrashLoopBackOff,
 * or two restarts since the wait began: one restart alone may be a rollout or a leader change.
 */
export function judgeOperatorHealth(pods: V1Pod[], baseline: Map<string, number>, notReadyForMs = 0): OperatorHealth {
  const live = pods.filter((p) => !p.metadata?.deletionTimestamp);
  const ready = live.some(podReady);
  let restartsSince = 0;
  let crashLoop: OperatorHealth['crashLoop'];
  for (const p of live) {
    for (const c of p.status?.containerStatuses ?? []) {
      const since = (c.restartCount ?? 0) - (baseline.get(key(p, c.name)) ?? 0);
      restartsSince += Math.max(0, since);
      const last = c.lastState?.terminated;
      const how = [
        c.state?.waiting?.reason,
        last ? `last exit code ${last.exitCode}${last.reason ? ` (${last.reason})` : ''}` : undefined,
        `restarts ${c.restartCount ?? 0}`,
      ]
        .filter(Boolean)
        .join(', ');
      if (!crashLoop && (c.state?.waiting?.reason === 'CrashLoopBackOff' || since >= 2)) {
        crashLoop = { pod: p.metadata?.name ?? '?', container: c.name, restarts: c.restartCount ?? 0, how };
      }
    }
  }
  const down = crashLoop
    ? 'crash-looping'
    : !ready && notReadyForMs >= operatorDownAfterMs
      ? `NOT Ready for ${Math.round(notReadyForMs / 1000)} s`
      : undefined;
  const summary = crashLoop
    ? `Flink operator crash-looping (${crashLoop.pod}: ${crashLoop.how})`
    : !ready
      ? `Flink operator NOT Ready (${live.map((p) => `${p.metadata?.name}:${p.status?.phase}`).join(' ') || 'no pod'})`
      : restartsSince > 0
        ? `Flink operator Ready, restarted ${restartsSince}x since the wait began`
        : 'Flink operator Ready';
  return { ready, restartsSince, crashLoop, down, summary: down && !crashLoop ? `Flink operator ${down}` : summary };
}

export class OperatorCrashLoop extends Error {
  override name = 'OperatorCrashLoop';
}

/**
 * Runs `wait` while watching the operator in `namespace`. `operatorNote()` gives the operator's state
 * for the wait's own progress lines (`; Flink operator NOT Ready …`, empty while it is Ready). The wait is aborted (through `signal`) and the whole call fails
 * when the operator crash-loops, with the operator's last error from its previous container's log.
 */
export async function whileOperatorWatched<T>(
  cluster: Cluster,
  namespace: string,
  wait: (signal: AbortSignal, operatorNote: () => string) => Promise<T>,
): Promise<T> {
  const operator = await findOperatorDeployment(cluster, namespace);
  const selector = Object.entries(operator?.spec?.selector.matchLabels ?? {})
    .map(([k, val]) => `${k}=${val}`)
    .join(',');
  const abort = new AbortController();
  if (!operator || !selector) return wait(abort.signal, () => '; Flink operator not found');

  let note = 'Flink operator: not observed yet';
  let baseline: Map<string, number> | undefined;
  let latest: V1Pod[] | undefined;
  let notReadySince: number | undefined;
  let reported = false;
  let fail!: (err: Error) => void;
  const failed = new Promise<never>((_, reject) => (fail = reject));
  failed.catch(() => undefined); // a report that lands after the wait ended is nobody's business
  // Judged on every change of the operator's pods and every few seconds, since "not Ready for a minute" has no event of its own.
  const judgeNow = () => {
    if (!latest || reported) return;
    const ready = livePods(latest).some(podReady);
    if (ready) notReadySince = undefined;
    else notReadySince ??= Date.now();
    const health = judgeOperatorHealth(latest, baseline!, notReadySince === undefined ? 0 : Date.now() - notReadySince);
    note = health.summary;
    if (!health.down) return;
    reported = true;
    void explainDown(cluster, namespace, latest, health).then(fail);
  };
  const ticker = setInterval(judgeNow, 2_000);
  void until(
    watched<never, V1Pod & K8sObject>(
      cluster,
      { kind: kinds.Pod, namespace, labelSelector: selector },
      {
        description: `the Flink operator in ${namespace} to stay up`,
        check: (pods) => {
          baseline ??= restartBaseline(pods);
          latest = pods;
          judgeNow();
          return undefined;
        },
      },
    ),
    Deadline.in(24 * 3_600_000),
    { signal: abort.signal, progressEveryMs: 24 * 3_600_000 },
  ).catch(() => undefined);
  try {
    // Progress lines mention the operator only when there is something to say.
    return await Promise.race([wait(abort.signal, () => (note === 'Flink operator Ready' ? '' : `; ${note}`)), failed]);
  } finally {
    clearInterval(ticker);
    abort.abort();
  }
}

/**
 * `condition` with the operator watched beside it (whileOperatorWatched): its progress lines carry the
 * operator's state, and a crash-looping operator ends the wait at once with the operator's last error.
 */
export function withOperatorWatched<T>(cluster: Cluster, namespace: string, condition: (operatorNote: () => string) => Condition<T>): Condition<T> {
  return {
    description: condition(() => '').description,
    run: (deadline, o) =>
      whileOperatorWatched(cluster, namespace, (signal, note) =>
        condition(note).run(deadline, { ...o, signal: o.signal ? AbortSignal.any([o.signal, signal]) : signal }),
      ),
  };
}

/** The operator's own words for why it is down: its previous container's log after a restart, else the current one. */
async function explainDown(cluster: Cluster, namespace: string, pods: V1Pod[], health: OperatorHealth): Promise<OperatorCrashLoop> {
  const pod = health.crashLoop?.pod ?? pods.find((p) => !p.metadata?.deletionTimestamp)?.metadata?.name;
  const container = health.crashLoop?.container ?? pods.find((p) => p.metadata?.name === pod)?.spec?.containers[0]?.name;
  const read = (previous: boolean) => (pod ? podLogs(cluster, namespace, pod, { container, previous, tailLines: 400 }).catch(() => '') : Promise.resolve(''));
  const cause = lastCause(await read(!!health.crashLoop)) ?? lastCause(await read(!health.crashLoop));
  return new OperatorCrashLoop(
    `${health.summary}: nothing is reconciled while it is down${cause ? `; its log: ${cause}` : ''}` +
      (pod ? ` (see \`kubectl logs -n ${namespace} ${pod}${health.crashLoop ? ' --previous' : ''}\`)` : ''),
  );
}
